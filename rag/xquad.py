"""Cross-lingual retrieval benchmark on XQuAD: index one language's 240 paragraphs, ask the English questions.

XQuAD (CC BY-SA 4.0) is read from ``--data`` (default ``../shared/benchmarks/xquad`` beside the
checkout, or ``RAG_XQUAD_DIR``); it is never copied into the repository.
"""
from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from .api import Pipeline
from .errors import ConfigError
from .evals import file_ranking


def default_data_dir() -> Path:
    env = os.environ.get("RAG_XQUAD_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "xquad"


def load(data_dir: Path, lang: str) -> list[dict[str, Any]]:
    """Paragraphs of one language, in the dataset's order (parallel across languages)."""
    path = data_dir / f"xquad.{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise ConfigError(f"XQuAD file not found: {path}", hint="pass --data DIR or set RAG_XQUAD_DIR (download XQuAD from its GitHub repository)") from None
    out = []
    for a, article in enumerate(data["data"]):
        for paragraph in article["paragraphs"]:
            out.append({"article": a, "context": paragraph["context"], "qas": paragraph["qas"]})
    return out


def write_corpus(paragraphs: list[dict[str, Any]], root: Path, articles: set[int] | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(paragraphs):
        if articles is None or p["article"] in articles:
            (root / f"p{i:03d}.txt").write_text(p["context"], encoding="utf-8")


def run(
    doc_lang: str, workdir: Path, data_dir: Path | None = None, question_lang: str = "en", k: int = 5, limit: int | None = None,
    answers: bool = True, pipe_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Index ``doc_lang`` paragraphs, ask ``question_lang`` questions; paragraph hit@1/@5, MRR, evidence span recall."""
    data_dir = data_dir or default_data_dir()
    docs = load(data_dir, doc_lang)
    questions = load(data_dir, question_lang)
    corpus = workdir / f"xquad-{doc_lang}"
    write_corpus(docs, corpus)
    pipe = Pipeline(corpus=corpus, home=workdir / "home", **(pipe_options or {}))
    t0 = time.perf_counter()
    report = pipe.index()
    index_s = time.perf_counter() - t0
    retriever = pipe.retriever()
    gold_answers = {qa["id"]: [a["text"] for a in qa["answers"]] for p in docs for qa in p["qas"]}
    items = [(qa["question"], i, qa["id"]) for i, p in enumerate(questions) for qa in p["qas"]]
    if limit:
        items = items[:limit]
    hit1 = hit5 = rr = span = 0.0
    latencies = []
    for question, gold, qid in items:
        t = time.perf_counter()
        passages = retriever.retrieve(question, max(20, k))
        latencies.append((time.perf_counter() - t) * 1000)
        files = file_ranking(passages)
        target = f"p{gold:03d}.txt"
        rank = files.index(target) + 1 if target in files else None
        hit1 += rank == 1
        hit5 += rank is not None and rank <= 5
        rr += 1 / rank if rank else 0.0
        if answers:
            answer = pipe.answer(question, passages[:k])
            evidence = " ".join(c.quote for c in answer.citations)
            span += any(a in evidence for a in gold_answers.get(qid, []))
    n = len(items)
    return {
        "doc_lang": doc_lang, "question_lang": question_lang, "questions": n, "paragraphs": len(docs),
        "chunks": report.chunks_total, "hit1": round(hit1 / n, 4), "hit5": round(hit5 / n, 4), "mrr": round(rr / n, 4),
        "evidence_has_answer": round(span / n, 4) if answers else None,
        "retrieve_ms_p50": round(statistics.median(latencies), 1), "index_s": round(index_s, 1),
        "embedder": pipe.embedder.name, "retrieval": pipe.settings.retrieval, "chunk_tokens": pipe.settings.chunk_tokens,
    }


def abstention(
    doc_lang: str, workdir: Path, data_dir: Path | None = None, pipe_options: dict[str, Any] | None = None, limit: int | None = None,
    sweep: tuple[float, ...] = (0.76, 0.78, 0.79, 0.80, 0.81, 0.82, 0.84),
) -> dict[str, Any]:
    """Index only the even-numbered articles; questions about the odd ones have no answer in the corpus.

    Reports the configured rule and a sweep of ``min_evidence`` thresholds over the same runs."""
    data_dir = data_dir or default_data_dir()
    docs = load(data_dir, doc_lang)
    questions = load(data_dir, "en")
    kept = {p["article"] for p in docs if p["article"] % 2 == 0}
    corpus = workdir / f"xquad-half-{doc_lang}"
    write_corpus(docs, corpus, kept)
    pipe = Pipeline(corpus=corpus, home=workdir / "home", **(pipe_options or {}))
    pipe.index()
    threshold = pipe.settings.min_evidence
    items = [(qa["question"], p["article"] in kept) for p in questions for qa in p["qas"]]
    if limit:
        items = items[:: max(1, len(items) // limit)]
    scores: dict[bool, list[float]] = {True: [], False: []}
    retriever = pipe.retriever()
    for question, answerable in items:
        passages = retriever.retrieve(question, pipe.settings.k)
        pipe.settings.min_evidence = 0.0  # score everything, decide below
        scores[answerable].append(pipe.answer(question, passages).evidence_score)
        pipe.settings.min_evidence = threshold

    def rates(t: float) -> tuple[float, float]:
        return (
            round(sum(s < t for s in scores[False]) / max(len(scores[False]), 1), 4),
            round(sum(s < t for s in scores[True]) / max(len(scores[True]), 1), 4),
        )

    correct, false = rates(threshold)
    return {
        "doc_lang": doc_lang, "answerable": len(scores[True]), "unanswerable": len(scores[False]), "min_evidence": threshold,
        "correct_abstain": correct, "false_abstain": false, "sweep": {str(t): rates(t) for t in sweep},
    }
