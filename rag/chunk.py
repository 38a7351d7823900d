"""Stage 2, chunking: sentence-aware chunks measured in tiktoken tokens, with whole-sentence overlap.

A document's text is its units' texts joined by a blank line; every chunk is an exact slice
``text[start:end]`` of it (for a plain-text file: of the decoded file), so ids
(``<source>#<start>-<end>``) and quotes always map back to the source. Chunks never cross a unit
(a page stays a page), and each carries the locator of the unit and section it starts in.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import lang
from .sentences import sentences, trimmed  # noqa: F401  (chunk.sentences: the units quotes are cut from)
from .types import Chunk, Locator

ENCODING = "o200k_base"
STRUCTURE = True  # structure-aware packing (tables, blocks and lead-in lines); part of the chunking signature
# a manual's option item ("--limit-rate=amount" on its own line, its description indented below) that would not fit in what
# is left of a chunk starts the next one, once the current one has some substance, and that chunk repeats nothing of the
# item before: an item is not cut from its option (evals/RESULTS.md); part of the chunking signature
ITEMS = True

_HEADING = re.compile(r"\s*(?:#{1,6}\s|.+\n[=-]{3,}\s*$)")


def _tiktoken_cache() -> None:
    """Point tiktoken at the encodings llama-index ships, so nothing is downloaded."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return
    spec = importlib.util.find_spec("llama_index.core")
    if spec and spec.submodule_search_locations:
        cache = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
        if cache.is_dir():
            os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)


@lru_cache(maxsize=1)
def encoding():
    _tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


@dataclass
class Span:
    start: int
    end: int
    tokens: int = 0
    heading: bool = False
    block: bool = False  # starts a table, a fenced block or a list after running text
    lead: bool = False  # introduces what follows ("Tipp:", "Table 3.1. …", "the options are:")
    item: bool = False  # opens an option item ("-c, --continue" and its description)
    option: bool = False  # opens with an option (an item of any shape: a help text's one-line "-a, --all   …" too)


def _split_long(text: str, start: int, end: int, limit: int) -> list[Span]:
    """Cut an over-long sentence into pieces of at most ``limit`` tokens, at whitespace where possible."""
    enc = encoding()
    piece = text[start:end]
    tokens = enc.encode(piece, disallowed_special=())
    _, offsets = enc.decode_with_offsets(tokens)
    offsets = list(offsets) + [len(piece)]
    out: list[Span] = []
    i = 0
    while i < len(tokens):
        j = min(i + limit, len(tokens))
        if j < len(tokens):
            # tiktoken puts the space at the start of the next word's token: cut before such a token,
            # searching back through the window's last 30%
            for cand in range(j, i + int(limit * 0.7), -1):
                if 0 <= offsets[cand] < len(piece) and piece[offsets[cand]].isspace():
                    j = cand
                    break
        while True:
            t = trimmed(text, start + offsets[i], start + offsets[j])
            n = len(enc.encode(text[t[0] : t[1]], disallowed_special=())) if t else 0
            if n <= limit or j - i <= 1:
                break
            # re-tokenising a slice can merge differently: shrink to the previous word start until it fits
            prev = next((c for c in range(j - 1, i, -1) if piece[offsets[c]].isspace()), j - 1)
            j = prev
        if t:
            out.append(Span(t[0], t[1], n))
        i = j
    return out


_BLOCK_LINE = re.compile(r"(?:\||```|~~~|[-*+•]\s|\d+[.)]\s)")
_OPTION = re.compile(r"[ \t]*--?[A-Za-z0-9?]")  # a unit opening with an option, of any shape
# an option on a line of its own (no column of spaces before a description), its description indented below: a manual's
# item ("-t number, --tries=number" / "      Set number of tries"); a help text's one-line items are not
_ITEM = re.compile(r"[ \t]*--?[A-Za-z0-9?](?:(?! {2,}\S)[^\n])*\n[ \t]+\S")
_LEAD = re.compile(r":$")
_CAPTION = re.compile(r"^(?:Table|Tabelle|Tableau|Tabella|Tabla|Таблица|Figure|Abbildung|Figura)\s+\d+(?:\.\d+)*\.?(?:\s|$)")


