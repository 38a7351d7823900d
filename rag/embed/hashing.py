"""A deterministic bag-of-words hashing embedder: no model, instant; for smoke tests and CI."""
from __future__ import annotations

import hashlib
import re

import numpy as np

from .base import normalise


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
        return normalise(out + 1e-6)

    embed_queries = _embed
    embed_passages = _embed
