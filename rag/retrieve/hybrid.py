"""Hybrid retrieval: dense and BM25 rankings fused by reciprocal rank."""
from __future__ import annotations

import time

from ..index import IndexView
from ..index.lexical import LexicalIndex
from .base import Retrieval, committed_passages
from .dense import DenseRetriever

RRF_K = 60


class HybridRetriever:
    """Reciprocal-rank fusion of the dense ranking and the BM25 ranking (``rank_score`` is the RRF sum)."""

    name = "hybrid"

    def __init__(self, dense: DenseRetriever, view: IndexView, bm25_weight: float, depth: int = 30):
        path = view.layout.lexical(view.manifest.get("collection") or "")
        self.dense = dense
        self.view = view
        self.lexical = LexicalIndex(path) if path.exists() else None
        self.weight = bm25_weight
        self.depth = depth

    def retrieve(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        vector = self.dense.embedder.embed_queries([question])[0]
        t1 = time.perf_counter()
        depth = max(self.depth, k)
        dense = self.dense.search(vector, depth)
        if self.lexical is None:  # an index built for dense retrieval: nothing to fuse
            return Retrieval(passages=dense[:k], timings_ms={"embed": (t1 - t0) * 1000, "search": (time.perf_counter() - t1) * 1000})
        lexical = self.lexical.search(question, depth)
        fused: dict[str, float] = {}
        for rank, p in enumerate(dense):
            fused[p.passage_id] = fused.get(p.passage_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        ranked = list(dict.fromkeys(self.view.canonical(cid) for cid, _ in lexical))  # copies answer as one
        for rank, cid in enumerate(ranked):
            fused[cid] = fused.get(cid, 0.0) + self.weight / (RRF_K + rank + 1)
        order = sorted(fused, key=lambda cid: -fused[cid])[:k]
        passages = committed_passages(self.view, [(cid, fused[cid]) for cid in order], {p.passage_id: p for p in dense}, vector)
        return Retrieval(passages=passages, timings_ms={"embed": (t1 - t0) * 1000, "search": (time.perf_counter() - t1) * 1000})
