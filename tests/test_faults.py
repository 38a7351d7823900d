"""Fault injection: SIGKILLed index runs, concurrent index runs, a misbehaving LLM server, sustained load.

Everything runs with the model-free ``hash:64`` embedder and dense retrieval. Subprocesses inherit the
per-test ``RAG_HOME`` of the autouse fixture in conftest.py; at most two run at once.
"""
from __future__ import annotations

import concurrent.futures
import gc
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import indexer, store
from rag.api import Pipeline
from rag.cli import app, ask_app
from rag.errors import BackendError

FAST = {"embedder": "hash:64", "retrieval": "dense"}


def fresh_process_state() -> None:
    """Forget every cached Chroma client, as a new `rag`/`ask` process would start without them."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for system in list(SharedSystemClient._identifier_to_system.values()):
        try:
            system.stop()
        except Exception:
            pass
    SharedSystemClient.clear_system_cache()
    store.forget_clients()


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error:"), stderr
    assert "Traceback" not in stderr
    return lines[0]


# =====================================================================================================
# SIGKILL during indexing
# =====================================================================================================
WORDS = (
    "river mountain lantern copper violin harbor meadow glacier orchard compass falcon velvet "
    "thunder saffron marble pepper canyon ember willow anchor quartz cobalt tundra prairie"
).split()
QUERY = "river lantern copper harbor meadow"

CHILD = r"""
import sys
from rag.api import Pipeline
from rag import indexer, store, loading, chunking, manifest  # import everything before signalling "ready"
import chromadb, filelock
pipe = Pipeline(corpus=sys.argv[1], embedder="hash:64", retrieval="dense", embed_batch=2)
pipe.embedder
chunking.encoding()
print("ready", flush=True)
pipe.index(rebuild=sys.argv[2] == "1")
print("done", flush=True)
"""


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."


def _document(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(3, 8))))
    return "\n\n".join(paragraphs) + "\n"


def corpus_versions(seed: int = 7) -> tuple[dict[str, str], dict[str, str]]:
    """(old, new) file name -> text: 30 files; then 10 changed, 5 added, 3 deleted."""
    rng = random.Random(seed)
    old = {f"f{i:02d}.{'md' if i % 4 == 0 else 'txt'}": _document(rng) for i in range(30)}
    new = dict(old)
    names = sorted(old)
    for name in names[:10]:
        text = old[name]
        kind = rng.choice(["append", "prepend", "rewrite", "middle"])
        if kind == "append":
            new[name] = text + _sentence(rng) + "\n"
        elif kind == "prepend":
            new[name] = _sentence(rng) + "\n\n" + text
        elif kind == "middle":
            cut = text.find(". ", len(text) // 2) + 2
            new[name] = text[:cut] + _sentence(rng) + " " + text[cut:]
        else:
            new[name] = _document(rng)
    for i in range(30, 35):
        new[f"g{i}.txt"] = _document(rng)
    for name in names[-3:]:
        del new[name]
    return old, new


def write_version(root: Path, files: dict[str, str]) -> None:
    for path in root.iterdir():
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        path = root / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def reader(corpus: Path) -> Pipeline:
    """A query-side pipeline that never indexes by itself."""
    return Pipeline(corpus=corpus, auto_index=False, **FAST)


def check_after_crash(corpus: Path, versions: list[dict[str, str]], label: str) -> list[str]:
    fresh_process_state()
    pipe = reader(corpus)
    try:
        passages = pipe.retrieve(QUERY, k=100)
        status = pipe.status()
    finally:
        pipe._reset()
    ids = [p.passage_id for p in passages]
    assert len(ids) == len(set(ids)), f"{label}: duplicate passages {sorted(i for i in ids if ids.count(i) > 1)[:3]}"
    assert passages, f"{label}: retrieval returned nothing"
    for p in passages:
        assert p.passage_id == f"{p.source}#{p.start}-{p.end}", f"{label}: {p.passage_id} vs its metadata"
        slices = [v[p.source][p.start : p.end] for v in versions if p.source in v]
        assert p.text in slices, f"{label}: {p.passage_id} is neither the old nor the new text: {p.text[:80]!r}"
    # every committed chunk stays retrievable: nothing the manifest promises has lost its vector
    assert len(passages) == status["chunks"], f"{label}: {len(passages)} retrievable, {status['chunks']} committed"
    return ids


def run_and_kill(corpus: Path, delay: float, rebuild: bool) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus), "1" if rebuild else "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        rest = proc.stdout.read()
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert "Traceback" not in err, err
    return "completed" if "done" in rest else "killed"


def test_sigkill_during_indexing_never_corrupts_the_index(tmp_path):
    corpus = tmp_path / "kill-corpus"
    corpus.mkdir()
    old, new = corpus_versions()
    write_version(corpus, old)
    first = Pipeline(corpus=corpus, embed_batch=2, **FAST).index()
    assert first.added == 30 and first.chunks_total > 30, "files of one to several chunks"
    baseline = check_after_crash(corpus, [old], "previous index")
    prev_chunks = reader(corpus).status()["chunks"]
    assert len(baseline) == prev_chunks

    rng = random.Random(20240601)
    outcomes = []
    current = new
    for trial in range(20):
        # flip between the versions after a run that completed (and sometimes after a kill), so every
        # trial has work to do and some trials resume a run that was killed before
        if trial and (outcomes[-1] == "completed" or rng.random() < 0.3):
            current = old if current is new else new
        write_version(corpus, current)
        delay = rng.uniform(0.0, 1.5)
        rebuild = rng.random() < 0.25
        outcome = run_and_kill(corpus, delay, rebuild)
        outcomes.append(outcome)
        print(trial, outcome, round(delay,2), rebuild, time.time())
        check_after_crash(corpus, [old, new], f"trial {trial} ({outcome} after {delay:.2f} s, rebuild={rebuild})")
    assert outcomes.count("killed") >= 8, f"too few trials were killed mid-run: {outcomes}"

    # a final full run repairs everything and reflects the new corpus exactly
    write_version(corpus, new)
    fresh_process_state()
    pipe = Pipeline(corpus=corpus, **FAST)
    report = pipe.index()
    assert report.skipped == []
    status = pipe.status()
    assert status["files"] == len(new) == 32
    assert status["interrupted_run"] is False
    assert report.chunks_total == status["chunks"]
    m = indexer.open_manifest(pipe.settings)
    try:
        committed = {cid: (src, start, end, text) for cid, src, start, end, _lang, text in m.db.execute('SELECT id, source, start, "end", language, text FROM chunks')}
    finally:
        m.close()
    assert {src for src, *_ in committed.values()} == set(new)
    for cid, (src, start, end, text) in committed.items():
        assert new[src][start:end] == text, f"manifest chunk {cid} does not match the file on disk"
    passages = pipe.retrieve(QUERY, k=100)
    assert {p.passage_id for p in passages} == set(committed)
    for p in passages:
        assert p.text == new[p.source][p.start : p.end]
    again = pipe.index()
    assert (again.added, again.changed, again.removed, again.chunks_embedded) == (0, 0, 0, 0)


# =====================================================================================================
# Two index runs at once
# =====================================================================================================
def _slow_corpus(root: Path, n: int) -> None:
    rng = random.Random(3)
    root.mkdir()
    for i in range(n):
        (root / f"doc{i:03d}.txt").write_text(_document(rng), encoding="utf-8")


def _rag_index(corpus: Path, extra_env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, "RAG_EMBEDDER": "hash:64", "RAG_RETRIEVAL": "dense", "RAG_EMBED_BATCH": "1", **extra_env}
    code = "import sys; from rag.cli import main; sys.argv = ['rag', 'index', sys.argv[1]]; main()"
    return subprocess.Popen([sys.executable, "-c", code, str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_lock_holder(corpus: Path, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until the first run holds the index lock (its manifest shows up)."""
    from rag.settings import load_settings

    index_dir = load_settings(corpus=corpus).index_dir
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (index_dir / indexer.NEW_MANIFEST).exists() or (index_dir / indexer.MANIFEST).exists():
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the first index run never started")


