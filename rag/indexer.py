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
from .embedders import Embedder, get_embedder
from .errors import EmbedderMismatchError, IndexBusyError, StoreError
from .manifest import SCHEMA_VERSION, Manifest
from .settings import Settings
from .spaces import MUSE_SPEC, SPACES_FOR, Space, chunk_of, make_spaces, sentence_ids, sentence_units
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


class Stores:
    """The collections of one index, one per vector space, written and deleted together."""

    def __init__(self, client, base: str, spaces: list[Space], create: bool = True):
        self.base = base
        self.spaces = spaces
        self.by_key = {sp.key: ChromaStore(client, sp.collection(base), create=create) for sp in spaces}
        self.primary = self.by_key[""]

    def upsert(self, chunks: list[Chunk], vectors: dict[str, "np.ndarray"]) -> None:
        """Secondary spaces first, the chunk space last: a chunk present there has all its vectors."""
        for sp in sorted(self.spaces, key=lambda sp: sp.key == ""):
            store = self.by_key[sp.key]
            if sp.sentences:
                ids, texts, metas = [], [], []
                for c in chunks:
                    units = sentence_units(c.text)
                    ids += sentence_ids(c.id, len(units))
                    texts += units
                    metas += [{"chunk_id": c.id, "source": c.source}] * len(units)
                if ids:
                    store.upsert(ids, vectors[sp.key], texts, metas)
            else:
                store.upsert([c.id for c in chunks], vectors[sp.key], [c.text for c in chunks], [_meta(c) for c in chunks])

    def embed(self, chunks: list[Chunk]) -> dict[str, "np.ndarray"]:
        out = {}
        sentences = [u for c in chunks for u in sentence_units(c.text)] if any(sp.sentences for sp in self.spaces) else []
        for sp in self.spaces:
            texts = sentences if sp.sentences else [c.text for c in chunks]
            out[sp.key] = sp.embedder.embed_passages(texts) if texts else None
        return out

    def copy(self, pairs: list[tuple[Chunk, str]]) -> set[str]:
        """Give new chunks the vectors of committed chunks with the same content; returns the ids done."""
        done: set[str] = set()
        if not pairs:
            return done
        found: dict[str, dict[str, "np.ndarray"]] = {}
        for sp in self.spaces:
            ids = []
            for c, old in pairs:
                ids += sentence_ids(old, c.n_sentences) if sp.sentences else [old]
            found[sp.key] = self.by_key[sp.key].vectors(sorted(set(ids)))
        ok = []
        for c, old in pairs:
            if all(all(i in found[sp.key] for i in (sentence_ids(old, c.n_sentences) if sp.sentences else [old])) for sp in self.spaces):
                ok.append((c, old))
        if ok:
            vectors = {}
            for sp in self.spaces:
                rows = [found[sp.key][i] for c, old in ok for i in (sentence_ids(old, c.n_sentences) if sp.sentences else [old])]
                vectors[sp.key] = rows
            self.upsert([c for c, _ in ok], vectors)
            done = {c.id for c, _ in ok}
        return done

    def delete(self, chunks: dict[str, int]) -> None:
        """Delete chunks (id -> sentence count) from every space."""
        if not chunks:
            return
        for sp in self.spaces:
            ids = [i for cid, n in chunks.items() for i in sentence_ids(cid, n)] if sp.sentences else list(chunks)
            self.by_key[sp.key].delete(ids)

    def collect_garbage(self, committed: set[str]) -> None:
        for sp in self.spaces:
            store = self.by_key[sp.key]
            orphans = [i for i in store.ids() if (chunk_of(i) if sp.sentences else i) not in committed]
            store.delete(orphans)


@dataclass
class _FileJob:
    entry: loading.FileEntry
    sha: str
    chunks: list[Chunk]
    old_ids: dict[str, tuple[str, int]]
    missing: set[str] = field(default_factory=set)
    is_new: bool = True


