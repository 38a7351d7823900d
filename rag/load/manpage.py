"""Manual pages: roff source with the ``man`` macros (``ls.1``, ``fstab.5``, and gzip-compressed ``ls.1.gz``).

Read without groff, so it works on any machine: the page becomes Markdown-like text with its
title as ``# LS(1)`` and each ``.SH``/``.SS`` as a heading (citations say ``ls.1:40 § LS(1) › OPTIONS``).
A paragraph is one line; an item of a ``.TP``/``.IP`` list is its tag on a line of its own with the
description indented below it, which the chunker keeps together as one unit (``-a, --all`` with
"do not ignore entries starting with ."). Font changes and most escapes are dropped, special
characters become their Unicode form; tables keep their cells; anything else roff can do (macros
defined in the page, conditionals for typesetters, registers) is skipped.
"""
from __future__ import annotations

import gzip
import io
import re
import zlib

from .base import TextUnit
from .files import Unreadable
from .text import decode, headings

MAX_UNPACKED = 64 * 1024 * 1024  # a manual page is a few hundred KB; more is no manual page

_SPECIAL = {
    "em": "—", "en": "–", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "bu": "•",
    "co": "©", "rg": "®", "tm": "™", "mu": "×", "de": "°", "ti": "~", "ha": "^", "ga": "`", "aa": "´", "rs": "\\", "sl": "/",
    "pl": "+", "eq": "=", "lt": "<", "gt": ">", "<=": "≤", ">=": "≥", "->": "→", "<-": "←", "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›",
    "R": "®", "Tm": "™", "ua": "↑", "da": "↓", "pc": "·", "sc": "§", "ct": "¢", "Po": "£", "Eu": "€", "ss": "ß",
}
_ESCAPE = re.compile(
    r"\\(?:f(?:\[[^\]]*\]|\(..|.)|\((..)|\[([^\]]*)\]|\*(?:\[([^\]]*)\]|\((..)|(.))|s[+-]?(?:\d+|\[[^\]]*\]|\(\d\d)"
    r"|[nmgk](?:\[[^\]]*\]|\(..|.)|[hvwlLoXbDZNxCRSAB]'[^']*'|(.))"
)
_PLAIN = {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "'": "´", "`": "`", ".": ".", "t": "\t"}
_ALTERNATING = {"BR", "BI", "IB", "IR", "RB", "RI"}
_FONT = {"B", "I", "SM", "SB"}
_PARAGRAPH = {"PP", "LP", "P", "HP", "sp", "ne"}
_ARGS = re.compile(r'"((?:[^"]|"")*)"|(\S+)')


def _escapes(text: str) -> str:
    def one(m: re.Match) -> str:
        special, bracket, string_b, string_p, string_1, plain = m.groups()
        name = special or bracket or string_b or string_p or string_1
        if name is not None:
            if name.startswith("u") and re.fullmatch(r"u[0-9A-Fa-f]{4,6}", name):
                return chr(int(name[1:], 16))
            return _SPECIAL.get(name, "")
        return _PLAIN.get(plain, "") if plain is not None else ""

    return _ESCAPE.sub(one, text.split('\\"', 1)[0])


def _args(rest: str) -> list[str]:
    return [m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2) for m in _ARGS.finditer(rest)]