def units(text: str, max_tokens: int, starts: frozenset[int] = frozenset()) -> list[Span]:
    """Sentences with token counts and structure marks; sentences longer than ``max_tokens`` are split.

    ``starts`` are offsets where a loader saw a heading (a Word heading has no Markdown ``#``)."""
    enc = encoding()
    out: list[Span] = []
    for s, e in sentences(text):
        n = len(enc.encode(text[s:e], disallowed_special=()))
        if n > max_tokens:
            out.extend(_split_long(text, s, e, max_tokens))
            continue
        piece = text[s:e]
        prev = text[out[-1].start : out[-1].end] if out else ""
        in_block = bool(_BLOCK_LINE.match(prev))
        # "Tabelle 3.1." and the caption's title (cut after the number) both lead into the table
        lead = bool(_LEAD.search(piece) or _CAPTION.match(piece) or (_CAPTION.match(prev) and prev.rstrip().endswith(".") and len(prev) < 20))
        heading = s in starts or bool(_HEADING.match(piece))
        item, option = ITEMS and bool(_ITEM.match(piece)), ITEMS and bool(_OPTION.match(piece))
        out.append(Span(s, e, n, heading=heading, block=bool(_BLOCK_LINE.match(piece)) and not in_block, lead=lead, item=item, option=option))
    return out


