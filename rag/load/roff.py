"""Shared by the manual-page readers: roff escapes, request arguments, and the page being written."""
from __future__ import annotations

import re
import unicodedata

_SPECIAL = {
    "em": "—", "en": "–", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "bu": "•",
    "co": "©", "rg": "®", "tm": "™", "mu": "×", "de": "°", "ti": "~", "ha": "^", "ga": "`", "aa": "´", "rs": "\\", "sl": "/",
    "pl": "+", "eq": "=", "lt": "<", "gt": ">", "<=": "≤", ">=": "≥", "->": "→", "<-": "←", "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›",
    "R": "®", "Tm": "™", "ua": "↑", "da": "↓", "pc": "·", "sc": "§", "ct": "¢", "Po": "£", "Eu": "€", "ss": "ß",
    "Bq": "„", "bq": "‚", "r!": "¡", "r?": "¿", "oa": "å", "oA": "Å", "/o": "ø", "/O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "-D": "Ð", "Sd": "ð", "TP": "Þ", "Tp": "þ", "ff": "ff", "fi": "fi", "fl": "fl", "Fi": "ffi", "Fl": "ffl",
    # strings that docbook and Pod::Man pages define in their preamble (".ie \n(.g .ds Aq \(aq"), at their terminal values:
    # without them "l\*(Aqoption" read "loption"
    "Aq": "'", 'L"': '"', 'R"': '"', "C`": '"', "C'": '"', "C+": "C++", "/l": "ł", "/L": "Ł",
}
# groff's accented letters (groff_char(7)): \(:u is ü, \('e é, \(`a à, \(^o ô, \(~n ñ, \(,c ç; Greek \(*a is α
_ACCENTS = {":": "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", ",": "\u0327", "v": "\u030c"}
_SPECIAL.update({mark + letter: unicodedata.normalize("NFC", letter + accent) for mark, accent in _ACCENTS.items() for letter in "aeiouyAEIOUYnNcCsSzZ"
                 if len(unicodedata.normalize("NFC", letter + accent)) == 1})
_SPECIAL.update({"*" + latin: greek for latin, greek in zip("abgdezyhiklmncoprstufxqwABGDEZYHIKLMNCOPRSTUFXQW", "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ")})
_ESCAPE = re.compile(
    r"\\(?:f(?:\[[^\]]*\]|\(..|.)|\((..)|\[([^\]]*)\]|\*(?:\[([^\]]*)\]|\((..)|(.))|s[+-]?(?:\d+|\[[^\]]*\]|\(\d\d)"
    r"|[nmgk](?:\[[^\]]*\]|\(..|.)|[hvwlLoXbDZNxCRSAB]'[^']*'|(.))"
)
_PLAIN = {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "'": "´", "`": "`", ".": ".", "t": "\t"}
_ARGS = re.compile(r'"((?:[^"]|"")*)"|((?:\\\s|\S)+)')  # an escaped space ("\-M\ percorso") does not split an argument


def escapes(text: str) -> str:
    def one(m: re.Match) -> str:
        special, bracket, string_b, string_p, string_1, plain = m.groups()
        name = special or bracket or string_b or string_p or string_1
        if name is not None:
            if name.startswith("u") and re.fullmatch(r"u[0-9A-Fa-f]{4,6}", name):
                return chr(int(name[1:], 16))
            return _SPECIAL.get(name, "")
        return _PLAIN.get(plain, "") if plain is not None else ""

    return _ESCAPE.sub(one, text.split('\\"', 1)[0])


def args(rest: str) -> list[str]:
    return [m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2) for m in _ARGS.finditer(rest)]


class Page:
    """The text being written: finished blocks, the paragraph being filled and the current indentation."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.words: list[str] = []
        self.indent = 0  # from .RS/.RE
        self.item = False  # inside a .TP/.IP item: its description is indented under the tag
        self.fill = True
        self.table = False  # between .TS and .TE
        self.pending: str | None = None  # a request that takes the next line as its argument (.SH, .TP, .B)
        self.open_tag = ""  # the last tag line, while no description follows it

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
        if self.item and self.blocks and self.blocks[-1] == self.open_tag and tag.startswith("-") and self.open_tag.lstrip().startswith("-"):
            # ".IP -N" ".PD 0" ".IP --timestamping": one item with two tags, as pod2man writes them (-N, --timestamping)
            self.blocks[-1] += ", " + tag
        else:
            self.blocks += ["", " " * (self.indent + 2) + tag]  # indented as a manual shows it, the description deeper
        self.open_tag = self.blocks[-1]
        self.item = True
