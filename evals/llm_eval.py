"""Real-LLM eval: serve a GGUF with llama.cpp's OpenAI-compatible server on 127.0.0.1 and run
`rag eval --llm openai:local` against it. CI runs a subset that keeps every language pair;
``--full`` runs every case (for evals/RESULTS.md).

    python evals/llm_eval.py [--model PATH] [--full] [--gate] [--no-fallback]

By default the pipeline runs as a user gets it (``llm_fallback`` on: a draft the checks reject gives way to the
extractive quotes, said as a fallback and counted here); ``--no-fallback`` measures the model's own answers.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def subset(cases, per_pair: int = 2, unanswerable: int = 5):
    """Greedy cover: every (question language, document language) pair at least ``per_pair`` times, plus
    unanswerable cases in different languages."""
    from collections import Counter

    chosen, covered = [], Counter()
    for case in cases:
        pairs = {(case.lang, d) for d in case.doc_langs}
        if case.answerable and any(covered[p] < per_pair for p in pairs):
            chosen.append(case)
            covered.update(pairs)
    langs_seen = set()
    for case in cases:
        if not case.answerable and len([c for c in chosen if not c.answerable]) < unanswerable and case.lang not in langs_seen:
            chosen.append(case)
            langs_seen.add(case.lang)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_model = Path.home() / ".cache" / "rag-models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    parser.add_argument("--model", default=os.environ.get("RAG_TEST_GGUF") or str(default_model), help="GGUF path (default: $RAG_TEST_GGUF or the fetch_test_model.py cache)")
    parser.add_argument("--full", action="store_true", help="all cases instead of the CI subset")
    parser.add_argument("--gate", action="store_true", help="exit 1 below the [llm] thresholds")
    parser.add_argument("--no-fallback", action="store_true", help="the model's answers only (llm_fallback off): a draft the checks reject is a refusal, not the extractive quotes")
    parser.add_argument("--k", type=int, default=3, help="passages per prompt (a 1.5B model on one CPU thread reads ~40 prompt tokens/s)")
    parser.add_argument("--out", default=str(HERE / "out" / "llm.json"))
    args = parser.parse_args()
    if not args.model or not Path(args.model).is_file():
        print("error: no GGUF model (run scripts/fetch_test_model.py and pass --model or set RAG_TEST_GGUF)", file=sys.stderr)
        return 1

    sys.path.insert(0, str(HERE.parent))  # bench/ lives in the checkout, not in the package
    from bench.servers import llama_server
    from rag import eval as evals
    from rag.api import Pipeline

    cases = evals.load_cases(HERE / "cases.jsonl")
    if not args.full:
        cases = subset(cases)
    with tempfile.TemporaryDirectory(prefix="rag-llm-eval-") as tmp:
        t0 = time.perf_counter()
        with llama_server(Path(args.model), Path(tmp)) as base_url:
            print(f"llama.cpp server up at {base_url} in {time.perf_counter() - t0:.1f} s; {len(cases)} cases", file=sys.stderr)
            pipe = Pipeline(llm="openai:local", llm_base_url=base_url, llm_timeout=180, llm_fallback=not args.no_fallback)
            report = evals.run(cases, pipe, args.k, progress=lambda n, total: print(f"  case {n}/{total}", file=sys.stderr) if n % 5 == 0 else None)
    evals.render_table(report)
    fell_back = [(row["id"], row["fallback"]) for row in report["rows"] if row.get("fallback")]
    print(f"{len(cases) - len(fell_back)} of {len(cases)} answered or refused by the model or the rules before it; extractive fallbacks: {fell_back or 'none'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.gate:
        failures = evals.check_gates(report, evals.load_thresholds(HERE / "thresholds.toml", "llm"))
        for line in failures:
            print(f"GATE FAILED: {line}", file=sys.stderr)
        if failures:
            return 1
        print("all [llm] gates passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
