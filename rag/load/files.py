"""Find the corpus files and read their bytes: which are candidates, which are skipped and why."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError

TEMP_SUFFIXES = ("~", ".swp", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".bak")


@dataclass
class FileEntry:
    """A candidate file found by the scan (not read yet)."""

    source: str  # path relative to the corpus root, with forward slashes
    path: Path
    size: int
    mtime_ns: int


@dataclass
class Skipped:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def _is_temp(name: str) -> bool:
    return (
        name.startswith(".")
        or name.startswith("~$")
        or (name.startswith("#") and name.endswith("#"))
        or name.lower().endswith(TEMP_SUFFIXES)
    )


def scan(root: Path, max_bytes: int, suffixes: tuple[str, ...]) -> tuple[list[FileEntry], list[Skipped]]:
    """List indexable files under ``root``; hidden and temporary files are ignored silently.

    Directory symlinks are not followed (so loops cannot happen); file symlinks are
    followed when they resolve to a regular file.
    """
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}", hint="pass --corpus DIR or set RAG_CORPUS")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}", hint="pass a folder of documents")
    entries: list[FileEntry] = []
    skipped: list[Skipped] = []

    def onerror(err: OSError) -> None:
        skipped.append(Skipped(_rel(root, Path(err.filename or root)), f"cannot list folder ({err.strerror})"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _is_temp(d))
        for name in sorted(filenames):
            if _is_temp(name):
                continue
            path = Path(dirpath) / name
            source = _rel(root, path)
            if not name.lower().endswith(suffixes):
                skipped.append(Skipped(source, "unsupported format (supported: " + ", ".join(suffixes) + ")"))
                continue
            try:
                st = path.stat()  # follows file symlinks; a dangling or looping link raises
            except OSError as exc:
                skipped.append(Skipped(source, f"cannot stat ({exc.strerror or exc})"))
                continue
            if not path.is_file():
                skipped.append(Skipped(source, "not a regular file"))
                continue
            if st.st_size > max_bytes:
                skipped.append(Skipped(source, f"too large ({st.st_size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB; raise RAG_MAX_FILE_MB)"))
                continue
            entries.append(FileEntry(source, path, st.st_size, st.st_mtime_ns))
    return entries, skipped


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Unreadable(Exception):
    """A file that cannot be used as text; the message is the reason."""


def require(module: str, package: str, extra: str = "formats"):
    """Import a format library, or raise :class:`Unreadable` naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        from ..errors import missing_extra

        err = missing_extra(package, extra)
        raise Unreadable(f"{err.message} (hint: {err.hint})") from None


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
