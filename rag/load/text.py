"""Plain-text and Markdown loaders: decode the bytes (BOM, UTF-8, cp1252), keep the text exactly as
decoded (chunk offsets point into it), and for Markdown record where each section starts."""
from __future__ import annotations

import codecs
import re

from .base import TextUnit
from .files import Unreadable

BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"\x1f\x8b")


def decode(data: bytes) -> str:
    """Decode file bytes to text: BOMs first, then UTF-8, then cp1252/latin-1; binary raises; mojibake is repaired."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise Unreadable(f"invalid {codec} text") from None
    head = data[:8192]
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        raise Unreadable("binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text[:8192]) // 20):
        raise Unreadable("binary file (too many control characters)")
    return repaired(text)


# UTF-8 read as Latin-1 or cp1252 and saved again ("Ã¡rbol", "informaciÃ³n", "â€™"): some translated manual pages
# ship so. Two such pairs are enough to look; ftfy decides what is mojibake and what is meant ("Ã" in Portuguese).
_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|â€")


def repaired(text: str) -> str:
    """``text`` with mojibake undone (ftfy's ``fix_encoding``: encodings only; quotes, widths and ligatures stay as
    written), or ``text`` itself when it shows none."""
    if len(_MOJIBAKE.findall(text[:200_000])) < 2:
        return text
    from ftfy import fix_encoding

    return fix_encoding(text)


class PlainText:
    """``.txt``, ``.text``, ``.rst``: one unit, the decoded file."""

    name = "text"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        return [TextUnit(text=decode(data))]


_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT = re.compile(r"^(?P<title>[^\n#>\-*+|`].*)\n(?P<bar>=+|-+)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
# YAML front matter (Jekyll, Hugo, MkDocs): its closing "---" is no setext underline, its title the page's
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>(?:.*\n)*?)(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(?P<q>[\"']?)(?P<title>.+?)(?P=q)[ \t]*$", re.MULTILINE)


def _fenced(text: str, opened: bool = False) -> list[tuple[int, int]]:
    """Spans of fenced code blocks, where a '#' line is code, not a heading; ``opened``: the text starts inside one. A
    block left open runs to the end of the text, as in CommonMark (a chunk cut inside a block of shell comments)."""
    marks = [0] * opened + [m.start() for m in _FENCE.finditer(text)]
    marks += [len(text)] * (len(marks) % 2)
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks), 2)]


def heading_marks(text: str, opened: bool = False) -> list[tuple[int, int, str]]:
    """``(offset, level, title)`` of every Markdown heading, outside fenced code, in order (``opened``: the text, a
    chunk, starts inside a fenced block)."""
    fences = _fenced(text, opened)
    found = [(m.start(), len(m.group(1)), m.group(2).strip()) for m in _ATX.finditer(text)]
    found += [(m.start(), 1 if m.group("bar")[0] == "=" else 2, m.group("title").strip()) for m in _SETEXT.finditer(text)]
    front = _FRONT_MATTER.match(text)
    titled = _FRONT_TITLE.search(front.group("body")) if front else None
    fences += [(0, front.end())] if front else []
    kept = [(offset, level, title) for offset, level, title in sorted(found) if title and not any(a <= offset < b for a, b in fences)]
    return ([(0, 1, titled.group("title").strip())] if titled else []) + kept


def starts_in_code(text: str) -> bool:
    """Whether a chunk cut from a Markdown document starts inside a fenced block: an odd number of fence lines, and a
    prompt line ("# dpkg-reconfigure locales", "$ ls") before the first of them, which therefore closes a block."""
    marks = [m.start() for m in _FENCE.finditer(text)]
    return len(marks) % 2 == 1 and re.search(r"^\s*[#$] [a-z]", text[: marks[0]], re.MULTILINE) is not None


def headings(text: str) -> list[tuple[int, str]]:
    """``(offset, "Title › Sub")`` at every Markdown heading, outside fenced code."""
    path: list[tuple[int, str]] = []
    out = []
    for offset, level, title in heading_marks(text):
        path = [(lvl, t) for lvl, t in path if lvl < level] + [(level, title)]
        out.append((offset, " › ".join(t for _, t in path)))
    return out


class Markdown:
    """``.md``, ``.markdown``: one unit, the decoded file as written, with its heading path per section."""

    name = "markdown"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        text = decode(data)
        return [TextUnit(text=text, headings=headings(text))]
