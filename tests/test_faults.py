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
from conftest import fresh_process_state
from typer.testing import CliRunner

from rag import index as indexer
from rag.api import Pipeline
from rag.cli import ask_app
from rag.errors import BackendError

FAST = {"embedder": "hash:64", "retrieval": "dense"}




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
from rag.index import manifest, spaces

def checkpoint(name, fn):
    # announce every write to the store or the manifest, before and after it, then wait for the test's
    # "go": the test kills the process at a checkpoint it chose, whatever the machine's speed
    def wrapped(*args, **kwargs):
        for when in ("before", "after"):
            print(f"at {when} {name}", flush=True)
            if sys.stdin.readline().strip() != "go":
                sys.exit(3)
            if when == "before":
                result = fn(*args, **kwargs)
        return result
    return wrapped

for cls, names in ((spaces.Stores, ("upsert", "copy", "delete", "collect_garbage")),
                   (manifest.Manifest, ("set", "commit_file", "touch_file", "remove_file"))):
    for name in names:
        setattr(cls, name, checkpoint(f"{cls.__name__}.{name}", getattr(cls, name)))
pipe = Pipeline(corpus=sys.argv[1], embedder="hash:64", retrieval="dense", embed_batch=2)
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


def run_and_kill(corpus: Path, at: int, rebuild: bool = False) -> str:
    """Run an index run in a child process and SIGKILL it at its ``at``-th write checkpoint
    (before or after a store or manifest write); "completed" if the run had fewer checkpoints."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus), "1" if rebuild else "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    outcome, seen = "", 0
    try:
        for line in proc.stdout:
            if line.startswith("at "):
                seen += 1
                if seen == at:
                    proc.send_signal(signal.SIGKILL)
                    outcome = "killed"
                    break
                proc.stdin.write("go\n")
                proc.stdin.flush()
            elif line.strip() == "done":
                outcome = "completed"
        proc.wait(timeout=60)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert "Traceback" not in err, err
    assert outcome, f"the child ended without finishing or being killed (exit {proc.returncode}): {err[-500:]}"
    return outcome


def test_sigkill_during_incremental_indexing_never_corrupts_the_index(tmp_path):
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
        at = rng.randint(1, 80)
        outcome = run_and_kill(corpus, at)
        outcomes.append(outcome)
        check_after_crash(corpus, [old, new], f"trial {trial} ({outcome} at write checkpoint {at})")
    # the kill points are checkpoints, not times: the same trials die mid-run on any machine
    assert outcomes.count("killed") >= 10, f"too few trials were killed mid-run: {outcomes}"

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


CRASH_AFTER_COMMITS = r"""
import os, signal, sys
from rag.index import indexer
from rag.api import Pipeline
original = indexer.Indexer._commit
done = [0]
def commit(self, m, store, job):
    original(self, m, store, job)
    done[0] += 1
    if done[0] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)  # dies with committed manifest transactions still in the WAL
indexer.Indexer._commit = commit
Pipeline(corpus=sys.argv[1], embedder="hash:64", retrieval="dense").index()
"""


def _cli(args: list[str], **env: str) -> subprocess.CompletedProcess:
    code = "import sys; from rag.cli import main; sys.argv = ['rag', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "RAG_EMBEDDER": "hash:64", "RAG_RETRIEVAL": "dense", **env},
    )


def test_killed_incremental_run_leaves_a_wal_that_rebuild_must_survive(tmp_path):
    """A deterministic kill between two file commits, then the recommended `rag index --rebuild`."""
    corpus = tmp_path / "wal-corpus"
    corpus.mkdir()
    old, new = corpus_versions()
    write_version(corpus, old)
    Pipeline(corpus=corpus, **FAST).index()
    write_version(corpus, new)
    crashed = subprocess.run([sys.executable, "-c", CRASH_AFTER_COMMITS, str(corpus), "3"], capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    fresh_process_state()
    check_after_crash(corpus, [old, new], "after the killed incremental run")  # the crash itself is handled
    index_dir = reader(corpus).settings.index_dir
    assert (index_dir / "manifest.sqlite-wal").exists(), "precondition: the killed run left its WAL behind"

    rebuilt = Pipeline(corpus=corpus, **FAST).index(rebuild=True)  # what the error hints recommend
    assert rebuilt.added == len(new)
    _check_rebuilt_index(corpus, new)


def _check_rebuilt_index(corpus: Path, new: dict[str, str]) -> None:
    fresh_process_state()
    status = reader(corpus).status()
    assert status["interrupted_run"] is False, "the new manifest inherited the dirty flag of the old one"
    assert status["files"] == len(new)
    ids = check_after_crash(corpus, [new], "after the rebuild")
    assert len(ids) == status["chunks"]
    again = _cli(["index", str(corpus)])
    assert again.returncode == 0, again.stderr
    assert "0 chunks embedded" in again.stdout


# =====================================================================================================
# Two index runs at once
# =====================================================================================================
GATED_INDEX = r"""
import sys, time
from pathlib import Path
from rag.embed import hashing
gate = Path(sys.argv[2])
original = hashing.HashEmbedder.embed_passages
def gated(self, texts):
    (gate.parent / "holding").touch()  # we are embedding, so we hold the index lock
    while not gate.exists():
        time.sleep(0.02)
    return original(self, texts)
