"""Retrieval-only figures of one corpus and case file under given settings (no answers: fast screening).

    python -m bench.retrieval --corpus evals/techdocs/corpus --cases evals/techdocs/cases.jsonl \
        [--home DIR] [--set retrieval=dense --set rerank=per-file:2 ...] [--json FILE]

Prints file hit@1/hit@5/MRR, answer-chunk hit@5 and the weakest language pair's hit@1 over the
answerable cases, and the retrieve p50. Everything goes through :meth:`rag.api.Pipeline.retrieve`.
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rag.api import Pipeline
from rag.eval import DEPTH, file_ranking, holds_fact, load_cases


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        out[key] = {"true": True, "false": False}.get(value.lower(), value)
    return out


def apply_patches(pairs: list[str]) -> None:
    """``module.CONSTANT=<json>``: set a module constant for this run (screening weights without editing code)."""
    for pair in pairs:
        target, _, value = pair.partition("=")
        module, _, attr = target.rpartition(".")
        setattr(importlib.import_module(module), attr, json.loads(value))


def measure(pipe: Pipeline, cases) -> dict[str, Any]:
    """hit@1, hit@5, MRR, chunk hit@5 and per-pair hit@1 over the answerable cases."""
    rows, latencies = [], []
    pipe.ensure_index()
    for case in cases:
        if not case.answerable:
            continue
        t = time.perf_counter()
        deep = pipe.retrieve(case.question, DEPTH)
        latencies.append((time.perf_counter() - t) * 1000)
        files = file_ranking(deep)
        rank = next((i for i, f in enumerate(files, 1) if f in case.sources), None)
        chunk = any(p.source in case.sources and holds_fact(p.text, case.facts) for p in deep[:5])
        rows.append({"id": case.id, "pair": f"{case.lang}->{'/'.join(case.doc_langs)}", "rank": rank, "chunk_hit5": chunk})
    n = len(rows)
    cells = defaultdict(list)
    for r in rows:
        cells[r["pair"]].append(r["rank"] == 1)
    cell_hit1 = {k: sum(v) / len(v) for k, v in cells.items()}
    weakest = min(cell_hit1, key=cell_hit1.get) if cell_hit1 else None
    return {
        "n": n,
        "hit1": round(sum(r["rank"] == 1 for r in rows) / n, 4),
        "hit5": round(sum(r["rank"] is not None and r["rank"] <= 5 for r in rows) / n, 4),
        "mrr": round(sum(1 / r["rank"] for r in rows if r["rank"]) / n, 4),
        "chunk_hit5": round(sum(r["chunk_hit5"] for r in rows) / n, 4),
        "weakest_cell": weakest, "weakest_cell_hit1": round(cell_hit1[weakest], 4) if weakest else None,
        "retrieve_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "misses": [r["id"] for r in rows if r["rank"] != 1],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--cases", type=Path, required=True)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--set", dest="sets", action="append", default=[], help="setting=value (repeatable)")
    ap.add_argument("--patch", action="append", default=[], help="module.CONSTANT=json value, for screening (repeatable)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    options = parse_sets(args.sets)
    apply_patches(args.patch)
    pipe = Pipeline(corpus=args.corpus, **({"home": args.home} if args.home else {}), **options)
    t0 = time.perf_counter()
    report = pipe.index()
    out = {"corpus": str(args.corpus), "settings": options, "patches": args.patch, "index_s": round(time.perf_counter() - t0, 1), "chunks_embedded": report.chunks_embedded}
    out.update(measure(pipe, load_cases(args.cases)))
    pipe.close()
    print(json.dumps(out, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