class _Page:
    """The text being written: finished blocks, the paragraph being filled and the current indentation."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.words: list[str] = []
        self.indent = 0  # from .RS/.RE
        self.item = False  # inside a .TP/.IP item: its description is indented under the tag
        self.fill = True
        self.table = False  # between .TS and .TE
        self.pending: str | None = None  # a request that takes the next line as its argument (.SH, .TP, .B)

    def flush(self) -> None:
        if self.words:
            pad = " " * (self.indent + (6 if self.item else 0))
            self.blocks.append(pad + " ".join(self.words))
            self.words = []

    def text(self, line: str) -> None:
        if self.fill:
            if line.strip():
                self.words.append(line.strip())
        else:
            self.blocks.append(" " * (self.indent + (6 if self.item else 0)) + line.rstrip())

    def heading(self, level: int, title: str) -> None:
        self.flush()
        self.item = False
        self.indent = 0
        self.blocks += ["", "#" * level + " " + title, ""]

    def paragraph(self) -> None:
        self.flush()
        self.item = False
        self.blocks.append("")

    def tag(self, tag: str) -> None:
        self.flush()
        self.blocks += ["", " " * (self.indent + 2) + tag]  # indented as a manual shows it, the description deeper
        self.item = True


def _request(page: _Page, macro: str, args: list[str]) -> None:
    """One roff request (``.SH NAME``, ``.TP``, ``.B word`` …) applied to the page."""
    if macro == "TH":
        page.heading(1, f"{args[0]}({args[1]})" if len(args) > 1 else " ".join(args))
    elif macro in ("SH", "SS"):
        if args:
            page.heading(2 if macro == "SH" else 3, " ".join(args))
        else:
            page.pending = macro
    elif macro == "TP":
        page.pending = "TP"
    elif macro == "IP":
        if args and args[0]:
            page.tag(args[0])
        else:
            page.flush()
            page.item = True
    elif macro in _PARAGRAPH:
        page.paragraph()
    elif macro in ("RS", "RE"):
        page.flush()
        page.indent = page.indent + 4 if macro == "RS" else max(0, page.indent - 4)
    elif macro in ("nf", "EX", "fi", "EE", "br"):
        page.flush()
        page.fill = page.fill if macro == "br" else macro in ("fi", "EE")
    elif macro in _FONT or macro in _ALTERNATING:
        words = ("".join if macro in _ALTERNATING else " ".join)(args)
        if not words:
            page.pending = page.pending if page.pending == "TP" else macro
        elif page.pending == "TP":  # .TP then .B NAME: the tag
            page.tag(words)
            page.pending = None
        else:
            page.text(words)
    elif macro in ("UR", "MT", "OP"):
        page.text("[" + " ".join(args) + "]" if macro == "OP" else " ".join(args))
    elif macro == "TS":
        page.flush()
        page.table = True


def _line(page: _Page, raw: str) -> None:
    """One input line: a table row, a request, or text (which may be what the last request waited for)."""
    if page.table:
        if raw.startswith((".TE", "'TE")):
            page.table = False
        elif not raw.startswith((".", "'")) and not raw.rstrip().endswith("."):  # a row, not the format lines
            page.flush()
            page.blocks.append(" | ".join(_escapes(cell).strip() for cell in raw.split("\t")))
        return
    if raw.startswith((".", "'")) and len(raw) > 1:
        macro, _, rest = raw[1:].strip().partition(" ")
        if macro in ("if", "ie") and rest.startswith("n "):  # the branch for terminals
            return _line(page, rest[2:].strip())
        if macro not in ("if", "ie", "el"):
            _request(page, macro, [_escapes(a) for a in _args(rest)])
        return
    line = _escapes(raw)
    if page.pending in ("SH", "SS"):
        page.heading(2 if page.pending == "SH" else 3, line.strip())
    elif page.pending == "TP":
        page.tag(line.strip())
    else:
        page.text(line)
    page.pending = None


def to_text(source: str) -> str:
    """The page as Markdown-like text (see the module docstring)."""
    page = _Page()
    for raw in source.replace("\r\n", "\n").split("\n"):
        if not raw.startswith(('.\\"', "'\\\"")):  # a comment line
            _line(page, raw)
    page.flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(page.blocks)).strip() + "\n"


def _roff(data: bytes) -> str:
    text = decode(data)
    alias = re.match(r"\s*[.']so\s+(\S+)\s*$", text)
    if alias:
        raise Unreadable(f"only a reference to another page ({alias.group(1)}), which is indexed on its own")
    if not re.search(r"^[.'](?:TH|SH|Dd)\b", text, re.MULTILINE):
        raise Unreadable("not a manual page (no .TH or .SH request)")
    if re.search(r"^[.']Dd\b", text, re.MULTILINE) and not re.search(r"^[.']TH\b", text, re.MULTILINE):
        raise Unreadable("an mdoc manual page (BSD macros) is not supported; convert it with `mandoc -T utf8`")
    return to_text(text)


class Manpage:
    """``.1`` … ``.9``, ``.man``: one unit, the page as text with its sections as headings."""

    name = "man"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        text = _roff(data)
        return [TextUnit(text=text, headings=headings(text))]


class Gzipped:
    """``.gz``: a compressed document (``ls.1.gz``), read by the loader of the name without ``.gz``."""

    name = "gzip"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        from . import loader_for

        inner = source[: -len(".gz")]
        try:
            # a manual page of any section suffix: ls.1.gz, openssl.1ssl.gz, File::Spec.3pm.gz
            loader = Manpage() if re.search(r"\.[1-9][a-z]{0,6}$", inner) else loader_for(inner)
        except Exception:
            raise Unreadable(f"compressed {inner.rsplit('.', 1)[-1] if '.' in inner else 'file'} is not a supported document") from None
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                unpacked = fh.read(MAX_UNPACKED + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise Unreadable(f"corrupt or truncated gzip file ({exc})") from None
        if len(unpacked) > MAX_UNPACKED:
            raise Unreadable(f"unpacks to more than {MAX_UNPACKED // 2**20} MB")
        return loader.load(unpacked, inner)
