"""Incremental indexing into real embedded Chroma with the model-free HashEmbedder.

The core incremental tests run twice: with ``retrieval="hybrid"`` (chunk vectors only, no model at all) and
with the default retrieval mode (which may add further vector spaces, e.g. sentence vectors). Embedding is
therefore checked through the texts the embedder was given, not through raw counts only.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rag import chunk as chunking
from rag import index as indexer
from rag.api import Pipeline
from rag.embed.hashing import HashEmbedder
from rag.errors import EmbedderMismatchError
from rag.index.layout import Layout
from rag.index.store import open_client
from rag.types import Passage

TOKEN_TOLERANCE = 2  # see test_chunking.py


class RecordingEmbedder(HashEmbedder):
    """HashEmbedder that also remembers every passage-side text it embedded."""

    def __init__(self, dim: int = 64):
        super().__init__(dim)
        self.passages: list[str] = []

    def embed_passages(self, texts):
        self.passages.extend(texts)
        return super().embed_passages(texts)


def make_pipe(corpus: Path, embedder: HashEmbedder | None = None, **overrides) -> Pipeline:
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return Pipeline(corpus=corpus, embedder=embedder or RecordingEmbedder(), **overrides)


def raw_embedder(pipe: Pipeline) -> RecordingEmbedder:
    emb = pipe.embedder
    return getattr(emb, "inner", emb)  # the pipeline may wrap the embedder (query cache)


def index(pipe: Pipeline, rebuild: bool = False):
    """Run an index pass; return the report and how many texts the embedder embedded during it."""
    emb = raw_embedder(pipe)
    before = emb.embedded
    if isinstance(emb, RecordingEmbedder):
        emb.passages.clear()
    report = pipe.index(rebuild=rebuild)
    return report, emb.embedded - before


def embedded_texts(pipe: Pipeline) -> list[str]:
    """Passage texts embedded by the last ``index`` call."""
    return list(raw_embedder(pipe).passages)


def manifest_chunks(pipe: Pipeline) -> dict[str, str]:
    """id -> hash of every committed chunk."""
    m = indexer.open_manifest(pipe.settings)
    assert m is not None
    try:
        return dict(m.db.execute("SELECT id, hash FROM chunks"))
    finally:
        m.close()


def collections(pipe: Pipeline) -> dict[str, set[str]]:
    """Ids in every Chroma collection of the live index: the chunk collection is keyed "" and
    further vector spaces (named ``<collection>-<key>``) by their key."""
    s = pipe.settings
    m = indexer.open_manifest(s)
    try:
        base = m.get("collection")
    finally:
        m.close()
    client = open_client(s.chroma_url, Layout.of(s).chroma_path)
    out = {}
    for name in client.names():
        if name == base or name.startswith(base + "-"):
            out[name[len(base) + 1 :]] = set(client.open(name).ids())
    return out


def store_ids(pipe: Pipeline) -> set[str]:
    """Ids of the chunk collection."""
    return collections(pipe)[""]


def assert_store_matches_manifest(pipe: Pipeline) -> None:
    """The chunk collection holds exactly the committed chunks; other spaces hold nothing else."""
    committed = set(manifest_chunks(pipe))
    spaces = collections(pipe)
    assert spaces[""] == committed
    for key, ids in spaces.items():
        owners = {i.rsplit("@", 1)[0] if "@" in i else i for i in ids}
        assert owners <= committed, f"orphan vectors in space {key!r}: {sorted(owners - committed)[:3]}"
        if key:
            assert owners == committed, f"space {key!r} misses vectors of {sorted(committed - owners)[:3]}"


def all_passages(pipe: Pipeline, question: str) -> list[Passage]:
    return pipe.retrieve(question, k=50)


# None = the package's default retrieval mode
MODES = [pytest.param("hybrid", id="hybrid"), pytest.param(None, id="default")]


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


@pytest.fixture
def pipe(small_corpus, mode) -> Pipeline:
    return make_pipe(small_corpus, retrieval=mode)


@pytest.fixture
def hpipe(small_corpus) -> Pipeline:
    """Model-free pipeline for tests that are not about the vector spaces."""
    return make_pipe(small_corpus, retrieval="hybrid")


# --- first run / no-op run ---------------------------------------------------------------------
def test_first_index_then_nothing_to_do(pipe, small_corpus):
    assert pipe.needs_index()
    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert report.chunks_embedded > 0
    assert report.chunks_embedded == report.chunks_total == 3
    assert embedded >= report.chunks_embedded
    texts = embedded_texts(pipe)
    for name in ("a.txt", "c.txt"):
        assert (small_corpus / name).read_text(encoding="utf-8").strip() in texts
    # Markdown chunks are embedded behind their title and section path
    assert "Rezept: " + (small_corpus / "b.md").read_text(encoding="utf-8").strip() in texts
    assert report.skipped == []
    assert not pipe.needs_index()

    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 3)
    assert report.chunks_embedded == 0 and embedded == 0
    assert report.chunks_total == 3
    assert not report.touched

    status = pipe.status()
    assert status["indexed"] is True
    assert status["files"] == 3 and status["chunks"] == 3
    assert status["interrupted_run"] is False
    assert_store_matches_manifest(pipe)


def test_status_before_indexing(hpipe):
    status = hpipe.status()
    assert status["indexed"] is False
    assert "chunks" not in status
    assert status["index_dir"] == str(hpipe.settings.index_dir)


# --- changes -----------------------------------------------------------------------------------
def test_changed_file_reembeds_only_that_file(pipe, small_corpus):
    index(pipe)
    before = manifest_chunks(pipe)
    new_text = "The dog slept under the table. It was a rainy evening in London.\n"
    (small_corpus / "a.txt").write_text(new_text, encoding="utf-8")
    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 0, 2)
    new_chunks = chunking.chunk_text("a.txt", new_text, pipe.settings.chunk_tokens, pipe.settings.chunk_overlap)
    assert report.chunks_embedded == len(new_chunks) == 1
    texts = embedded_texts(pipe)
    assert embedded == len(texts) >= 1
    assert new_chunks[0].text in texts
    assert all(t in new_text for t in texts), "only text of the changed file is embedded"
    after = manifest_chunks(pipe)
    assert {cid: h for cid, h in after.items() if not cid.startswith("a.txt#")} == {
        cid: h for cid, h in before.items() if not cid.startswith("a.txt#")
    }
    assert {cid for cid in after if cid.startswith("a.txt#")} == {c.id for c in new_chunks}
    assert_store_matches_manifest(pipe)  # stale vectors of the old version are gone
    texts = {p.source: p.text for p in all_passages(pipe, "dog table London")}
    assert texts["a.txt"] == new_text.strip()
    assert all("cat sat" not in t for t in texts.values())


@pytest.mark.parametrize("retrieval", MODES)
def test_appending_a_sentence_reembeds_only_affected_chunks(seeds_copy, retrieval):
    pipe = make_pipe(seeds_copy, retrieval=retrieval)
    first, _ = index(pipe)
    assert first.added == 5
    total = first.chunks_total
    assert first.chunks_embedded == total > 10

    path = seeds_copy / "000_3cd479b778d5c1c6.txt"
    old_text = path.read_text(encoding="utf-8")
    added = "Das ist ein neuer Satz am Ende der Datei."
    new_text = old_text.rstrip() + "\n" + added + "\n"
    path.write_text(new_text, encoding="utf-8")
    ct, ov = pipe.settings.chunk_tokens, pipe.settings.chunk_overlap
    old_chunks = {(c.id, c.hash) for c in chunking.chunk_text(path.name, old_text, ct, ov)}
    new_chunks = chunking.chunk_text(path.name, new_text, ct, ov)
    expected = [c for c in new_chunks if (c.id, c.hash) not in old_chunks]
    assert 1 <= len(expected) < len(new_chunks), "only the tail of the file changes"

    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 0, 4)
    assert report.chunks_embedded == len(expected) < len(new_chunks) < total
    texts = embedded_texts(pipe)
    assert embedded == len(texts) > 0
    assert all(c.text in texts for c in expected)
    assert all(any(t in c.text for c in expected) for t in texts), "nothing outside the affected chunks is embedded"
    assert_store_matches_manifest(pipe)
    hits = all_passages(pipe, "neuer Satz am Ende der Datei")
    assert any(added in p.text and p.source == path.name for p in hits)


def test_prepending_reuses_vectors_by_content(small_corpus, mode):
    # a file whose chunks keep their content but move: new ids, same hashes
    sentences = [f"Sentence number {i} talks about topic {i} in some detail." for i in range(40)]
    (small_corpus / "long.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    pipe = make_pipe(small_corpus, chunk_tokens=32, chunk_overlap=0, retrieval=mode)
    index(pipe)
    old_ids = {cid for cid in manifest_chunks(pipe) if cid.startswith("long.txt#")}
    (small_corpus / "long.txt").write_text("\n\n" + " ".join(sentences) + "\n", encoding="utf-8")
    report, embedded = index(pipe)
    assert report.changed == 1
    new_ids = {cid for cid in manifest_chunks(pipe) if cid.startswith("long.txt#")}
    assert len(new_ids) == len(old_ids) > 5 and not (new_ids & old_ids), "every chunk moved by two characters"
    assert embedded == report.chunks_embedded == 0
    assert report.chunks_reused == len(new_ids)
    assert_store_matches_manifest(pipe)


def test_deleted_file_leaves_index_and_results(pipe, small_corpus):
    index(pipe)
    assert any(p.source == "c.txt" for p in all_passages(pipe, "Поезд Билеты вокзале"))
    (small_corpus / "c.txt").unlink()
    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 1, 2)
    assert embedded == 0
    status = pipe.status()
    assert status["chunks"] == 2 and status["files"] == 2
    assert report.chunks_total == 2
    assert not any(cid.startswith("c.txt#") for cid in manifest_chunks(pipe))
    assert_store_matches_manifest(pipe)
    for ids in collections(pipe).values():
        assert not any(i.startswith("c.txt#") for i in ids)
    hits = all_passages(pipe, "Поезд Билеты вокзале")
    assert hits and all(p.source != "c.txt" for p in hits)
    dense = make_pipe(small_corpus, pipe.embedder, retrieval="dense")
    assert all(p.source != "c.txt" for p in dense.retrieve("Поезд Билеты вокзале", k=50))


def test_added_file(pipe, small_corpus):
    index(pipe)
    (small_corpus / "sub").mkdir()
    new_text = "Giraffes have very long necks and eat leaves.\n"
    (small_corpus / "sub" / "d.txt").write_text(new_text, encoding="utf-8")
    assert pipe.needs_index()
    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 0, 0, 3)
    assert report.chunks_embedded == 1
    assert embedded >= 1 and all(t in new_text for t in embedded_texts(pipe))
    assert pipe.status()["files"] == 4
    top = pipe.retrieve("giraffes long necks leaves", k=1)[0]
    assert top.source == "sub/d.txt"
    assert top.passage_id.startswith("sub/d.txt#0-")
    assert_store_matches_manifest(pipe)


def test_touched_file_is_not_reembedded(pipe, small_corpus):
    index(pipe)
    path = small_corpus / "b.md"
    st = path.stat()
    later = st.st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    assert pipe.needs_index(), "a new mtime makes the index look stale"
    report, embedded = index(pipe)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 3)
    assert embedded == 0 and report.chunks_embedded == 0 and report.chunks_reused == 0
    assert not pipe.needs_index(), "the new mtime is recorded, so the next check is stat-only"


def test_same_size_edit_is_detected(hpipe, small_corpus):
    index(hpipe)
    path = small_corpus / "a.txt"
    old = path.read_text(encoding="utf-8")
    new = old.replace("Paris", "Tokyo")  # same length
    assert len(new.encode()) == len(old.encode())
    path.write_text(new, encoding="utf-8")
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))
    report, embedded = index(hpipe)
    assert report.changed == 1 and report.chunks_embedded == 1 and embedded == 1
    assert "Tokyo" in next(p.text for p in all_passages(hpipe, "Tokyo") if p.source == "a.txt")


# --- embedder identity -------------------------------------------------------------------------
def test_embedder_is_recorded_and_mismatch_is_refused(hpipe, small_corpus):
    index(hpipe)
    status = hpipe.status()
    assert status["index_embedder"] == "hash:64"
    assert status["dim"] == 64

    other = make_pipe(small_corpus, RecordingEmbedder(32), retrieval="hybrid")
    with pytest.raises(EmbedderMismatchError) as info:
        other.index()
    message = info.value.one_line()
    assert "hash:64" in message and "hash:32" in message and "64 dims" in message
    assert "--rebuild" in message
    assert "\n" not in message
    assert raw_embedder(other).embedded == 0, "nothing was embedded with the wrong embedder"
    with pytest.raises(EmbedderMismatchError):
        other.retrieve("cat", k=1)
    assert hpipe.status()["index_embedder"] == "hash:64", "the refused run left the index alone"


def test_rebuild_switches_the_embedder(hpipe, small_corpus):
    index(hpipe)
    old_collection = hpipe.status()["collection"]
    other = make_pipe(small_corpus, RecordingEmbedder(32), retrieval="hybrid")
    report, embedded = index(other, rebuild=True)
    assert report.added == 3 and report.chunks_embedded == 3 and embedded == 3
    status = other.status()
    assert status["index_embedder"] == "hash:32" and status["dim"] == 32
    assert status["chunks"] == 3
    assert status["collection"] != old_collection
    hits = other.retrieve("Kuchen Eier Mehl", k=2)
    assert hits and hits[0].source == "b.md"
    # the old embedder is now the mismatching one
    stale = make_pipe(small_corpus, RecordingEmbedder(64), retrieval="hybrid")
    with pytest.raises(EmbedderMismatchError, match="hash:32"):
        stale.retrieve("cat", k=1)
    # and an incremental run with the new embedder has nothing to do
    report, embedded = index(other)
    assert report.unchanged == 3 and embedded == 0


# --- chunking parameters -----------------------------------------------------------------------
def test_a_new_loader_version_rereads_every_file_and_keeps_its_vectors(pipe, monkeypatch):
    """A loader fix (rag.load.VERSION) reaches an index made before it without --rebuild: the next run reads every file
    again; chunks whose text did not change keep their vectors."""
    from rag import load

    index(pipe)
    assert not pipe.needs_index()
    monkeypatch.setattr(load, "VERSION", load.VERSION + 1)
    assert pipe.needs_index()
    report, embedded = index(pipe)
    assert report.changed == 3 and report.unchanged == 0 and embedded == 0
    assert not pipe.needs_index()


def test_changing_chunk_tokens_rechunks(pipe, small_corpus, mode):
    index(pipe)
    assert pipe.status()["chunks"] == 3
    small = make_pipe(small_corpus, raw_embedder(pipe), chunk_tokens=16, chunk_overlap=0, retrieval=mode)
    assert small.needs_index()
    report, embedded = index(small)
    assert report.changed == 3 and report.unchanged == 0
    assert report.chunks_embedded > 0 and embedded >= report.chunks_embedded
    chunks = manifest_chunks(small)
    assert len(chunks) > 3
    assert small.status()["chunks"] == len(chunks) == report.chunks_total
    m = indexer.open_manifest(small.settings)
    try:
        assert m.get("chunking").startswith(f"{chunking.ENCODING}/16/0/")
        texts = [row[3] for row in m.iter_chunks()]
    finally:
        m.close()
    assert max(chunking.count_tokens(t) for t in texts) <= 16 + TOKEN_TOLERANCE
    assert_store_matches_manifest(small)
    report, embedded = index(small)
    assert report.unchanged == 3 and embedded == 0
    assert not small.needs_index()


# --- retrieval ---------------------------------------------------------------------------------
def test_retrieve_returns_passages(pipe, small_corpus):
    index(pipe)
    # HashEmbedder is bag-of-words: the query must share words with b.md (which is German:
    # "Der Kuchen braucht drei Eier und Mehl"); "cake eggs" shares none, so use the German words.
    hits = pipe.retrieve("Kuchen Eier", k=2)
    assert len(hits) == 2
    assert all(isinstance(p, Passage) for p in hits)
    assert "b.md" in {p.source for p in hits}
    assert hits[0].source == "b.md"
    top = hits[0]
    text = (small_corpus / "b.md").read_text(encoding="utf-8")
    assert top.passage_id == f"b.md#{top.start}-{top.end}"
    assert text[top.start : top.end] == top.text
    assert top.language == "de"


def test_retrieve_indexes_automatically(pipe):
    hits = pipe.retrieve("Поезд вокзале", k=1)
    assert hits[0].source == "c.txt" and hits[0].language == "ru"
    assert pipe.status()["files"] == 3


def test_retrieve_k_limits_results(pipe):
    index(pipe)
    assert len(pipe.retrieve("cat", k=1)) == 1
    assert len(pipe.retrieve("cat", k=50)) == 3


def test_renamed_file_reuses_vectors(hpipe, small_corpus):
    index(hpipe)
    (small_corpus / "a.txt").rename(small_corpus / "renamed.txt")
    report, embedded = index(hpipe)
    assert (report.added, report.removed) == (1, 1)
    assert embedded == 0 and report.chunks_reused == 1


def test_pipeline_accepts_an_embedder_spec_string(small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64")
    report = pipe.index()
    assert report.added == 3
    assert pipe.status()["index_embedder"] == "hash:64"


# --- context in the chunk representation --------------------------------------------------------
DOC = "# Sorting guide\n\nIntro text about the tool.\n\n## Options\n\n- -n, --numeric-sort: compare according to string numerical value.\n"


def test_chunks_are_embedded_with_title_and_section_but_stored_plain(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "sort.md").write_text(DOC, encoding="utf-8")
    (corpus / "plain.txt").write_text("No headings here. Just two sentences.\n", encoding="utf-8")
    pipe = make_pipe(corpus, retrieval="hybrid", chunk_tokens=16, chunk_overlap=0)
    index(pipe)
    embedded = embedded_texts(pipe)
    assert "Sorting guide › Options: - -n, --numeric-sort: compare according to string numerical value." in embedded
    assert "No headings here. Just two sentences." in embedded  # no title, no section: the text alone
    m = indexer.open_manifest(pipe.settings)
    try:
        rows = list(m.db.execute('SELECT source, start, "end", text FROM chunks'))
    finally:
        m.close()
    for source, start, end, text in rows:  # stored text: the exact slice, no context
        assert (corpus / source).read_text(encoding="utf-8")[start:end] == text
    found = pipe.retrieve("numeric sort option", k=10)
    assert all(p.text == (corpus / p.source).read_text(encoding="utf-8")[p.start : p.end] for p in found)


def test_a_renamed_heading_reembeds_its_chunks_only(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "sort.md").write_text(DOC, encoding="utf-8")
    pipe = make_pipe(corpus, retrieval="hybrid", chunk_tokens=16, chunk_overlap=0)
    index(pipe)
    (corpus / "sort.md").write_text(DOC.replace("## Options", "## Flags   "), encoding="utf-8")  # same length
    report, embedded = index(pipe)
    again = embedded_texts(pipe)
    assert "Sorting guide › Flags: - -n, --numeric-sort: compare according to string numerical value." in again
    assert not any("Intro text" in t for t in again)  # the chunk under the unchanged heading keeps its vector


def test_contextual_off_embeds_the_text_alone_and_switching_reembeds(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "sort.md").write_text(DOC, encoding="utf-8")
    plain = make_pipe(corpus, retrieval="hybrid", chunk_tokens=16, chunk_overlap=0, contextual=False)
    index(plain)
    assert "- -n, --numeric-sort: compare according to string numerical value." in embedded_texts(plain)
    ctx = make_pipe(corpus, raw_embedder(plain), retrieval="hybrid", chunk_tokens=16, chunk_overlap=0)
    assert ctx.needs_index()  # the signature changed: an old index re-embeds what now has context
    index(ctx)
    assert all(t.startswith("Sorting guide") for t in embedded_texts(ctx))


# --- hub scores ---------------------------------------------------------------------------------
def hub_file(pipe: Pipeline) -> Path:
    m = indexer.open_manifest(pipe.settings)
    try:
        return Layout.of(pipe.settings).hubs(m.get("collection") or "")
    finally:
        m.close()


def test_hub_scores_follow_the_index_only_when_a_hub_weight_is_set(small_corpus, monkeypatch, tmp_path):
    from rag.index import hubs

    monkeypatch.setenv("RAG_CACHE_DIR", str(tmp_path / "cache"))  # no probe vectors cached by an earlier test

    plain = make_pipe(small_corpus, hub_weight=0.0, language_weight=0.0)
    index(plain)
    assert not hub_file(plain).exists()  # switched off: nothing computed
    pipe = make_pipe(small_corpus, raw_embedder(plain), hub_weight=0.5)
    assert pipe.needs_index()  # the weight needs scores this index lacks
    report, embedded = index(pipe)
    assert report.unchanged == 3 and embedded == len(hubs.probe_questions())  # only the probe questions were embedded
    committed = set(manifest_chunks(pipe))
    scores = hubs.load(hub_file(pipe))
    assert set(scores) == {"", "m"}
    assert set(scores[""]) == {hubs.ANY, "en", "de", "fr", "it", "es", "ru"}
    assert all(set(by_id) == committed for space in scores.values() for by_id in space.values())
    pairs = hubs.pairs(hub_file(pipe))
    written = {lang for lang in indexer.open_manifest(pipe.settings).languages().values()}
    assert set(pairs) == {"", "m"} and set(pairs[""]) == set(scores[""]) and set(pairs[""]["de"]) == written
    (small_corpus / "c.txt").unlink()
    (small_corpus / "a.txt").write_text("A dog slept under the table.\n", encoding="utf-8")
    report, embedded = index(pipe)
    assert report.chunks_embedded == 1 and embedded == 1  # the new chunk is also its only sentence: embedded once; the probes not again
    left = manifest_chunks(pipe)
    after = hubs.load(hub_file(pipe))
    assert set(after[""]["en"]) == set(left)
    kept = [cid for cid in left if cid.startswith("b.md")]
    assert kept and all(after[key][lang][cid] == scores[key][lang][cid] for key in scores for lang in scores[key] for cid in kept)
    assert pipe.retrieve("cake recipe", k=2)
    other = small_corpus.parent / "other"
    other.mkdir()
    (other / "n.txt").write_text("Ein kurzer Satz.\n", encoding="utf-8")
    report, embedded = index(make_pipe(other, raw_embedder(pipe), hub_weight=0.5))
    assert embedded == 1  # its one chunk is its one sentence (embedded once); the probe questions are reused from this machine


def test_probe_scores_rank_the_chunk_near_every_question_highest():
    import numpy as np

    from rag.index import hubs

    rng = np.random.default_rng(1)
    probes = np.abs(rng.normal(size=(20, 16)))
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    chunks = rng.normal(size=(30, 16))
    chunks[7] = probes.mean(axis=0)  # close to every probe question: a hub
    chunks /= np.linalg.norm(chunks, axis=1, keepdims=True)
    r = hubs.probe_scores(chunks, probes, k=5)
    assert r.shape == (30,) and int(np.argmax(r)) == 7
    assert {lang for lang, _ in hubs.probe_questions()} == {"en", "de", "fr", "it", "es", "ru"}


def test_missing_hub_file_reads_as_no_correction(tmp_path):
    from rag.index import hubs

    assert hubs.load(tmp_path / "none.npz") == {} and hubs.pairs(tmp_path / "none.npz") == {}
    assert not hubs.current(tmp_path / "none.npz")
    hubs.save(tmp_path / "h.npz", {"": {"*": {"a#0-1": 0.5}, "en": {"a#0-1": 0.25}}, "m": {"*": {}}}, {"a#0-1": "abc"}, {})
    assert hubs.load(tmp_path / "h.npz") == {"": {"*": {"a#0-1": 0.5}, "en": {"a#0-1": 0.25}}, "m": {"*": {}}}
    assert hubs.current(tmp_path / "h.npz")


def test_language_pair_means_average_the_hub_scores_of_each_written_language(tmp_path):
    from rag.index import hubs

    scores = {"": {"de": {"a": 0.9, "b": 0.7, "c": 0.5, "d": 0.4}, "*": {"a": 0.6, "b": 0.6, "c": 0.5, "d": 0.5}}}
    languages = {"a": "de", "b": "de", "c": "it"}  # d: no language known, left out
    hubs.save(tmp_path / "h.npz", scores, {}, {}, languages)
    assert hubs.pairs(tmp_path / "h.npz") == {"": {"de": {"de": pytest.approx(0.8), "it": pytest.approx(0.5)}, "*": {"de": pytest.approx(0.6), "it": pytest.approx(0.5)}}}
    import numpy as np

    np.savez(tmp_path / "old.npz", hash_ids=np.array(["a"]), hash_values=np.array(["x"]))  # written before the language pairs
    assert not hubs.current(tmp_path / "old.npz")


def test_fusion_evens_out_the_pull_of_the_questions_language():
    """A German question sits nearer to any German chunk than to an Italian one in e5: the main embedder's lists
    lose language_weight x the chunk language's mean hub score for German questions; mUSE's lists keep theirs."""
    from types import SimpleNamespace

    from rag.retrieve.fusion import FusionRetriever

    f = FusionRetriever.__new__(FusionRetriever)
    f.language_weight = 1.0
    f.pairs = {"de": {"de": 0.82, "it": 0.78}, "*": {"de": 0.80, "it": 0.80}}
    f.view = SimpleNamespace(manifest=SimpleNamespace(languages=lambda ids: {"g": "de", "i": "it"}))
    lists = {"": {"g": 0.85, "i": 0.83, "x": 0.80}, "s": {"i": 0.84}, "m": {"g": 0.5, "i": 0.4}}
    f._paired(lists, "de")
    assert lists[""] == pytest.approx({"g": 0.03, "i": 0.05, "x": 0.0})  # the Italian chunk now leads; x (no language): the mean
    assert lists["s"] == pytest.approx({"i": 0.06}) and lists["m"] == {"g": 0.5, "i": 0.4}
    before = {"": {"g": 0.85, "i": 0.83}}
    f._paired(before, "pt")  # no Portuguese probes: the means over all probes, equal here
    assert before[""] == pytest.approx({"g": 0.05, "i": 0.03})
    f.pairs = {"de": {"de": 0.82}}
    one = {"": {"g": 0.85}}
    f._paired(one, "de")
    assert one == {"": {"g": 0.85}}  # one written language: nothing to even out


def test_each_passage_carries_its_language_pairs_offset_for_the_quote_selection():
    """The quote selection reads the same language-pair means as retrieval: a passage in the question's own language
    carries a positive offset (its sentences sit nearer for being German), one in another language a negative one."""
    from rag.retrieve import fusion
    from rag.retrieve.fusion import FusionRetriever
    from rag.types import Passage

    f = FusionRetriever.__new__(FusionRetriever)
    f.language_weight = 1.0
    f.pairs = {"de": {"de": 0.82, "it": 0.78}}
    ps = [Passage(passage_id=x, source=x, score=0.8, text="t", language=lang) for x, lang in (("g", "de"), ("i", "it"), ("x", "pt"))]
    f._shift(ps, "de")
    assert [p.pair_shift for p in ps] == pytest.approx([fusion.PAIR_SHIFT * 0.02, -fusion.PAIR_SHIFT * 0.02, 0.0])
    f.pairs = {"de": {"de": 0.82}}
    one = [Passage(passage_id="g", source="g", score=0.8, text="t", language="de")]
    f._shift(one, "de")
    assert one[0].pair_shift == 0.0  # one written language: nothing to even out


def test_fusion_subtracts_the_hub_score_of_the_questions_language():
    from rag.retrieve.fusion import FusionRetriever

    f = FusionRetriever.__new__(FusionRetriever)
    f.hub_weight = 0.5
    f.hubs = {"": {"*": {"a": 0.2, "b": 0.4}, "de": {"a": 0.6, "b": 0.2}}}
    f.hub_means = {("", "*"): 0.3, ("", "de"): 0.4}
    scores = {"a": 0.9, "b": 0.9, "c": 0.9}
    assert f._descaled("", scores, "de") == pytest.approx({"a": 0.6, "b": 0.8, "c": 0.9 - 0.5 * 0.4})  # c: the mean
    assert f._descaled("", scores, "pt") == pytest.approx({"a": 0.8, "b": 0.7, "c": 0.9 - 0.5 * 0.3})  # no Portuguese probes
    assert f._descaled("s", scores, "de") == scores  # sentence lists are left alone
    f.hubs = {}
    assert f._descaled("", scores, "de") == scores


def test_a_why_question_lifts_the_sentence_that_gives_the_reason():
    """'Deshalb haben sie Suleyman engagiert' says the reason in fewer of the question's words than the story around
    it: for a "why" question such a sentence gains REASON_LIFT in the sentence lists; for other questions nothing."""
    from types import SimpleNamespace

    from rag.index.store import Hit
    from rag.retrieve import fusion

    hits = [Hit("story#0-9@0", 0.86, "Suleyman leitet nun ein neues Team bei Microsoft."),
            Hit("benioff#0-9@1", 0.84, "Deshalb haben sie Mustafa Suleyman engagiert.")]
    asked_for = []

    class Space:
        def query(self, vector, n, documents=True):
            asked_for.append(documents)
            return hits if documents else [Hit(h.id, h.score) for h in hits]

    f = fusion.FusionRetriever.__new__(fusion.FusionRetriever)
    f.view = SimpleNamespace(spaces={"s": Space()})
    assert fusion.REASON_LIFT > 0.02
    plain = f._sentence_hits("s", None, 10)
    why = f._sentence_hits("s", None, 10, reason=True)
    assert plain == pytest.approx({"story#0-9": 0.86, "benioff#0-9": 0.84})
    assert why == pytest.approx({"story#0-9": 0.86, "benioff#0-9": 0.84 + fusion.REASON_LIFT})
    assert asked_for == [False, True]  # texts are read only when a lift can apply
