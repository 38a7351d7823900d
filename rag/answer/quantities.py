"""Numbers as the languages we support write them: digits with their scale word in any case ("13 Milliarden",
"13 миллиардов", "13 mil millones", "$13bn"), number words ("fünf", "полтора"), read as plain values so that they compare
across languages (13 billion = 13 Milliarden = 13 млрд)."""
from __future__ import annotations

import re
from functools import lru_cache

_SCALES = {
    # Russian in its cases after a number: "1 миллиард", "2 миллиарда", "13 миллиардов", "в 5 миллионах"
    3: "thousand tausend тысяча тысячи тысяч тысячу тыс mille mila mil".split(),
    6: "million millionen mio миллион миллиона миллионов миллионах млн millions milione milioni millón millones".split(),
    # Spanish "mil millones" is a billion (hyphenated by spelled()); "bn" as written after a number ("$13bn"; not "mn", French minutes)
    9: "billion billions bn milliarde milliarden mrd миллиард миллиарда миллиардов миллиардах млрд milliard milliards miliardo miliardi mil-millones".split(),
    12: "trillion trillions billionen триллион триллиона триллионов трлн billiarde".split(),
}
_SCALE_OF = {w: e for e, words in _SCALES.items() for w in words}
_WORD_NUMBERS = {
    **dict.fromkeys("one eins ein eine один одна один un une uno una".split(), 1),
    **dict.fromkeys("two zwei два две deux due dos".split(), 2),
    **dict.fromkeys("three drei три trois tre tres".split(), 3),
    **dict.fromkeys("four vier четыре quatre quattro cuatro".split(), 4),
    **dict.fromkeys("five fünf пять cinq cinque cinco".split(), 5),
    **dict.fromkeys("six sechs шесть sei seis".split(), 6),
    **dict.fromkeys("seven sieben семь sept sette siete".split(), 7),
    **dict.fromkeys("eight acht восемь huit otto ocho".split(), 8),
    **dict.fromkeys("nine neun девять neuf nove nueve".split(), 9),
    **dict.fromkeys("ten zehn десять dix dieci diez".split(), 10),
    **dict.fromkeys("hundred hundert сто cent cento cien".split(), 100),
    **dict.fromkeys("полтора полторы eineinhalb anderthalb".split(), 1.5),
    # Russian numerals in their oblique cases ("из шести дворов", "пяти правителей")
    **{"двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10},
}
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


def _value(text: str) -> float | None:
    digits = re.sub(r"[ \u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", digits):
        return float(re.sub(r"[,.]", "", digits))
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


TWO_WORD_SCALES = r"mil\s+millones"  # "13 mil millones": 13 billion, not 13 thousand (signals.py's spans read it too)
_MIL_MILLONES = re.compile(rf"\b{TWO_WORD_SCALES}\b", re.IGNORECASE)
_SCALE_GLUED = re.compile(r"(?<=\d)(bn)\b", re.IGNORECASE)  # "$13bn", "€10bn"


def spelled(text: str) -> str:
    """``text`` with the scales that are written in two words or glued to the number made single words
    ("13 mil millones", "$13bn" -> "13 mil-millones", "$13 bn"), as :data:`_SCALES` lists them."""
    return _SCALE_GLUED.sub(r" \1", _MIL_MILLONES.sub("mil-millones", text))


def numbers(text: str, words: bool = True) -> set[float]:
    """Every quantity in ``text`` as a plain value: "13 Milliarden" -> 1.3e10, "fünf Milliarden" -> 5e9,
    "2023" -> 2023. ``words=False`` keeps number words only before a scale ("five million", not "one of")."""
    out: set[float] = set()
    text = spelled(text)
    tokens = [m.group(0).lower() for m in _WORD.finditer(text)]
    following = {i: tokens[i + 1] if i + 1 < len(tokens) else "" for i in range(len(tokens))}
    for m in _NUMBER.finditer(text):
        value = _value(m.group(1))
        if value is None:
            continue
        rest = _WORD.match(text, m.end() + (1 if text[m.end() : m.end() + 1] in (" ", "\u00a0") else 0))
        scale = _SCALE_OF.get(rest.group(0).lower().rstrip("."), 0) if rest else 0
        out.add(round(value * 10**scale, 3))
    for i, w in enumerate(tokens):
        if w in _WORD_NUMBERS:
            scale = _SCALE_OF.get(following[i], 0)
            if words or scale:
                out.add(float(_WORD_NUMBERS[w] * 10**scale))
    return out


# the months by number in English, German, French, Italian, Spanish and Russian (stems: "марта"); English "may" is
# left out (a verb far more often). signals' date test reads the same names.
_MONTH_NAMES = (
    "january february march april - june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "январ феврал март апрел - июн июл август сентябр октябр ноябр декабр",
)
_MONTH_OF = {name: n for names in _MONTH_NAMES for n, name in enumerate(names.split(), 1) if name != "-"} | dict.fromkeys(("май", "мая", "мае", "маем"), 5)


def months(text: str) -> set[int]:
    """The months ``text`` names, by number (1-12), in any of the six languages: "im März 2024" and "в марте 2024 года" -> {3}."""
    found = set()
    for word in _WORD.findall(text.lower()):
        if word in _MONTH_OF:
            found.add(_MONTH_OF[word])
        elif "а" <= word[:1] <= "я":  # a Russian month is its stem and an ending of up to two letters ("ма" + "я", "мая", "мае")
            found.update(_MONTH_OF[word[:i]] for i in range(2, len(word)) if word[:i] in _MONTH_OF and len(word) - i <= 2)
    return found


def labels_a_number(word: str, sentence: str) -> bool:
    """A single word written right before a number in ``sentence`` labels it («Haustür, Code 5820», "room 12"); not before
    a year («obwohl Edison 1915 eine … Nominierung erhielt»)."""
    return " " not in word and re.search(rf"\b{re.escape(word)}\s+(?!(?:1[0-9]|20)\d\d\b)\d", sentence) is not None


# a day of the week, in the six languages ("mercredi", "по средам"): the answer to a weekday question
WEEKDAY = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)s?|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bados?|"
    r"domingos?|понедельник\w*|вторник\w*|сред(?:а|у|ы|ам|е)|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*)\b",
    re.IGNORECASE,
)
# a weekday's number (1 = Monday) from the start of its name, in the six languages ("sams sonna": Samstag, Sonnabend)
_WEEKDAY_STARTS = (
    "mon tue wed thu fri sat sun", "mont dien mitt donn frei sams|sonna sonnt", "lun mar mer jeu ven sam dim", "lun mar mer gio ven sab dom",
    "lun mar mi jue vie sáb dom", "пон вто сре чет пят суб вос",
)
_WEEKDAY_OF = {start: n for names in _WEEKDAY_STARTS for n, starts in enumerate(names.split(), 1) for start in starts.split("|")}
CALENDAR_TERMS = True  # a weekday or month in a question matches its name in any language: "Donnerstag" ~ "Четверг" (evals/RESULTS.md)


