"""Where a sentence ends: the units the chunker packs and the answer stage quotes.

A paragraph's units are its sentences, except where a line break ends one: a heading, a list item, a table row (one unit
whatever its cells hold), a command-line option with its indented description, a line of records. Initials and common
abbreviations end no sentence ("William E. Simon", "z. B.", "ул. Садовая 31", "No. 81"). The rules' version is
``rag.chunk.SENTENCE_RULES``, part of every chunk's hash.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Sentence end: terminal punctuation (plus closing quotes/brackets), whitespace, then a
# character that does not continue a sentence in lower case.
_SENT_END = re.compile(r"""[.!?…。！？;](?:["'»“”’)\]]*)(?=\s+[^\s\p{Ll}\[<|=-])""".replace(r"\p{Ll}", "a-zà-ÿа-яё"))
_PARA = re.compile(r"\n[ \t]*\n\s*")
_LINE_START_BLOCK = re.compile(r"\s*(?:#{1,6}\s|[-*+•]\s|\d+[.)]\s|>|\||```)")
_UNDERLINE = re.compile(r"[ \t]*(?:={3,}|-{3,})[ \t]*(?:\n|$)")
_LIST_NUMBER = re.compile(r"(?:^|\s)\d{1,3}[.)]$")
# an initial or a short abbreviation before a name or word ("Nicholas E. Golovin", "z. B.", "St. Johns", "EE. UU.",
# "А. С. Пушкин", "n. Chr.") does not end a sentence
_ABBREVIATION = re.compile(
    r"(?:^|[\s(.'\"«„])(?:[^\W\d_]|St|Dr|Mr|Mrs|Ms|Prof|Nr|Chr|bzw|vgl|ca|Mme|Mlle|Sr|Sra|Dott|Sig|EE|UU"
    r"|ул|ауд|корп|просп|пер|Str|Ave|Avda|av|bd|Mio|Mrd)\.$"  # an address's street or room, a sum's unit ("ул. Садовая 31")
)
# …and before a number only ("Tel. 030 …", "Fig. 3", "рис. 3.20", "pág. 12"): these also end sentences as words ("небесных тел.")
_NUMBER_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:тел|Tel|tel|tél|Tél|кв|стр|каб|рис|табл|Abs|No|Vol|Fig|Sec|pp|approx|env|pag|pág|núm)\.$")
_BEFORE_NUMBER = re.compile(r"\s+[+\d]")
# a line that names a command-line option: "-a, --all", "  --color[=WHEN]", "-I PATTERN", "+N"
_OPTION_HEAD = re.compile(r"[ \t]*(?:--?[A-Za-z0-9?][\w?.-]*|\+[A-Za-z0-9])(?=[\s,=\[<|]|$)")


def trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _indent(line: str) -> int:
    line = line.expandtabs(8)
    return len(line) - len(line.lstrip(" "))


def _term(line: str, nxt: str) -> bool:
    """An indented short line (an environment variable, a command, a key) whose description is indented deeper below it."""
    words = line.strip()
    return 0 < _indent(line) < _indent(nxt) and bool(nxt.strip()) and 0 < len(words) <= 40 and words[-1] not in ".!?…:;,。！？"


# a line of this many characters or more that stops mid-sentence, and a next line at its indentation going on in lower
# case, is prose wrapped at a column ("… tracker which is\nlocated at …"), not a list of short lines
WRAP_MIN = 40
WRAPPED_PROSE = True
_PROSE_WORD = re.compile(r"[a-zà-ÿа-яё][^\W\d_]*(?:['’-][^\W\d_]+)*[,;]?")
_COLUMNS = re.compile(r"\t| {2,}|\[--?\w")  # columns, or a synopsis' optional options
_ABBREVIATED = re.compile(r"(?:\b(?:etc|usw|bzw|vgl|ecc|cf|ca)|\b[eiz]\.\s?[geB]|\bт\.\s?[дпе]|\bи\.\s?д)\.$", re.IGNORECASE)


RECORD_LINES = True
_OPENS_LOWER = re.compile(r"\s*[a-zà-ÿа-яё(\[`]")
_ENDS_SHORT_WORD = re.compile(r"(?<![\w.-])(?:[a-zà-ÿа-яё]{1,4}|\w)$")  # "… oder", "… of the", "… von O" (O₂): the sentence goes on


def _records(paragraph: str) -> bool:
    """Lines of records, each a unit: 3+ lines, every one opening in capitals or digits and none ending on a comma, and
    of widths no filling program gives (the shortest line but the last under 0.7 of the widest)."""
    lines = [line.rstrip() for line in paragraph.split("\n") if line.strip()]
    if len(lines) < 3 or any(_OPENS_LOWER.match(line) or line[-1] in ",-–" or _ENDS_SHORT_WORD.search(line) for line in lines):
        return False
    return min(len(line) for line in lines[:-1]) < 0.7 * max(len(line) for line in lines)


