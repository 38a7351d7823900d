"""What a sentence holds, in every language we support: numbers, names, key terms, reasons, noise.

Used (with :mod:`rag.answer.asked`, which reads what the question asks for) to pick the sentence that answers (not just the one
most similar to the question) and to decide whether the evidence answers at all. Everything here is lexical and works across scripts:
names by a transliterated consonant skeleton (Suleyman ~ Сулейман), numbers by value and scale (13 billion ~ 13 Milliarden ~ 13 млрд).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

# --- numbers (rag/answer/quantities.py) -------------------------------------------------------------
from .quantities import TWO_WORD_SCALES, _MONTH_NAMES, _NUMBER, _SCALE_OF, _SCALES, _WORD, _WORD_NUMBERS, calendar_words, labels_a_number, numbers  # noqa: E402,F401

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# the month names of quantities' table (English "may" left out), with Austrian "jänner" and the Russian forms of May
_MONTHS = {name for names in _MONTH_NAMES for name in names.split() if name != "-"} | {"jänner", "мая", "май"}


def has_quantity(text: str) -> bool:
    low = text.lower()
    return bool(_NUMBER.search(text)) or any(w in _SCALE_OF or w in _WORD_NUMBERS or w.startswith(("процент", "percent", "prozent", "pourcent", "percentual")) for w in _WORD.findall(low))


def has_date(text: str) -> bool:
    if _YEAR.search(text):
        return True
    return any(w in _MONTHS or w[:6] in _MONTHS for w in _WORD.findall(text.lower()))


# --- names and key terms ------------------------------------------------------------------------------
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia".split()))


@lru_cache(maxsize=512)
def word_pattern(names: tuple[str, ...], hyphen: bool = False) -> re.Pattern:
    """Any of ``names`` as a whole word, case-insensitive; ``hyphen``: a hyphen also joins words ("du" is not in "du-bist",
    "rsync" not in "rsync-ssl")."""
    edge = r"\w-" if hyphen else r"\w"
    return re.compile(rf"(?<![{edge}])(?:" + "|".join(map(re.escape, names)) + rf")(?![{edge}])", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def transliterate(word: str) -> str:
    """Lower-case Latin letters for a word in any script we support (Cyrillic transliterated, accents dropped)."""
    word = word.lower()
    word = "".join(_CYR.get(ch, ch) for ch in word).replace("_", "")
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """A consonant skeleton that survives transliteration: Microsoft/Майкрософт -> mkrsft, Suleyman/Сулейман -> slmn."""
    latin = transliterate(word)
    latin = latin.replace("sch", "sh").replace("ph", "f").replace("kh", "h").replace("ck", "k").replace("c", "k").replace("q", "k").replace("x", "ks").replace("w", "v")
    latin = re.sub(r"[aeiouy\W\d_]", "", latin)
    return re.sub(r"(.)\1+", r"\1", latin)


def any_of(*patterns: str) -> re.Pattern:
    """One case-insensitive pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from .. import lang

    extra = (
        "what which who whom whose why how when where much many does did do is are was were will would can could should "
        "warum wieso weshalb welche welcher welches wieviel wieviele wurde wurden hat haben was wer wie wann wo "
        "почему зачем какой какая какие какое каков сколько кто что как когда где был была были было "
        "pourquoi quel quelle quels quelles combien qui quoi comment quand où est sont était "
        "perché quale quali quanto quanti quante chi cosa come quando dove era erano "
        "según about into after before their there they them this that these those with from than then also "
        "über nach vor durch sich sein seine ihre ihrem ihren einem einer nicht auch noch bereits"
    )
    return frozenset(w for words in lang._STOP.values() for w in words) | frozenset(extra.split()) | frozenset(lang._RU_STOP)


