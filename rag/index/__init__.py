"""Stage 4, the index: the manifest, the vector store and the indexer that keeps them in step.

Writers use :class:`rag.index.indexer.Indexer`; readers (the retrievers) get an :class:`IndexView`
from :func:`open_view`, which checks the embedder and the spaces and hides chunks an interrupted
run has not committed. Only :mod:`rag.index.store` imports chromadb.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError, empty_corpus
from . import hubs, snapshot
from .distinct import DistinctSpace
from .layout import SENTENCE_SPACES, Layout, chunk_signature, collection
from .manifest import Manifest, check_embedder, check_spaces, spaces_of
from .store import Store, open_client


@dataclass(kw_only=True)
class IndexView:
    """A read-side handle on a committed index: its manifest and one store per vector space."""

    layout: Layout
    manifest: Manifest
    spaces: dict[str, Store]
    committed: set[str] | None  # set while a run is in progress or crashed: only these chunks may be returned
    copies: dict[str, str] = field(default_factory=dict)  # chunk id -> its canonical copy (see distinct.py)
    snapshot: str | None = None  # the token of the vector snapshot the spaces read (see snapshot.py), None for Chroma
    manifest_file: int = 0  # the inode of the manifest when opened (a rebuild swaps in another file)

    def current(self) -> bool:
        """False once another run has replaced the snapshot this view reads (a Chroma view is always live)."""
        if self.snapshot is None:
            return True
        try:
            same_file = os.stat(self.manifest.path).st_ino == self.manifest_file
            return same_file and self.manifest.get("snapshot") == self.snapshot and self.manifest.get("dirty") != "1"
        except Exception:
            return False

    def canonical(self, chunk_id: str) -> str:
        return self.copies.get(chunk_id, chunk_id)

    @property
    def chunks(self) -> Store:
        return self.spaces[""]

    def close(self) -> None:
        self.manifest.close()


def open_manifest(settings, readonly: bool = True) -> Manifest | None:
    """The live manifest of ``settings.corpus``'s index, or None before the first index run."""
    path = Layout.of(settings).manifest
    return Manifest(path, readonly=readonly) if path.exists() else None


def open_view(settings, embedder_name: str) -> IndexView:
    """Open the index for queries; raises :class:`StoreError` with a hint when there is none or it does not fit."""
    layout = Layout.of(settings)
    m = open_manifest(settings)
    if m is None:
        raise StoreError(f"no index for corpus {settings.corpus_root}", hint="run `rag index`")
    try:
        inode = os.stat(m.path).st_ino
        if m.chunk_count() == 0:
            from ..load import suffixes

            raise empty_corpus(settings.corpus_root, suffixes())
        check_embedder(m, embedder_name)
        check_spaces(m, settings.retrieval)
        committed = m.all_chunk_ids() if m.get("dirty") == "1" else None
        # a lost (or recreated) store folder is reported as before, not hidden behind the snapshot
        usable = committed is None and settings.snapshot_max_vectors > 0 and m.get("store") == layout.store_stamp() != ""
        token = m.get("snapshot") if usable else None
        spaces = snapshot.open_spaces(layout.index_dir, token, spaces_of(m), m) if token else None
        if spaces is None:
            token = None
            client = open_client(settings.chroma_url, layout.chroma_path)
            base = m.get("collection") or ""
            spaces = {key: client.open(collection(base, key)) for key in spaces_of(m)}
        copies = m.copies() if m.get("copies") != "0" or committed is not None else {}
        if copies:
            spaces = {key: DistinctSpace(store, copies, m, key in SENTENCE_SPACES) for key, store in spaces.items()}
    except BaseException:
        m.close()
        raise
    return IndexView(layout=layout, manifest=m, spaces=spaces, committed=committed, copies=copies, snapshot=token, manifest_file=inode)


def store_intact(settings, layout: Layout) -> bool:
    """The embedded store folder is the one the last complete run wrote (a server is only known by asking it)."""
    stamp = layout.store_stamp()
    if not stamp:
        return False
    m = open_manifest(settings)
    if m is None:
        return False
    try:
        return m.get("store") == stamp
    finally:
        m.close()


def is_stale(settings, entries=None) -> bool:
    """True if files were added, changed or removed since the last index run (stat only, no reads).

    ``entries`` is a scan of the corpus already made (see :func:`rag.load.scan`)."""
    from .. import load

    m = open_manifest(settings)
    if m is None:
        return True
    try:
        if m.get("dirty") == "1" or m.get("chunking") != chunk_signature(settings):
            return True
        if hubs.wanted(settings) and not hubs.current(Layout.of(settings).hubs(m.get("collection") or "")):
            return True  # a hub weight was set on an index built without hub scores, or they predate the language pairs
        if m.get("snapshot") is None and not settings.chroma_url:
            return True  # built before vector snapshots: one run decides whether it gets one
        known = m.stamps()
    finally:
        m.close()
    if entries is None:
        entries, _ = load.scan(settings.corpus_root, int(settings.max_file_mb * 1e6))
    return len(entries) != len(known) or any(known.get(e.source) != (e.size, e.mtime_ns) for e in entries)


def describe(settings) -> dict[str, Any]:
    """What ``rag status`` shows of the index (``indexed: False`` before the first run)."""
    m = open_manifest(settings)
    if m is None:
        return {"indexed": False}
    try:
        return {
            "indexed": True,
            "index_embedder": m.get("embedder"),
            "dim": int(m.get("dim") or 0),
            "files": m.file_count(),
            "chunks": m.chunk_count(),
            "collection": m.get("collection"),
            "interrupted_run": m.get("dirty") == "1",
        }
    finally:
        m.close()
