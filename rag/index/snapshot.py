"""A memory-mapped copy of a small index's vectors, so that a new process answers without opening Chroma.

Importing chromadb and opening its store costs a cold ``ask`` about 0.6 s. At the end of an index run
that leaves the index clean, the vectors of every space are written to ``snapshot-<token>/`` beside
the manifest (``<space>.ids.npy``: the ids, sorted; ``<space>.vectors.npy``: one float32 row per id) and
the manifest records the token in the same transaction that marks the run complete. Readers use a
snapshot only when the manifest is clean and names it, so they see exactly the committed index;
otherwise (a run in progress or interrupted, a Chroma server, an index above
``snapshot_max_vectors``) they search Chroma as before. Search is exact (a matrix product), so it
returns what HNSW approximates. Chroma stays the store that every write goes to.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StoreError
from ..chunk import sentence_units
from .layout import SENTENCE_SPACES, chunk_of
from .manifest import Manifest
from .spaces import chunk_meta
from .store import Hit, Store

PREFIX = "snapshot-"


def _stem(key: str) -> str:
    return key or "chunks"


def write(index_dir: Path, stores: dict[str, Store]) -> str:
    """Write the vectors of ``stores`` (space key -> store) to a new snapshot folder; returns its token."""
    token = uuid.uuid4().hex[:12]
    tmp = index_dir / f".{PREFIX}{token}.tmp"
    tmp.mkdir(parents=True)
    try:
        for key, store in stores.items():
            ids = sorted(store.ids(), key=lambda i: i.encode("utf-8", "surrogatepass"))
            found = store.vectors(ids)
            ids = [i for i in ids if i in found]
            rows = np.stack([found[i] for i in ids]).astype(np.float32) if ids else np.zeros((0, 0), np.float32)
            np.save(tmp / f"{_stem(key)}.ids.npy", np.array([i.encode("utf-8", "surrogatepass") for i in ids], dtype=bytes))
            np.save(tmp / f"{_stem(key)}.vectors.npy", rows)
        os.rename(tmp, index_dir / f"{PREFIX}{token}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return token


def remove_stale(index_dir: Path, keep: str | None) -> None:
    """Delete snapshot folders other than ``keep`` (a reader that mapped one keeps its pages)."""
    for path in index_dir.glob(f"{PREFIX}*"):
        if path.name != f"{PREFIX}{keep}":
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(f".{PREFIX}*.tmp"):
        shutil.rmtree(path, ignore_errors=True)


def open_spaces(index_dir: Path, token: str, keys: list[str], manifest: Manifest) -> dict[str, "SnapshotStore"] | None:
    """The snapshot's spaces, or None when it is gone (a newer run replaced it) or unreadable."""
    folder = index_dir / f"{PREFIX}{token}"
    try:
        return {key: SnapshotStore(folder, key, manifest) for key in keys}
    except (OSError, ValueError):
        return None


class SnapshotStore:
    """One vector space, read-only, from a snapshot: exact cosine search over memory-mapped rows."""

    def __init__(self, folder: Path, key: str, manifest: Manifest):
        self.name = f"{folder.name}/{_stem(key)}"
        self.sentences = key in SENTENCE_SPACES
        self.manifest = manifest
        self._ids = np.load(folder / f"{_stem(key)}.ids.npy", mmap_mode="r")
        self._rows = np.load(folder / f"{_stem(key)}.vectors.npy", mmap_mode="r")
        if len(self._ids) != len(self._rows):
            raise ValueError(f"snapshot {self.name} is damaged")

    def query(self, vector: np.ndarray, n: int, *, documents: bool = True) -> list[Hit]:
        count = len(self._ids)
        n = min(n, count)
        if n <= 0:
            return []
        scores = self._rows @ np.asarray(vector, np.float32)
        top = np.argpartition(-scores, n - 1)[:n] if n < count else np.arange(count)
        top = top[np.lexsort((top, -scores[top]))]  # best first; equal scores in id order
        ids = [self._ids[i].decode("utf-8", "surrogatepass") for i in top]
        hits = [Hit(cid, float(scores[i])) for cid, i in zip(ids, top)]
        return self._documents(hits) if documents else hits

    def _documents(self, hits: list[Hit]) -> list[Hit]:
        """Texts and metadata from the manifest (what Chroma stores beside each vector)."""
        owner = chunk_of if self.sentences else (lambda cid: cid)
        chunks = self.manifest.chunks(sorted({owner(h.id) for h in hits}))
        out = []
        for h in hits:
            c = chunks.get(owner(h.id))
            if c is None:
                continue
            if self.sentences:
                units = sentence_units(c.text)
                i = int(h.id.rsplit("@", 1)[1])
                out.append(Hit(h.id, h.score, units[i] if i < len(units) else "", {"chunk_id": c.id, "source": c.source}))
            else:
                out.append(Hit(h.id, h.score, c.text, chunk_meta(c)))
        return out

    def _rows_of(self, ids: list[str]) -> dict[str, int]:
        keys = np.array([i.encode("utf-8", "surrogatepass") for i in ids], dtype=bytes) if ids else np.zeros(0, "S1")
        at = np.searchsorted(self._ids, keys)
        out = {}
        for cid, key, i in zip(ids, keys, at):
            if i < len(self._ids) and self._ids[i] == key:
                out[cid] = int(i)
        return out

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        return {cid: np.array(self._rows[i]) for cid, i in self._rows_of(ids).items()}

    def metadatas(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        present = list(self._rows_of(ids))
        return {h.id: h.meta or {} for h in self._documents([Hit(cid, 0.0) for cid in present])}

    def ids(self) -> list[str]:
        return [i.decode("utf-8", "surrogatepass") for i in self._ids]

    def count(self) -> int:
        return len(self._ids)

    def _read_only(self, *args, **kwargs):
        raise StoreError("the vector snapshot is read-only", hint="index runs write to Chroma")

    upsert = delete = update_meta = _read_only
