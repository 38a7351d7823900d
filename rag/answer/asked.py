"""Where a sentence holds something of the kind a question asks for (:mod:`rag.answer.kinds` reads the kind): :func:`candidates`
finds the spans of that kind the question does not already give, the answer a quote could lead with and the test of whether the
evidence holds an answer at all. A year is not an amount, "GPT-4" holds no count, and "500 Milliarden" answers "how much money"
only because a scale or currency comes with it."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from . import colours, credentials
from .kinds import asks_change, asks_duration, kind_of
from .lexicon import unhyphened
from .options import _FLAG, _ORDINAL, _named_tools, _options, commands
from .quantities import NOT_MONTHS, WEEKDAY, WEEKDAYS_WHEN, phones
from .signals import MONEY_AFTER, _AMOUNT, _DATE, _NAME, _SCALE_OF, _WORD, _WORD_NUMBERS, _YEAR, Term, Vocabulary, _stop_words, causal, gives_duration, key_terms, labels_a_number, numbers, points_back, script

# --- what a sentence holds -------------------------------------------------------------------------
_CURRENCY = re.compile(r"[$€£¥₽]|\b(?:us-?)?dollar|\bdollari|\beuro|\busd\b|\beur\b|\bдолл|\bевро|\bрубл|\bfranc|\bpound|\bpfund|\bsterlin|\byen\b", re.IGNORECASE)
_PERCENT = re.compile(r"%|\bpercent|\bper cent|\bprozent|\bпроцент|\bpour ?cent|\bper ?cento|\bpor ?ciento", re.IGNORECASE)
_FRACTION = re.compile(r"\b(?:half|third|quarter|majority|hälfte|drittel|viertel|mehrheit|половин\w*|трет\w*|четверт\w*|большинств\w*"
                       r"|moitié|tiers|quart|majorité|metà|terzo|quarto|maggioranza|mitad|tercio|cuarto|mayor[íi]a)\b", re.IGNORECASE)
# how many times, or by what factor: "twice" answers "how many times"; "triplo", "verdoppelt", "вдвое", "tenfold" answer how
# much something rose or fell, not how many people (evals/RESULTS.md: seeds and XQuAD)
_PARTITIVE, PARTITIVE = re.compile(r"\bhow many of\b|\bwie viele (?:der|von)\b|\bcombien (?:des|d'entre)\b|\bquant[ie] (?:dei|degli|delle|di)\b|\bcu[áa]nt[oa]s de\b|\bсколько из\b", re.I), True
_MOST = re.compile(r"\b(?:most|gro(?:ß|ss)teils?|la plupart|la maggior parte|la mayor parte|больш(?:ую|ая|ей) част\w*)\b", re.I)
_TIMES = re.compile(r"\b(?:twice|thrice|zweimal|dreimal|дважды|трижды)\b", re.IGNORECASE)
_FACTOR = re.compile(r"\b(?:doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing|o|a|icat\w*|ic[óo])|quadrupl\w*|(?:two|three|four|five|ten|hundred)fold|doppelt\w*|(?:ver)?(?:dreifach|vierfach)\w*|verdoppel\w*"
                     r"|вдвое|втрое|вчетверо|удво(?:ил|ен)\w*|утро(?:ил|ен)\w*|doublé\w*|triplé\w*|raddoppi\w*|doppi[oa]|duplic(?:ó|ad\w*|ar\w*)"
                     r"|(?:dos|tres|deux|trois|due|tre|two|three|ten|zwei|drei|zehn) (?:veces|fois|volte|times|mal))\b", re.IGNORECASE)
_LOCATION = re.compile(r"(?<![\w.])(?:~?/[\w.-]+)+/?|\b(?:https?|ftp)://\S+|\b[\w.-]+\.(?:conf|cfg|ini|toml|ya?ml|d)\b")  # a path, URL or config file
_DIGIT_DATE = re.compile(r"(?<![\w./-])(?:(?:1[5-9]|20)\d\d-\d{1,2}(?:-\d{1,2})?|\d{1,2}([./])\d{1,2}\1(?:1[5-9]|20)\d\d)(?![\w/-]|\.\d)")  # 2024-03-12, 12.03.2024, 12/03/2024
_GLUED = re.compile(r"[^\W\d_][-‐]?$")  # a digit right after letters: GPT-4, MAI-1, H100
_MAN_SECTION = re.compile(r"[\w+-]\(\d\w{0,3}\)")  # "systemd(1)", "passwd(1ssl)": a page's section, not an amount


# kinds whose chosen candidate is too often not the answer to show as one: on XQuAD's questions 400-1189 a person lead was
# right for 22 of 58 (de) and 21 of 58 (es) against 37 of 44 / 36 of 47 for dates (evals/RESULTS.md)
NO_LEAD_KINDS = ("name", "command", "person")
DIGIT_DATES = DAYS_OF_DATES = True  # a date written in digits is one date, not a year; the day of "am 17. Oktober" no amount (evals/RESULTS.md)
PERSON_SHAPED = True  # a person's span: a name of two words before one word, any before an acronym (evals/RESULTS.md)
LEAD_BY_NEARNESS = True  # of several spans, lead with the one nearest the question's words (measured: evals/RESULTS.md)

_YEARISH = re.compile(r"(?<![\w.,])\d{3,4}(?:er|ern|s|-х|-е|-ых)?(?![\w]|[.,]\d)")  # 1186, 1970s, 1970ern, 1990-х


_MONTH_AS_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ]{2,}(?:[-‐]\d|\b(?!\s+(?:1[5-9]|20)\d\d\b))")  # MAI-1, MAI alone; not "MAI 2024"


# a time of day: "9:30", "14h30", "9.30 Uhr", "10 Uhr", "7 pm" (a note's "when" is often one); not "5 h" or "2 часа", which
# more often count hours
_CLOCK = re.compile(
    r"\b(?:[01]?\d|2[0-3])(?:[:h][0-5]\d\b|\.[0-5]\d\s?(?:Uhr|h)\b|\s?(?:Uhr|am|pm|a\.m\.|p\.m\.)(?![^\W\d_]))",
    re.IGNORECASE,
)


def _dates(sentence: str, language: str = "", weekdays: bool = False) -> list[re.Match]:
    """Dates and year-like numbers (any era: 1186, 1970ern), but not amounts ("500 Milliarden"), not a name that spells a
    month ("MAI-1" is no "mai") and not a word of the sentence's ``language`` that does (Italian "mai", never)."""
    digits = list(_DIGIT_DATE.finditer(sentence)) if DIGIT_DATES else []  # the whole "2024-03-12", not its year alone
    found = digits + [m for m in _DATE.finditer(sentence) if not _MONTH_AS_NAME.match(m.group(0)) and m.group(0).lower() not in NOT_MONTHS.get(language, ()) and not any(d.start() <= m.start() < d.end() for d in digits)]
    if not found:  # a time of day answers "when", a weekday "which day", where the sentence gives no date ("Abreise bis 10 Uhr", "le mercredi")
        found = list((WEEKDAY if weekdays else _CLOCK).finditer(sentence))
    taken = [range(m.start(), m.end()) for m in found]
    for m in _YEARISH.finditer(sentence):
        after = sentence[m.end() : m.end() + 14].lower().split()
        if after and (after[0].rstrip(".,") in _SCALE_OF or _CURRENCY.match(after[0]) or after[0].startswith("%")):
            continue
        if not any(m.start() in r for r in taken):
            found.append(m)
    return sorted(found, key=lambda m: m.start())