@dataclass(kw_only=True)
class Term:
    text: str
    entity: bool  # a name, acronym or number: must match across languages
    stem: str = field(init=False)
    skel: str = field(init=False)

    def __post_init__(self) -> None:
        if IDENTIFIER.fullmatch(self.text):
            self.stem, self.skel = self.text.lower(), ""  # "ffi_call" is not "ffi_cif": the whole name or nothing
            return
        latin = transliterate(self.text)
        self.stem = latin[:5] if len(latin) > 5 else latin
        self.skel = skeleton(self.text)
        if len(calendar := calendar_words(self.text)) == 1:  # a weekday or month: its name in any language ("Donnerstag" ~ "Четверг")
            self.stem = calendar.pop()


# a name written as code: "_", "." or "::" inside, a lower-case letter and four characters ("ffi_call", "modules.dep",
# "os.path.join"; not "U.S", "X.25", Spanish "d.C"), which no language translates
IDENTIFIER = re.compile(r"(?=[^\s]*[a-z])[A-Za-z_]\w*(?:(?:\.|::|_)\w+)+")
IDENTIFIER_TERMS = True  # measured on the tech docs, the probe of HTML and PDF manuals, the other evals (evals/RESULTS.md)
# what every IDENTIFIER holds: a word character, a separator, a word character (a cheap test first: most sentences have none)
_CODE_JOINT = re.compile(r"\w(?:\.|::|_)\w")


def _code_names(text: str) -> list[re.Match]:
    if not IDENTIFIER_TERMS or not _CODE_JOINT.search(text):
        return []
    return [m for m in IDENTIFIER.finditer(text) if len(m.group(0)) >= 4 and not text[m.end() : m.end() + 1].isalnum()]


def key_terms(question: str) -> list[Term]:
    """The question's content words; capitalised words (not the first), acronyms and numbers are entities; a name written
    as code ("ffi_call", "modules.dep") is one term, an entity."""
    stop = _stop_words()
    out: list[Term] = []
    seen: set[str] = set()
    names = _code_names(question)
    inside = {i for m in names for i in range(m.start(), m.end())}
    for m in names:
        if m.group(0).lower() not in seen:
            seen.add(m.group(0).lower())
            out.append(Term(text=m.group(0), entity=True))
    for i, m in enumerate(_WORD.finditer(question)):
        word = m.group(0)
        low = word.lower()
        if m.start() in inside:
            continue
        if low in stop or low in seen or (len(word) < 3 and not word.isdigit() and not word.isupper()):
            continue
        seen.add(low)
        entity = any(ch.isdigit() for ch in word) or (word[0].isupper() and i > 0) or (word.isupper() and len(word) > 1)
        out.append(Term(text=word, entity=entity))
    return out


@dataclass(kw_only=True, frozen=True)
class Vocabulary:
    """The words of a sentence or passage, indexed for cross-language term matching (shared between callers: read only)."""

    stems: set[str]
    skeletons: set[str]

    @classmethod
    def of(cls, text: str) -> "Vocabulary":
        return _vocabulary(text)

    @classmethod
    def union(cls, vocabularies: list["Vocabulary"]) -> "Vocabulary":
        """The words of several texts together (equal to ``of`` on the texts joined by newlines)."""
        return cls(stems=set().union(*(v.stems for v in vocabularies)), skeletons=set().union(*(v.skeletons for v in vocabularies)))

    def has(self, term: Term) -> bool:
        if term.stem in self.stems:
            return True
        if not term.entity or len(term.skel) < 3:
            return False
        if term.skel in self.skeletons:
            return True
        # transliterations differ by a letter (Warsaw ~ Варшава: vrsv ~ vrshv): one edit, for longer names only
        return len(term.skel) >= 4 and any(
            s[0] == term.skel[0] and abs(len(s) - len(term.skel)) <= 1 and _one_edit(s, term.skel) for s in self.skeletons if s
        )


@lru_cache(maxsize=4096)
def _vocabulary(text: str) -> Vocabulary:
    """``Vocabulary.of``, remembered: a warm question reads the same passages' sentences again."""
    words = _WORD.findall(text)
    latin = [transliterate(x) for x in words]
    stems = {w[:5] for w in latin} | {m.group(0).lower() for m in _code_names(text)} | calendar_words(text)
    return Vocabulary(stems=stems, skeletons={skeleton(x) for x in words})


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, deleted or replaced letter."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


