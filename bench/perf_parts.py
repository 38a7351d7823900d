"""The measurements of :mod:`bench.perf` that the issue-12 targets name: cold ask and its breakdown, indexing
throughput against bare e5, duplicates, and an unchanged corpus of 10,000 files; and issue 10's warm question on the
seeds. Each returns a dict."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import xquad
from rag.api import Pipeline
from rag.settings import default_corpus

QUESTION = "why did Microsoft hire Suleyman?"
ROOT = Path(__file__).resolve().parent.parent


def pct(samples: list[float], q: float) -> float:
    """The ``q``-th percentile of ``samples`` (seconds) in milliseconds."""
    return round(float(np.percentile(np.asarray(samples) * 1000, q)), 1)


def load_avg() -> float:
    return round(os.getloadavg()[0], 2)


def env_for(home: Path, cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_HOME=str(home), RAG_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT), **extra)
    return env


def _median_s(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def cold_ask(workdir: Path, runs: int) -> dict[str, Any]:
    """New `ask` processes on the indexed seeds (extractive), interleaved with `ask --help` and a bare interpreter. The
    package's bytecode is compiled first, as the README's install command does: with PYTHONDONTWRITEBYTECODE set (as in
    many container images) an editable install would otherwise compile every module of `rag` in every process."""
    exe = str(Path(sys.executable).parent / "ask")
    env = env_for(workdir / "cold-home", workdir / "cache")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "rag")], check=True, capture_output=True)
    subprocess.run([exe, QUESTION], env=env, check=True, capture_output=True)  # index once, write the mUSE cache
    load0 = load_avg()
    times: dict[str, list[float]] = {"ask": [], "help": [], "python": []}
    for _ in range(runs):
        times["python"] += _median_s([sys.executable, "-c", "pass"], env, 1)
        times["help"] += _median_s([exe, "--help"], env, 1)
        times["ask"] += _median_s([exe, QUESTION], env, 1)
    med = {k: round(statistics.median(v), 3) for k, v in times.items()}
    return {"ask_s": med["ask"], "ask_min_s": round(min(times["ask"]), 3), "help_s": med["help"], "python_s": med["python"], "runs": runs, "load": [load0, load_avg()],
            "dont_write_bytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))}


def breakdown(workdir: Path, runs: int = 3) -> dict[str, Any]:
    """Per-stage medians of `python -m bench.coldstart` (as cold_ask's index), and once more reading Chroma itself."""
    out: dict[str, Any] = {"load": [load_avg()]}
    for label, extra in (("snapshot", {}), ("chroma", {"RAG_SNAPSHOT_MAX_VECTORS": "0"})):
        env = env_for(workdir / "cold-home", workdir / "cache", **extra)
        rows = []
        for _ in range(runs if label == "snapshot" else 1):
            got = subprocess.run([sys.executable, "-m", "bench.coldstart", QUESTION], env=env, check=True, capture_output=True, text=True, cwd=ROOT)
            rows.append(json.loads(got.stdout.splitlines()[-1]))
        stages = {name: {k: statistics.median(r["stages"][name][k] for r in rows) for k in ("wall_ms", "cpu_ms")} for name in rows[0]["stages"]}
        out[label] = {"stages": stages, "total_ms": statistics.median(r["total_ms"] for r in rows), "chromadb_imported": rows[0]["chromadb_imported"]}
    out["load"].append(load_avg())
    return out


def muse_load(workdir: Path) -> dict[str, Any]:
    """mUSE's first question: unpacked from the package (before) and mapped from the cache (now), in this process."""
    from rag.embed.muse import Muse

    out = {}
    for label, cache in (("package_ms", None), ("cache_ms", workdir / "cache")):
        t = time.perf_counter()
        Muse(cache_dir=cache).embed_queries([QUESTION])
        out[label] = round((time.perf_counter() - t) * 1000, 1)
    out["load"] = load_avg()
    return out


def throughput_corpus(root: Path, articles: int) -> int:
    """XQuAD articles (de, ru, es, en) as files of several chunks each; returns the corpus characters."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    chars = 0
    for lang in ("de", "ru", "es", "en"):
        by_article: dict[int, list[str]] = {}
        for p in xquad.load(xquad.default_data_dir(), lang):
            if p["article"] < articles:
                by_article.setdefault(p["article"], []).append(p["context"])
        for a, texts in by_article.items():
            text = "\n\n".join(texts) + "\n"
            chars += len(text)
            (root / f"{lang}-{a:02d}.txt").write_text(text, encoding="utf-8")
    return chars


def throughput(workdir: Path, articles: int = 3) -> dict[str, Any]:
    """Corpus characters per second: `rag index` (default settings) against bare e5 embedding the same chunks on every core."""
    from rag import chunk as chunking
    from rag.embed.e5 import E5Small
    from rag.index.indexer import cores

    corpus = workdir / "throughput"
    chars = throughput_corpus(corpus, articles)
    out: dict[str, Any] = {"files": len(list(corpus.iterdir())), "chars": chars, "load": [load_avg()]}
    # Once-per-machine work (mUSE unpacked into the cache, the hub probe questions embedded) is paid by a
    # tiny index first, as bare e5's warm-up call pays its own: the figure is the steady indexing rate.
    warm = workdir / "tput-warm"
    warm.mkdir(exist_ok=True)
    (warm / "warm.txt").write_text("A warm-up note. It has two sentences.\n", encoding="utf-8")
    Pipeline(corpus=warm, home=workdir / "tput-warm-home", cache_dir=workdir / "cache").index()
    for retrieval in ("fusion", "dense"):
        pipe = Pipeline(corpus=corpus, home=workdir / f"tput-home-{retrieval}", cache_dir=workdir / "cache", retrieval=retrieval)
        pipe.embedder.embed_passages(["warm up"])
        t = time.perf_counter()
        report = pipe.index()
        seconds = time.perf_counter() - t
        out[retrieval] = {"chars_per_s": round(chars / seconds), "seconds": round(seconds, 1), "chunks": report.chunks_embedded, "texts_embedded": report.texts_embedded}
    settings = pipe.settings
    chunks = [c.text for f in sorted(corpus.iterdir()) for c in chunking.chunk_text(f.name, f.read_text(encoding="utf-8"), settings.chunk_tokens, settings.chunk_overlap)]
    bare = E5Small(threads=1)
    bare.use_threads(cores())
    bare.embed_passages(["warm up"])
    t = time.perf_counter()
    for i in range(0, len(chunks), settings.embed_batch):
        bare.embed_passages(chunks[i : i + settings.embed_batch])
    seconds = time.perf_counter() - t
    out["bare_e5"] = {"chars_per_s": round(chars / seconds), "seconds": round(seconds, 1), "chunks": len(chunks), "threads": cores()}
    for retrieval in ("fusion", "dense"):
        out[retrieval]["ratio"] = round(out[retrieval]["chars_per_s"] / out["bare_e5"]["chars_per_s"], 3)
    out["load"].append(load_avg())
    return out


def duplicates(workdir: Path, copies: int = 4) -> dict[str, Any]:
    """The seeds N times in one folder: what one run embeds, and whether copies crowd the top 5."""
    corpus = workdir / "seeds-copies"
    shutil.rmtree(corpus, ignore_errors=True)
    for i in range(copies):
        shutil.copytree(default_corpus(), corpus / f"copy{i}")
    one = Pipeline(corpus=default_corpus(), home=workdir / "dup-one", embedder="hash:384", cache_dir=workdir / "cache").index()
    pipe = Pipeline(corpus=corpus, home=workdir / "dup-home", embedder="hash:384", cache_dir=workdir / "cache")
    report = pipe.index()
    passages = pipe.retrieve("Microsoft Suleyman Inflection", k=5)
    return {
        "copies": copies, "chunks_total": report.chunks_total, "chunks_embedded": report.chunks_embedded, "chunks_reused": report.chunks_reused,
        "texts_embedded": report.texts_embedded, "one_copy_chunks": one.chunks_embedded, "one_copy_texts": one.texts_embedded,
        "top5_distinct_texts": len({p.text for p in passages}),
    }


def unchanged_corpus(workdir: Path, files: int = 10_000, runs: int = 5) -> dict[str, Any]:
    """An unchanged corpus of ``files`` notes: a new `rag index` process, and the check an `ask` adds (in process)."""
    from rag.index import is_stale

    corpus = workdir / f"notes-{files}"
    if not corpus.exists():
        for i in range(files):
            folder = corpus / f"d{i // 1000:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"note{i:05d}.md").write_text(f"# Note {i}\n\nThis is note number {i}. It mentions topic {i % 37}.\n", encoding="utf-8")
    options = {"corpus": corpus, "home": workdir / "notes-home", "embedder": "hash:384", "retrieval": "dense", "cache_dir": workdir / "cache"}
    first = Pipeline(**options).index()
    env = env_for(workdir / "notes-home", workdir / "cache", RAG_CORPUS=str(corpus), RAG_EMBEDDER="hash:384", RAG_RETRIEVAL="dense")
    load0 = load_avg()
    reindex = _median_s([str(Path(sys.executable).parent / "rag"), "index"], env, runs)
    settings = Pipeline(**options).settings
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        assert not is_stale(settings)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return {
        "files": first.added, "reindex_s": round(statistics.median(reindex), 3), "check_ms": round(statistics.median(walls) * 1000, 1),
        "check_cpu_ms": round(statistics.median(cpus) * 1000, 1), "load": [load0, load_avg()],
    }


def warm_questions(workdir: Path) -> dict[str, Any]:
    """Every seeds question asked once against one warm pipeline (extractive, default settings): `ask` p50 and p95. A
    question is never repeated, so no per-question cache answers it; sentences the passages share stay remembered, as
    in a long-running process."""
    from rag.eval import load_cases

    questions = [c.question for c in load_cases(ROOT / "evals" / "cases.jsonl")]
    pipe = Pipeline(corpus=default_corpus(), home=workdir / "warm-home")
    pipe.index()
    pipe.ask("warm-up: a question about nothing in particular")
    load0 = load_avg()
    times = []
    for q in questions:
        t = time.perf_counter()
        pipe.ask(q)
        times.append(time.perf_counter() - t)
    pipe.close()
    return {"questions": len(times), "ask_p50_ms": pct(times, 50), "ask_p95_ms": pct(times, 95), "load": [load0, load_avg()]}