hashing.HashEmbedder.embed_passages = gated
from rag.cli import main
sys.argv = ["rag", "index", sys.argv[1]]
main()
"""
INDEX = "import sys; from rag.cli import main; sys.argv = ['rag', 'index', sys.argv[1]]; main()"
# the same, but announcing (with a marker file) that it is about to wait for the index lock
INDEX_ANNOUNCING_LOCK = r"""
import sys
from pathlib import Path
import filelock
marker = Path(sys.argv[2])
original = filelock.FileLock.acquire
def acquire(self, *args, **kwargs):
    if str(self.lock_file).endswith("index.lock"):
        marker.touch()
    return original(self, *args, **kwargs)
filelock.FileLock.acquire = acquire
from rag.cli import main
sys.argv = ["rag", "index", sys.argv[1]]
main()
"""


def _spawn(code: str, *args: str, **env: str) -> subprocess.Popen:
    env = {**os.environ, "RAG_EMBEDDER": "hash:64", "RAG_RETRIEVAL": "dense", "RAG_EMBED_BATCH": "1", **env}
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_until(predicate, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, f"exited before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


@pytest.mark.parametrize("lock_timeout", [None, "0.5"], ids=["second-waits", "second-fails-clearly"])
def test_two_concurrent_index_runs(tmp_path, lock_timeout):
    corpus = tmp_path / "busy"
    corpus.mkdir()
    old, _ = corpus_versions(seed=11)
    write_version(corpus, old)
    gate = tmp_path / "gate" / "open"
    gate.parent.mkdir()
    env = {} if lock_timeout is None else {"RAG_LOCK_TIMEOUT": lock_timeout}
    first = _spawn(GATED_INDEX, str(corpus), str(gate), **env)
    second = None
    try:
        _wait_until((gate.parent / "holding").exists, first, "the first run holds the lock")
        waiting = gate.parent / "second-at-lock"
        second = _spawn(INDEX_ANNOUNCING_LOCK, str(corpus), str(waiting), **env)
        _wait_until(waiting.exists, second, "the second run reaches the lock")
        if lock_timeout is None:
            time.sleep(1.0)
            assert second.poll() is None, "the second run must wait, not fail"
        else:
            second.wait(timeout=60)
        gate.touch()
        out1, err1 = first.communicate(timeout=60)
        out2, err2 = second.communicate(timeout=60)
    finally:
        gate.touch()
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "Traceback" not in err1 + err2
    assert first.returncode == 0, err1
    assert "30 added" in out1
    if lock_timeout is None:
        assert second.returncode == 0, err2
        assert "0 added, 0 changed, 0 removed, 30 unchanged files; 0 chunks embedded" in out2, "the second run waited for the first"
    else:
        assert second.returncode == 1, (out2, err2)
        line = one_error_line(err2)
        assert "another index run holds the lock" in line and "RAG_LOCK_TIMEOUT" in line
        assert out2 == ""
    third = _spawn(INDEX, str(corpus))
    out3, err3 = third.communicate(timeout=120)
    assert third.returncode == 0, err3
    assert "0 added, 0 changed, 0 removed, 30 unchanged files; 0 chunks embedded" in out3
    fresh_process_state()
    status = reader(corpus).status()
    assert status["files"] == 30 and status["interrupted_run"] is False
    check_after_crash(corpus, [old], "after two concurrent runs")


# =====================================================================================================
# A misbehaving LLM server
# =====================================================================================================
QUESTION = "Der Kuchen braucht Eier und Mehl?"
GOOD_REPLY = "Der Kuchen braucht drei Eier und Mehl [1]."
SECRET_KEY = "sk-test-SECRET123"


def _completion(text: str) -> dict:
    return {"id": "c1", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5}}


class FakeLLMServer:
    """A real HTTP server on 127.0.0.1 speaking (or failing to speak) the OpenAI chat API."""

    def __init__(self, behaviour: str):
        self.behaviour = behaviour
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                outer.respond(self, len(outer.requests))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.handle_error = lambda request, address: None  # a client that timed out closed the socket
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def respond(self, h: BaseHTTPRequestHandler, n: int) -> None:
        b = self.behaviour
        if b == "hang":
            time.sleep(3.0)  # longer than llm_timeout=1
            return self._send(h, 200, _completion(GOOD_REPLY))
        if b == "slow":
            time.sleep(0.2)  # well within llm_timeout=1
            return self._send(h, 200, _completion(GOOD_REPLY))
        if b == "500-then-ok":
            return self._send(h, 500, {"error": "boom"}) if n == 1 else self._send(h, 200, _completion(GOOD_REPLY))
        if b == "429":
            return self._send(h, 429, {"error": {"message": "rate limited"}})
        if b == "bad-json":
            return self._send(h, 200, b'{"choices": [{"message": {"content": "truncated')
        if b == "no-choices":
            return self._send(h, 200, {"id": "c1", "object": "chat.completion"})
        if b == "empty":
            return self._send(h, 200, _completion(""))
        if b == "400":
            return self._send(h, 400, {"error": {"message": "unknown model 'test'"}})
        if b == "401":
            # a careless server that echoes the credentials it got
            return self._send(h, 401, {"error": {"message": f"invalid credentials: {h.headers.get('Authorization')}"}})
        if b == "401-long":
            # the echoed key straddles the point where the client truncates the error body
            auth = h.headers.get("Authorization") or ""
            return self._send(h, 401, ("x" * (200 - len("Bearer sk-test-SEC")) + auth + " rejected").encode())
        raise AssertionError(b)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, payload) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fast_backoff(monkeypatch):
    """Keep the real retry logic but shorten its sleeps (0.5 s -> 0.05 s base)."""
    from rag.llms import http

    defaults = dict(http.JsonClient.__init__.__kwdefaults__)
    monkeypatch.setattr(http.JsonClient.__init__, "__kwdefaults__", {**defaults, "backoff": 0.05})


@pytest.fixture
def llm_corpus(small_corpus):
    Pipeline(corpus=small_corpus, **FAST).index()
    return small_corpus


def _llm_pipe(corpus: Path, base_url: str, **overrides) -> Pipeline:
    return Pipeline(corpus=corpus, llm="openai:test", llm_base_url=base_url, llm_timeout=1, llm_retries=2, min_evidence=0.0, min_answerable=0.0, **FAST, **overrides)


# behaviour -> (words the error must name, retried?)
FAILURES = {
    "refused": ("unreachable", True),
    "hang": ("timed out", True),
    "429": ("HTTP 429", True),
    "bad-json": ("not JSON", True),
    "no-choices": ("malformed completion", False),
    "empty": ("empty completion", False),
    "400": ("HTTP 400", False),
    "401": ("HTTP 401", False),
}


@pytest.mark.parametrize("behaviour", list(FAILURES))
def test_llm_server_failures(behaviour, llm_corpus, fast_backoff, monkeypatch):
    monkeypatch.setenv("RAG_LLM_API_KEY", SECRET_KEY)
    expected, retried = FAILURES[behaviour]
    server = None if behaviour == "refused" else FakeLLMServer(behaviour)
    if server is None:
        from bench.servers import free_port

        base_url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    else:
        base_url = server.base_url
    attempts = 3 if retried else 1  # llm_retries=2
    seen: list[str] = []
    try:
        # 1. fallback (the default): an extractive answer, with a warning naming the failure
        answer = _llm_pipe(llm_corpus, base_url).ask(QUESTION)
        assert answer.llm.startswith("extractive (fallback"), answer.llm
        assert answer.citations and not answer.abstained
        assert any(expected in w and "openai:test failed" in w for w in answer.warnings), answer.warnings
        assert all(c.quote in {p.passage_id: p.text for p in answer.passages}[c.passage_id] for c in answer.citations)
        seen += [json.dumps(answer.to_dict(), ensure_ascii=False), *answer.warnings]
        if server:
            assert len(server.requests) == attempts, f"{len(server.requests)} requests"
            assert server.requests[0]["path"] == "/v1/chat/completions"
            assert server.requests[0]["auth"] == f"Bearer {SECRET_KEY}"
            server.requests.clear()

        # 2. no fallback: BackendError with a one-line message
        with pytest.raises(BackendError) as info:
            _llm_pipe(llm_corpus, base_url, llm_fallback=False).ask(QUESTION)
        line = info.value.one_line()
        assert expected in line and "\n" not in line and line.startswith("error:")
        seen += [str(info.value), line, repr(info.value)]
        if server:
            assert len(server.requests) == attempts
            server.requests.clear()

        # 3. the CLI: exit 1, one line on stderr, nothing on stdout
        for key, value in {
            "RAG_CORPUS": str(llm_corpus), "RAG_EMBEDDER": "hash:64", "RAG_RETRIEVAL": "dense", "RAG_LLM": "openai:test",
            "RAG_LLM_BASE_URL": base_url, "RAG_LLM_TIMEOUT": "1", "RAG_LLM_RETRIES": "2", "RAG_MIN_EVIDENCE": "0", "RAG_MIN_ANSWERABLE": "0", "RAG_LLM_FALLBACK": "false",
        }.items():
            monkeypatch.setenv(key, value)
        result = CliRunner().invoke(ask_app, [QUESTION, "--json"])
        assert result.exit_code == 1, result.output
        assert expected in one_error_line(result.stderr)
        assert result.stdout == ""
        seen += [result.stdout, result.stderr]
        if server:
            assert len(server.requests) == attempts
    finally:
        if server:
            server.close()
    leaked = [s for s in seen if "SECRET123" in s]
    assert not leaked, leaked


@pytest.mark.parametrize("behaviour,requests", [("slow", 1), ("500-then-ok", 2)])
def test_llm_server_recovers(behaviour, requests, llm_corpus, fast_backoff):
    server = FakeLLMServer(behaviour)
    try:
        answer = _llm_pipe(llm_corpus, server.base_url, llm_fallback=False).ask(QUESTION)
    finally:
        server.close()
    assert len(server.requests) == requests, "a 500 is retried once and then succeeds"
    assert answer.llm == "openai:test"
    assert not any("failed" in w for w in answer.warnings), answer.warnings
    assert not answer.abstained
    assert answer.citations and answer.citations[0].passage_id == answer.passages[0].passage_id
    assert "Der Kuchen braucht drei Eier und Mehl" in answer.answer
    assert answer.prompt_tokens == 10


def test_api_key_cut_by_error_truncation_does_not_leak(llm_corpus, fast_backoff, monkeypatch):
    """The error body is cut to 200 characters: the key must be masked before the cut, not after."""
    monkeypatch.setenv("RAG_LLM_API_KEY", SECRET_KEY)
    server = FakeLLMServer("401-long")
    try:
        with pytest.raises(BackendError) as info:
            _llm_pipe(llm_corpus, server.base_url, llm_fallback=False).ask(QUESTION)
    finally:
        server.close()
    assert len(server.requests) == 1
    text = info.value.one_line()
    assert "HTTP 401" in text
    assert "SEC" not in text.replace("Bearer ***", ""), text


# =====================================================================================================
# Sustained load
# =====================================================================================================
def test_sustained_load_keeps_memory_and_file_descriptors_flat(tmp_path):
    psutil = pytest.importorskip("psutil")
    corpus = tmp_path / "load"
    corpus.mkdir()
    rng = random.Random(5)
    for i in range(20):
        (corpus / f"n{i:02d}.txt").write_text(_document(rng), encoding="utf-8")
    pipe = Pipeline(corpus=corpus, min_evidence=0.0, min_answerable=0.0, **FAST)  # extractive; every question goes through evidence scoring
    pipe.index()
    questions = [" ".join(rng.sample(WORDS, 4)) + f" number {i}?" for i in range(400)]
    proc = psutil.Process()

    def ask(q: str):
        answer = pipe.ask(q)
        assert answer.passages and answer.citations, q
        ids = {p.passage_id for p in answer.passages}
        assert all(c.passage_id in ids for c in answer.citations)
        return answer

    for q in questions[:10]:  # warm-up
        ask(q)
    rss, fds = {}, {}
    for n, q in enumerate(questions[10:200], 11):
        ask(q)
        if n in (50, 200):
            gc.collect()
            rss[n], fds[n] = proc.memory_info().rss, proc.num_fds()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, questions[200:]))
    assert len(answers) == 200
    assert all(a.question == q for a, q in zip(answers, questions[200:])), "answers come back to the right caller"
    gc.collect()
    rss["end"], fds["end"] = proc.memory_info().rss, proc.num_fds()
    growth_mb = (rss[200] - rss[50]) / 1e6
    assert growth_mb < 50, f"RSS grew {growth_mb:.1f} MB between question 50 and 200"
    assert (rss["end"] - rss[50]) / 1e6 < 80, f"RSS grew {(rss['end'] - rss[50]) / 1e6:.1f} MB by question 400"
    assert fds[200] - fds[50] <= 10 and fds["end"] - fds[50] <= 10, fds