# --- what a sentence is -------------------------------------------------------------------------------
_CAUSAL = re.compile(
    r"\bbecause\b|\bsince\b|\bdue to\b|\bso that\b|\bin order to\b|\bthat'?s why\b|\bwhich is why\b|\bto (?:build|have|reduce|make|avoid|create|develop|ensure)\b|\bas a result\b"
    r"|\bweil\b|\bdenn\b|\bdeshalb\b|\bdeswegen\b|\bdarum\b|\bdaher\b|\bum\b.{1,60}\bzu\b|\bdamit\b|\baufgrund\b|\bwegen\b"
    r"|потому что|так как|\bпоэтому\b|\bчтобы\b|\bиз-за\b|\bпоскольку\b|\bведь\b|\bдля того"
    r"|parce qu|\bpuisque\b|\bafin de\b|\bafin qu|\bc'est pourquoi\b|\bpour (?:construire|avoir|réduire|créer|développer)|\bà cause\b|\bgrâce à\b|\bdonc\b"
    r"|\bperch[ée]\b|\bpoich[ée]\b|\bdato che\b|\bin modo da\b|\bper (?:costruire|avere|ridurre|creare|sviluppare)|\bquindi\b|\ba causa\b|\bper questo\b"
    r"|\bporque\b|\bya que\b|\bpara (?:construir|tener|reducir|crear)|\bpor eso\b",
    re.IGNORECASE,
)
# Calls to action, sign-up lines, ads and navigation: a sentence that only shows one of their words
# ("anzeigen" = display, "подписали" = signed, "--no-cookies", "advertising revenue") is content
_BOILERPLATE = re.compile(
    r"\bsign up\b|\bsubscribe (?:now|here|today|for free)\b|\bnewsletter|\b(?:we use|accept|uses|use of) cookies\b|\ball rights reserved\b"
    r"|\bclick here\b|\bread more\b|\bfollow us\b|\bshare this\b|\bsponsored (?:content|post|by)\b|^advertisement$"
    r"|\babonnieren sie\b|\bjetzt abonnieren\b|\bmelden sie sich (?:hier|jetzt|kostenlos) an\b|\bhier klicken\b|\bklicken sie hier\b|\bweiterlesen\b|^(?:werbung|anzeige)$"
    r"|подпишитесь|подписывайтесь|подписаться на (?:наш|нашу|рассылку|канал)|рассылк|читайте также|нажмите (?:здесь|сюда)|^реклама$"
    r"|inscrivez-vous|abonnez-vous|lire aussi|cliquez ici|^publicité$"
    r"|\biscriviti\b|\babbonati (?:ora|subito|a)\b|leggi anche|clicca qui|^pubblicità$"
    r"|suscríbete|haz clic aquí|lee también|^publicidad$|^(?:page|seite|p[áa]gina|страница|стр\.)\s*\d+\s*(?:of|von|de|di|из|/)\s*\d+\.?$",  # page furniture
    re.IGNORECASE,
)


_BACKWARD = re.compile(
    r"^[\W_]*(?:that'?s why|this is why|which is why|therefore|so\b|hence|deshalb|daher|darum|deswegen|aus diesem grund|daraufhin|infolgedessen|folglich|"
    r"as a result|consequently|en conséquence|par conséquent|di conseguenza|pertanto|в результате|вследствие этого|en consecuencia|por consiguiente|como resultado|"
    r"поэтому|вот почему|потому-то|именно поэтому|c'est pour (?:cela|ça)|c[’']est pourquoi|voilà pourquoi|donc|per questo|perciò|quindi|ecco perché|por eso|por lo tanto)",
    re.IGNORECASE,
)


# For a "why" question, a sentence that points back to its reason ("Deshalb haben sie Suleyman engagiert", "Вот почему …")
# gains this much cosine, in fusion's sentence lists and in the quote selection: it says the reason in fewer of the
# question's words than the story around it. Lifting every causal sentence ("because", "da") was measured too and
# dropped (evals/RESULTS.md).
REASON_LIFT = 0.03


