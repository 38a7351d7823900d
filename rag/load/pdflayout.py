"""Page text from PDF lines: running headers, footers and page numbers dropped, wrapped lines joined,
words hyphenated at a line end repaired, table rows kept as lines, paragraphs found from the gaps.

Pure Python on :class:`Line` records (text plus the position of its first and last text run), so the
rules are tested without PDFs; :mod:`rag.load.pdf` makes the lines with PDFium.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .blocks import SEPARATOR

HYPHEN = "\ufffe"  # PDFium's mark for a hyphen at a line end; we use it for the ones we find too
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad\x02]$")
_MARKED = re.compile(r"(\w*)[\ufffe\x02]\s*(\w*)")
_COMPOUND = re.compile(r"\b[^\W\d_]+-[^\W\d_]+\b")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|p\.|pg\.|seite|s\.|стр\.?|страница|с\.|pagina|página|pag\.|第)\s*)?"
    r"(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:of|/|из|von|de|di|sur)\s*\d{1,4})?\s*(?:页|頁)?[\W_]*$",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-•▪◦*–]|\d{1,3}[.)]|[a-z][.)])\s")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
EDGE_LINES = 2  # lines at the top and at the bottom of a page (in reading order) that may be furniture


@dataclass(kw_only=True)
class Line:
    """One line of a page in reading order; coordinates in PDF points (y grows upwards), 0 when unknown.

    ``x0, y0`` are the left and baseline of the line's first text run, ``x1, y1`` the right and baseline
    of its last (they differ when PDFium joined a hyphenated word across two lines); ``gap`` is the
    widest horizontal gap between runs on one baseline (wide in a table row, narrow between words).
    """

    text: str
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    height: float = 0.0
    gap: float = 0.0

    @property
    def row(self) -> bool:
        return self.height > 0 and self.gap > 2.0 * self.height


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _edges(lines: list[Line]) -> list[Line]:
    return lines[:EDGE_LINES] + lines[max(EDGE_LINES, len(lines) - EDGE_LINES) :]


RUNNING_HEAD_PAGES = 3  # a page-numbered line at the top or bottom of this many pages is a running head (evals/RESULTS.md)
_EDGE_NUMBER = re.compile(r"^\s*(\d{1,4})\b|\b(\d{1,4})\s*$")


def strip_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop bare page numbers, lines repeated at the top or bottom of at least half the pages, and running heads: a line
    at the top or bottom of ``RUNNING_HEAD_PAGES`` or more pages, the same but for a number at its start or end that
    rises with the page ("Chapter 4: Function reference 19", "… 20": a chapter's head, on its pages only)."""
    counts: Counter[str] = Counter()
    numbers: dict[str, list[tuple[int, int]]] = {}
    for at, lines in enumerate(pages):
        keys = {_key(line.text): line.text for line in _edges(lines)}
        counts.update(list(keys))
        for key, text in keys.items():
            if (m := _EDGE_NUMBER.search(text)) and not _PAGE_NUMBER.match(text.strip()):
                numbers.setdefault(key, []).append((at, int(m.group(1) or m.group(2))))
    need = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, n in counts.items() if n >= need} | {key for key, seen in numbers.items() if _page_numbered(seen)}
    out = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        out.append([ln for ln in lines if id(ln) not in edges or not (_key(ln.text) in repeated or _PAGE_NUMBER.match(ln.text.strip()))])
    return out


def _page_numbered(seen: list[tuple[int, int]]) -> bool:
    """``(page index, number)`` pairs of one line's copies: on enough pages, the number rising as the page index does."""
    if not RUNNING_HEAD_PAGES or len(seen) < RUNNING_HEAD_PAGES:
        return False
    return all(n1 - n0 == p1 - p0 for (p0, n0), (p1, n1) in zip(seen, seen[1:]))


def _column_right(line: Line, lines: list[Line]) -> float:
    """The right edge of the text column ``line`` sits in: the widest line overlapping it horizontally."""
    return max((o.x1 for o in lines if o.x0 < line.x1 and o.x1 > line.x0 and not o.row), default=line.x1)


def _pitch(lines: list[Line]) -> float:
    steps = [a.y1 - b.y0 for a, b in zip(lines, lines[1:]) if a.height and 0 < a.y1 - b.y0 < 3 * a.height]
    return statistics.median_low(steps) if steps else 0.0  # most steps are the line spacing; gaps are the few


def _char_width(lines: list[Line]) -> float:
    """The page's typical character width, from lines on one baseline (not the ones joined at a hyphen)."""
    widths = [(ln.x1 - ln.x0) / len(ln.text) for ln in lines if len(ln.text) >= 10 and abs(ln.y1 - ln.y0) < 1 and ln.x1 > ln.x0]
    return statistics.median(widths) if widths else 0.0