def calendar_words(text: str) -> set[str]:
    """Language-free tokens for the weekdays and months ``text`` names: "Donnerstag" and "| Четверг |" -> {"~d4"}, "im März"
    -> {"~m3"}; empty when ``CALENDAR_TERMS`` is off. Read word by word, each word once (every sentence's vocabulary asks)."""
    if not CALENDAR_TERMS:
        return set()
    return set().union(*map(_calendar_word, _WORD.findall(text.lower())))


@lru_cache(maxsize=65536)
def _calendar_word(word: str) -> frozenset[str]:
    day = {f"~d{n}" for start, n in _WEEKDAY_OF.items() if word.startswith(start)} if WEEKDAY.fullmatch(word) else set()
    return frozenset(day | {f"~m{n}" for n in months(word)})


WEEKDAYS_WHEN = True  # a weekday answers a "which day" question where a sentence gives no date (evals/RESULTS.md)
NOT_MONTHS = {"it": frozenset({"mai"})}  # a month's name that is a common word of a language: Italian "mai" (never), not French "mai"


# a phone number: 6-15 digits in groups ("06 39 98 27 41", "0808 157 0192", "+49 30 1234567", "(030) 123-45-67"); not a
# date ("14.03.2025", "2022-09-01"), an IP address ("192.168.178.40") or a number in groups of thousands
_PHONE = re.compile(r"(?<![\w.,])\+?\(?\d[\d()]*(?:[ ./-]\(?\d[\d()]*\)?)+(?![\w]|[.,]\d)")
_NOT_PHONE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}|\d+\.\d+\.\d+\.\d+|\d{1,3}(?:[ .,]\d{3})+")  # a date, an address, 1 000 000


def phones(sentence: str) -> list[str]:
    """The phone numbers in ``sentence``, in order."""
    out = []
    for m in _PHONE.finditer(sentence):
        span = m.group(0).strip(" .-/")
        digits = sum(c.isdigit() for c in span)
        if 6 <= digits <= 15 and not _NOT_PHONE.fullmatch(span) and (span.startswith("+") or len(re.findall(r"\d+", span)) >= 2 or digits >= 8):
            out.append(span)
    return out