# A question asking what something is called ("What is X called?", "Как называется …?") lifts a sentence that names
# something ("called", "genannt", "под названием", "appelé", "chiamato", "llamado"): on XQuAD such words stand in 12-25 % of
# the sentences holding the answer to a name question and in 2-7 % of the others (evals/RESULTS.md).
NAMING_LIFT = 0.04  # measured 0.02 / 0.03 / 0.04 (evals/RESULTS.md)
_NAMING = re.compile(
    r"\b(?:called|named|known as|termed|dubbed|genannt|namens|hieß|hiess|bezeichnet|benannt|называ\w*|назван\w*|именуе\w*|зовут|звали|"
    r"appel[ée]e?s?|nomm[ée]e?s?|dénommé\w*|baptisé\w*|surnommé\w*|chiamat[oaie]|denominat[oaie]|soprannominat[oaie]|llamad[oa]s?|denominad[oa]s?|"
    r"conocid[oa]s? como|apodad[oa]s?)\b",
    re.IGNORECASE,
)


_DURATION = re.compile(
    r"(?:\d+(?:[.,]\d+)?|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|ein\w*|zwei|drei|vier|fünf|sechs|zehn|"
    r"mehrere\w*|un[ae]?|deux|trois|quatre|cinq|six|dix|plusieurs|due|tre|quattro|cinque|sei|dieci|dos|tres|cuatro|seis|diez|vari[oa]s|дв\w+|тр[её]\w+|четыр\w+|пят\w+|шест\w+|десят\w+|нескольк\w+)\b)"
    r"\s?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|sekunden|minuten|stunden|std\b|"
    r"tage?n?|wochen?|monate?n?|jahre?n?|jahrzehnte?n?|secondes?|heures?|jours?|semaines?|mois|ans\b|années?|secondi|minuti|ore\b|giorni|"
    r"settimane|mesi|anni|segundos?|minutos?|horas?|d[íi]as?|semanas?|meses|años?|секунд\w*|минут\w*|час\w*|дн\w+|день|недел\w*|"
    r"месяц\w*|лет\b|год\w*)",
    re.IGNORECASE,
)


def gives_duration(sentence: str) -> bool:
    """The sentence gives a span of time: a number or number word with a unit of time ("Cuire 40 minutes.", "sechs Jahre")."""
    return bool(_DURATION.search(sentence))


def names_something(sentence: str) -> re.Match | None:
    """The naming word by which the sentence says what something is called ("… son propre LLM appelé MAI-1"), if any."""
    return _NAMING.search(sentence)


def points_back(sentence: str) -> bool:
    """The sentence starts with a connective whose reason is in the sentence before ("That's why they hired him.")."""
    return bool(_BACKWARD.search(sentence))


@lru_cache(maxsize=1 << 14)
def script(text: str) -> str:
    """The dominant script of a text: "cyrillic", "latin", "cjk" or "other" (embedding scores shift between scripts)."""
    counts = {"cyrillic": 0, "latin": 0, "cjk": 0, "other": 0}
    for ch, n in Counter(text).items():  # each distinct character once
        if ch.isalpha():
            code = ord(ch)
            key = "cyrillic" if 0x400 <= code <= 0x4FF else "latin" if code < 0x250 else "cjk" if 0x3040 <= code <= 0x9FFF else "other"
            counts[key] += n
    return max(counts, key=counts.get)


# a help text's or manual's link line: a label and a bracketed address, nothing else ("Página inicial de GNU grep:
# <https://www.gnu.org/software/grep/>", "Full documentation <https://www.gnu.org/software/coreutils/ls>")
# a URL or an address in angle brackets, or a pointer to the info manual ("or available locally via: info '(coreutils) df invocation'")
_LINK_LINE = re.compile(
    r"[^<>]{0,80}<(?:(?:https?://|ftp://|mailto:)[^<>\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>[.:]?|[^<>]{0,60}\binfo\s+['‘\"]\([\w.-]+\)[^'’\"]{0,40}['’\"][.]?"
)
LINK_LINES = True


