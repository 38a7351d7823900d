"""Embed each distinct text once per indexing run, whatever vector space, file or batch asks for it again.

Copies of a file, boilerplate repeated across files, the sentences that overlapping chunks share and a
one-sentence chunk that is also its own sentence all cost one model call per embedder. A run first
:meth:`EmbedOnce.plan`s every text it will embed; a vector is then kept only until its last planned use,
so memory grows with the duplicates that are still to come, not with the corpus.
"""
from __future__ import annotations

import hashlib

import numpy as np

from .base import Embedder

Key = tuple[str, bytes]


def _key(embedder: Embedder, text: str) -> Key:
    return embedder.name, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class EmbedOnce:
    """A per-run memo of passage vectors, keyed by embedder name and text digest."""

    def __init__(self) -> None:
        self._left: dict[Key, int] = {}
        self._kept: dict[Key, np.ndarray] = {}
        self.embedded = 0  # texts a model embedded
        self.reused = 0  # texts answered from the memo (or from an equal text in the same call)

    def plan(self, embedder: Embedder, texts: list[str]) -> None:
        """Announce texts that later :meth:`embed` calls will ask for (each occurrence counts once)."""
        for text in texts:
            key = _key(embedder, text)
            self._left[key] = self._left.get(key, 0) + 1

    def embed(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        """``embedder.embed_passages(texts)``, with every distinct text not seen before embedded once."""
        keys = [_key(embedder, t) for t in texts]
        todo: dict[Key, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._kept and key not in todo:
                todo[key] = text
        fresh = dict(zip(todo, embedder.embed_passages(list(todo.values())))) if todo else {}
        self.embedded += len(todo)
        self.reused += len(texts) - len(todo)
        rows = [self._kept[key] if key in self._kept else fresh[key] for key in keys]
        for key, row in zip(keys, rows):
            left = self._left.get(key, 0) - 1
            if left > 0:
                self._left[key] = left
                self._kept.setdefault(key, np.array(row, dtype=np.float32))
            else:
                self._left.pop(key, None)
                self._kept.pop(key, None)
        return np.stack(rows).astype(np.float32, copy=False) if rows else np.zeros((0, embedder.dim), np.float32)
