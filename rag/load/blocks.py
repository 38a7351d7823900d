"""Structured documents (Word, OpenDocument, HTML, EPUB) as a list of blocks, and blocks as a text unit.

A loader walks its format's tree into headings, paragraphs and table rows; :func:`to_unit` lays them
out as plain text (a blank line between blocks, one line per table row) and records the heading path
at the offset where each heading starts, so chunks know their section and break at headings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import NOWHERE, Locator
from .base import TextUnit

SEPARATOR = " › "
_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"[^\S\n]*\n\s*")


@dataclass(frozen=True, kw_only=True)
class Block:
    """A heading (``level`` 1-9), a paragraph, a table row (``row``) or a definition list's term (``term``)."""

    text: str
    level: int | None = None
    row: bool = False
    term: bool = False


TERM_WORDS = 3  # words of a term joined to its description; a longer one, or a function's signature, keeps its own line
_ANCHOR = re.compile(r"\s*[¶#]$")  # the link mark a generated page puts after a term ("ffi_type_sint16 ¶")
_SIGNATURE = re.compile(r"[()\n]")


def with_terms(blocks: list[Block]) -> list[Block]:
    """Each definition list's term joined to the first paragraph describing it («dialout: Full and direct access to serial
    ports.»), so that the sentence quoted names what it defines; several terms of one description are joined by commas. A
    term of more than ``TERM_WORDS`` words, a signature, one ending a sentence («How do I …?») or with no paragraph after
    it stays a paragraph."""
    out: list[Block] = []
    terms: list[str] = []
    for block in blocks:
        term = _ANCHOR.sub("", block.text) if block.term else ""
        if term and len(term.split()) <= TERM_WORDS and not _SIGNATURE.search(term) and term[-1] not in ".?!…":
            terms.append(term)
            continue
        if terms and block.level is None and not block.row and not block.term:
            joined = ", ".join(terms)
            out.append(Block(text=joined + (" " if joined.endswith(":") else ": ") + block.text))
        else:
            out.extend(Block(text=t) for t in terms)
            out.append(block)
        terms = []
    out.extend(Block(text=t) for t in terms)
    return out


def clean(text: str, keep_lines: bool = False) -> str:
    """Collapse runs of whitespace to one space (newlines too, unless ``keep_lines``); strip the ends."""
    text = text.replace("\u00a0", " ").replace("\u00ad", "")  # soft hyphens only mark where a word may break
    if not keep_lines:
        return " ".join(text.split())
    return _NEWLINES.sub("\n", _SPACE.sub(" ", text)).strip()


def to_unit(blocks: list[Block], locator: Locator = NOWHERE, prefix: tuple[str, ...] = ()) -> TextUnit:
    """One unit: blocks joined by blank lines (rows of one table by single newlines), with heading paths.

    ``prefix`` is put before every heading path (an EPUB chapter title the chapter itself does not repeat).
    """
    parts: list[str] = []
    headings: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []
    offset = 0
    previous: Block | None = None
    for block in blocks:
        if not block.text:
            continue
        if parts:
            sep = "\n" if block.row and previous is not None and previous.row else "\n\n"
            parts.append(sep)
            offset += len(sep)
        if block.level is not None:
            path = [(lvl, t) for lvl, t in path if lvl < block.level] + [(block.level, block.text)]
            headings.append((offset, SEPARATOR.join((*prefix, *(t for _, t in path)))))
        parts.append(block.text)
        offset += len(block.text)
        previous = block
    return TextUnit(text="".join(parts), locator=locator, headings=headings)