@lru_cache(maxsize=1 << 16)
def is_boilerplate(sentence: str) -> bool:
    """Sign-up lines, ads, navigation and link lines: never quoted as evidence."""
    text = sentence.strip()
    if LINK_LINES and text and all(_LINK_LINE.fullmatch(line.strip()) for line in text.splitlines() if line.strip()):
        return True
    return bool(_BOILERPLATE.search(text))


_CODE = re.compile(r"[$/\\=_`{}\[\]<>|*~]|--|^\s*-|\w\.\w")


_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*(?:\n|$)")


def table_header(text: str, start: int, end: int) -> bool:
    """The sentence ``text[start:end]`` is a Markdown table's header row: a row the rule line "|---|---|" follows (the
    column names; "| День | Время | Где |" answers nothing, the rows below do), or, in a table without that line, a
    first row with no digit above a row with one ("| Classe | indirizzi di rete | …" above "| A | 10.x.x.x | …")."""
    row = text[start:end].strip()
    if not (row.startswith("|") and row.endswith("|")):
        return False
    line_end = text.find("\n", end)
    if line_end < 0:
        return False
    if _TABLE_RULE.match(text, line_end + 1):
        return True
    # a table written without the rule line: its first row, holding no digit, above a row that holds one
    before = (_line_before(text, start) or "").strip()
    after = text[line_end + 1 :].split("\n", 1)[0].strip()
    return not before.startswith("|") and after.startswith("|") and not any(c.isdigit() for c in row) and any(c.isdigit() for c in after)


_USAGE = re.compile(r"[\[\]<>|$=]|--|\.\.\.|…")  # what a usage line holds and a heading does not ("[OPTION]...", "<file>")
HEADINGS_OF_CONTEXT = NUMBERED_HEADINGS = True  # measured on HTML and PDF manuals, the tech docs, help texts, notes and the seeds (evals/RESULTS.md)


def names_heading(sentence: str, context: str) -> bool:
    """The sentence is its document's title or a heading on its section path ("1 What is libffi?", "2.4. The glob files"
    in "… › 2.4. The glob files"), as the loader found them: a title whatever its shape, but not a usage line
    ("Aufruf: du [OPTION]… [DATEI]…", which says how to call the tool)."""
    if not HEADINGS_OF_CONTEXT or not context:
        return False
    text = " ".join(sentence.split())
    return bool(text) and not _USAGE.search(text) and any(text == " ".join(part.split()) for part in context.split(" › "))


def in_block(text: str, start: int) -> bool:
    """The sentence at ``start`` of ``text`` is a line inside a block of lines: the line before it is not blank ('Wi-Fi
    "Larkspur-5G", password maple-otter-4417' in a note, under its heading), so a short line without a full stop is no
    title; a Markdown heading always is one."""
    before = _line_before(text, start)
    if text[text.rfind("\n", 0, start) + 1 : start].strip() or text[start:].lstrip().startswith("#") or before is None:
        return False  # not the start of its line, a Markdown heading, or the passage's first line (what precedes is unknown)
    return bool(before.strip())


