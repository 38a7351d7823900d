"""Cross-lingual retrieval benchmark on XQuAD: index one language's 240 paragraphs, ask the English questions.

    python -m bench.xquad [--langs de,ru,es] [--abstention] [--limit N] [--json FILE]

XQuAD (CC BY-SA 4.0) is read from ``--data`` (default ``../shared/benchmarks/xquad`` beside the
checkout, or ``RAG_XQUAD_DIR``); it is never copied into the repository. Everything goes through
:meth:`rag.api.Pipeline.retrieve` and :meth:`~rag.api.Pipeline.ask` with settings.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rag.api import Pipeline
from rag.errors import ConfigError
from rag.settings import load_settings
from rag.eval import file_ranking


HELD_OUT_FROM = 24  # articles 0-23 train the answerability model; abstention is measured on 24-47


def default_data_dir() -> Path:
    env = os.environ.get("RAG_XQUAD_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "xquad"


MIXED = ("de", "ru", "es", "en")  # "mixed": paragraph i in MIXED[i % 4]


def load(data_dir: Path, lang: str) -> list[dict[str, Any]]:
    """Paragraphs of one language, in the dataset's order (parallel across languages); ``mixed``: each
    paragraph in one of :data:`MIXED` in turn, a corpus where every question language meets its own and others."""
    if lang == "mixed":
        parts = [load(data_dir, x) for x in MIXED]
        return [{**parts[i % len(MIXED)][i], "lang": MIXED[i % len(MIXED)]} for i in range(len(parts[0]))]
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
    answers: bool = True, pipe_options: dict[str, Any] | None = None, articles: set[int] | None = None,
) -> dict[str, Any]:
    """Index ``doc_lang`` paragraphs, ask ``question_lang`` questions; paragraph hit@1/@5, MRR, evidence span recall.
    ``articles``: only these articles' paragraphs and questions (a folder about one subject)."""
    data_dir = data_dir or default_data_dir()
    docs = load(data_dir, doc_lang)
    questions = load(data_dir, question_lang)
    corpus = workdir / (f"xquad-{doc_lang}" if articles is None else f"xquad-{doc_lang}-a{'-'.join(map(str, sorted(articles)))}")
    write_corpus(docs, corpus, articles)
    pipe = Pipeline(corpus=corpus, home=workdir / "home", **(pipe_options or {}))
    t0 = time.perf_counter()
    report = pipe.index()
    index_s = time.perf_counter() - t0
    gold_answers = {qa["id"]: [a["text"] for a in qa["answers"]] for p in docs for qa in p["qas"]}
    items = [(qa["question"], i, qa["id"]) for i, p in enumerate(questions) for qa in p["qas"] if articles is None or p["article"] in articles]
    if limit:
        items = items[:limit]
    hit1 = hit5 = rr = span = first = led = lead_right = precise = quoted = 0.0
    by_pair = {True: [0, 0], False: [0, 0]}  # same language as the question? -> [hits at 1, questions]
    latencies = []
    # quote quality is measured on every question: no abstention threshold hides a bad quote
    quoting = Pipeline(corpus=corpus, home=workdir / "home", **{**(pipe_options or {}), "min_evidence": 0.0, "min_answerable": 0.0})
    for question, gold, qid in items:
        t = time.perf_counter()
        passages = pipe.retrieve(question, max(20, k))
        latencies.append((time.perf_counter() - t) * 1000)
        files = file_ranking(passages)
        target = f"p{gold:03d}.txt"
        rank = files.index(target) + 1 if target in files else None
        hit1 += rank == 1
        pair = by_pair[docs[gold].get("lang", doc_lang) == question_lang]
        pair[0] += rank == 1
        pair[1] += 1
        hit5 += rank is not None and rank <= 5
        rr += 1 / rank if rank else 0.0
        if answers:
            answer = quoting.ask(question, k=k)
            evidence = " ".join(c.quote for c in answer.citations)
            span += any(a in evidence for a in gold_answers.get(qid, []))
            first += bool(answer.citations) and any(a in answer.citations[0].quote for a in gold_answers.get(qid, []))
            if answer.citations:  # citation precision: the share of an answer's quotes taken from the question's paragraph
                quoted += 1
                precise += sum(Path(c.source).name == target for c in answer.citations) / len(answer.citations)
            if answer.lead:  # the short answer shown first: right when it and a gold answer overlap
                led += 1
                lead_right += any(a in answer.lead or answer.lead in a for a in gold_answers.get(qid, []))
    n = len(items)
    return {
        "doc_lang": doc_lang, "question_lang": question_lang, "questions": n, "paragraphs": len(docs),
        "chunks": report.chunks_total, "hit1": round(hit1 / n, 4), "hit5": round(hit5 / n, 4), "mrr": round(rr / n, 4),
        "evidence_has_answer": round(span / n, 4) if answers else None, "first_quote_has_answer": round(first / n, 4) if answers else None,
        "cit_precision": round(precise / quoted, 4) if answers and quoted else None,
        "lead_shown": round(led / n, 4) if answers else None, "lead_right": round(lead_right / led, 4) if answers and led else None,
        "hit1_same_lang": round(by_pair[True][0] / by_pair[True][1], 4) if by_pair[True][1] else None,
        "hit1_other_lang": round(by_pair[False][0] / by_pair[False][1], 4) if by_pair[False][1] else None,
        "retrieve_ms_p50": round(statistics.median(latencies), 1), "index_s": round(index_s, 1),
        "embedder": pipe.embedder.name, "retrieval": pipe.settings.retrieval, "chunk_tokens": pipe.settings.chunk_tokens,
    }


