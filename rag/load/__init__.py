"""Stage 1, loading: find the corpus files and turn each into text units with locators.

A :class:`Loader` reads one file type's bytes and returns :class:`TextUnit` objects: the text plus
where it sits (page, section headings). Nothing downstream knows the file format. Loaders are
chosen by file suffix through a registry (a README-like name without one is plain text); third parties add
formats under the ``rag.loaders`` entry-point group (the entry point's name is the suffix without the dot).
"""
from __future__ import annotations

import importlib
import re

from ..registry import Registry
from .base import Loader, TextUnit
from .files import FileEntry, Skipped, Unreadable, read_bytes, sha256

# Bumped when a built-in loader's text changes (2: mojibake repaired, roff "\{\" blocks; 3: po4a string comparisons; 4: groff accented letters; 5: preamble strings such as \*(Aq, escaped spaces in arguments; 6: texinfo's link bar without rel; 7: a PDF chapter's running head; 8: a man page item with two tags, "-N" then "--timestamping", on one line; 9: an HTML definition term joined to its description; 10: a PDF's table-of-contents and index lines dropped): an index made before is
# re-read and re-chunked on its next run, keeping the vectors of every chunk whose text is unchanged.
VERSION = 10

# suffix -> (module, class). A loader's module is imported when a file of its type is first loaded, so
# `ask --help` and corpora without PDFs or Word files never import pypdfium2, python-docx or lxml.
BUILT_IN = {
    **dict.fromkeys(("txt", "text", "rst"), ("text", "PlainText")),
    **dict.fromkeys(("md", "markdown"), ("text", "Markdown")),
    "pdf": ("pdf", "Pdf"),
    "docx": ("office", "Docx"),
    "odt": ("office", "Odt"),
    **dict.fromkeys(("html", "htm", "xhtml"), ("html", "Html")),
    "epub": ("epub", "Epub"),
    **dict.fromkeys(("1", "2", "3", "4", "5", "6", "7", "8", "9", "man", "1p", "3p", "3pm", "3perl", "1ssl", "3ssl", "5ssl", "7ssl"), ("manpage", "Manpage")),
    "gz": ("manpage", "Gzipped"),
}


def _lazy(module: str, cls: str):
    def factory(arg: str, settings) -> Loader:
        return getattr(importlib.import_module(f"{__name__}.{module}"), cls)()

    return factory


LOADERS: Registry[Loader] = Registry("loader", "rag.loaders", examples="a supported file suffix")
for _suffix, (_module, _cls) in BUILT_IN.items():
    LOADERS.register(_suffix, _lazy(_module, _cls))


def suffixes() -> tuple[str, ...]:
    """Every suffix a registered loader reads, with its dot."""
    return tuple(f".{kind}" for kind in LOADERS.kinds())


# plain text named by convention, not by a format suffix: README, INSTALL, changelog, README.Debian, NEWS.source
_CAPITAL_PART = re.compile(r"[A-Z]{3,}")


def text_name(name: str) -> bool:
    """A file read as plain text for its name: no suffix at all ("README", "changelog", "COPYING"), or a suffix no loader
    reads after an all-capital part ("README.Debian", "NEWS.source", "openssh.README.Debian"), as llama-index reads unknown
    files as text. A binary file of such a name is skipped as unreadable."""
    base = name.rsplit("/", 1)[-1]
    if "." not in base.lstrip("."):
        return True
    *parts, suffix = base.split(".")
    return suffix.lower() not in LOADERS.kinds() and any(_CAPITAL_PART.fullmatch(p) for p in parts)


def loader_for(source: str, settings=None) -> Loader:
    suffix = source.rsplit(".", 1)[-1].lower() if "." in source.rsplit("/", 1)[-1] else ""
    if text_name(source):
        from .text import PlainText

        return PlainText()
    return LOADERS.create(suffix, settings)


def scan(root, max_bytes: int) -> tuple[list[FileEntry], list[Skipped]]:
    """List the files under ``root`` that a registered loader reads, or that :func:`text_name` reads as text (see
    :func:`rag.load.files.scan`)."""
    from .files import scan as _scan

    return _scan(root, max_bytes, suffixes(), text_name)


def has_content(units: list[TextUnit]) -> bool:
    """True if some unit has a letter or digit (whitespace or punctuation only is empty)."""
    return any(any(ch.isalnum() for ch in u.text) for u in units)


__all__ = ["FileEntry", "Loader", "Skipped", "TextUnit", "Unreadable", "has_content", "loader_for", "read_bytes", "scan", "sha256", "suffixes", "text_name"]