def _line_before(text: str, start: int) -> str | None:
    """The line before the one holding ``start`` (None on the first line)."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[: line_start - 1].rsplit("\n", 1)[-1] if line_start else None


def line_at(text: str, start: int, end: int) -> str:
    """The whole line (or lines) holding ``text[start:end]``."""
    line_end = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : line_end if line_end >= 0 else len(text)]


def is_heading(sentence: str) -> bool:
    """A title line: Markdown heading syntax, or a short capitalised line with no sentence-final punctuation.
    Commands, options, paths and code are not titles ("$ journalctl -b -u ssh", "/etc/hostname")."""
    text = sentence.strip()
    if text.startswith("#"):  # a Markdown heading, unless it is a root prompt's command ("# ssh -L 4025:host:25 …")
        rest = text.lstrip("#")
        return not (_CODE.search(rest) or re.search(r"\s--?[A-Za-z]", rest))
    if re.fullmatch(r".+\n[=-]{3,}", text) or (NUMBERED_HEADINGS and re.fullmatch(r"(?:\d{1,2}\.)+\d{1,2}\.?\s+(?=[A-Z]\S*[a-z0-9])[^\n]{1,60}", text) and not re.search(r"[.!?:;]$", text)):
        return True  # underlined, or numbered as a section "2.1 ASN.1 syntax" (its dotted name is no code)
    if not text or _CODE.search(text) or not text[0].isupper():
        return False
    words = _WORD.findall(text)
    return len(words) <= 12 and not re.search(r"[.!?…:;。！？»\"”)]$", text)


# words that give a reason in one language and mean something else in another: German "da" (It., Sp. "from"), French "car"
_CAUSAL_IN = {"de": re.compile(r"\bda\b", re.IGNORECASE), "fr": re.compile(r"\bcar\b", re.IGNORECASE)}


def causal(sentence: str, language: str = "") -> bool:
    """The sentence, written in ``language``, gives a reason (because, weil, потому что, parce que, perché, porque …)."""
    return bool(_CAUSAL.search(sentence)) or (language in _CAUSAL_IN and bool(_CAUSAL_IN[language].search(sentence)))


_UNIT = (
    r"(?:\s?[€£¥₽$](?!\d)|\s?%|\s?(?:percent|per cent|prozent|процент\w*|pour ?cent|per ?cento|(?:us-?)?dollars?|(?:de |di )?(?:dollars?|dollari|dólar(?:es)?|euros?)|usd|eur|долл\w*|евро|рубл\w*"
    r"|mitarbeiter\w*|employees|people|users|nutzer\w*|utilisateurs|utenti|пользовател\w*)\b)?"
)
_SCALE_WORDS = TWO_WORD_SCALES + "|" + "|".join(sorted((re.escape(w) for words in _SCALES.values() for w in words), key=len, reverse=True))
_AMOUNT = re.compile(
    r"(?:[$€£¥₽]\s?)?(?:\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)(?:\s?(?:" + _SCALE_WORDS + r")\.?)?" + _UNIT
    + r"|\b(?:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")\s(?:" + _SCALE_WORDS + r")\b" + _UNIT,
    re.IGNORECASE,
)
# a hyphenated compound that makes a number a sum: "500-Milliarden-Dollar-Rechenzentrumsprojekt", "10-Millionen-Euro-Deal"
MONEY_AFTER = re.compile(r"-(?:(?:" + _SCALE_WORDS + r")-)?(?:us-?)?(?:dollar|euro|pfund|rubel)", re.IGNORECASE)
# a month is a whole word ("Mai", "mars", not "Mailand", "Marsella", "domain"); a Russian one is a stem with its ending
# ("марта", "сентябре"); English "May" only beside a day or a year (else it is the verb)
_LATIN_MONTHS, _CYRILLIC_MONTHS = ("|".join(sorted((re.escape(m) for m in _MONTHS if bool(re.search("[а-яё]", m)) == c), key=len, reverse=True)) for c in (False, True))
_YEAR_RE = r"(?:1[5-9]|20)\d\d"
_DATE = re.compile(
    rf"(?:\b\d{{1,2}}(?:\.|er|º)?\s(?:de\s)?)?(?:\b(?:{_LATIN_MONTHS})\b|\b(?:{_CYRILLIC_MONTHS})\w{{0,2}}\b)(?:\s\d{{1,2}}(?:st|nd|rd|th)?\b,?)?(?:\s(?:de\s|del\s)?{_YEAR_RE})?"
    rf"|\b\d{{1,2}}\s(?-i:May)\b(?:\s{_YEAR_RE})?|\b(?-i:May)\s(?:\d{{1,2}}(?:st|nd|rd|th)?\b,?\s?)?(?:{_YEAR_RE}\b)?(?<=\d)|\b{_YEAR_RE}\b", re.IGNORECASE)
_NAME = re.compile(r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*)(?:\s(?:(?:de|van|von|der|di|da|du|la|le)\s)?[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*){0,3}")