def _wrapped(line: str, nxt: str) -> bool:
    """Whether the break between ``line`` and ``nxt`` only wraps prose (see ``WRAP_MIN``): not columns (a tab or a run of
    spaces inside), a synopsis ("[-e]"), code or records (fewer than 5 words), nor a next line opening a field ("category: …")."""
    words, following = line.strip(), nxt.strip()
    first = following.split(maxsplit=1)[0] if following else ""
    return (
        len(words) >= WRAP_MIN and len(words.split()) >= 5 and _indent(nxt) == _indent(line) and bool(_PROSE_WORD.fullmatch(first))
        and not _COLUMNS.search(words) and not _COLUMNS.search(following)
        and (words[-1] not in ".!?…:;。！？\"”»" or bool(_ABBREVIATED.search(words)))
    )


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Positions inside a paragraph where a single newline starts a new unit.

    A command-line option ("-n, --numeric-sort", "--color[=WHEN]") starts a unit, and the lines indented
    deeper below it are its description: one unit with it, as a manual or ``--help`` lays them out."""
    cuts = []
    line_start = text.rfind("\n", 0, start) + 1  # the paragraph's first line, with its indentation
    item = None  # indentation of the option or term whose description is being read
    starts_unit = True  # the current line begins a unit
    pos = text.find("\n", start, end)
    records = RECORD_LINES and pos != -1 and _records(text[line_start:end])
    while pos != -1:
        prev = text[start:pos].rstrip()
        nxt = text[pos + 1 : end]
        line = text[line_start:pos]
        line_start = pos + 1
        if _UNDERLINE.match(nxt):  # a setext heading: the title stays with its underline
            pos = text.find("\n", pos + 1, end)
            continue
        nxt_line = nxt.split("\n", 1)[0]
        if item is None and starts_unit and (_OPTION_HEAD.match(line) or _term(line, nxt_line)):
            item = _indent(line)  # the unit starts with an option or a term
        ends = bool(prev) and (
            prev[-1] in ".!?…:;。！？\"”»" or bool(_LINE_START_BLOCK.match(nxt) or _LINE_START_BLOCK.match(line)) or len(prev) - prev.rfind("\n") < 60 or records
        ) and not (WRAPPED_PROSE and _wrapped(line, nxt_line))
        # an option opens a unit when it is indented, follows another item or ends a line of its own (not wrapped prose)
        opens = bool(_OPTION_HEAD.match(nxt_line)) and (_indent(nxt_line) > 0 or item is not None or ends)
        if opens:
            item = _indent(nxt_line)
        elif item is not None and nxt_line.strip() and _indent(nxt_line) > item:
            ends = False  # the option's description goes on
        else:
            item = None
        if ends or opens:
            cuts.append(pos + 1)
        starts_unit = bool(cuts) and cuts[-1] == pos + 1
        pos = text.find("\n", pos + 1, end)
    return cuts


def _abbreviated(text: str, start: int, end: int) -> bool:
    """Whether the full stop ending ``text[start:end]`` closes an abbreviation, not a sentence."""
    before = text[start:end]
    return bool(_ABBREVIATION.search(before) or (_NUMBER_ABBREVIATION.search(before) and _BEFORE_NUMBER.match(text, end)))


TABLE_ROWS = True  # a table row is one unit: its cells are no sentences ("| ауд. 214, ул. Садовая 31 | Марко Беллини |")


def _table_row(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` is a table row ("| … | … |")."""
    end = text.find("\n", pos)
    line = text[text.rfind("\n", 0, pos) + 1 : end if end != -1 else len(text)].strip()
    return len(line) > 2 and line[0] == "|" and line[-1] == "|"


@lru_cache(maxsize=4096)  # a warm question splits the passages earlier questions split
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans ``(start, end)`` of ``text``, whitespace trimmed, in order (shared: a tuple)."""
    spans: list[tuple[int, int]] = []
    bounds = [0] + [m.end() for m in _PARA.finditer(text)] + [len(text)]
    for p_start, p_end in zip(bounds, bounds[1:]):
        cuts = [p_start] + _line_breaks(text, p_start, p_end)
        line_start = lambda pos: text.rfind("\n", p_start, pos) + 1  # noqa: E731
        # a list number ("1. Item") or an ordinal ("am 3. Oktober") does not end a sentence
        cuts += [m.end() for m in _SENT_END.finditer(text, p_start, p_end) if not _LIST_NUMBER.search(text[max(line_start(m.start()), m.start() - 5) : m.end()])
                 and not _abbreviated(text, max(p_start, m.start() - 7), m.end()) and not (TABLE_ROWS and _table_row(text, m.start()))]
        cuts = sorted(set(cuts)) + [p_end]
        for s, e in zip(cuts, cuts[1:]):
            t = trimmed(text, s, e)
            if t:
                spans.append(t)
    return tuple(spans)