PORT_RANGE = (10, 65535)  # a port is a plain number in this range (ports 7 and 9 given up for "SOCKS 4/5"; evals/RESULTS.md)
_OTHER_VALUE = re.compile(r"--?(?![\w-]*port)[\w-]+=$", re.IGNORECASE)  # the value of an option not on a port: "--tries=10"


FACTORS = True  # factor and "how many times" words are amounts


def _day_of_date(sentence: str, m: re.Match) -> bool:
    """The number at ``m`` is the day of a date that names its month ("am 17. Oktober", "October 17", "17 октября")."""
    return DAYS_OF_DATES and any(d.start() <= m.start() and m.end() <= d.end() and re.search(r"[^\W\d_]", d.group(0)) and not _MONTH_AS_NAME.match(d.group(0))
                                 for d in _DATE.finditer(sentence))


def _amounts(sentence: str, unit: str, question: Vocabulary, asked: set[float]) -> list[str]:
    out = []
    for m in _AMOUNT.finditer(sentence):
        span = m.group(0).strip(" .,;:")
        if not re.search(r"\w", span):
            continue
        if _GLUED.search(sentence[max(0, m.start() - 2) : m.start()]) and not span.startswith(("$", "€", "£")):
            continue  # a model or product name: GPT-4, MAI-1
        if any(d.start() <= m.start() and m.end() <= d.end() for d in _DIGIT_DATE.finditer(sentence)) or _day_of_date(sentence, m):
            continue  # a part of a date: the "10" of "date 2024-10", of "17.10.2024", the "17" of "am 17. Oktober"
        if _MAN_SECTION.match(sentence, max(0, m.start() - 2)) and span.isdigit():
            continue  # a manual's section: systemd(1), crypt(3)
        values = numbers(span)
        if values and values <= asked:
            continue  # a number the question itself gives
        bare_year = _YEAR.fullmatch(span) is not None
        scaled = any(w.lower().rstrip(".") in _SCALE_OF for w in re.findall(r"[^\W\d_]+\.?", span))
        money = bool(_CURRENCY.search(span) or MONEY_AFTER.match(sentence, m.end())) or (scaled and unit == "money")
        percent = bool(_PERCENT.search(span))
        if (unit == "money" and not money) or (unit == "percent" and not percent) or (unit == "count" and (bare_year or money or percent)):
            continue
        if unit in ("any", "") and bare_year:
            continue
        if unit == "port" and (money or percent or scaled or not span.isdigit() or not PORT_RANGE[0] <= int(span) <= PORT_RANGE[1] or _OTHER_VALUE.search(sentence[: m.start()])):
            continue  # a port is a plain number, and may look like a year (2049); not "SOCKS 4/5" or "--tries=10"
        out.append(span)
    if unit in ("percent", "any"):
        out += [m.group(0) for m in _FRACTION.finditer(sentence)]
    if unit == "count" and FACTORS:
        out += [m.group(0) for m in _TIMES.finditer(sentence)]
    if unit in ("count", "any"):  # "sechs Gevierte", "three lineages" (not "one"/"ein": articles)
        out += [w for w in _WORD.findall(sentence) if _WORD_NUMBERS.get(w.lower(), 1) > 1 and float(_WORD_NUMBERS[w.lower()]) not in asked]
    return out