def chunk_spans(text: str, chunk_tokens: int, overlap: int, starts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Pack sentences into chunks of about ``chunk_tokens``; repeat up to ``overlap`` tokens of whole sentences."""
    us = units(text, chunk_tokens, starts)
    block_size = _block_sizes(text, us)
    item_size = _item_sizes(us)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(us):
        j, total = i, 0
        while j < len(us) and (j == i or total + us[j].tokens <= chunk_tokens):
            # a heading starts a new chunk once the current one has some substance; so does a table, fenced block
            # or list that would not fit in what is left but fits in a chunk of its own (it then stays whole), and an option
            # item that would not fit in what is left
            whole = STRUCTURE and us[j].block and total + block_size[j] > chunk_tokens >= block_size[j]
            item = us[j].item and total + item_size[j] > chunk_tokens
            if j > i and (us[j].heading or whole or item) and total >= chunk_tokens // 3:
                break
            total += us[j].tokens
            j += 1
        # a line that introduces what follows ("Tipp:", a table caption) goes with it, not at a chunk's end
        while STRUCTURE and j < len(us) and j - 1 > i and us[j - 1].lead:
            j -= 1
        spans.append((us[i].start, us[j - 1].end))
        if j >= len(us):
            break
        k, ov = j, 0
        # the overlap plus the next new sentence must fit, or the next chunk would repeat the old tail only
        while k - 1 > i and not us[k].heading and not us[k].item and ov + us[k - 1].tokens <= overlap and ov + us[k - 1].tokens + us[j].tokens <= chunk_tokens:
            ov += us[k - 1].tokens
            k -= 1
        i = k
    return spans


def _item_sizes(us: list[Span]) -> dict[int, int]:
    """Tokens of the option item that starts at each item-opening unit: up to the next option (of any shape) or heading."""
    sizes = {}
    for i, u in enumerate(us):
        if u.item:
            j, total = i, 0
            while j < len(us) and (j == i or not (us[j].option or us[j].heading)):
                total += us[j].tokens
                j += 1
            sizes[i] = total
    return sizes


def _block_sizes(text: str, us: list[Span]) -> dict[int, int]:
    """Tokens of the table, fenced block or list that starts at each block-starting unit."""
    sizes = {}
    for i, u in enumerate(us):
        if u.block:
            j, total = i, 0
            while j < len(us) and (j == i or _BLOCK_LINE.match(text[us[j].start : us[j].end])):
                total += us[j].tokens
                j += 1
            sizes[i] = total
    return sizes


# The sentence rules' version: sentence vectors are stored by position (``<chunk id>@<i>``), so a change of
# the rules must not let a chunk keep the vectors of its old sentences. Part of every content hash.
SENTENCE_RULES = "s6"  # s2: an option or term and its indented description are one unit; s3: initials and abbreviations; s4: wrapped prose; s5: record lines; s6: table rows, address and reference abbreviations


def content_hash(text: str) -> str:
    return hashlib.sha1(f"{SENTENCE_RULES}\0{text}".encode("utf-8")).hexdigest()[:16]


UNIT_SEPARATOR = "\n\n"


def _section_at(text: str, start: int, end: int, headings, default: str | None) -> str | None:
    """The section a chunk starts in; a chunk that opens with a heading and its sub-heading gets the sub-heading's."""
    index = next((i for i in range(len(headings) - 1, -1, -1) if headings[i][0] <= start), None)
    if index is None:
        return default
    while index + 1 < len(headings) and headings[index + 1][0] < end and "\n\n" not in text[max(start, headings[index][0]) : headings[index + 1][0]].strip():
        index += 1
    return headings[index][1]


def chunk_text(source: str, text: str, chunk_tokens: int, overlap: int, *, offset: int = 0, locator: Locator = Locator(), headings=()) -> list[Chunk]:
    """Chunks of one text, each with id, offsets (shifted by ``offset``), language, content hash and locator."""
    chunks = []
    for start, end in chunk_spans(text, chunk_tokens, overlap, frozenset(at for at, _ in headings)):
        body = text[start:end]
        section = _section_at(text, start, end, headings, locator.section)
        where = Locator(page=locator.page, section=section, line=text.count("\n", 0, start) + 1)
        a, b = start + offset, end + offset
        chunks.append(Chunk(id=f"{source}#{a}-{b}", source=source, start=a, end=b, text=body, language=lang.detect(body), hash=content_hash(body), locator=where))
    return chunks


def chunk_units(source: str, units, chunk_tokens: int, overlap: int, contextual: bool = False) -> list[Chunk]:
    """Chunks of a loaded document (a list of :class:`rag.load.TextUnit`), offsets into the joined text.

    With ``contextual``, each chunk also gets the document's title (its first heading, else its first
    line when that is short) and its section path as ``context`` (embedded with the text, never
    quoted), and its hash covers both, so a chunk whose heading changes is embedded again.
    """
    chunks: list[Chunk] = []
    offset = 0
    for unit in units:
        chunks += chunk_text(source, unit.text, chunk_tokens, overlap, offset=offset, locator=unit.locator, headings=unit.headings)
        offset += len(unit.text) + len(UNIT_SEPARATOR)
    if contextual:
        title = document_title(units) or _first_line_title(units)
        for c in chunks:
            c.context = context_of(title, c.locator.section)
            if c.context:
                c.hash = content_hash(representation(c))
    return chunks


CONTEXT_SEPARATOR = " › "


def document_title(units) -> str:
    """The document's title: the top of its first heading path (none for text without headings)."""
    for unit in units:
        for _, path in unit.headings:
            return path.split(CONTEXT_SEPARATOR)[0]
        if unit.locator.section:
            return unit.locator.section.split(CONTEXT_SEPARATOR)[0]
    return ""


# a help text's usage line ("Uso: wget [OPZIONI]... [URL]...") under a banner ("GNU Wget 1.21.3, un programma …")
_USAGE = re.compile(r"(?:usage|uso|aufruf|utilisation|modo de empleo|modo d'uso|использование|синтаксис)\s*:\s*\S", re.IGNORECASE)


def _first_line_title(units) -> str:
    """A document without headings: its first line when that line is short, is not a sentence and is not all
    there is, as a title line is (a manual's "LS(1)  User Commands  LS(1)", a help text's "Usage: ls [OPTION]..."); else
    a usage line among the next two ("GNU Wget 1.21.3, un programma non interattivo …" then "Uso: wget [OPZIONI]...")."""
    first, _, rest = units[0].text.strip().partition("\n") if units else ("", "", "")
    first = " ".join(first.split())
    ends_sentence = first.endswith((".", "!", "?", "。")) and not first.endswith(("...", "…"))
    if 0 < len(first) <= 80 and rest.strip() and not ends_sentence:
        return first
    usage = [" ".join(line.split()) for line in rest.strip().splitlines()[:2] if _USAGE.match(line.strip())]
    return usage[0] if usage and len(usage[0]) <= 80 else ""


def context_of(title: str, section: str | None) -> str:
    """"Title › Section › Sub" without repeating the title when the section path starts with it."""
    if not section:
        return title
    if not title or section == title or section.startswith(title + CONTEXT_SEPARATOR):
        return section
    return title + CONTEXT_SEPARATOR + section


def representation(chunk: Chunk) -> str:
    """What the chunk spaces embed: the context, then the text (the stored and quoted text stays ``chunk.text``)."""
    return f"{chunk.context}: {chunk.text}" if chunk.context else chunk.text


def sentence_units(text: str) -> list[str]:
    """The sentences of a chunk as embedded in the sentence spaces; sentence ``i`` has id ``<chunk id>@<i>``."""
    return [text[s:e] for s, e in sentences(text)]
