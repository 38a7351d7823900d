"""The stage seams: loaders chosen by suffix (with section locators), rerankers, plugins through entry
points, and the store translating Chroma failures."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from rag import chunk as chunking
from rag import load
from rag.api import Pipeline
from rag.errors import ConfigError, StoreError
from rag.retrieve import RERANKERS, FirstQuote, PerFile
from rag.types import Passage

FAST = {"embedder": "hash:64", "retrieval": "dense"}

GUIDE = """# Install

Run the installer and accept the licence.

## Network

The proxy is set with the variable HTTP_PROXY before the installer starts.

# Usage

Start the program with the command frobnicate and a file name.
"""


def test_markdown_sections_reach_the_passages(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "guide.md").write_text(GUIDE, encoding="utf-8")
    (corpus / "plain.txt").write_text("# Not a heading in a text file\n\nThe proxy is not mentioned here at all.\n", encoding="utf-8")
    pipe = Pipeline(corpus=corpus, chunk_tokens=24, chunk_overlap=0, **FAST)
    passages = pipe.retrieve("HTTP_PROXY variable proxy", k=10)
    sections = {p.text.split("\n")[0][:30]: p.locator.section for p in passages if p.source == "guide.md"}
    proxy = next(p for p in passages if "HTTP_PROXY" in p.text)
    assert proxy.source == "guide.md" and proxy.locator.section == "Install › Network", sections
    usage = next(p for p in passages if "frobnicate" in p.text)
    assert usage.locator.section == "Usage"
    assert all(p.locator.section is None and p.locator.page is None for p in passages if p.source == "plain.txt")
    # the loader adds locators only: ids and offsets are those of chunking the decoded file
    expected = {c.id for c in chunking.chunk_text("guide.md", GUIDE, 24, 0)}
    assert {p.passage_id for p in passages if p.source == "guide.md"} <= expected


def test_markdown_headings_inside_code_fences_are_not_sections():
    from rag.load.text import headings

    text = "# Real\n\n```\n# comment in code\n```\n\nSetext title\n------------\n\nbody\n"
    assert headings(text) == [(0, "Real"), (text.index("Setext"), "Real › Setext title")]
    # a chunk cut inside a block: the block opened last runs to the end, its shell comments are no section
    from rag.answer.evidence import section_at

    chunk = 'Install libpam-cracklib.\n\n```\n# here are the per-package modules\npassword requisite pam_cracklib.so minlen=8\n'
    assert section_at(chunk, chunk.index("password"), "4.5. PAM › 4.5.4. Stricter rules") == "4.5. PAM › 4.5.4. Stricter rules"


def test_loader_registry_covers_the_supported_suffixes():
    assert set(load.suffixes()) >= {".txt", ".md", ".markdown", ".rst", ".text"}
    with pytest.raises(ConfigError, match="unknown loader"):
        load.loader_for("scan.tiff")


def _p(source: str, n: int) -> Passage:
    return Passage(passage_id=f"{source}#{n}-{n + 1}", source=source, score=1.0 - n / 100, text="x", language="en")


def test_per_file_reranker_moves_a_files_extra_passages_down():
    ranked = [_p("a", 0), _p("a", 1), _p("a", 2), _p("b", 3), _p("c", 4)]
    out = PerFile(1).rerank("q", ranked, 4)
    assert [p.passage_id for p in out] == ["a#0-1", "b#3-4", "c#4-5", "a#1-2"]
    assert [p.passage_id for p in PerFile(5).rerank("q", ranked, 5)] == [p.passage_id for p in ranked]


def test_evidence_reranker_puts_the_first_quotes_passage_first_and_keeps_the_others_order():
    ranked = [_p("a", 0), _p("b", 1), _p("c", 2), _p("d", 3)]
    judged = []

    def first(question, passages):
        judged.append([p.source for p in passages])
        return passages[2]

    out = FirstQuote(first, window=3).rerank("q", ranked, 4)
    assert [p.source for p in out] == ["c", "a", "b", "d"]
    assert judged == [["a", "b", "c"]]  # only the passages the answerer reads are judged
    assert FirstQuote(lambda q, ps: None, 3).rerank("q", ranked, 2) == ranked[:2]  # no quotable evidence: order kept
    with pytest.raises(ConfigError, match="needs the answer stage"):
        from rag.retrieve import Context, make_retriever
        from rag.settings import load_settings

        make_retriever(Context(settings=load_settings(rerank="evidence", **FAST), view=None, embedder=None, muse=lambda: None))


def test_the_selection_model_reads_the_retrievers_rank_not_the_reranked_order():
    from rag.answer.evidence import evidence

    class Vectors:
        def __call__(self, texts, ids=None):
            return np.ones((len(texts), 2), np.float32) / np.sqrt(2)

    first = Passage(passage_id="x#0-1", source="x", score=0.8, rank_score=0.5, text="The retriever ranked this passage second of the two it found.", language="en")
    second = Passage(passage_id="y#0-1", source="y", score=0.9, rank_score=0.9, text="The retriever ranked this passage first of the two it found.", language="en")
    items = evidence(np.ones(2, np.float32) / np.sqrt(2), [first, second], Vectors())
    assert {it.passage.source: (it.n, it.retrieval_rank) for it in items} == {"x": (1, 2), "y": (2, 1)}


def test_rerank_spec_is_checked():
    with pytest.raises(ConfigError, match="needs a number"):
        RERANKERS.validate("per-file:")
    with pytest.raises(ConfigError, match="positive number"):
        RERANKERS.validate("per-file:0")
    with pytest.raises(ConfigError, match="invalid setting rerank"):
        Pipeline(rerank="mmr", **FAST)


def test_rerank_through_the_pipeline(small_corpus):
    (small_corpus / "d.txt").write_text("The cat sat. " * 3 + "\n\n" + "The cat ran on the mat. " * 3 + "\n", encoding="utf-8")
    plain = Pipeline(corpus=small_corpus, chunk_tokens=16, chunk_overlap=0, **FAST).retrieve("cat mat", k=3)
    diverse = Pipeline(corpus=small_corpus, chunk_tokens=16, chunk_overlap=0, rerank="per-file:1", **FAST).retrieve("cat mat", k=3)
    assert len({p.source for p in plain}) < 3, "precondition: one file fills the plain top 3"
    assert len({p.source for p in diverse}) == 3


ENTRY_POINTS = """
[rag.loaders]
log = toyplugin:LogLoader

