"""The index manifest: which files and chunks are committed, with which embedder (SQLite, WAL)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Iterable

from ..errors import EmbedderMismatchError, StoreError
from ..types import Chunk, Locator
from .layout import spaces_for

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (source TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT, n_chunks INTEGER);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, start INTEGER, "end" INTEGER,
    hash TEXT, language TEXT, text TEXT, n_sent INTEGER DEFAULT 0, page INTEGER, section TEXT, line INTEGER, context TEXT
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(hash);
"""


class Manifest:
    """A committed view of the index; every file update is one transaction."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if tables and "meta" not in tables:
                    self.db.close()
                    raise StoreError(f"{path} is not a rag index manifest", hint="move it away, or point RAG_HOME elsewhere")
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                self._migrate()
            self.db.execute("SELECT count(*) FROM meta").fetchone()
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(chunks)")}
            # a manifest written before locators existed reads as "no page, no section"
            self._locator_cols = ", ".join(c if c in columns else "NULL" for c in ("page", "section", "line"))
            self._has_context = "context" in columns
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the index manifest {path} is unreadable ({exc})", hint="run `rag index --rebuild`") from None

    def _migrate(self) -> None:
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(chunks)")}
        for name, kind in (("page", "INTEGER"), ("section", "TEXT"), ("line", "INTEGER"), ("context", "TEXT")):
            if name not in columns:
                self.db.execute(f"ALTER TABLE chunks ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self.db.close()

    # --- meta ----------------------------------------------------------------
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, **values: object) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    # --- files ---------------------------------------------------------------
    def files(self) -> dict[str, tuple[int, int, str, int]]:
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in self.db.execute("SELECT source, size, mtime_ns, sha256, n_chunks FROM files")}

    def stamps(self) -> dict[str, tuple[int, int]]:
        """source -> (size, mtime_ns) of every committed file: what the change check compares."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT source, size, mtime_ns FROM files")}

    def touch_file(self, source: str, size: int, mtime_ns: int) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE files SET size=?, mtime_ns=? WHERE source=?", (size, mtime_ns, source))

    def chunk_ids(self, source: str) -> dict[str, tuple[str, int]]:
        """id -> (content hash, number of sentences) of one file's committed chunks."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT id, hash, n_sent FROM chunks WHERE source=?", (source,))}

    def ids_with_hashes(self, hashes: Iterable[str]) -> dict[str, str]:
        """hash -> some committed chunk id with that content."""
        return dict(self._where_in("SELECT hash, id FROM chunks WHERE hash IN", list(set(hashes))))

    def commit_file(self, source: str, size: int, mtime_ns: int, sha: str, chunks: list[Chunk]) -> None:
        """Replace one file's chunks atomically."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM chunks WHERE source=?", (source,))
            self.db.executemany(
                'INSERT OR REPLACE INTO chunks (id, source, start, "end", hash, language, text, n_sent, page, section, line, context) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                [(c.id, c.source, c.start, c.end, c.hash, c.language, c.text, c.n_sentences, c.locator.page, c.locator.section, c.locator.line, c.context or None) for c in chunks],
            )
            self.db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", (source, size, mtime_ns, sha, len(chunks)))

    def remove_file(self, source: str) -> dict[str, int]:
        """Forget one file; returns its chunk ids with their sentence counts."""
        with self.db:
            self.db.execute("BEGIN")
            ids = dict(self.db.execute("SELECT id, n_sent FROM chunks WHERE source=?", (source,)))
            self.db.execute("DELETE FROM chunks WHERE source=?", (source,))
            self.db.execute("DELETE FROM files WHERE source=?", (source,))
        return ids

    def chunk_hashes(self) -> dict[str, str]:
        """id -> content hash of every committed chunk."""
        return dict(self.db.execute("SELECT id, hash FROM chunks"))

    def languages(self, ids: list[str] | None = None) -> dict[str, str]:
        """id -> detected language of every committed chunk (of ``ids`` only, if given)."""
        if ids is None:
            return dict(self.db.execute("SELECT id, language FROM chunks"))
        return dict(self._where_in("SELECT id, language FROM chunks WHERE id IN", ids))

    def copies(self) -> dict[str, str]:
        """Chunks whose content another committed chunk also has: id -> the smallest id with that content."""
        rows = self.db.execute("SELECT id, hash FROM chunks WHERE hash IN (SELECT hash FROM chunks GROUP BY hash HAVING count(*) > 1) ORDER BY hash, id")
        canonical: dict[str, str] = {}
        out: dict[str, str] = {}
        for cid, sha in rows:
            first = canonical.setdefault(sha, cid)
            if first != cid:
                out[cid] = first
        return out

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def copy_count(self) -> int:
        """How many committed chunks repeat the content of another one."""
        return int(self.db.execute("SELECT count(*) - count(DISTINCT hash) FROM chunks").fetchone()[0])

    def chunk_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def file_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM files").fetchone()[0])

    def iter_chunks(self) -> Iterable[tuple[str, str, str, str]]:
        """(id, source, language, text) of every committed chunk, in a stable order."""
        return self.db.execute("SELECT id, source, language, text FROM chunks ORDER BY source, start")

    def mentions(self, names: list[str]) -> set[str]:
        """The ``names`` that some committed chunk contains (ASCII case and hyphens ignored: "wifi" is in "Wi-Fi"; a scan,
        so only for a few names)."""
        found = set()
        for name in names:
            pattern = "%" + name.replace("-", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            if self.db.execute("SELECT 1 FROM chunks WHERE replace(text, '-', '') LIKE ? ESCAPE '\\' LIMIT 1", (pattern,)).fetchone():
                found.add(name)
        return found

    def _where_in(self, query: str, values: list[str]):
        """The rows of ``query`` (ending in ``IN``) for ``values``, asked 500 at a time (SQLite's parameter limit)."""
        for i in range(0, len(values), 500):
            part = values[i : i + 500]
            yield from self.db.execute(f"{query} ({','.join('?' * len(part))})", part)

    def contexts(self, ids: list[str]) -> dict[str, str]:
        """chunk id -> the context it was embedded with (document title › section), for chunks that have one."""
        return dict(self._where_in("SELECT id, context FROM chunks WHERE context IS NOT NULL AND id IN", ids)) if self._has_context else {}

    def chunks(self, ids: list[str]) -> dict[str, Chunk]:
        """The committed chunks with these ids (unknown ids are left out)."""
        q = f'SELECT id, source, start, "end", language, text, hash, n_sent, {self._locator_cols} FROM chunks WHERE id IN'
        return {
            cid: Chunk(
                id=cid, source=source, start=start, end=end, text=text, language=language, hash=sha, n_sentences=n_sent or 0,
                locator=Locator(page=page, section=section, line=line),
            )
            for cid, source, start, end, language, text, sha, n_sent, page, section, line in self._where_in(q, ids)
        }


def spaces_of(m: Manifest) -> list[str]:
    value = m.get("spaces")
    return value.split(",") if value else [""]


def check_embedder(m: Manifest, embedder_name: str) -> None:
    built = m.get("embedder")
    if built and built != embedder_name:
        raise EmbedderMismatchError(
            f"the index was built with embedder '{built}' ({m.get('dim')} dims), not '{embedder_name}'",
            hint=f"use --embedder {built}, or run `rag index --rebuild --embedder {embedder_name}`",
        )


def check_spaces(m: Manifest, retrieval: str) -> None:
    missing = set(spaces_for(retrieval)) - set(spaces_of(m))
    if missing:
        raise EmbedderMismatchError(
            f"the index was built for retrieval '{'fusion' if 's' in spaces_of(m) else 'dense'}' and lacks the vectors '{retrieval}' needs",
            hint=f"run `rag index --rebuild` with RAG_RETRIEVAL={retrieval}, or use --retrieval dense",
        )


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(str(path) + suffix)
        except FileNotFoundError:
            pass