# German capitalises every noun: there a capitalised word after an article, a preposition, a number or an
# inflected adjective ("mit 39 Jahren", "der älteste Quarterback") is a noun, not a name
_GERMAN_NOUN_BEFORE = re.compile(
    r"(?:\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein\w*|im|am|zum|zur|vom|beim|ins"
    r"|ihr\w*|sein\w*|unser\w*|dies\w*|jede\w*|alle\w*|viele\w*|mehrere\w*|[a-zäöüß]+(?:e|en|er|es|em))|\d+[.,]?)\s+$"
)


# a name holding a whole name of the question is the question's own ("Мустафа Сулейман" for "… Altman et Suleyman"), not an
# answer; it was one unless the question gave all its words (measured: evals/RESULTS.md)
NAME_PART_GIVEN = True
PARTICLES_GIVEN = True  # a name whose capitalised words the question all gives is given, whatever joins them (evals/RESULTS.md)


def _question_names(text: str, terms: list[Term]) -> tuple[tuple[Term, ...], ...]:
    """The question's names as groups of its name words: runs of capitalised words, kept to the words that are names."""
    entity = {t.text for t in terms if t.entity}
    groups = (tuple(Term(text=w, entity=True) for w in m.group(0).split() if w.strip(".,;:?!") in entity) for m in _NAME.finditer(text))
    return tuple(g for g in groups if g)


_LEADING = re.compile(r"[\s\-–—•*·>#|„“”\"«»‘’'(\[]+")  # a list item's bullet, a table's bar or an opening quote before a sentence's first word


def _holds_a_name(span: str, names: tuple[tuple[Term, ...], ...]) -> bool:
    """Whether ``span`` holds every word of one of the question's names and ends on one: "Мустафа Сулейман" holds
    "Suleyman"; "Michelle Obama" does not hold "Barack Obama" (another person of that name); "Суперкубка XLIX
    Нью-Ингленд Пэтриотс" ends on a team, not on the question's "Суперкубка" (the regex ran two names together)."""
    vocab, last = Vocabulary.of(span), Vocabulary.of(span.split()[-1])
    return any(all(vocab.has(t) for t in name) and any(last.has(t) for t in name) for name in names)


NAME_AT_START = True  # a name of 2+ words opening a sentence counts ("Craig Small maintains …"; evals/RESULTS.md)


def _name_at_start(span: str) -> str:
    """The name in capitalised words opening a sentence: "" for one word ("Microsoft said"), else the words after a function
    word ("The Debian QA Group" -> "Debian QA Group", "Craig Small" stays); :func:`_names` drops it if the question has one."""
    first, _, rest = span.partition(" ")
    if NAME_AT_START and first.lower() in _stop_words():
        first, _, rest = rest.partition(" ")
    return f"{first} {rest}" if NAME_AT_START and first and rest else ""


