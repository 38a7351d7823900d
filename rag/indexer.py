"""Incremental, crash-safe indexing of a corpus folder into Chroma.

Safety rules, in the order things happen:

* One index run at a time per corpus (a file lock); a second run waits, then fails clearly.
* A first build or ``--rebuild`` writes a new manifest and a new collection side by side and
  swaps them in with one ``os.replace`` at the end: the old index serves until then, and an
  interrupted build resumes where it stopped.
* An incremental run commits file by file: vectors are upserted first, then the manifest
  commits the file, then stale vectors are deleted. While a run is in progress (or after a
  crash) queries only return chunks the manifest has committed, and the next run removes
  whatever the crash left behind.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import chunking, loading
from .embedders import Embedder
from .errors import EmbedderMismatchError, IndexBusyError, StoreError
from .manifest import SCHEMA_VERSION, Manifest
from .settings import Settings
from .store import ChromaStore, chroma_client, drop_collection, list_collections
from .types import Chunk, IndexReport

Progress = Callable[[str, int, int], None]

MANIFEST = "manifest.sqlite"
NEW_MANIFEST = "manifest.new.sqlite"


def chroma_path(settings: Settings) -> Path | None:
    return None if settings.chroma_url else settings.index_dir / "chroma"


def collection_prefix(settings: Settings) -> str:
    return f"rag-{settings.corpus_key}"


def open_manifest(settings: Settings, readonly: bool = True) -> Manifest | None:
    path = settings.index_dir / MANIFEST
    if not path.exists():
        return None
    return Manifest(path, readonly=readonly)


def check_embedder(manifest: Manifest, embedder_name: str) -> None:
    built = manifest.get("embedder")
    if built and built != embedder_name:
        raise EmbedderMismatchError(
            f"the index was built with embedder '{built}' ({manifest.get('dim')} dims), not '{embedder_name}'",
            hint=f"use --embedder {built}, or run `rag index --rebuild --embedder {embedder_name}`",
        )


@dataclass
class _FileJob:
    entry: loading.FileEntry
    sha: str
    chunks: list[Chunk]
    old_ids: dict[str, str]
    missing: set[str] = field(default_factory=set)
    is_new: bool = True


class Indexer:
    """Brings the index of ``settings.corpus`` up to date with the files on disk."""

    def __init__(self, settings: Settings, embedder: Embedder, progress: Progress | None = None):
        self.settings = settings
        self.embedder = embedder
        self.progress = progress or (lambda phase, done, total: None)
        self.report = IndexReport()

    # --- entry point -----------------------------------------------------------
    def run(self, rebuild: bool = False) -> IndexReport:
        from filelock import FileLock, Timeout

        started = time.perf_counter()
        s = self.settings
        root = s.corpus_root
        entries, skipped = loading.scan(root, int(s.max_file_mb * 1e6))
        s.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(s.index_dir / "index.lock"))
        try:
            lock.acquire(timeout=s.lock_timeout)
        except Timeout:
            raise IndexBusyError(
                f"another index run holds the lock on {s.index_dir}", hint="wait for it to finish, or raise RAG_LOCK_TIMEOUT"
            ) from None
        try:
            self.report.skipped = [str(x) for x in skipped]
            manifest, store, swap = self._open(rebuild)
            try:
                self._sync(manifest, store, entries)
                self._finish(manifest, store, swap)
            finally:
                manifest.close()
        finally:
            lock.release()
        self.report.seconds = time.perf_counter() - started
        return self.report

    # --- opening ---------------------------------------------------------------
    def _open(self, rebuild: bool) -> tuple[Manifest, ChromaStore, bool]:
        """The manifest and store to write into; ``swap`` means they replace the live ones at the end."""
        s = self.settings
        client = chroma_client(s, chroma_path(s))
        live = s.index_dir / MANIFEST
        new = s.index_dir / NEW_MANIFEST
        if live.exists() and not rebuild:
            m = Manifest(live)
            check_embedder(m, self.embedder.name)
            store = ChromaStore(client, m.get("collection") or "", create=True)
            if m.get("dirty") == "1":
                self._collect_garbage(m, store)
            if (m.get("chunk_tokens"), m.get("chunk_overlap")) != (str(s.chunk_tokens), str(s.chunk_overlap)):
                self.force_rechunk = True
            m.set(dirty=1)
            return m, store, False
        if new.exists():
            try:
                m = Manifest(new)
                same = (m.get("embedder"), m.get("chunk_tokens"), m.get("chunk_overlap")) == (
                    self.embedder.name,
                    str(s.chunk_tokens),
                    str(s.chunk_overlap),
                )
                if same and m.get("collection") in list_collections(client):
                    store = ChromaStore(client, m.get("collection") or "")
                    self._collect_garbage(m, store)
                    return m, store, True  # resume an interrupted build
                old_collection = m.get("collection")
                m.close()
                if old_collection:
                    drop_collection(client, old_collection)
            except StoreError:
                pass
            _remove_sqlite(new)
        name = f"{collection_prefix(s)}-{uuid.uuid4().hex[:8]}"
        m = Manifest(new)
        m.set(
            schema=SCHEMA_VERSION,
            embedder=self.embedder.name,
            dim=self.embedder.dim,
            collection=name,
            corpus=str(s.corpus_root),
            chunk_tokens=s.chunk_tokens,
            chunk_overlap=s.chunk_overlap,
            created=time.time(),
            dirty=1,
        )
        return m, ChromaStore(client, name), True

    force_rechunk = False

    def _collect_garbage(self, m: Manifest, store: ChromaStore) -> None:
        """Delete vectors a crashed run left behind (upserted, never committed, or committed as stale)."""
        committed = m.all_chunk_ids()
        orphans = [cid for cid in store.ids() if cid not in committed]
        store.delete(orphans)

    # --- the work ----------------------------------------------------------------
    def _sync(self, m: Manifest, store: ChromaStore, entries: list[loading.FileEntry]) -> None:
        s = self.settings
        known = m.files()
        present = {e.source for e in entries}
        jobs: list[_FileJob] = []
        total_files = len(entries)
        for n, entry in enumerate(entries, 1):
            self.progress("scan", n, total_files)
            rec = known.get(entry.source)
            if rec and not self.force_rechunk and rec[0] == entry.size and rec[1] == entry.mtime_ns:
                self.report.unchanged += 1
                continue
            try:
                data = loading.read_bytes(entry.path)
            except loading.Unreadable as exc:
                self.report.skipped.append(f"{entry.source}: {exc} (previous version kept)" if rec else f"{entry.source}: {exc}")
                continue
            sha = loading.sha256(data)
            if rec and not self.force_rechunk and rec[2] == sha:
                m.touch_file(entry.source, entry.size, entry.mtime_ns)
                self.report.unchanged += 1
                continue
            try:
                text = loading.decode(data)
            except loading.Unreadable as exc:
                text, reason = "", str(exc)
            else:
                reason = "no text (empty, whitespace or punctuation only)"
            if not loading.has_content(text):
                self.report.skipped.append(f"{entry.source}: {reason}")
                if rec:  # the file lost its text: it leaves the index
                    self._remove(m, store, entry.source)
                continue
            chunks = chunking.chunk_text(entry.source, text, s.chunk_tokens, s.chunk_overlap)
            job = _FileJob(entry, sha, chunks, m.chunk_ids(entry.source), is_new=rec is None)
            jobs.append(job)
        for source in sorted(set(known) - present):
            self._remove(m, store, source)
        self._embed_jobs(m, store, jobs)
        self.report.chunks_total = m.chunk_count()

    def _remove(self, m: Manifest, store: ChromaStore, source: str) -> None:
        store.delete(m.remove_file(source))
        self.report.removed += 1

    def _embed_jobs(self, m: Manifest, store: ChromaStore, jobs: list[_FileJob]) -> None:
        # 1. chunks whose vectors already exist: same id and content, same content elsewhere, or a resumed upsert
        needed: list[tuple[_FileJob, Chunk]] = []
        by_hash = m.ids_with_hashes(c.hash for job in jobs for c in job.chunks)
        for job in jobs:
            reuse_from: dict[str, str] = {}
            for c in job.chunks:
                if job.old_ids.get(c.id) == c.hash:
                    continue
                if c.hash in by_hash:
                    reuse_from[c.id] = by_hash[c.hash]
                else:
                    job.missing.add(c.id)
            if reuse_from:
                vectors = store.vectors(sorted(set(reuse_from.values())))
                reuse = [c for c in job.chunks if c.id in reuse_from and reuse_from[c.id] in vectors]
                job.missing.update(c.id for c in job.chunks if c.id in reuse_from and reuse_from[c.id] not in vectors)
                if reuse:
                    store.upsert([c.id for c in reuse], [vectors[reuse_from[c.id]] for c in reuse], [c.text for c in reuse], [_meta(c) for c in reuse])
                    self.report.chunks_reused += len(reuse)
            if job.missing:
                resumed = self._already_upserted(store, [c for c in job.chunks if c.id in job.missing])
                self.report.chunks_reused += len(resumed)
                job.missing -= resumed
            needed.extend((job, c) for c in job.chunks if c.id in job.missing)

        # 2. embed the rest in batches that cross file boundaries; commit each file once it is complete
        total = len(needed)
        done = 0
        self.progress("embed", 0, total)
        pending = [job for job in jobs if job.missing]
        for job in jobs:
            if not job.missing:
                self._commit(m, store, job)
        batch = self.settings.embed_batch
        for i in range(0, total, batch):
            part = needed[i : i + batch]
            vectors = self.embedder.embed_passages([c.text for _, c in part])
            store.upsert([c.id for _, c in part], vectors, [c.text for _, c in part], [_meta(c) for _, c in part])
            for job, c in part:
                job.missing.discard(c.id)
            done += len(part)
            self.report.chunks_embedded += len(part)
            self.progress("embed", done, total)
            still = []
            for job in pending:
                if job.missing:
                    still.append(job)
                else:
                    self._commit(m, store, job)
            pending = still

    def _already_upserted(self, store: ChromaStore, chunks: list[Chunk]) -> set[str]:
        """Ids a killed run upserted but never committed, whose content still matches."""
        try:
            got = store.collection.get(ids=[c.id for c in chunks], include=["metadatas"])
        except Exception:
            return set()
        want = {c.id: c.hash for c in chunks}
        return {cid for cid, meta in zip(got["ids"], got["metadatas"]) if meta and want.get(cid) == meta.get("hash")}

    def _commit(self, m: Manifest, store: ChromaStore, job: _FileJob) -> None:
        e = job.entry
        m.commit_file(e.source, e.size, e.mtime_ns, job.sha, job.chunks)
        stale = [cid for cid in job.old_ids if cid not in {c.id for c in job.chunks}]
        store.delete(stale)
        if job.is_new:
            self.report.added += 1
        else:
            self.report.changed += 1

    def _finish(self, m: Manifest, store: ChromaStore, swap: bool) -> None:
        s = self.settings
        m.set(chunk_tokens=s.chunk_tokens, chunk_overlap=s.chunk_overlap, updated=time.time())
        from .retrieval import build_lexical_index

        if self.report.touched or self.force_rechunk or not lexical_index_path(s, m).exists():
            build_lexical_index(s, m)
        m.set(dirty=0)
        if not swap:
            return
        live = s.index_dir / MANIFEST
        old = Manifest(live, readonly=True).get("collection") if live.exists() else None
        m.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        m.db.execute("PRAGMA journal_mode=DELETE")
        m.close()
        os.replace(s.index_dir / NEW_MANIFEST, live)
        client = chroma_client(s, chroma_path(s))
        keep = {Manifest(live, readonly=True).get("collection")}
        for name in list_collections(client):
            if name.startswith(collection_prefix(s)) and name not in keep:
                drop_collection(client, name)
        if old and old not in keep:  # with a Chroma server the old collection may not carry our prefix
            drop_collection(client, old)


def lexical_index_path(settings: Settings, m: Manifest) -> Path:
    return settings.index_dir / f"bm25-{m.get('collection')}"


def _meta(c: Chunk) -> dict:
    return {"source": c.source, "start": c.start, "end": c.end, "language": c.language, "hash": c.hash}


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(str(path) + suffix)
        except FileNotFoundError:
            pass
