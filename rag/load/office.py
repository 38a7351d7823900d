"""Word (``.docx``, read with python-docx) and OpenDocument text (``.odt``, its XML read with lxml): the
body in document order as blocks, with heading paths as sections and table rows as lines.

Headings are what the document declares: a Word paragraph whose style is (or is based on) a built-in
heading style or carries an outline level, an OpenDocument ``text:h`` with its outline level. Page
headers and footers, comments, footnotes and tables of contents are left out.
"""
from __future__ import annotations

import io
import re

from .base import TextUnit
from .blocks import Block, clean, to_unit
from .files import Unreadable, require
from .zipped import local, open_zip, parse_xml, read_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.I)


def _style_level(style) -> int | None:
    """Heading level of a Word paragraph style: 'Heading N' or an outline level, through 'based on'."""
    seen = 0
    while style is not None and seen < 10:
        match = _HEADING_STYLE.match(style.name or "")  # 'Title' is not one: the file name already names the document
        if match:
            return int(match.group(1))
        level = _outline_level(style.element)
        if level is not None:
            return level
        style, seen = style.base_style, seen + 1
    return None


def _outline_level(element) -> int | None:
    found = element.find(f"{W}pPr/{W}outlineLvl")
    if found is None:
        return None
    value = found.get(f"{W}val", "")
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None  # 9 means body text


def _docx_paragraph(paragraph) -> Block:
    level = _outline_level(paragraph._p)
    if level is None:
        try:
            level = _style_level(paragraph.style)
        except (KeyError, ValueError):  # a paragraph naming a style the document does not define
            level = None
    text = clean(paragraph.text)
    return Block(text=text, level=level if text else None)


def _docx_row(row) -> Block:
    cells, seen = [], set()
    for cell in row.cells:  # a merged cell is returned once per grid column it spans
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(clean(cell.text))
    return Block(text=" | ".join(c for c in cells if c), row=True)


def _docx_blocks(container, document) -> list[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    for child in container.iterchildren():
        tag = local(child)
        if tag == "p":
            blocks.append(_docx_paragraph(Paragraph(child, document)))
        elif tag == "tbl":
            blocks.extend(_docx_row(row) for row in Table(child, document).rows)
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):  # wrappers around body content
            blocks.extend(_docx_blocks(child, document))
    return blocks


class Docx:
    """``.docx``: one unit, the body text, with the heading path of each section."""

    name = "docx"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        open_zip(data, "Word file").close()  # clear reasons for encrypted, legacy and truncated files first
        docx = require("docx", "python-docx")
        try:
            document = docx.Document(io.BytesIO(data))
            blocks = _docx_blocks(document.element.body, document)
        except Unreadable:
            raise
        except Exception as exc:  # python-docx raises KeyError, ValueError, PackageNotFoundError, lxml errors
            raise Unreadable(f"corrupt Word file ({type(exc).__name__}: {str(exc)[:120]})") from None
        return [to_unit(blocks)]


TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODT_SKIP = {"note", "annotation", "table-of-content", "alphabetical-index", "bibliography", "sequence-decls",
            "tracked-changes", "illustration-index", "table-index", "user-index", "object-index"}


def _odt_text(el) -> str:
    """The text of a paragraph: spaces (``text:s``), tabs and line breaks spelled out; notes and comments left out."""
    parts = [el.text or ""]
    for child in el:
        tag = local(child)
        if tag == "s":
            parts.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif tag in ("tab", "line-break"):
            parts.append(" ")
        elif tag not in ODT_SKIP:
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_blocks(container) -> list[Block]:
    blocks: list[Block] = []
    for child in container:
        tag = local(child)
        if tag == "h":
            level = child.get(f"{TEXT}outline-level", "1")
            blocks.append(Block(text=clean(_odt_text(child)), level=int(level) if level.isdigit() else 1))
        elif tag == "p":
            blocks.append(Block(text=clean(_odt_text(child))))
        elif tag == "table-row":
            cells = [clean(" ".join(_odt_text(p) for p in cell.iter(f"{TEXT}p", f"{TEXT}h"))) for cell in child if local(cell) == "table-cell"]
            blocks.append(Block(text=" | ".join(c for c in cells if c), row=True))
        elif tag not in ODT_SKIP:  # lists, list items, sections, tables and their row groups, frames
            blocks.extend(_odt_blocks(child))
    return blocks


class Odt:
    """``.odt``: one unit, the body text, with the heading path of each section."""

    name = "odt"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        archive = open_zip(data, "OpenDocument file")
        manifest = read_part(archive, "META-INF/manifest.xml", "OpenDocument file")
        if b"encryption-data" in manifest:
            raise Unreadable("encrypted (password-protected) OpenDocument file")
        root = parse_xml(read_part(archive, "content.xml", "OpenDocument file"), "OpenDocument file")
        body = root.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body")
        if body is None:
            raise Unreadable("corrupt OpenDocument file (no body)")
        return [to_unit(_odt_blocks(body))]
