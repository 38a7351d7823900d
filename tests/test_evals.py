"""The eval machinery: scoring rules, gates, and agreement with llama-index's RetrieverEvaluator."""
from __future__ import annotations

import pytest

from rag import evals
from rag.types import Answer, Citation, Passage


def _case(**kw):
    base = dict(id="x", question="q?", lang="en", sources=["a.txt"], facts=[["13 billion", "13 Milliarden"]], answerable=True, doc_langs=["de"])
    base.update(kw)
    return evals.Case(**base)


def _passage(pid, source, text):
    return Passage(pid, source, 0.9, text, "de")


def test_score_case_retrieval_and_citations():
    case = _case()
    deep = [_passage("b.txt#0-5", "b.txt", "nothing"), _passage("a.txt#0-30", "a.txt", "Microsoft hat 13 Milliarden investiert")]
    answer = Answer("q?", "en", "x", False, [Citation(1, "a.txt", "a.txt#0-30", "13 Milliarden")], deep)
    row = evals.score_case(case, deep, answer, k=5, generative=False)
    assert row["hit1"] == 0.0 and row["hit5"] == 1.0 and row["rr"] == 0.5
    assert row["chunk_hit5"] == 1.0 and row["fact_recall"] == 1.0
    assert row["cit_precision"] == 1.0 and row["cit_recall"] == 1.0 and row["quotes_verbatim"]


def test_abstention_scoring():
    un = _case(answerable=False, sources=[], facts=[], doc_langs=[])
    row = evals.score_case(un, [], Answer("q?", "en", "I don't know", True), 5, False)
    assert row["correct_abstain"] == 1.0
    row = evals.score_case(_case(), [], Answer("q?", "en", "I don't know", True), 5, False)
    assert row["false_abstain"] == 1.0 and row["fact_recall"] == 0.0


def test_gates_fail_below_threshold_and_above_max():
    report = {"overall": {"hit5": 0.8, "false_abstain": 0.2}, "cells": {"en->de": {"hit5": 0.5}, "ru->it": {"hit5": 1.0}}}
    failures = evals.check_gates(report, {"hit5": 0.9, "false_abstain_max": 0.1, "cell_min_hit5": 0.6, "mrr": 0.1})
    assert any(f.startswith("hit5") for f in failures)
    assert any(f.startswith("false_abstain") for f in failures)
    assert any(f.startswith("cell_min_hit5") for f in failures)
    assert any("not measured" in f for f in failures)
    assert evals.check_gates(report, {"hit5": 0.7, "false_abstain_max": 0.3, "cell_min_hit5": 0.5}) == []


def test_cases_file_covers_every_language_pair():
    cases = evals.load_cases(evals.EVALS_DIR / "cases.jsonl")
    assert len(cases) >= 60
    pairs = {(c.lang, d) for c in cases if c.answerable for d in c.doc_langs}
    assert pairs >= {(q, d) for q in ("en", "de", "ru", "fr", "it") for d in ("de", "ru", "fr", "it")}
    assert sum(not c.answerable for c in cases) >= 10


@pytest.mark.slow
def test_our_metrics_agree_with_llama_index_retriever_evaluator(seeds_pipeline):
    cases = evals.load_cases(evals.EVALS_DIR / "cases.jsonl")[:30]
    result = evals.crosscheck(cases, seeds_pipeline, k=5)
    assert result["cases"] >= 15
    assert result["ours_hit_rate"] == pytest.approx(result["llama_index_hit_rate"])
    assert result["ours_mrr"] == pytest.approx(result["llama_index_mrr"])
