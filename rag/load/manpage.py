"""Manual pages: roff source with the ``man`` macros (``ls.1``, ``fstab.5``, and gzip-compressed ``ls.1.gz``);
BSD ``mdoc`` pages go through :mod:`rag.load.mdoc`.

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
from .roff import Page, args, escapes
from .text import decode, headings

MAX_UNPACKED = 64 * 1024 * 1024  # a manual page is a few hundred KB; more is no manual page

_ALTERNATING = {"BR", "BI", "IB", "IR", "RB", "RI"}
_FONT = {"B", "I", "SM", "SB"}
_PARAGRAPH = {"PP", "LP", "P", "HP", "sp", "ne"}


def _request(page: Page, macro: str, args: list[str]) -> None:
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


# a string comparison: ".if !'po4a'hide' .BR \-d , \-\-debug" (every po4a translation of a page wraps its option tags so)
_COMPARE = re.compile(r"(!?)(['\"])(.*?)\2(.*?)\2\s*(.*)$")


def _taken(condition: str) -> str | None:
    """The body of a conditional that a terminal formatter would run (the ``n`` branch, or a string comparison that
    holds), ``None`` for any other condition (typesetter branches, registers): those are skipped."""
    if condition.startswith("n "):
        return condition[2:]
    m = _COMPARE.match(condition)
    if m and (m.group(3) == m.group(4)) != bool(m.group(1)):
        return m.group(5)
    return None


def _line(page: Page, raw: str) -> None:
    """One input line: a table row, a request, or text (which may be what the last request waited for)."""
    if page.table:
        if raw.startswith((".TE", "'TE")):
            page.table = False
        elif not raw.startswith((".", "'")) and not raw.rstrip().endswith("."):  # a row, not the format lines
            page.flush()
            page.blocks.append(" | ".join(escapes(cell).strip() for cell in raw.split("\t")))
        return
    if raw.startswith((".", "'")) and len(raw) > 1:
        macro, _, rest = raw[1:].strip().partition(" ")
        body = _taken(rest.strip()) if macro in ("if", "ie") else None
        if body is not None:  # a branch roff takes here; "\{\" opens a block of requests
            body = body.strip().removeprefix("\\{").removesuffix("\\").strip()
            return _line(page, body) if body else None
        if macro not in ("if", "ie", "el"):
            _request(page, macro, [escapes(a) for a in args(rest)])
        return
    line = escapes(raw)
    if page.pending in ("SH", "SS"):
        page.heading(2 if page.pending == "SH" else 3, line.strip())
    elif page.pending == "TP":
        page.tag(line.strip())
    else:
        page.text(line)
    page.pending = None


def to_text(source: str) -> str:
    """The page as Markdown-like text (see the module docstring)."""
    page = Page()
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
        from . import mdoc

        return mdoc.to_text(text)
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