[rag.embedders]
toy = toyplugin:make_embedder
"""

PLUGIN = '''
from rag.load import TextUnit
from rag.embed.hashing import HashEmbedder


class LogLoader:
    name = "log"

    def load(self, data, source):
        lines = [line.split("|", 1)[-1] for line in data.decode("utf-8").splitlines()]
        return [TextUnit(text="\\n".join(lines))]


def LogLoaderFactory(arg, settings):
    return LogLoader()


def make_embedder(arg, settings):
    embedder = HashEmbedder(32)
    embedder.name = "toy"
    return embedder
'''


def test_third_party_stages_register_through_entry_points(tmp_path, monkeypatch, small_corpus):
    site = tmp_path / "site"
    dist = site / "toyplugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toyplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(ENTRY_POINTS.replace("toyplugin:LogLoader", "toyplugin:LogLoaderFactory"))
    (site / "toyplugin.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(site))
    from rag.embed import EMBEDDERS
    from rag.load import LOADERS

    for registry in (LOADERS, EMBEDDERS):
        monkeypatch.setattr(registry, "_factories", dict(registry._factories))
        monkeypatch.setattr(registry, "_plugins_loaded", False)
    (small_corpus / "server.log").write_text("2024-01-01|The backup finished at midnight without errors.\n", encoding="utf-8")
    pipe = Pipeline(corpus=small_corpus, embedder="toy", retrieval="dense")
    report = pipe.index()
    assert report.skipped == [] and report.added == 4
    top = pipe.retrieve("backup finished midnight", k=1)[0]
    assert top.source == "server.log" and top.text == "The backup finished at midnight without errors."
    assert pipe.status()["index_embedder"] == "toy"
    assert "toyplugin" in sys.modules


def test_chroma_failures_become_store_errors(small_corpus):
    from rag.index.layout import Layout
    from rag.index.store import open_client

    pipe = Pipeline(corpus=small_corpus, **FAST)
    pipe.index()
    client = open_client(None, Layout.of(pipe.settings).chroma_path)
    store = client.open(pipe.status()["collection"])
    client.drop(store.name)
    with pytest.raises(StoreError) as info:
        store.query(pipe.embedder.embed_queries(["cat"])[0], 3)
    assert info.value.hint


def test_passages_carry_their_line_and_an_old_index_gets_lines_without_re_embedding(small_corpus):
    (small_corpus / "long.md").write_text("# Title\n\nFirst paragraph here.\n\n## Part\n\nThe harbour lantern is copper.\n", encoding="utf-8")
    pipe = Pipeline(corpus=small_corpus, chunk_tokens=16, chunk_overlap=0, **FAST)
    pipe.index()
    top = pipe.retrieve("harbour lantern copper", k=1)[0]
    assert top.source == "long.md" and top.locator.line == 5 and top.locator.section == "Title › Part"  # the chunk starts at "## Part"
    assert top.locator.label(top.source) == "long.md:5 § Title › Part"
    # an index written before lines existed: its signature differs, so the next run re-chunks, reusing every vector
    from rag.index import open_manifest

    m = open_manifest(pipe.settings, readonly=False)
    m.set(chunking=m.get("chunking").rsplit("/", 1)[0])
    m.db.execute("UPDATE chunks SET line = NULL")
    m.close()
    pipe.close()
    report = pipe.index()
    assert report.chunks_embedded == 0
    again = pipe.retrieve("harbour lantern copper", k=1)[0]
    assert again.locator.line == 5


def test_a_tool_the_question_names_lifts_the_chunks_of_the_document_titled_by_it(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Aufruf: frob [OPTION]... [DATEI]...\n\n  -k, --keep-blank   Leerzeilen an ihrem Platz lassen\n  -s, --seed=N       Startwert des Zufallsgenerators\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Usage: twiddle [OPTION]... [FILE]...\n\n  -k, --keep   keep blank lines in place, which option keeps them\n  -q, --quiet  print nothing\n",
        encoding="utf-8",
    )
    question = "Which option of frob keeps blank lines in place?"
    ranked, subject = {}, {}
    for weight in (0.0, 6.0):
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", title_weight=weight)
        passages = pipe.retrieve(question, k=2)
        ranked[weight] = [p.source for p in passages]
        subject[weight] = {p.source: p.on_subject for p in passages}
    assert ranked[0.0][0] == "b.txt"  # the words match the other tool's help
    assert ranked[6.0][0] == "a.txt"  # frob's help, titled "Aufruf: frob …", comes first
    assert subject[6.0] == {"a.txt": True, "b.txt": False}  # what an option answer may quote from
    answer = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", title_weight=6.0, min_evidence=0.0, min_answerable=0.0).ask(question, k=2)
    assert answer.citations and {c.source for c in answer.citations} == {"a.txt"}


def test_a_tool_named_as_a_plain_word_lifts_its_documents_too(tmp_path):
    """"How do I make frob keep blank lines?" names frob as a plain word: it counts when a candidate's title documents a
    tool of that name (a manual page's "FROB(1)", a --help text's "Aufruf: frob [OPTION]…"), never as a stop word."""
    from rag.retrieve.fusion import _tools_named_by_word

    titles = ["FROB(1) › OPTIONEN", "Aufruf: twiddle [OPTION]... [DATEI]...", "Network setup › Bridges"]
    assert _tools_named_by_word("How do I make frob keep blank lines?", titles) == ["frob"]
    assert _tools_named_by_word("Wie lasse ich twiddle leise arbeiten?", titles) == ["twiddle"]
    assert _tools_named_by_word("How do I set up a network bridge?", titles) == []  # a section title names no tool
    assert _tools_named_by_word("Which option of which prints all?", ["WHICH(1) › OPTIONS"]) == []  # a stop word
    (tmp_path / "a.txt").write_text("Aufruf: frob [OPTION]... [DATEI]...\n\n  -k, --keep-blank   Leerzeilen an ihrem Platz lassen\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Usage: twiddle [OPTION]... [FILE]...\n\n  -k, --keep   keep blank lines in place\n", encoding="utf-8")
    question = "How do I make frob keep blank lines in place?"
    ranked = {}
    for weight in (0.0, 6.0):
        # the fusion retriever's own order (the evidence reranker reads a hash embedder's sentences, not the title)
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", title_weight=weight, rerank="none")
        ranked[weight] = [p.source for p in pipe.retrieve(question, k=2)]
        pipe.close()
    assert ranked[0.0][0] == "b.txt" and ranked[6.0][0] == "a.txt"


def test_an_option_question_lifts_its_tools_chunks_that_hold_option_items(tmp_path, monkeypatch):
    """Within the documents of the tool an option question names, the chunks holding option items get
    OPTION_ITEMS_LIFT; its NAME and DESCRIPTION chunks and other tools' chunks do not."""
    from rag.retrieve import fusion

    prose = "frob keeps blank lines of files. " + "It reads text and writes text to the terminal. " * 4
    (tmp_path / "frob.md").write_text(
        f"# FROB(1)\n\n## NAME\n\nfrob - keep blank lines\n\n## DESCRIPTION\n\n{prose}\n\n## OPTIONS\n\n  -k, --keep-blank\n      Leerzeilen behalten.\n\n  -q, --quiet\n      nichts ausgeben.\n",
        encoding="utf-8",
    )
    (tmp_path / "other.md").write_text("# TWIDDLE(1)\n\n## OPTIONS\n\n  -t, --turn\n      turn things\n", encoding="utf-8")
    scores = {}
    monkeypatch.setattr(fusion, "NAMED_OPTION_LIFT", 0.0)  # "keeps" names --keep-blank: measured by the test below
    monkeypatch.setattr(fusion, "FOCUS_WEIGHT", 0.0)  # what the question asks the option to do: measured below too
    for lift in (0.0, 3.0):
        monkeypatch.setattr(fusion, "OPTION_ITEMS_LIFT", lift)
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", chunk_tokens=48, chunk_overlap=0)
        scores[lift] = {p.text.split("\n")[0] + p.source: p.rank_score for p in pipe.retrieve("Which option of frob keeps blank lines?", k=5)}
        pipe.close()
    gained = {key: round(scores[3.0][key] - scores[0.0][key], 6) for key in scores[0.0]}
    assert gained["## OPTIONSfrob.md"] == 3.0 and gained["# FROB(1)frob.md"] == 0.0
    assert gained["# TWIDDLE(1)other.md"] == 0.0  # another tool's items: not about frob
    assert max(scores[3.0], key=scores[3.0].get) == "## OPTIONSfrob.md"


