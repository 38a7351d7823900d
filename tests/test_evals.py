"""The eval machinery: scoring rules, gates, and agreement with llama-index's RetrieverEvaluator."""
from __future__ import annotations

from pathlib import Path

import pytest

from rag import eval as evals
from rag.answer import asked
from rag.types import Answer, Citation, Passage

EVALS = Path(__file__).resolve().parent.parent / "evals"


def _case(**kw):
    base = dict(id="x", question="q?", lang="en", sources=["a.txt"], facts=[["13 billion", "13 Milliarden"]], answerable=True, doc_langs=["de"])
    base.update(kw)
    return evals.Case(**base)


def _passage(pid, source, text):
    return Passage(passage_id=pid, source=source, score=0.9, text=text, language="de")


def test_score_case_retrieval_and_citations():
    case = _case()
    deep = [_passage("b.txt#0-5", "b.txt", "nothing"), _passage("a.txt#0-30", "a.txt", "Microsoft hat 13 Milliarden investiert")]
    answer = Answer(question="q?", language="en", answer="x", citations=[Citation(n=1, source="a.txt", passage_id="a.txt#0-30", quote="13 Milliarden")], passages=deep)
    row = evals.score_case(case, deep, answer, k=5, generative=False)
    assert row["hit1"] == 0.0 and row["hit5"] == 1.0 and row["rr"] == 0.5
    assert row["chunk_hit5"] == 1.0 and row["fact_recall"] == 1.0
    assert row["cit_precision"] == 1.0 and row["cit_recall"] == 1.0 and row["quotes_verbatim"]


def test_an_extractive_fallback_is_recorded_and_its_own_words_judge_its_language():
    """With an LLM, a reply where the extractive quotes stood in is marked in its row, and its language is read without the
    quotes (in the sources' languages by design); the model's own answer is read whole."""
    case = _case(lang="ru")
    deep = [_passage("a.txt#0-30", "a.txt", "Microsoft hat 13 Milliarden Dollar in OpenAI investiert, sagen Insider.")]
    quote = Citation(n=1, source="a.txt", passage_id="a.txt#0-30", quote=deep[0].text)
    preamble = "Извлечённый ответ (без языковой модели): самые релевантные предложения из источников, процитированные на языке оригинала."
    text = f"{preamble}\n[1] «{deep[0].text}» (a.txt)\n[2] «Scott sagte: «Wir sind der größte Geldgeber von OpenAI» und ging.» (a.txt)"
    english = "Extractive answer (no language model): the most relevant sentences from the sources, quoted in their original language."
    russian = [
        "Эксклюзивное соглашение OpenAI с Microsoft должно было закончиться, как только OpenAI достигнет того, что, по их общему мнению, является AGI.",
        "То, что Microsoft перестанет быть единственным хостинг-провайдером OpenAI, было предрешено.",
        "Microsoft инвестировала 1 миллиард долларов в OpenAI в 2019 году.",
    ]
    lines = "".join(f"\n[{n}] «{s}» (001_e8031e4497b7ed16.txt)" for n, s in enumerate(russian, 1))  # without the quotes, the file names read as Italian
    kw = {"question": "q?", "language": "en", "citations": [quote], "passages": deep, "fallback": "the model's answer was not supported by the passages"}
    assert evals.score_case(_case(lang="en"), deep, Answer(**kw, answer=english + lines), 5, True)["lang_match"] == 1.0
    kw = dict(question="q?", language="ru", answer=text, citations=[quote], passages=deep)
    fell_back = evals.score_case(case, deep, Answer(**kw, fallback="the model's answer was not supported by the passages"), 5, True)
    assert fell_back["fallback"] and fell_back["lang_match"] == 1.0
    own = evals.score_case(case, deep, Answer(**{**kw, "answer": f"«{deep[0].text}» {deep[0].text}"}), 5, True)
    assert not own["fallback"] and own["lang_match"] == 0.0  # a model answering in German to a Russian question


def test_abstention_scoring():
    un = _case(answerable=False, sources=[], facts=[], doc_langs=[])
    row = evals.score_case(un, [], Answer(question="q?", language="en", answer="I don't know", abstained=True), 5, False)
    assert row["correct_abstain"] == 1.0
    row = evals.score_case(_case(), [], Answer(question="q?", language="en", answer="I don't know", abstained=True), 5, False)
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
    cases = evals.load_cases(EVALS / "cases.jsonl")
    assert len(cases) >= 60
    pairs = {(c.lang, d) for c in cases if c.answerable for d in c.doc_langs}
    assert pairs >= {(q, d) for q in ("en", "de", "ru", "fr", "it") for d in ("de", "ru", "fr", "it")}
    assert sum(not c.answerable for c in cases) >= 10