@pytest.mark.parametrize("lock_timeout", [None, "0.5"], ids=["second-waits", "second-fails-clearly"])
def test_two_concurrent_index_runs(tmp_path, lock_timeout):
    corpus = tmp_path / "busy"
    _slow_corpus(corpus, 120)
    env = {} if lock_timeout is None else {"RAG_LOCK_TIMEOUT": lock_timeout}
    first = _rag_index(corpus, env)
    try:
        _wait_for_lock_holder(corpus, first)
        second = _rag_index(corpus, env)
        out2, err2 = second.communicate(timeout=120)
        out1, err1 = first.communicate(timeout=120)
    finally:
        for p in (first,):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert first.returncode == 0, err1
    assert "Traceback" not in err1 + err2
    assert "120 added" in out1
    if lock_timeout is None:
        assert second.returncode == 0, err2
        assert "0 added, 0 changed, 0 removed, 120 unchanged files; 0 chunks embedded" in out2, "the second run waited for the first"
    else:
        assert second.returncode == 1, (out2, err2)
        line = one_error_line(err2)
        assert "lock" in line and "RAG_LOCK_TIMEOUT" in line
        assert out2 == ""
    third = _rag_index(corpus, {})
    out3, err3 = third.communicate(timeout=120)
    assert third.returncode == 0, err3
    assert "0 added, 0 changed, 0 removed, 120 unchanged files; 0 chunks embedded" in out3
    fresh_process_state()
    status = reader(corpus).status()
    assert status["files"] == 120 and status["interrupted_run"] is False
    assert len(reader(corpus).retrieve(QUERY, k=100)) == min(100, status["chunks"])