def _names(sentence: str, question: Vocabulary, language: str, names: tuple[tuple[Term, ...], ...] = ()) -> list[str]:
    out = []
    for m in _NAME.finditer(sentence):
        span = m.group(0).strip(" .,;:")
        if not span:
            continue
        at_start = not _LEADING.sub("", sentence[: m.start()])
        if at_start:
            span = _name_at_start(span)  # the sentence's first word is capitalised anyway
            if not span:
                continue
        if language == "de" and _GERMAN_NOUN_BEFORE.search(sentence[max(0, m.start() - 30) : m.start()]):
            # a noun, not a name ("mit 39 Jahren"), unless a name follows it ("der Rekord von John Elway" -> "John Elway");
            # several capitalised words after an article stay a name ("einem Super Bowl", "die New England Patriots")
            first, _, rest = span.partition(" ")
            particle, _, after = rest.partition(" ")
            if particle in ("von", "van", "der", "de", "di", "da", "du", "la", "le") and after:
                span = after
            elif not rest:
                continue
        words = [Term(text=w, entity=True) for w in span.split()]
        if at_start and any(question.has(t) for t in words):
            continue  # a name opening the sentence that shares a word with the question is its subject ("Das Debian Handbook …")
        core = [t for t in words if not t.text[:1].islower()] if PARTICLES_GIVEN else words  # "CEO von OpenAI": its names
        if all(question.has(t) for t in core) or (NAME_PART_GIVEN and names and _holds_a_name(span, names)):
            continue  # a name the question already gives, or one holding a whole name of the question ("Мустафа Сулейман")
        out.append(span)
    return out


LABELS_NO_PERSON = True  # a word labelling a number is no person («Haustür, Code 5820»)


def candidates(kind: str, unit: str, sentence: str, question: Vocabulary, asked: set[float], language: str = "", names: tuple[tuple[Term, ...], ...] = ()) -> list[str]:
    """The spans of the asked kind in ``sentence`` (in ``language``) that the question does not already give
    (``asked``: its numbers), in order."""
    if kind == "amount":
        return _amounts(sentence, unit, question, asked)
    if kind == "date" and unit == "weekday":  # "Quel jour de la semaine …?": «Jamais là le mercredi»
        return [m.group(0) for m in WEEKDAY.finditer(sentence)]
    if kind == "date":
        out = []
        for m in (_CLOCK.finditer(sentence) if unit == "time" else _dates(sentence, language, WEEKDAYS_WHEN and unit == "day")):  # "what time": a time of day only
            span = m.group(0).strip(" .,;:")
            years = [float(y) for y in _YEAR.findall(span)]
            if years and set(years) <= asked and len(span) <= 4:
                continue  # the year the question gives
            if _GLUED.search(sentence[max(0, m.start() - 2) : m.start()]):
                continue
            out.append(span)
        return out
    if kind in ("person", "place", "name"):
        found = [n for n in _names(sentence, question, language, names) if kind != "person" or not (LABELS_NO_PERSON and labels_a_number(n, sentence))]
        return ([m.group(0) for m in _LOCATION.finditer(sentence)] if kind == "place" else []) + found
    if kind == "option":
        return _options(sentence)
    spans = {"command": commands, "phone": phones, "secret": credentials.given, "colour": colours.named}.get(kind)
    return spans(sentence) if spans else []


def priced(span: str) -> bool:
    """The span is a sum of money or a percentage ("$ 500 billion", "12%"): never a span of time."""
    return bool(_CURRENCY.search(span) or _PERCENT.search(span))


def _distance(sentence: str, span: str, starts: list[int], at_term: list[list[int]]) -> float:
    """Mean distance in words from ``span`` to the nearest word of each question term (``at_term``: their word indices)."""
    at = sentence.find(span)
    if at < 0 or not starts or not at_term:
        return math.inf
    here = sum(1 for start in starts if start < at)
    return sum(min(abs(i - here) for i in found) for found in at_term) / len(at_term)


# --- names written the same in every language ------------------------------------------------------
_TOKEN = re.compile(r"[^\W_]+(?:[-_.][^\W_]+)*")
UNFAMILIAR_KINDS = ("command", "option")  # questions whose other name-shaped words are checked (evals/RESULTS.md)


