"""BSD ``mdoc`` manual pages (``.Dd``/``.Dt``/``.Sh``; OpenSSH's ``ssh.1``, ``scp.1``): the same text as a ``man`` page.

The page title and sections become headings, ``.It`` items of a ``.Bl`` list are a tag with its
description indented below it (``-P port``), and the inline macros become their text: ``Fl P Ar port``
is "-P port", ``Xr ssh 1`` is "ssh(1)", ``Op`` brackets, ``Dq`` quotes. What only typesetting needs
(``.Os``, ``.Sm``, reference blocks) is dropped.
"""
from __future__ import annotations

import re

from .roff import Page, args, escapes

_CALLABLE = frozenset(
    "Ad An Ap Ar At Bq Brq Bx Cd Cm Dq Dv Em Er Ev Fa Fl Fn Ft Ic Li Lk Ms Mt Nm No Ns Oc Oo Op Pa Pf Pq Ql Qq Sq St Sy Ta Tn Ux Va Xr Aq".split()
)
_WRAP = {"Op": ("[", "]"), "Dq": ("“", "”"), "Qq": ('"', '"'), "Sq": ("‘", "’"), "Aq": ("<", ">"), "Bq": ("[", "]"), "Brq": ("{", "}"), "Pq": ("(", ")")}
_CLOSING = re.compile(r"^[.,:;)\]?!]{1,2}$")  # attaches to the word before ("..." is an ellipsis, spaced)
_DROP = frozenset("Os Dd Sm Rs Re %A %B %D %I %J %N %O %P %Q %R %T %U %V Bk Ek Ud".split())


def _inline(tokens: list[str], name: str) -> str:
    """The text of a line of inline macros and words."""
    out: list[str] = []
    glue = False  # the next piece attaches without a space (Ns, Pf, an opening bracket)
    mode = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _WRAP:  # wraps the rest of the line; its trailing punctuation stays outside: .Dq 7 . -> “7”.
            opening, closing = _WRAP[tok]
            rest = tokens[i + 1 :]
            tail = 0
            while tail < len(rest) and _CLOSING.match(rest[len(rest) - 1 - tail]):
                tail += 1
            inner, after = rest[: len(rest) - tail], rest[len(rest) - tail :]
            out.append((" " if out and not glue else "") + opening + _inline(inner, name) + closing + "".join(after))
            return "".join(out)
        if tok in _CALLABLE:
            mode = tok
            if tok in ("Ns", "Ap"):
                glue = True
                out.append("'" if tok == "Ap" else "")
            elif tok == "Oo":
                out.append((" " if out and not glue else "") + "[")
                glue = True
            elif tok == "Oc":
                out.append("]")
            elif tok == "Fl" and (i + 1 == len(tokens) or tokens[i + 1] in _CALLABLE):
                out.append((" " if out and not glue else "") + "-")
                glue = False
            elif tok == "Nm" and (i + 1 == len(tokens) or tokens[i + 1] in _CALLABLE):
                out.append((" " if out and not glue else "") + name)
                glue = False
            elif tok == "Pf":
                i += 1
                out.append((" " if out and not glue else "") + (tokens[i] if i < len(tokens) else ""))
                glue = True
            i += 1
            continue
        piece = "-" + tok if mode == "Fl" else tok
        if mode == "Xr" and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            piece, i = f"{tok}({tokens[i + 1]})", i + 1
        space = "" if (not out or glue or _CLOSING.match(piece)) else " "
        out.append(space + piece)
        glue = False
        i += 1
    return "".join(out)


def _request(page: Page, macro: str, tokens: list[str], state: dict) -> None:
    text = _inline(tokens, state.get("name", ""))
    if macro == "Dt":
        page.heading(1, f"{tokens[0]}({tokens[1]})" if len(tokens) > 1 else text)
    elif macro in ("Sh", "Ss"):
        page.heading(2 if macro == "Sh" else 3, text)
    elif macro == "Nm" and tokens and "name" not in state:
        state["name"] = tokens[0]
        page.text(tokens[0])
    elif macro == "Nd":
        page.text("- " + text)
    elif macro in ("Pp", "Lp", "Bl", "El"):
        page.paragraph()
    elif macro == "It":
        page.tag(text.replace(" Ta ", " | ") if text else "•")
    elif macro in ("Bd", "Ed"):
        page.flush()
        page.fill = macro == "Ed" or "-literal" not in tokens and "-unfilled" not in tokens
        page.indent = page.indent + 4 if macro == "Bd" else max(0, page.indent - 4)
    elif macro in ("D1", "Dl"):
        page.flush()
        page.blocks.append(" " * (page.indent + 4) + text)
    elif macro not in _DROP:
        page.text(_inline([macro, *tokens], state.get("name", "")) if macro in _CALLABLE else text)


def to_text(source: str) -> str:
    """An mdoc page as Markdown-like text, laid out as :func:`rag.load.manpage.to_text` lays out a man page."""
    page = Page()
    state: dict = {}
    for raw in source.replace("\r\n", "\n").split("\n"):
        if raw.startswith(('.\\"', "'\\\"")):
            continue
        if raw.startswith(".") and len(raw) > 1:
            macro, _, rest = raw[1:].strip().partition(" ")
            _request(page, macro, [escapes(a) for a in args(rest)], state)
        else:
            page.text(escapes(raw))
    page.flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(page.blocks)).strip() + "\n"
