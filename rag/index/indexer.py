"""Stage 4, indexing: incremental, crash-safe indexing of a corpus folder into the store.

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
from typing import Callable

from .. import load
from ..chunk import chunk_units, sentence_units
from ..embed import MUSE_SPEC, Embedder, get_embedder, threads
from ..errors import IndexBusyError, StoreError
from ..settings import Settings, cores
from ..types import Chunk, IndexReport
from . import hubs, is_stale, lexical, snapshot, store_intact
from .layout import ALL_SPACES, HUB_SPACES, Layout, chunk_signature, collection, spaces_for
from .manifest import SCHEMA_VERSION, Manifest, check_embedder, check_spaces, remove_sqlite, spaces_of
from .spaces import Space, Stores, make_spaces
from .store import StoreClient, open_client

Progress = Callable[[str, int, int], None]


@dataclass
class _FileJob:
    entry: load.FileEntry
    sha: str
    chunks: list[Chunk]
    old_ids: dict[str, tuple[str, int]]
    missing: set[str] = field(default_factory=set)
    is_new: bool = True


class Indexer:
    """Brings the index of ``settings.corpus`` up to date with the files on disk."""

    def __init__(self, settings: Settings, embedder: Embedder, progress: Progress | None = None):
        self.settings = settings
        self.layout = Layout.of(settings)
        self.embedder = embedder
        self.progress = progress or (lambda phase, done, total: None)
        self.report = IndexReport()

    def _spaces(self, keys) -> list[Space]:
        return make_spaces(list(keys), self.embedder, lambda: get_embedder(MUSE_SPEC, self.settings))

    # --- entry point -----------------------------------------------------------
    def run(self, rebuild: bool = False) -> IndexReport:
        from filelock import FileLock, Timeout

        started = time.perf_counter()
        s = self.settings
        root = s.corpus_root
        entries, skipped = load.scan(root, int(s.max_file_mb * 1e6))
        self.report.skipped = [str(x) for x in skipped]
        if not rebuild and store_intact(s, self.layout) and self._lexical_ready() and not is_stale(s, entries):
            return self._nothing_to_do(entries, started)
        s.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.layout.lock))
        try:
            lock.acquire(timeout=s.lock_timeout)
        except Timeout:
            raise IndexBusyError(
                f"another index run holds the lock on {s.index_dir}", hint="wait for it to finish, or raise RAG_LOCK_TIMEOUT"
            ) from None
        try:
            manifest, store, swap = self._open(rebuild)
            try:
                with threads(self.embedder, s.index_threads or cores()):
                    self._sync(manifest, store, entries)
                self._finish(manifest, store, swap)
            finally:
                manifest.close()
        finally:
            lock.release()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _lexical_ready(self) -> bool:
        """False when the retrieval mode needs a BM25 index the live index lacks (a run builds it)."""
        if self.settings.retrieval not in lexical.NEEDED_BY:
            return True
        m = Manifest(self.layout.manifest, readonly=True)
        try:
            return self.layout.lexical(m.get("collection") or "").exists()
        finally:
            m.close()

    def _nothing_to_do(self, entries: list[load.FileEntry], started: float) -> IndexReport:
        """Every file has the size and mtime the clean manifest records: no lock, no store, no writes."""
        m = Manifest(self.layout.manifest, readonly=True)
        try:
            check_embedder(m, self.embedder.name)  # the refusals an index run gives, without the run
            check_spaces(m, self.settings.retrieval)
            self.report.chunks_total = m.chunk_count()
        finally:
            m.close()
        self.report.unchanged = len(entries)
        self.report.seconds = time.perf_counter() - started
        return self.report

    # --- opening ---------------------------------------------------------------
    def _open(self, rebuild: bool) -> tuple[Manifest, Stores, bool]:
        """The manifest and store to write into; ``swap`` means they replace the live ones at the end."""
        s = self.settings
        client = open_client(s.chroma_url, self.layout.chroma_path)
        live, new = self.layout.manifest, self.layout.new_manifest
        if live.exists() and not rebuild:
            m = Manifest(live)
            check_embedder(m, self.embedder.name)
            check_spaces(m, s.retrieval)
            store = Stores(client, m.get("collection") or "", self._spaces(spaces_of(m)), create=False)
            self._started_clean = m.get("dirty") == "0"
            if m.get("dirty") == "1":
                store.collect_garbage(m.all_chunk_ids())
            if m.get("chunking") != chunk_signature(s):
                self.force_rechunk = True
            m.set(dirty=1)
            return m, store, False
        if new.exists():
            try:
                m = Manifest(new)
                same = (m.get("embedder"), m.get("chunking"), m.get("spaces")) == (
                    self.embedder.name,
                    chunk_signature(s),
                    ",".join(spaces_for(s.retrieval)),
                )
                if same and m.get("collection") in client.names():
                    store = Stores(client, m.get("collection") or "", self._spaces(spaces_of(m)))
                    store.collect_garbage(m.all_chunk_ids())
                    return m, store, True  # resume an interrupted build
                old_collection, old_spaces = m.get("collection"), spaces_of(m)
                m.close()
                if old_collection:
                    for key in old_spaces:
                        client.drop(collection(old_collection, key))
            except StoreError:
                pass
            remove_sqlite(new)
        name = f"{self.layout.collection_prefix}-{uuid.uuid4().hex[:8]}"
        m = Manifest(new)
        m.set(
            schema=SCHEMA_VERSION,
            embedder=self.embedder.name,
            dim=self.embedder.dim,
            collection=name,
            corpus=str(s.corpus_root),
            chunking=chunk_signature(s),
            spaces=",".join(spaces_for(s.retrieval)),
            created=time.time(),
            dirty=1,
        )
        return m, Stores(client, name, self._spaces(spaces_for(s.retrieval))), True

    force_rechunk = False
    _started_clean = False  # the live index was complete when this run began (its snapshot matched its store)

    # --- the work ----------------------------------------------------------------
    def _sync(self, m: Manifest, store: Stores, entries: list[load.FileEntry]) -> None:
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
            job = self._read(m, store, entry, rec)
            if job is not None:
                jobs.append(job)
        # removals come after embedding, so a renamed or moved file reuses the vectors of its old name
        self._embed_jobs(m, store, jobs)
        for source in sorted(set(known) - present):
            self._remove(m, store, source)
        self.report.chunks_total = m.chunk_count()

    def _read(self, m: Manifest, store: Stores, entry: load.FileEntry, rec) -> "_FileJob | None":
        """Read, load and chunk one new or changed file; None when there is nothing to embed."""
        try:
            data = load.read_bytes(entry.path)
        except load.Unreadable as exc:
            self.report.skipped.append(f"{entry.source}: {exc} (previous version kept)" if rec else f"{entry.source}: {exc}")
            return None
        sha = load.sha256(data)
        if rec and not self.force_rechunk and rec[2] == sha:
            m.touch_file(entry.source, entry.size, entry.mtime_ns)
            self.report.unchanged += 1
            return None
        try:
            units = load.loader_for(entry.source, self.settings).load(data, entry.source)
        except load.Unreadable as exc:
            units, reason = [], str(exc)
        else:
            reason = "no text (empty, whitespace or punctuation only)"
        if not load.has_content(units):
            self.report.skipped.append(f"{entry.source}: {reason}")
            if rec:  # the file lost its text: its chunks leave the index
                store.delete({cid: n for cid, (_, n) in m.chunk_ids(entry.source).items()})
            # recorded with no chunks, so an unchanged skipped file is not read again on every run
            m.commit_file(entry.source, entry.size, entry.mtime_ns, sha, [])
            return None
        chunks = chunk_units(entry.source, units, self.settings.chunk_tokens, self.settings.chunk_overlap, contextual=self.settings.contextual)
        for c in chunks:
            c.n_sentences = len(sentence_units(c.text))
        return _FileJob(entry, sha, chunks, m.chunk_ids(entry.source), is_new=rec is None)

    def _remove(self, m: Manifest, store: Stores, source: str) -> None:
        store.delete(m.remove_file(source))
        self.report.removed += 1

    def _embed_jobs(self, m: Manifest, store: Stores, jobs: list[_FileJob]) -> None:
        needed = self._reuse(m, store, jobs)
        # 2. embed the rest in batches that cross file boundaries; commit each file once it is complete
        total = len(needed)
        done = 0
        self.progress("embed", 0, total)
        pending = [job for job in jobs if job.missing]
        for job in jobs:
            if not job.missing:
                self._commit(m, store, job)
        store.plan([c for _, c in needed])  # equal texts anywhere in this run are embedded once
        first_seen: set[str] = set()
        batch = self.settings.embed_batch
        for i in range(0, total, batch):
            part = [c for _, c in needed[i : i + batch]]
            store.upsert(part, store.embed(part))
            for job, c in needed[i : i + batch]:
                job.missing.discard(c.id)
            done += len(part)
            fresh = {c.hash for c in part} - first_seen
            first_seen |= fresh
            self.report.chunks_embedded += len(fresh)
            self.report.chunks_reused += len(part) - len(fresh)
            self.progress("embed", done, total)
            still = []
            for job in pending:
                if job.missing:
                    still.append(job)
                else:
                    self._commit(m, store, job)
            pending = still
        self.report.texts_embedded += store.once.embedded

    def _reuse(self, m: Manifest, store: Stores, jobs: list[_FileJob]) -> list[tuple[_FileJob, Chunk]]:
        """Give chunks the vectors that exist already (same id and content, same content elsewhere, or a
        resumed upsert); returns the chunks still to embed."""
        needed: list[tuple[_FileJob, Chunk]] = []
        by_hash = m.ids_with_hashes(c.hash for job in jobs for c in job.chunks)
        for job in jobs:
            fresh = [c for c in job.chunks if job.old_ids.get(c.id, ("", 0))[0] != c.hash]
            if self.force_rechunk:  # same chunks, new locators: refresh the stored metadata
                store.refresh_meta([c for c in job.chunks if c not in fresh])
            copied = store.copy([(c, by_hash[c.hash]) for c in fresh if c.hash in by_hash and by_hash[c.hash] != c.id])
            rest = [c for c in fresh if c.id not in copied]
            resumed = store.upserted(rest)
            self.report.chunks_reused += len(copied) + len(resumed)
            job.missing = {c.id for c in rest if c.id not in resumed}
            needed.extend((job, c) for c in rest if c.id in job.missing)
        return needed

    def _commit(self, m: Manifest, store: Stores, job: _FileJob) -> None:
        e = job.entry
        m.commit_file(e.source, e.size, e.mtime_ns, job.sha, job.chunks)
        new_ids = {c.id for c in job.chunks}
        store.delete({cid: n for cid, (_, n) in job.old_ids.items() if cid not in new_ids})
        if job.is_new:
            self.report.added += 1
        else:
            self.report.changed += 1

    def _finish(self, m: Manifest, store: Stores, swap: bool) -> None:
        s = self.settings
        m.set(chunking=chunk_signature(s), updated=time.time(), copies=m.copy_count())
        target = self.layout.lexical(m.get("collection") or "")
        if s.retrieval in lexical.NEEDED_BY and (self.report.touched or self.force_rechunk or not target.exists()):
            lexical.build(m, target)
        hub_target = self.layout.hubs(m.get("collection") or "")
        hub_spaces = {sp.key: (store.by_key[sp.key], sp.embedder) for sp in store.spaces if sp.key in HUB_SPACES}
        if hubs.wanted(s) and (self.report.touched or self.force_rechunk or not hubs.current(hub_target)):
            hubs.build(hub_spaces, hub_target, m.chunk_hashes(), cache_dir=s.cache_dir, languages=m.languages())
        token = self._snapshot(m, store)
        # the snapshot becomes the index's in the transaction that completes the run
        m.set(dirty=0, snapshot=token, store=self.layout.store_stamp(create=True))
        if not swap:
            snapshot.remove_stale(self.layout.index_dir, token)
            return
        live = self.layout.manifest
        old = None
        if live.exists():
            try:
                previous = Manifest(live, readonly=True)
                old = previous.get("collection")
                previous.close()
            except StoreError:
                old = None  # a damaged manifest is exactly what a rebuild replaces
        m.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        m.db.execute("PRAGMA journal_mode=DELETE")
        m.close()
        for suffix in ("-wal", "-shm"):  # a stale WAL of the old manifest would be replayed onto the new one
            try:
                os.remove(str(live) + suffix)
            except FileNotFoundError:
                pass
        os.replace(self.layout.new_manifest, live)
        snapshot.remove_stale(self.layout.index_dir, token)
        self._drop_stale_collections(old)

    def _snapshot(self, m: Manifest, store: Stores) -> str:
        """The token of a vector snapshot matching the finished run ("" for none: a server or a large index)."""
        s = self.settings
        if s.chroma_url or sum(st.count() for st in store.by_key.values()) > s.snapshot_max_vectors:
            return ""
        token = m.get("snapshot") or ""
        unchanged = self._started_clean and not store.modified
        if token and unchanged and (self.layout.index_dir / f"{snapshot.PREFIX}{token}").is_dir():
            return token
        return snapshot.write(self.layout.index_dir, store.by_key)

    def _drop_stale_collections(self, old: str | None) -> None:
        client: StoreClient = open_client(self.settings.chroma_url, self.layout.chroma_path)
        current = Manifest(self.layout.manifest, readonly=True)
        current_base = current.get("collection") or ""
        keep = {collection(current_base, key) for key in spaces_of(current)}
        current.close()
        for name in client.names():
            if name.startswith(self.layout.collection_prefix) and name not in keep:
                client.drop(name)
        for stale in self.layout.index_dir.glob("hubs-*.npz"):
            if stale.name != self.layout.hubs(current_base).name:
                stale.unlink(missing_ok=True)
        if old and old not in keep:  # with a Chroma server the old collection may not carry our prefix
            for key in ALL_SPACES:
                client.drop(collection(old, key))