def test_every_item_chunk_of_the_asked_tools_manual_competes_and_a_named_long_option_is_lifted(tmp_path, monkeypatch):
    """"Which frob option shows sizes for people?": the chunk with "-H, --human" (described in German, far in cosine)
    is not among the nearest of frob's 30 other chunks, but it belongs to frob's manual: it joins the candidates with
    the option-items lift. Without the siblings it is never seen. A question word naming a long option ("humans" ->
    --human) adds NAMED_OPTION_LIFT."""
    from rag.retrieve import fusion

    filler = "\n\n".join(f"## NOTES {i}\n\nfrob shows the sizes for files, note {i}." for i in range(30))
    (tmp_path / "frob.md").write_text(
        f"# FROB(1)\n\n## NAME\n\nfrob - show sizes\n\n{filler}\n\n## OPTIONS\n\n  -H, --human\n      Kürzel verwenden.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(fusion, "FUSION_DEPTH", {"chunks": 1, "sentences": 1})
    found = {}
    for siblings in (False, True):
        monkeypatch.setattr(fusion, "SIBLING_ITEMS", siblings)
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", chunk_tokens=24, chunk_overlap=0)
        found[siblings] = [p.text for p in pipe.retrieve("Which frob option shows sizes for people?", k=10)]
        pipe.close()
    assert not any("-H, --human" in text for text in found[False])
    assert any("-H, --human" in text for text in found[True])  # before 20 of frob's notes
    assert fusion._names_option("Which frob option shows human-readable sizes?", "  -H, --human\n      Größen skalieren.")
    assert fusion._names_option("Which frob option shows sizes for humans?", "  -H, --human\n      Größen skalieren.")
    assert not fusion._names_option("Which frob option is quiet?", "  -H, --human\n      Größen skalieren.")
    # the item whose long option names most of the question's words: "line numbers" -> --line-number over --line-buffered
    chunk = "  --line-buffered\n      Use line buffering on output.\n  -n, --line-number\n      Prefix each line of output."
    assert fusion._names_option("Which grep option prints line numbers?", chunk) == 2
    assert fusion._names_option("Which grep option prints line numbers?", chunk.split("\n  -n")[0]) == 1


def test_an_option_item_is_found_by_what_the_question_asks_it_to_do(tmp_path, monkeypatch):
    """"Which frob option prints line numbers?": every item of frob's manual says "frob" and "option", so the whole
    question is about as close to each; without the tool's name and the word "option" ("prints line numbers",
    `options.focus`) it is closest to the item that does that, whose chunk is lifted by FOCUS_WEIGHT x its z-score."""
    from rag.answer import options
    from rag.retrieve import fusion

    items = "\n\n".join(f"  --mode-{i}\n      Which frob option {i} frob prints: the frob option {i}." for i in range(12))
    (tmp_path / "frob.md").write_text(
        f"# FROB(1)\n\n## NAME\n\nfrob - frob options\n\n## OPTIONS\n\n{items}\n\n  -e, --enumerate\n      Prints line numbers.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(fusion, "FUSION_DEPTH", {"chunks": 1, "sentences": 1})
    first = {}  # the first passage retrieved (before the quote selection's reranking)
    for weight in (0.0, 2.0):
        monkeypatch.setattr(fusion, "FOCUS_WEIGHT", weight)
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", chunk_tokens=24, chunk_overlap=0, rerank="none")
        first[weight] = pipe.retrieve("Which frob option prints line numbers?", k=3)[0].text
        pipe.close()
    assert "--enumerate" not in first[0.0]  # tied with the items that say "frob" and "option", in id order
    assert "--enumerate" in first[2.0]
    assert options.focus("Which frob option prints line numbers?", ["frob"]) == "prints line numbers"
    assert options.focus("Welche grep-Option ignoriert Groß- und Kleinschreibung?", ["grep"]) == "ignoriert Groß Kleinschreibung"
    assert options.focus("Какая опция sed редактирует файлы на месте?", ["sed"]) == "редактирует файлы месте"
    # another tool the question names is part of what it asks: "with gzip"
    assert options.focus("Which tar option compresses the archive with gzip?", ["tar", "gzip"]) == "compresses archive gzip"


def test_words_nearly_every_candidate_holds_are_taken_out_of_a_second_search(tmp_path, monkeypatch):
    """"What happened to Zorblax's share price?" in a folder about Zorblax: "Zorblax" stands in every chunk and pulls the
    chunks that repeat it; the question without it ("What happened to 's share price?") finds the chunk about the share
    price, and the passages carry the word (the quote selection reads it)."""
    from rag.retrieve import fusion, shared_terms

    notes = [f"Zorblax Zorblax news: Zorblax opened office {i} and Zorblax hired staff." for i in range(12)]
    notes.append("Thanks to the bet on Zorblax, the company saw its share price triple within five years of trading.")
    for i, text in enumerate(notes):
        (tmp_path / f"n{i:02d}.txt").write_text(text, encoding="utf-8")
    question = "What happened to Zorblax's share price?"
    first, shared = {}, {}
    for weight in (0.0, 1.0):
        monkeypatch.setattr(fusion, "SHARED_WEIGHT", weight)
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", rerank="none")
        passages = pipe.retrieve(question, k=3)
        first[weight], shared[weight] = passages[0].source, passages[0].shared
        pipe.close()
    assert first[0.0] != "n12.txt" and shared[0.0] == ()
    assert first[1.0] == "n12.txt" and shared[1.0] == ("Zorblax",)
    assert shared_terms.without(question, ("Zorblax",)) == "What happened to 's share price?"


def test_the_shared_words_search_serves_the_extractive_answerer_unless_set(tmp_path):
    """Unset, ``shared_weight`` is fusion.SHARED_WEIGHT for the extractive answerer and 0 when an LLM writes the answer (the
    CI's small model reads the passages in the order the search would change); a set weight holds for both."""
    from rag.retrieve import fusion

    (tmp_path / "a.txt").write_text("Zorblax opened an office.", encoding="utf-8")
    weights = {}
    for name, options in {"extractive": {}, "llm": {"llm": "openai:gpt-4o-mini"}, "set": {"llm": "openai:gpt-4o-mini", "shared_weight": 0.5}}.items():
        pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", embedder="hash:64", rerank="none", **options)
        pipe.index()
        retriever = pipe.retriever()
        weights[name] = getattr(retriever, "inner", retriever).shared_weight  # rerank "none": the fusion retriever itself
        pipe.close()
    assert weights == {"extractive": fusion.SHARED_WEIGHT, "llm": 0.0, "set": 0.5} and fusion.SHARED_WEIGHT > 0


def test_a_word_is_shared_only_when_nearly_every_text_holds_it_and_enough_of_the_question_is_left():
    from rag.answer.signals import key_terms
    from rag.retrieve import shared_terms

    texts = [f"Microsoft and OpenAI, part {i}." for i in range(9)] + ["Майкрософт без партнёра."]  # one in Cyrillic
    assert [t.text for t in shared_terms.shared("How did Microsoft's share price move?", texts)] == ["Microsoft"]
    assert shared_terms.shared("How did Microsoft's share price move?", texts[:4]) == []  # too few candidates to say
    assert shared_terms.shared("Who is Microsoft?", texts) == []  # nothing would be left to search for
    # "OpenAI" in 9 of 10 texts is shared (0.8 of them); in 7 of 10 it is not; "Microsoft" in every one, across scripts
    assert [t.text for t in shared_terms.held(key_terms("Will OpenAI leave Microsoft?"), texts)] == ["OpenAI", "Microsoft"]
    fewer = [t.replace("OpenAI", "Anthropic") if i < 3 else t for i, t in enumerate(texts)]
    assert [t.text for t in shared_terms.held(key_terms("Will OpenAI leave Microsoft?"), fewer)] == ["Microsoft"]