class Indexer:
    """Brings the index of ``settings.corpus`` up to date with the files on disk."""

    def __init__(self, settings: Settings, embedder: Embedder, progress: Progress | None = None):
        self.settings = settings
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
    def _open(self, rebuild: bool) -> tuple[Manifest, Stores, bool]:
        """The manifest and store to write into; ``swap`` means they replace the live ones at the end."""
        s = self.settings
        client = chroma_client(s, chroma_path(s))
        live = s.index_dir / MANIFEST
        new = s.index_dir / NEW_MANIFEST
        if live.exists() and not rebuild:
            m = Manifest(live)
            check_embedder(m, self.embedder.name)
            check_spaces(m, s.retrieval)
            store = Stores(client, m.get("collection") or "", self._spaces(spaces_of(m)), create=False)
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
                    ",".join(SPACES_FOR[s.retrieval]),
                )
                if same and m.get("collection") in list_collections(client):
                    store = Stores(client, m.get("collection") or "", self._spaces(spaces_of(m)))
                    store.collect_garbage(m.all_chunk_ids())
                    return m, store, True  # resume an interrupted build
                old_collection, old_spaces = m.get("collection"), spaces_of(m)
                m.close()
                if old_collection:
                    for key in old_spaces:
                        drop_collection(client, old_collection if not key else f"{old_collection}-{key}")
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
            chunking=chunk_signature(s),
            spaces=",".join(SPACES_FOR[s.retrieval]),
            created=time.time(),
            dirty=1,
        )
        return m, Stores(client, name, self._spaces(SPACES_FOR[s.retrieval])), True

    force_rechunk = False

    # --- the work ----------------------------------------------------------------
    def _sync(self, m: Manifest, store: Stores, entries: list[loading.FileEntry]) -> None:
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
                if rec:  # the file lost its text: its chunks leave the index
                    store.delete({cid: n for cid, (_, n) in m.chunk_ids(entry.source).items()})
                # recorded with no chunks, so an unchanged skipped file is not read again on every run
                m.commit_file(entry.source, entry.size, entry.mtime_ns, sha, [])
                continue
            chunks = chunking.chunk_text(entry.source, text, s.chunk_tokens, s.chunk_overlap)
            for c in chunks:
                c.n_sentences = len(sentence_units(c.text))
            job = _FileJob(entry, sha, chunks, m.chunk_ids(entry.source), is_new=rec is None)
            jobs.append(job)
        # removals come after embedding, so a renamed or moved file reuses the vectors of its old name
        self._embed_jobs(m, store, jobs)
        for source in sorted(set(known) - present):
            self._remove(m, store, source)
        self.report.chunks_total = m.chunk_count()

    def _remove(self, m: Manifest, store: Stores, source: str) -> None:
        store.delete(m.remove_file(source))
        self.report.removed += 1

    def _embed_jobs(self, m: Manifest, store: Stores, jobs: list[_FileJob]) -> None:
        # 1. chunks whose vectors exist already: same id and content, same content elsewhere, or a resumed upsert
        needed: list[tuple[_FileJob, Chunk]] = []
        by_hash = m.ids_with_hashes(c.hash for job in jobs for c in job.chunks)
        for job in jobs:
            fresh = [c for c in job.chunks if job.old_ids.get(c.id, ("", 0))[0] != c.hash]
            copied = store.copy([(c, by_hash[c.hash]) for c in fresh if c.hash in by_hash and by_hash[c.hash] != c.id])
            rest = [c for c in fresh if c.id not in copied]
            resumed = self._already_upserted(store.primary, rest)
            self.report.chunks_reused += len(copied) + len(resumed)
            job.missing = {c.id for c in rest if c.id not in resumed}
            needed.extend((job, c) for c in rest if c.id in job.missing)

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
            part = [c for _, c in needed[i : i + batch]]
            store.upsert(part, store.embed(part))
            for job, c in needed[i : i + batch]:
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
        if not chunks:
            return set()
        try:
            got = store.collection.get(ids=[c.id for c in chunks], include=["metadatas"])
        except Exception:
            return set()
        want = {c.id: c.hash for c in chunks}
        return {cid for cid, meta in zip(got["ids"], got["metadatas"]) if meta and want.get(cid) == meta.get("hash")}

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
        m.set(chunking=chunk_signature(s), updated=time.time())
        from .retrieval import build_lexical_index

        if s.retrieval == "hybrid" and (self.report.touched or self.force_rechunk or not lexical_index_path(s, m).exists()):
            build_lexical_index(s, m)
        m.set(dirty=0)
        if not swap:
            return
        live = s.index_dir / MANIFEST
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
        os.replace(s.index_dir / NEW_MANIFEST, live)
        client = chroma_client(s, chroma_path(s))
        current = Manifest(live, readonly=True)
        keep = {current.get("collection") if not key else f"{current.get('collection')}-{key}" for key in spaces_of(current)}
        current.close()
        for name in list_collections(client):
            if name.startswith(collection_prefix(s)) and name not in keep:
                drop_collection(client, name)
        if old and old not in keep:  # with a Chroma server the old collection may not carry our prefix
            for key in ("", "s", "m", "ms"):
                drop_collection(client, old if not key else f"{old}-{key}")


def chunk_signature(settings: Settings) -> str:
    """Everything that decides chunk boundaries; a change re-chunks every file on the next run."""
    return f"{chunking.ENCODING}/{settings.chunk_tokens}/{settings.chunk_overlap}"


def spaces_of(m: Manifest) -> list[str]:
    value = m.get("spaces")
    return value.split(",") if value else [""]


def check_spaces(m: Manifest, retrieval: str) -> None:
    missing = set(SPACES_FOR[retrieval]) - set(spaces_of(m))
    if missing:
        raise EmbedderMismatchError(
            f"the index was built for retrieval '{'fusion' if 's' in spaces_of(m) else 'dense'}' and lacks the vectors '{retrieval}' needs",
            hint=f"run `rag index --rebuild` with RAG_RETRIEVAL={retrieval}, or use --retrieval dense",
        )


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
