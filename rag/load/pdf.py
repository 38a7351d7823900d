"""PDF documents, read with PDFium (pypdfium2): one text unit per page, located by its 1-based page
number, with sections from the PDF's bookmarks when it has them.

Pages are read one at a time and closed at once, so a long PDF never holds more than one page's
parse tree. PDFium gives the text in reading order with its own line breaks (and marks hyphens at
line ends); :mod:`rag.load.pdflayout` turns the lines into clean page text.
"""
from __future__ import annotations

import re

from ..types import Locator
from .base import TextUnit
from .files import Unreadable, require
from .pdflayout import Line, compounds, dehyphenate, drop_leader_lines, join_lines, place_outline, strip_furniture

NO_TEXT = "no text layer; OCR is not enabled"
_NO_PAGES = re.compile(rb"/Count\s*0\b")
_A_PAGE = re.compile(rb"/Type\s*/Page(?!s)\b")
MAX_BOOKMARKS = 5000  # a malformed outline can loop; PDFium stops cycles, this stops the absurdly long ones


def _open(pdfium, data: bytes):
    """The PDFium document, or :class:`Unreadable` with what is wrong with the file."""
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise Unreadable("truncated PDF (no end-of-file marker)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise Unreadable("encrypted PDF (a password is needed to open it)") from None
        if _NO_PAGES.search(data) and not _A_PAGE.search(data):  # PDFium refuses an empty page tree
            raise Unreadable("PDF has no pages") from None
        raise Unreadable(f"corrupt PDF ({str(exc).rstrip('.')})") from None
    if len(pdf) == 0:
        pdf.close()
        raise Unreadable("PDF has no pages")
    return pdf


def _runs(textpage, start: int, count: int) -> list[tuple[float, float, float, float]]:
    """The boxes ``(left, bottom, right, top)`` of the text runs of chars ``start .. start+count``."""
    return [textpage.get_rect(i) for i in range(textpage.count_rects(start, count))]


def _line(raw, textpage, text: str, text_index: int) -> Line:
    """A line with the geometry of its first and last text run (none when PDFium cannot map it)."""
    start = raw.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)
    end = raw.FPDFText_GetCharIndexFromTextIndex(textpage, text_index + len(text) - 1)
    boxes = _runs(textpage, start, end - start + 1) if 0 <= start <= end else []
    if not boxes:
        return Line(text=text)
    first, last = boxes[0], boxes[-1]
    height = sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]
    gaps = [b[0] - a[2] for a, b in zip(boxes, boxes[1:]) if abs(b[1] - a[1]) < 0.5 * height]
    return Line(text=text, x0=first[0], y0=first[1], x1=last[2], y1=last[1], height=height, gap=max(gaps, default=0.0))


def page_lines(pdfium, page) -> list[Line]:
    """The text lines of one page in PDFium's reading order."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines, at = [], 0
        for piece in text.replace("\r\n", "\n").split("\n"):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                lines.append(_line(pdfium.raw, textpage, stripped, at + lead))
            at += len(piece) + 2  # PDFium's line breaks are CRLF: two text positions
        return lines
    finally:
        textpage.close()


def _outline(pdf) -> list[tuple[int, int, str]]:
    """Bookmarks as ``(level, page index, title)``; a broken outline is treated as none."""
    out = []
    try:
        for n, mark in enumerate(pdf.get_toc(max_depth=9)):
            dest = mark.get_dest()
            index = dest.get_index() if dest is not None else None
            title = " ".join((mark.get_title() or "").split())
            if index is not None and title and n < MAX_BOOKMARKS:
                out.append((mark.level, index, title))
    except Exception:  # PDFium outlines come from untrusted files; sections are optional
        return []
    return out


def _ligatures(text: str) -> str:
    return text.translate(LIGATURES)


LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})


class Pdf:
    """``.pdf``: one unit per page (``page`` is 1-based), sections from the bookmarks."""

    name = "pdf"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        pdfium = require("pypdfium2", "pypdfium2")
        pdf = _open(pdfium, data)
        try:
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    pages.append(page_lines(pdfium, page))
                finally:
                    page.close()
            outline = _outline(pdf)
        except pdfium.PdfiumError as exc:
            raise Unreadable(f"corrupt PDF ({str(exc).rstrip('.')})") from None
        finally:
            pdf.close()
        texts = [drop_leader_lines(_ligatures(join_lines(lines))) for lines in strip_furniture(pages)]
        known = compounds(texts)
        texts = [dehyphenate(t, known) for t in texts]
        if not any(any(ch.isalnum() for ch in t) for t in texts):
            raise Unreadable(NO_TEXT)
        places = place_outline(texts, outline)
        return [
            TextUnit(text=text, locator=Locator(page=n, section=section), headings=headings)
            for n, (text, (section, headings)) in enumerate(zip(texts, places), 1)
        ]