def test_techdocs_cases_name_existing_sections_that_hold_their_facts():
    corpus = EVALS / "techdocs" / "corpus"
    cases = evals.load_cases(EVALS / "techdocs" / "cases.jsonl")
    answerable = [c for c in cases if c.answerable]
    assert len(answerable) >= 40 and len({c.lang for c in answerable}) >= 5
    assert len({c.id for c in cases}) == len(cases)
    for case in answerable:
        texts = [(corpus / s).read_text(encoding="utf-8").lower() for s in case.sources]
        assert case.facts and all(any(alt.lower() in t for t in texts for alt in group) for group in case.facts), case.id
        assert case.doc_langs == sorted({s.split(".")[-2] for s in case.sources}), case.id
    thresholds = evals.load_thresholds(EVALS / "thresholds.toml", "techdocs")
    assert thresholds["hit1"] > 0 and thresholds["hit5"] > 0


def test_clihelp_cases_name_the_one_file_that_holds_their_option():
    corpus = EVALS / "clihelp" / "corpus"
    texts = {f.name: f.read_text(encoding="utf-8").lower() for f in corpus.iterdir()}
    cases = evals.load_cases(EVALS / "clihelp" / "cases.jsonl")
    answerable = [c for c in cases if c.answerable]
    assert len(answerable) >= 40 and len({c.lang for c in answerable}) >= 6 and sum(not c.answerable for c in cases) >= 10
    assert len({c.id for c in cases}) == len(cases)
    for case in answerable:
        (option,) = [alt.lower() for group in case.facts for alt in group]
        assert [name for name, text in texts.items() if option in text] == case.sources, case.id  # the answer exists once
        assert case.doc_langs == [case.sources[0].split(".")[-2]], case.id
    for case in cases:
        if not case.answerable and "not in the corpus" in case.note:
            names = asked.identifiers(case.question)
            assert any(all(name.lower() not in text for text in texts.values()) for name in names), (case.id, names)
    assert evals.load_thresholds(EVALS / "thresholds.toml", "clihelp")["hit5"] > 0


@pytest.mark.slow
def test_our_metrics_agree_with_llama_index_retriever_evaluator(seeds_pipeline):
    cases = evals.load_cases(EVALS / "cases.jsonl")[:30]
    result = crosscheck(cases, seeds_pipeline, k=5)
    assert result["cases"] >= 15
    assert result["ours_hit_rate"] == pytest.approx(result["llama_index_hit_rate"])
    assert result["ours_mrr"] == pytest.approx(result["llama_index_mrr"])


def crosscheck(cases, pipe, k: int = 5) -> dict[str, float]:
    """Chunk-level hit rate and MRR computed by our code and by llama-index's RetrieverEvaluator on the same runs."""
    import asyncio

    from llama_index.core.evaluation import RetrieverEvaluator

    from rag.index import open_manifest
    from rag.retrieve.llama import as_llama_retriever

    pipe.ensure_index()
    retriever = pipe.retriever()
    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr"], retriever=as_llama_retriever(retriever, k))
    manifest = open_manifest(pipe.settings)
    ours_hit, ours_rr, theirs_hit, theirs_rr = [], [], [], []
    try:
        for case in cases:
            if not case.answerable:
                continue
            # the indexed chunks of the gold files that hold one of the case's facts
            expected = [cid for cid, source, _lang, text in manifest.iter_chunks() if source in case.sources and evals.holds_fact(text, case.facts)]
            if not expected:
                continue
            ranked = [p.passage_id for p in pipe.retrieve(case.question, k)]
            rank = next((i for i, pid in enumerate(ranked, 1) if pid in expected), None)
            ours_hit.append(float(rank is not None))
            ours_rr.append(1.0 / rank if rank else 0.0)
            result = asyncio.run(evaluator.aevaluate(case.question, expected_ids=expected))
            theirs_hit.append(result.metric_vals_dict["hit_rate"])
            theirs_rr.append(result.metric_vals_dict["mrr"])
    finally:
        manifest.close()
    n = len(ours_hit)
    return {
        "cases": n,
        "ours_hit_rate": sum(ours_hit) / n, "llama_index_hit_rate": sum(theirs_hit) / n,
        "ours_mrr": sum(ours_rr) / n, "llama_index_mrr": sum(theirs_rr) / n,
    }


def test_every_gate_ci_uses_is_in_the_thresholds_file():
    import re
    import tomllib

    script = (EVALS.parent / "scripts" / "test.sh").read_text(encoding="utf-8")
    profiles = set(re.findall(r"--gate (\w+)", script)) | ({"llm"} if "llm_eval.py --gate" in script else set())
    data = tomllib.loads((EVALS / "thresholds.toml").read_text(encoding="utf-8"))
    assert profiles and profiles <= set(data), (profiles, set(data))
    for name in profiles:
        assert all(isinstance(v, (int, float)) for v in data[name].values()), name