def _separator(a: Line, b: Line, lines: list[Line], pitch: float, char: float) -> str:
    """What goes between two lines: '' (a hyphenated word), ' ' (a wrapped line), '\\n' or a paragraph break."""
    if _LINE_END_HYPHEN.search(a.text) and b.text[:1].isalpha():
        return HYPHEN
    if not (a.height and b.height):
        return "\n"
    drop = a.y1 - b.y0
    if drop < 0.3 * a.height or (pitch and drop > 1.45 * pitch):
        return "\n\n"  # a new column, or a gap wider than the line spacing
    if a.row or b.row or _BULLET.match(b.text):
        return "\n"
    char = char or (a.x1 - a.x0) / max(len(a.text), 1)
    word = len(b.text.split(" ", 1)[0])
    # the next line's first word would have fitted: this line ended on purpose. The word's width is
    # estimated generously: a wrong join only merges two paragraphs, a wrong break cuts a sentence
    if _column_right(a, lines) - a.x1 > 1.3 * (word + 1) * char + char:
        return "\n"
    if b.x0 - a.x0 > 0.8 * b.height and b.x0 > min(line.x0 for line in lines) + 0.8 * b.height:
        return "\n\n"  # a first-line indent starts a paragraph
    return "" if _CJK.match(a.text[-1:]) and _CJK.match(b.text[:1]) else " "


def join_lines(lines: list[Line]) -> str:
    """One page's text; hyphen marks are left for :func:`dehyphenate`, which sees the whole document."""
    if not lines:
        return ""
    pitch, char = _pitch(lines), _char_width(lines)
    parts = [lines[0].text]
    for a, b in zip(lines, lines[1:]):
        sep = _separator(a, b, lines, pitch, char)
        if sep == HYPHEN:
            parts[-1] = parts[-1][:-1]
        parts += [sep, b.text]
    return "".join(parts)


# a table of contents' or an index's line: entries, each a title, a dot leader and a page number
# ("A.1 GNU Free Documentation License . . . . 24", "Header file libtasn1.h. . . . 4 Main type asn1 node. . . 4")
_LEADER_LINE = re.compile(r"^[ \t]*(?:\S[^\n]*?(?:[ \t]?\.){3,}[ \t]*\d{1,4}[ \t]*)+$\n?", re.MULTILINE)


def drop_leader_lines(text: str) -> str:
    """The page's text without its table-of-contents and index lines: they answer nothing, and split at their dots they
    were quoted as sentences («FDL, GNU Free Documentation License .»)."""
    return _LEADER_LINE.sub("", text)


def compounds(texts: list[str]) -> set[str]:
    """Hyphenated words written on one line somewhere in the document ('well-known', 'Нью-Йорк')."""
    return {m.group(0).lower() for text in texts for m in _COMPOUND.finditer(text)}


def dehyphenate(text: str, known: set[str]) -> str:
    """Resolve hyphens at line ends: 'infor-mation' -> 'information', unless the document writes the word
    with its hyphen elsewhere; before a capital or a digit the hyphen stays ('Nord-Süd')."""

    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        if not right:
            return left + "-"
        if f"{left}-{right}".lower() in known or not right[0].islower():
            return f"{left}-{right}"
        return left + right

    return _MARKED.sub(fix, text)


def place_outline(texts: list[str], outline: list[tuple[int, int, str]]) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """Per page: the section in effect where it starts, and ``(offset, path)`` for each bookmark on it.

    ``outline`` holds ``(level, page index, title)`` in document order; a title is looked for in its
    page's text so a section that starts mid-page starts at its heading (at the page top if not found).
    """
    by_page: dict[int, list[tuple[int, str]]] = {}
    for level, page, title in outline:
        by_page.setdefault(page, []).append((level, title))
    path: list[tuple[int, str]] = []
    out = []
    for index, text in enumerate(texts):
        at_start = SEPARATOR.join(t for _, t in path) or None
        headings, cursor = [], 0
        for level, title in by_page.get(index, []):
            found = cursor = _find_title(text, title, cursor)
            path = [(lvl, t) for lvl, t in path if lvl < level] + [(level, title)]
            headings.append((found, SEPARATOR.join(t for _, t in path)))
        out.append((at_start, headings))
    return out


def _find_title(text: str, title: str, start: int) -> int:
    """Where a bookmark's title stands on its page at or after ``start`` (``start`` itself if it is not found)."""
    words = title.split()
    if not words:
        return start
    match = re.compile(r"\s+".join(re.escape(w) for w in words), re.I).search(text, start)
    return match.start() if match else start
