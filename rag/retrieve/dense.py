"""Dense retrieval: cosine search of the chunk vectors in the store."""
from __future__ import annotations

import time

import numpy as np

from ..embed import Embedder
from ..index import IndexView
from ..index.store import Hit
from ..types import Locator, Passage
from .base import Retrieval, with_contexts


def _passage(hit: Hit) -> Passage:
    meta = hit.meta or {}
    page, line = meta.get("page"), meta.get("line")
    return Passage(
        passage_id=hit.id, source=str(meta.get("source", "")), score=hit.score, text=hit.text, language=str(meta.get("language", "")),
        start=int(meta.get("start", 0)), end=int(meta.get("end", 0)), rank_score=hit.score,
        locator=Locator(page=int(page) if page is not None else None, section=meta.get("section") or None, line=int(line) if line is not None else None),
    )


class DenseRetriever:
    """The chunks whose vectors (main embedder) are nearest the question's."""

    name = "dense"

    def __init__(self, view: IndexView, embedder: Embedder):
        self.view = view
        self.embedder = embedder

    def search(self, vector: np.ndarray, n: int) -> list[Passage]:
        committed = self.view.committed
        fetch = n * 3 if committed is not None else n
        hits = self.view.chunks.query(vector, fetch)
        return [_passage(h) for h in hits if committed is None or h.id in committed][:n]

    def retrieve(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        vector = self.embedder.embed_queries([question])[0]
        t1 = time.perf_counter()
        passages = with_contexts(self.view, self.search(vector, k))
        return Retrieval(passages=passages, timings_ms={"embed": (t1 - t0) * 1000, "search": (time.perf_counter() - t1) * 1000})
