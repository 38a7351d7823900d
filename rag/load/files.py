"""Find the corpus files and read their bytes: which are candidates, which are skipped and why."""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError

TEMP_SUFFIXES = ("~", ".swp", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".bak")


@dataclass
class FileEntry:
    """A candidate file found by the scan (not read yet)."""

    source: str  # path relative to the corpus root, with forward slashes
    location: str  # the file's path as found (a string: a scan makes thousands of these before every question)
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.location)


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


def scan(root: Path, max_bytes: int, suffixes: tuple[str, ...], named=None) -> tuple[list[FileEntry], list[Skipped]]:
    """List indexable files under ``root`` (a suffix of ``suffixes``, or a name ``named`` accepts); hidden and temporary
    files are ignored silently.

    Directory symlinks are not followed (so loops cannot happen); file symlinks are
    followed when they resolve to a regular file. One ``stat`` per file: this runs before every
    question, so it walks with ``os.scandir`` and builds paths as strings.
    """
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}", hint="pass --corpus DIR or set RAG_CORPUS")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}", hint="pass a folder of documents")
    entries: list[FileEntry] = []
    skipped: list[Skipped] = []
    _scan_dir(str(root), "", max_bytes, (suffixes, named or (lambda name: False)), entries, skipped)
    return entries, skipped


def _scan_dir(folder: str, prefix: str, max_bytes: int, accepted: tuple, entries: list[FileEntry], skipped: list[Skipped]) -> None:
    """Files of ``folder`` in name order, then its sub-folders in name order (as ``os.walk`` top-down)."""
    try:
        with os.scandir(folder) as it:
            listed = sorted(it, key=lambda e: e.name)
    except OSError as err:
        skipped.append(Skipped(prefix.rstrip("/") or ".", f"cannot list folder ({err.strerror})"))
        return
    subfolders = []
    for entry in listed:
        if _is_temp(entry.name):
            continue
        try:
            is_dir = entry.is_dir()  # follows symlinks, as os.walk sorts entries
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                subfolders.append(entry)
            continue
        _scan_file(entry, prefix + entry.name, max_bytes, accepted, entries, skipped)
    for entry in subfolders:
        _scan_dir(entry.path, prefix + entry.name + "/", max_bytes, accepted, entries, skipped)


def _scan_file(entry: os.DirEntry, source: str, max_bytes: int, accepted: tuple, entries: list[FileEntry], skipped: list[Skipped]) -> None:
    suffixes, named = accepted  # the readable suffixes, and a test for names read as plain text
    if not entry.name.lower().endswith(suffixes) and not named(entry.name):
        skipped.append(Skipped(source, "unsupported format (supported: " + ", ".join(suffixes) + ", and README-like names)"))
        return
    try:
        st = entry.stat()  # follows file symlinks; a dangling or looping link raises
    except OSError as exc:
        skipped.append(Skipped(source, f"cannot stat ({exc.strerror or exc})"))
        return
    if not stat.S_ISREG(st.st_mode):
        skipped.append(Skipped(source, "not a regular file"))
        return
    if st.st_size > max_bytes:
        skipped.append(Skipped(source, f"too large ({st.st_size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB; raise RAG_MAX_FILE_MB)"))
        return
    entries.append(FileEntry(source, entry.path, st.st_size, st.st_mtime_ns))


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