def _name_shaped(question: str, kind: str) -> tuple[str, ...]:
    """The words of a how-to or option question, other than its identifiers and stop words, shaped like the name of a
    tool or product ("Nginx", "dnsmasq", "Kubernetes"): the judge asks the corpus and then a dictionary
    (:mod:`rag.answer.lexicon`) whether they are names the documents never mention. Other kinds of question are
    left alone: in XQuAD's, names a translation changes ("Euphrates", "Superbowl") would read as never mentioned."""
    if kind not in UNFAMILIAR_KINDS:
        return ()
    from .lexicon import name_like

    stop, given = _stop_words(), set(identifiers(question))
    out = []
    for i, m in enumerate(_TOKEN.finditer(question)):
        if _extension(question, m.start()):
            continue
        word = m.group(0)
        out += [part for part in word.split("-") if part.lower() not in stop and part not in given and name_like(part, first=i == 0)]
        if _HYPHENATED.fullmatch(word) and word not in given:
            out.append(word)  # "lm-sensors": a name as a whole, though "sensors" is a word
    return tuple(dict.fromkeys(out))


_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")  # a lower-case hyphenated word


def _extension(question: str, at: int) -> bool:
    """The word at ``at`` follows a dot: a file name's extension (".csv", "*.txt"), which names a format, not a tool."""
    return at > 0 and question[at - 1] == "."


def identifiers(question: str) -> list[str]:
    """Names a translation leaves as they are (see ``_identifiers``); retrieval and the answer stage both ask."""
    return list(_identifiers(question))


@lru_cache(maxsize=256)
def _identifiers(question: str) -> tuple[str, ...]:
    """Names a translation leaves as they are: acronyms (ZFS, NVIDIA), inner capitals (WireGuard, PostgreSQL),
    digits (RAID-5, MAI-1), underscores (wpa_supplicant), a Latin word in a Cyrillic question, and a
    lower-case tool the question names as one ("… with xrandr?", "which option of rsync …", "the tar command"). Capitalised words are left out: German
    capitalises every noun, and names like "East Asian" or "Échap" are translated."""
    out = []
    latin_question = script(question) == "latin"
    for m in _TOKEN.finditer(question):
        word = m.group(0)
        if _extension(question, m.start()):
            continue
        if "_" in word:
            out.append(word)
            continue
        for part in word.split("-"):  # RAID-5-Array -> RAID; SASL-Authentifizierung -> SASL; Bluetooth-клавиатуру -> Bluetooth
            alpha = [c for c in part if c.isalpha()]
            if len(part) < 2 or not alpha or any(ord(c) >= 0x250 for c in alpha) or _ORDINAL.fullmatch(part):
                continue
            if not latin_question or any(c.isdigit() for c in part) or (len(alpha) >= 3 and part.isupper()) or (
                any(c.isupper() for c in part[1:]) and any(c.islower() for c in part)
            ):
                out.append(part)
    return tuple(dict.fromkeys(out + _named_tools(question)))


def person_shaped(found: list[str]) -> list[str]:
    """Of the names a sentence gives, those most likely a person's: written in two or more words ("Jay Parikh", "Джея
    Париха") when any is, else any that is not an acronym ("IA", "PZPR": all capitals; "OpenAI": more capitals than words + 1)."""
    plain = [f for f in found if not f.replace(" ", "").isupper() and sum(c.isupper() for c in f) <= len(f.split()) + 1]
    return [f for f in plain if len(f.split()) >= 2] or plain or found


