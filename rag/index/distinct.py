"""Copies answer as one: identical chunks in several files are searched as a single passage.

The index keeps one vector per copy, so every ``passage_id`` names a real place in a real file, each
file commits (and is deleted) on its own, and crash safety stays per file. Searches see the copies
through :class:`DistinctSpace`: every copy's hit becomes a hit of the canonical copy (the smallest
chunk id with that content, the same one in every vector space), repeats are dropped, and the search
reaches deeper until it has ``n`` distinct hits, so a hundred copies of a footer take one place in
the results and never push other documents out.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .layout import chunk_of
from .manifest import Manifest
from .spaces import chunk_meta
from .store import Hit, Store


def canonical(copies: dict[str, str], hit_id: str, sentences: bool) -> str:
    """The id of the canonical copy's chunk (or sentence, ``<chunk id>@<i>``) for a hit on any copy."""
    if sentences:
        chunk, i = hit_id.rsplit("@", 1)
        return f"{copies[chunk]}@{i}" if chunk in copies else hit_id
    return copies.get(hit_id, hit_id)


class DistinctSpace:
    """A read-only view of one vector space in which the copies of a chunk answer as the canonical copy."""

    def __init__(self, store: Store, copies: dict[str, str], manifest: Manifest, sentences: bool):
        self.store = store
        self.sentences = sentences
        self.copies = copies
        self.manifest = manifest
        self.name = store.name

    def query(self, vector: np.ndarray, n: int, *, documents: bool = True) -> list[Hit]:
        fetch = n
        while True:
            hits = self.store.query(vector, fetch, documents=documents)
            out = self._collapse(hits, documents)
            if len(out) >= n or len(hits) < fetch:
                return out[:n]
            fetch *= 4

    def _collapse(self, hits: list[Hit], documents: bool) -> list[Hit]:
        seen: set[str] = set()
        out: list[Hit] = []
        renamed: list[int] = []
        for hit in hits:
            cid = canonical(self.copies, hit.id, self.sentences)
            if cid in seen:
                continue
            seen.add(cid)
            if cid != hit.id:
                renamed.append(len(out))
                hit = replace(hit, id=cid)
            out.append(hit)
        if documents and renamed:
            self._relocate(out, renamed)
        return out

    def _relocate(self, hits: list[Hit], renamed: list[int]) -> None:
        """Give renamed hits the canonical copy's metadata (source, offsets, locator)."""
        owner_of = chunk_of if self.sentences else (lambda cid: cid)
        chunks = self.manifest.chunks(sorted({owner_of(hits[i].id) for i in renamed}))
        for i in renamed:
            owner = chunks.get(owner_of(hits[i].id))
            if owner is not None:
                meta = {"chunk_id": owner.id, "source": owner.source} if self.sentences else chunk_meta(owner)
                hits[i] = replace(hits[i], meta=meta)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)