RATES = ("hit1", "hit5", "mrr", "evidence_has_answer", "first_quote_has_answer", "cit_precision")


def one_topic(doc_lang: str, workdir: Path, n_articles: int, **options: Any) -> dict[str, Any]:
    """:func:`run` on each of the first ``n_articles`` articles alone (about five paragraphs on one subject, whose name
    stands in nearly every one: "Super Bowl 50", "Warsaw"); the rates are weighted by each article's questions."""
    rows = [run(doc_lang, workdir, articles={a}, **options) for a in range(n_articles)]
    n = sum(r["questions"] for r in rows)
    out = {"doc_lang": doc_lang, "question_lang": rows[0]["question_lang"], "articles": n_articles, "questions": n}
    for key in RATES:
        if all(r[key] is not None for r in rows):
            out[key] = round(sum(r[key] * r["questions"] for r in rows) / n, 4)
    return out


def abstention(
    doc_lang: str, workdir: Path, data_dir: Path | None = None, pipe_options: dict[str, Any] | None = None, limit: int | None = None,
    sweep: tuple[float, ...] = (0.76, 0.78, 0.79, 0.80, 0.81, 0.82, 0.84),
) -> dict[str, Any]:
    """Index the even-numbered articles of XQuAD's last 24 (the first 24 train the answerability model:
    bench/answerability.py); questions about the odd ones have no answer in the corpus.

    Reports the configured rule (min_evidence and min_answerable) and a sweep of thresholds over the same runs."""
    data_dir = data_dir or default_data_dir()
    docs = load(data_dir, doc_lang)
    questions = [p for p in load(data_dir, "en") if p["article"] >= HELD_OUT_FROM]
    kept = {p["article"] for p in docs if p["article"] % 2 == 0 and p["article"] >= HELD_OUT_FROM}
    corpus = workdir / f"xquad-half-{doc_lang}"
    write_corpus(docs, corpus, kept)
    settings = load_settings(**(pipe_options or {}))
    # thresholds 0: every question is answered and scored, the thresholds are applied below
    pipe = Pipeline(corpus=corpus, home=workdir / "home", **{**(pipe_options or {}), "min_evidence": 0.0, "min_answerable": 0.0})
    pipe.index()
    items = [(qa["question"], p["article"] in kept) for p in questions for qa in p["qas"]]
    if limit:
        items = items[:: max(1, len(items) // limit)]
    scores: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for question, answerable in items:
        answer = pipe.ask(question)
        scores[answerable].append((answer.evidence_score, answer.answerability))

    def rates(min_evidence: float, min_answerable: float = 0.0) -> tuple[float, float]:
        refused = lambda s: s[0] < min_evidence or s[1] < min_answerable  # noqa: E731
        return (
            round(sum(map(refused, scores[False])) / max(len(scores[False]), 1), 4),
            round(sum(map(refused, scores[True])) / max(len(scores[True]), 1), 4),
        )

    correct, false = rates(settings.min_evidence, settings.min_answerable)
    return {
        "doc_lang": doc_lang, "answerable": len(scores[True]), "unanswerable": len(scores[False]),
        "min_evidence": settings.min_evidence, "min_answerable": settings.min_answerable, "correct_abstain": correct, "false_abstain": false,
        "evidence_only": rates(settings.min_evidence), "sweep_min_evidence": {str(t): rates(t) for t in sweep},
        "sweep_min_answerable": {str(t): rates(settings.min_evidence, t) for t in (0.05, 0.1, 0.15, 0.2, 0.3)},
    }


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    cols = [c for c in rows[0] if c != "embedder"] if rows else []
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*[str(r[c]) for c in cols])
    Console().print(table)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Paragraph hit@1/hit@5/MRR on XQuAD: questions in one language against paragraphs in others.")
    parser.add_argument("--langs", default="de,ru,es", help="document languages to index (comma-separated; 'mixed': de, ru, es and en paragraphs in turn)")
    parser.add_argument("--question-lang", default="en")
    parser.add_argument("--data", type=Path, default=None, help="XQuAD folder (default: ../shared/benchmarks/xquad or RAG_XQUAD_DIR)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--no-answers", action="store_true", help="skip the extractive answer check (retrieval only)")
    parser.add_argument("--abstention", action="store_true", help="also measure abstention with half of the articles held out")
    parser.add_argument("--one-topic", type=int, default=0, metavar="N", help="instead: each of the first N articles as a corpus of its own")
    parser.add_argument("--retrieval", default=None)
    parser.add_argument("--rerank", default=None)
    parser.add_argument("--chunk-tokens", type=int, default=None)
    parser.add_argument("--embedder", default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora and indexes here (reused by the next run) instead of a temporary folder")
    parser.add_argument("--set", dest="sets", action="append", default=[], help="any other setting=value (repeatable)")
    parser.add_argument("--patch", action="append", default=[], help="module.CONSTANT=json value, for screening (repeatable)")
    args = parser.parse_args(argv)
    from bench.retrieval import apply_patches, parse_sets

    apply_patches(args.patch)
    options = {k: v for k, v in {"retrieval": args.retrieval, "rerank": args.rerank, "chunk_tokens": args.chunk_tokens, "embedder": args.embedder}.items() if v is not None}
    options.update(parse_sets(args.sets))
    results = []
    with tempfile.TemporaryDirectory(prefix="rag-xquad-") as scratch:
        tmp = str(args.workdir or scratch)
        for doc_lang in [x.strip() for x in args.langs.split(",") if x.strip()]:
            if args.one_topic:
                row = one_topic(
                    doc_lang, Path(tmp), args.one_topic, data_dir=args.data, question_lang=args.question_lang, k=args.k, answers=not args.no_answers, pipe_options=options
                )
                results.append(row)
                print(json.dumps(row), file=sys.stderr)
                continue
            row = run(doc_lang, Path(tmp), args.data, args.question_lang, args.k, args.limit, not args.no_answers, options)
            if args.abstention:
                held_out = abstention(doc_lang, Path(tmp), args.data, options, limit=args.limit or 400)
                row.update({f"abstain_{key}": v for key, v in held_out.items() if key != "doc_lang"})
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    print_table(f"XQuAD: {args.question_lang} questions -> paragraphs", results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
