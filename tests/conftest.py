"""Shared fixtures: every test gets its own RAG_HOME (and the session one RAG_CACHE_DIR); nothing is written to the user's home."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def fresh_process_state() -> None:
    """Forget every cached Chroma client, as a new `rag`/`ask` process would start without them."""
    from chromadb.api.shared_system_client import SharedSystemClient

    from rag.index import store

    for system in list(SharedSystemClient._identifier_to_system.values()):
        try:
            system.stop()
        except Exception:
            pass
    SharedSystemClient.clear_system_cache()
    store.forget_clients()


def require_gguf(module: str) -> Path:
    """The test GGUF (RAG_TEST_GGUF, or where scripts/fetch_test_model.py caches it); skips the test
    when ``module`` (the llamacpp extra) or the model file is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install 'rag-ask[llamacpp]')")
    path = Path(os.environ.get("RAG_TEST_GGUF") or Path.home() / ".cache" / "rag-models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    if not path.is_file():
        pytest.skip("no GGUF model: run scripts/fetch_test_model.py or set RAG_TEST_GGUF")
    return path


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """One cache of unpacked model files for the whole session (never the user's own cache)."""
    return tmp_path_factory.mktemp("ragcache")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch, model_cache):
    home = tmp_path_factory.mktemp("raghome")
    for var in list(os.environ):
        if var.startswith("RAG_"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RAG_HOME", str(home))
    monkeypatch.setenv("RAG_CACHE_DIR", str(model_cache))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))  # no stray ./rag.toml
    yield home
    from rag.index import store

    store.forget_clients()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    for p in target.iterdir():
        p.chmod(0o644)
    return target


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Three short multilingual notes."""
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.txt").write_text("The cat sat on the mat. It was a sunny day in Paris.\n", encoding="utf-8")
    (root / "b.md").write_text("# Rezept\n\nDer Kuchen braucht drei Eier und Mehl. Backen Sie ihn 40 Minuten.\n", encoding="utf-8")
    (root / "c.txt").write_text("Поезд отправляется в восемь утра. Билеты продаются на вокзале.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def seeds_pipeline(tmp_path_factory, model_cache):
    """A pipeline over the real seeds with the real default embedder and embedded Chroma, indexed once."""
    from rag.api import Pipeline
    from rag.settings import Settings

    home = tmp_path_factory.mktemp("seedshome")
    settings = Settings(corpus=SEEDS, home=home, cache_dir=model_cache)
    pipe = Pipeline(settings)
    pipe.index()
    return pipe