@dataclass(frozen=True, kw_only=True)
class Question:
    """A question with what it asks for, its key terms and its numbers."""

    text: str
    kind: str
    unit: str
    terms: tuple[Term, ...]
    vocab: Vocabulary
    numbers: frozenset[float]
    identifiers: tuple[str, ...]
    commands: tuple[str, ...] = ()  # identifiers named as a command ("which option of rsync"): never transliterated
    unfamiliar: tuple[str, ...] = ()  # other words of a how-to or option question shaped like a tool's name ("Nginx", "dnsmasq")
    names: tuple[tuple[Term, ...], ...] = ()  # its names, each as its words ("Barack Obama" -> (Barack, Obama))

    @classmethod
    def of(cls, text: str) -> "Question":
        kind, unit = kind_of(text)
        terms = key_terms(text)
        return cls(
            text=text, kind=kind, unit=unit, terms=tuple(terms), vocab=Vocabulary.of(text), numbers=frozenset(numbers(text, words=False)),
            identifiers=tuple(identifiers(text)), commands=tuple(_named_tools(text, at_end=False)),
            unfamiliar=_name_shaped(text, kind), names=_question_names(text, terms),
        )

    def absent(self, passages: list[str]) -> list[str]:
        """The question's identifiers that none of ``passages`` contains (checked when the passages are in Latin
        script, where such names are written as they are; in any script for commands and the unfamiliar words of a
        how-to question, which technical writing leaves in Latin letters: "rsync" and "Nginx" stay so in a Russian
        manual, "Microsoft" may not)."""
        if not self.identifiers and not self.unfamiliar:
            return []
        text = unhyphened("\n".join(passages))  # "wifi" stands in "Wi-Fi"
        names = (self.identifiers if script(text) == "latin" else self.commands) + self.unfamiliar
        return [name for name in names if unhyphened(name) not in text]

    def candidates(self, sentence: str, language: str = "") -> list[str]:
        """Spans of the asked kind in ``sentence`` (written in ``language``) that this question does not give."""
        found = candidates(self.kind, self.unit, sentence, self.vocab, set(self.numbers), language, self.names)
        if self.kind == "option":
            named = set(_FLAG.findall(self.text))
            return [f for f in found if f not in named]
        if FACTORS and self.kind == "amount" and self.unit in ("any", "percent") and asks_change(self.text):
            found += [m.group(0) for m in _FACTOR.finditer(sentence)]  # how much it rose: "il suo triplo del prezzo"
        if PARTITIVE and self.kind == "amount" and self.unit == "count" and _PARTITIVE.search(self.text):
            found += [m.group(0) for m in (*_FRACTION.finditer(sentence), *_MOST.finditer(sentence))]  # "How many of …?": "the majority", a share
        return found

    def lead(self, sentence: str, language: str = "") -> str:
        """The short answer a quote leads with: :meth:`span`, but "" for the kinds in ``NO_LEAD_KINDS`` (right as a lead
        for 5 of 15 German XQuAD name questions, 14 of 24 command questions, 43 of 116 person questions: evals/RESULTS.md)."""
        return "" if self.kind in NO_LEAD_KINDS else self.span(sentence, language)

    def span(self, sentence: str, language: str = "") -> str:
        """The span of the asked kind in ``sentence`` that answers ("" when the question asks for no short span or the
        sentence has none): of several, the one standing nearest the question's words ("… im Jahr 2019 – Jahre bevor OpenAI
        Ende 2022 ChatGPT veröffentlichte" answers "Wann hat OpenAI ChatGPT veröffentlicht?" with "2022"). An option item's
        own option is always its answer."""
        # a place by name was right for 12 of 34 XQuAD and 0 of 1 seeds place questions: only a path or address leads
        found = [m.group(0) for m in _LOCATION.finditer(sentence)] if self.kind == "place" else self.candidates(sentence, language)
        if self.kind == "person" and PERSON_SHAPED:
            found = person_shaped(found)
        if self.duration:  # "How long …?" is not answered by "1 миллиард долларов", "87.400 km" or the "7" of "Strandweg 7"
            found = [f for f in found if not priced(f) and gives_duration(sentence[sentence.find(f) : sentence.find(f) + len(f) + 24])]
        if len(found) < 2 or self.kind == "option" or not LEAD_BY_NEARNESS:
            return found[0] if found else ""
        starts, at_term = self._term_positions(sentence)
        return min(found, key=lambda span: _distance(sentence, span, starts, at_term))

    @property
    def duration(self) -> bool:
        """The question asks how long something takes or lasts."""
        return self.kind == "amount" and asks_duration(self.text)

    def _term_positions(self, sentence: str) -> tuple[list[int], list[list[int]]]:
        """The start of each word of ``sentence``, and for each question term the sentence holds, the indices of its words."""
        words = [(m.start(), Vocabulary.of(m.group(0))) for m in _WORD.finditer(sentence)]
        at_term = [[i for i, (_, vocab) in enumerate(words) if vocab.has(t)] for t in self.terms]
        return [start for start, _ in words], [found for found in at_term if found]

    def type_match(self, sentence: str, language: str = "") -> float:
        """1 when the sentence holds the kind of thing asked for, 0 when it does not, 0.5 for questions of no known kind."""
        if self.kind == "reason":
            return float(causal(sentence, language) or points_back(sentence))  # "Вот почему они наняли …" gives it with the sentence before
        if self.kind == "other":
            return 0.5
        return float(bool(self.candidates(sentence, language)))
