"""Option questions: the tool a question names ("which option of rsync …", "welche Option von tar …",
"какой ключ rsync …") and the command-line options a sentence gives ("-k, --keep-blank" opening a manual's
item, "--sparse=WHEN" in running text), not those of a synopsis or an example command."""
from __future__ import annotations

import re
from collections.abc import Collection

from . import lexicon
from .signals import Vocabulary, _stop_words

_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s|er|ern|e|ème|x)?|'?\d\ds")  # 15th, 1970s, 80s: they translate

# an option in running text; one in a synopsis's brackets or alternatives ("cp [OPTION]... [-T]", "[-a|-b]") is no answer
_ONE_FLAG = r"--?[A-Za-z0-9?][\w-]*(?:\[?=[\w\[\]|]*)?"  # -k, --keep-blank, --color[=WHEN], --seed=SEED
_FLAG = re.compile(r"(?<![\w/.\[|-])" + _ONE_FLAG)
_VALUE_BEFORE = re.compile(r"\b(?:number|value|to|of|is|equals?|zahl|wert|auf|valeur|nombre|valore|numero|значение|число|valor)\s+$", re.IGNORECASE)  # "the number -1"
_HEAD_FLAG = _ONE_FLAG + r"(?: [A-Z][A-Z_]*)?"  # with its argument: -s SEED
_OPTION_LINE = re.compile(f"{_HEAD_FLAG}(?:, ?{_HEAD_FLAG})*")


# a synopsis ("grep [OPTION...] -f PATTERN_FILE ...", "Aufruf: sort [OPTION]...", "oder: sort [OPTION]... --files0-from=F") or an example at a prompt ("$ grep -n …"):
# it shows how to call, it does not say what an option does
_SYNOPSIS = re.compile(r"[$#%]\s|(?:[^\W\d_]+(?: [^\W\d_]+)? ?:\s*)?[\w.+-]+\s+\[(?:-|[A-ZА-Я])|(?-i:[a-z][\w.+-]*\s+--?\w[^\s,]*\s+(?:[-$\[<\d%+]|[A-Z_]+\b))", re.IGNORECASE)  # "Usage:", "oder:", "chage -E $(…)"


def _options(sentence: str) -> list[str]:
    """Command-line options in the sentence; the options a manual's item opens with come as one
    ("-k, --keep-blank", "-s SEED, --seed=SEED"). None in a synopsis or an example command."""
    text = sentence.lstrip()
    if _SYNOPSIS.match(text):
        return []
    head = _OPTION_LINE.match(text)
    found = [m.group(0) for m in _FLAG.finditer(text, head.end() if head else 0) if not (m.group(0)[1:].isdigit() and _VALUE_BEFORE.search(text[: m.start()]))]
    return ([head.group(0)] if head else []) + found


def option_item(sentence: str) -> bool:
    """Whether the sentence is a manual's option item: it opens with the options it documents."""
    options = _options(sentence)
    return bool(options) and sentence.lstrip().startswith(options[0])


def flags(text: str) -> list[str]:
    """The command-line options written in ``text`` ("rm -r", "tail -f"), in order."""
    return _FLAG.findall(text)


def item_flags(sentence: str) -> set[str]:
    """The options an option item opens with ("-r, -R, --recursive" -> {-r, -R, --recursive}); empty for other sentences."""
    return set(_FLAG.findall(_options(sentence)[0])) if option_item(sentence) else set()


# "What does the -h flag of df do?", "Was macht ls -r?", "À quoi sert l'option -w ?", "Что делает ключ -n?": what an option
# the question writes does (not "How can tail -f stop …?", which asks for another option)
_WHAT_DOES = re.compile(
    r"\bwhat (?:does|do)\b.*\b(?:do|mean)\b|\bwhat (?:is|are)\b.*\bfor\s*[?.!]?\s*$|\bwhat is the (?:purpose|meaning|effect)\b|\bmeaning of\b|"
    r"\bwas (?:macht|bewirkt|bedeutet|tut)\b|\bwof(?:ü|u)r (?:ist|steht|dient)\b|\bque (?:fait|signifie)\b|\bà quoi sert\b|"
    r"\bqu['’]est-ce que fait\b|\bcosa (?:fa|significa)\b|\ba cosa serve\b|\bqu[ée] (?:hace|significa)\b|\bpara qu[ée] sirve\b|"
    r"\bчто (?:делает|означает|значит)\b|\bдля чего\b|\bзачем нуж\w*",
    re.IGNORECASE,
)


def asks_what_option_does(question: str) -> list[str]:
    """The options the question writes when it asks what they do; [] for any other question."""
    return flags(question) if _WHAT_DOES.search(question) else []


def documents(sentence: str, given: Collection[str]) -> bool:
    """Whether the option item ``sentence`` documents one of the options ``given`` ("--preserve[=ELENCO_ATTR] …" documents
    --preserve; "-k, --keep" documents -k but not -K)."""
    return bool({_bare(f) for f in item_flags(sentence)} & {_bare(g) for g in given})


def _bare(flag: str) -> str:
    return re.split(r"[=\[]", flag, maxsplit=1)[0]


_LONG_OPTION = re.compile(r"--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def long_names(sentence: str) -> str:
    """The words of the long options an option item opens with ("-k, --keep-blank …" -> "keep blank"), "" for other sentences."""
    if not option_item(sentence):
        return ""
    head = sentence.lstrip().split("\n")[0].split("  ")[0]  # the options, before the description
    return " ".join(m.group(1).replace("-", " ") for m in _LONG_OPTION.finditer(head))


def names_an_option(names: str, terms) -> bool:
    """Whether one of ``terms`` (question words) names one of the long-option words ``names`` (from :func:`long_names`):
    "raw" -> "--raw", "humans" -> "--human", "версий" -> "--version-sort", across scripts."""
    if not names.strip():
        return False
    vocab = Vocabulary.of(names)
    return any(vocab.has(t) for t in terms)


_TOOL_AT_END = re.compile(  # "… with xrandr?", "… avec rsync ?", "… через timedatectl?"
    r"\b(?:with|using|via|mit|mittels|avec|con|tramite|usando|через|с помощью)\s+(?:(?P<article>the|le|la|les|l'|il|lo|el|der|die|das|den)\s+)?"
    r"([a-z][\w.-]*)\s*[?.!]?\s*$",
    re.IGNORECASE,
)


_OPTION_WORD = r"(?:options?|flags?|switch(?:es)?|arguments?|parameters?|Optionen?|Schalter|Parameter|Argumente?|paramètres?|opzion[ei]|parametr[oi]|opci[óo]n(?:es)?|par[áa]metros?)"
# "which rsync option": a tool, but "which verbose flag does cp have": what the option does
_WHICH_X_OPTION = re.compile(r"\b(?:which|what|welche[rsnm]?)\s+[`'\"]?([a-z][\w.+-]*)[`'\"]?(?:\s+|-)(?:option|flag|switch|Option|Schalter)", re.IGNORECASE)
# "which option of rsync …", "welche Option von tar …", "quelle option de la commande rsync …", "the rsync command"
# (not "the option for the printer": a word after "for" may be translated in the documents)
_TOOL_NAMED = (
    re.compile(
        _OPTION_WORD + r"\s+(?:-{1,2}\w[\w-]*\s+)?(?P<prep>(?:of|von|des|de|du|di|del|della)\b|d')\s*(?:(?:(?:the|der|dem|des|le|la|il|lo|el)\b|l')\s*)?"
        r"(?P<tool>(?:command|Befehls?|Kommandos?|commande|comando|programm?e?|tool|outil|strumento|herramienta)\s+)?[`'\"«]?([a-z][\w.+-]*)",
        re.IGNORECASE,
    ),
    re.compile(r"\bthe\s+[`'\"]?([a-z][\w.+-]*)[`'\"]?\s+(?:command|tool|program|utility|daemon)\b"),
    _WHICH_X_OPTION,
    re.compile(r"\b(?:(?:der|den|dem|des)\s+Befehls?|(?:das|dem|des)\s+Kommandos?|la\s+commande|il\s+comando|el\s+comando)\s+[`'\"«]?([a-z][\w.+-]*)"),
    re.compile(r"\b(?:ключ\w*|опци\w*|параметр\w*|флаг\w*|команд\w*|утилит\w*)\s+(?:(?:команды|утилиты|программы)\s+)?[`'\"«]?([a-z][\w.+-]*)"),
    re.compile(r"(?:с помощью|при помощи|посредством|через)\s+[`'\"«]?([a-z][\w.+-]*)"),  # "как с помощью rsync исключить …"
    re.compile(r"\b(?:ключ\w*|опци\w*|параметр\w*|флаг\w*)\s+-{1,2}\w[\w-]*\s+(?:у|в|для)\s+[`'\"«]?([a-z][\w.+-]*)"),  # "ключ -n у sort"
    re.compile(r"\b(?:Option|Schalter|Parameter)\s+-{1,2}\w[\w-]*\s+(?:bei|von)\s+[`'\"«]?([a-z][\w.+-]*)"),  # "die Option -c bei uniq"
    # "Which verbose flag does cp have?" (after an option word: "What kind of chloroplasts do diatoms have?" names no tool)
    re.compile(r"\b(?:options?|flags?|switch(?:es)?)\b[^?]*?\b(?:does|do|can|will)\s+[`'\"]?([a-z][\w.+-]*)[`'\"]?\s+(?:have|offer|provide|support|accept|take)\b"),
)
_NOT_A_TOOL = frozenset(
    "line lines ligne linea línea zeile prompt shell command commande comando program programme tool choice choix scelta elección "
    "command-line other another andere default new old same first last global main extra full whole complete entire".split()
)


# "options de montage", "opzioni di ricerca", "opciones de búsqueda": a Romance "option(s) of" + a word of that language names
# what the options are for (mount options), not a tool; "options de tar" does name one
ROMANCE_WORD_MIN = 5
_ROMANCE_OF = {"de": ("fr", "es"), "des": ("fr",), "du": ("fr",), "d'": ("fr",), "di": ("it",), "della": ("it",), "del": ("it", "es")}


def _names_a_tool(m: re.Match) -> bool:
    groups = m.re.groupindex
    if "prep" not in groups or m.group("tool"):
        return True
    languages = _ROMANCE_OF.get(m.group("prep").lower(), ())  # "de": French or Spanish, both read (no language identifier)
    word = m.group(m.re.groups)  # a short name stays a tool even where it is a word too: "tar", "sed", "date", "sort"
    return not (languages and len(word) >= ROMANCE_WORD_MIN and lexicon.known_in(word, languages))


# the languages an article before the last word is of: "… con el dentista?" ends on a word of Spanish, not a tool
_ARTICLE_LANGUAGES = {"the": ("en",), "le": ("fr",), "la": ("fr", "it", "es"), "les": ("fr",), "l'": ("fr", "it"), "il": ("it",), "lo": ("it", "es"),
                      "el": ("es",), "der": ("de",), "die": ("de",), "das": ("de",), "den": ("de",)}


def _word_after_article(m: re.Match) -> bool:
    """The question ends on an article and a common word of the article's language ("with the dentist?", "con el dentista?"),
    not on a tool ("avec le bonding ?"); short names stay tools ("with the tar?")."""
    article, word = m.group("article"), m.group(m.re.groups)
    return bool(article) and len(word) >= ROMANCE_WORD_MIN and lexicon.known_in(word, _ARTICLE_LANGUAGES[article.lower()])


def _named_tools(question: str, at_end: bool = True) -> list[str]:
    """Lower-case tools the question names as tools; ``at_end`` adds the one it ends on ("… with xrandr?")."""
    found = [(m.group(m.re.groups), False) for pattern in _TOOL_NAMED for m in pattern.finditer(question) if _names_a_tool(m)]
    # "Which sorting option of ls …", "Which color option does grep have?": with another tool named, an English word before
    # "option" says what the option does
    before = {m.group(1) for m in _WHICH_X_OPTION.finditer(question)}
    if before and {name for name, _ in found} - before:  # the dictionary is read only then (up to 2 s in a new process)
        modifiers = {word for word in before if lexicon.ordinary(word, "en")}
        found = [(name, end) for name, end in found if name not in modifiers]
    found += [(m.group(m.re.groups), True) for m in _TOOL_AT_END.finditer(question) if not _word_after_article(m)] if at_end else []
    # not a stop word, an ordinal or, at the end, a plural noun ("… with patients?"; "which dircolors option" names a tool)
    return [
        name.rstrip(".") for name, end in found
        if name.islower() and name not in _stop_words() and name not in _NOT_A_TOOL and not _ORDINAL.fullmatch(name) and not (end and len(name) > 4 and name.endswith("s"))
    ]


# a command a how-to answer gives: a quoted or backquoted call ("depmod -a", `fc-list`, „systemctl set-default …“), a line at a
# prompt ("$ journalctl -b"), or an option a manual's item opens with
_QUOTED_CALL = re.compile(r"[\"“„«`‘]\s*((?-i:[a-z][\w.+-]*)(?:[-_./][\w.+-]+|\s+[^\"”“«»`‘’\s][^\"”“«»`‘’]{0,70}))\s*[\"”“»`’]")
_CALL_SIGN = re.compile(r"(?<!\w)--?\w|[/=.@]|\w-\w|\w_\w")  # an option, path, assignment or tool-like word: not a quoted phrase
_PROMPT_LINE = re.compile(r"(?m)^[ \t]*[$#%] +(\S[^\n]*)")


def commands(sentence: str) -> list[str]:
    """The commands or options a sentence gives, in order."""
    quoted = [m.group(1).strip() for m in _QUOTED_CALL.finditer(sentence)]
    found = [m.group(1).strip() for m in _PROMPT_LINE.finditer(sentence)] + [c for c in quoted if _CALL_SIGN.search(c)]
    return found or ([_options(sentence)[0]] if option_item(sentence) else [])


# --- polarity: an option that turns something off ----------------------------------------------------
KEEP_ASKED = True  # a question asking to keep something asks to turn its removal off (evals/RESULTS.md)
# "--no-ignore-case", "--without-x", "--disable-foo", "--dont-…"
_OFF_NAME = re.compile(r"--(?:no|non|not|dont|without|disable)-[a-z]")
# a description that opens by turning something off: "Do not ignore case …", "Suppresses line numbers.", "Ne pas …"
_OFF_TEXT = re.compile(
    r"^(?:do\s+not|don['’]t|never|suppress\w*|disables?|omits?|turn\s+off|inhibits?|nicht|keine?n?|niemals|unterdrück\w*|deaktivier\w*|"
    r"ne\s+pas|ne\s+jamais|n['’]|désactiv\w*|non|mai|sopprim\w*|disabilit\w*|disattiv\w*|no|nunca|desactiv\w*|deshabilit\w*|"
    r"не|никогда|отключ\w*|подавл\w*|запрещ\w*)\b",
    re.IGNORECASE,
)
# a question asking to turn something off or keep something from happening (or to keep something: "keeps the input
# files" is answered by «-k, --keep  Don't delete the input files.»)
_OFF_ASKED = re.compile(
    r"\b(?:not|no|don['’]t|doesn['’]t|never|without|stop\w*|prevent\w*|avoid\w*|keep\w*\s+\S+(?:\s+\S+)?\s+from|disabl\w*|suppress\w*|hide|turn\s+off|"
    + (r"keep\w*|preserv\w*|retain\w*|behalt\w*|beibehalt\w*|conserv\w*|gard(?:e|er|ez|ent|ant)|mantien\w*|manten\w*|сохран\w*|оставл\w*|" if KEEP_ASKED else "")
    + r"nicht|kein\w*|ohne|nie|verhinder\w*|vermeid\w*|unterdrück\w*|deaktivier\w*|abschalt\w*|ausschalt\w*|"
    r"pas|sans|jamais|empêch\w*|évit\w*|désactiv\w*|"
    r"non|senza|mai|impedi\w*|evita\w*|disattiv\w*|disabilit\w*|"
    r"sin|nunca|desactiv\w*|"
    r"не|без|никогда|запрет\w*|отключ\w*)\b",
    re.IGNORECASE,
)


def turns_off(sentence: str) -> bool:
    """An option item whose option or description turns something off ("--no-ignore-case", "-n … Suppresses line numbers.")."""
    if not option_item(sentence):
        return False
    head, _, rest = sentence.lstrip().partition("\n")
    flags_part, _, inline = head.partition("  ")  # a description on the options' own line, after two spaces
    description = (inline or rest).strip()
    return bool(_OFF_NAME.search(flags_part) or _OFF_TEXT.match(description))


def asks_off(question: str) -> bool:
    """The question asks to turn something off or keep it from happening ("without …", "ohne …", "не …")."""
    return bool(_OFF_ASKED.search(question))


# a manual's NAME line ("pstree - показывает дерево процессов", "df - report file system space usage"): what the tool is
_NAME_LINE = re.compile(r"^\s*[\w.+-]+(?:,\s*[\w.+-]+)*\s+(?:\\?-|–|—)\s+\S[^\n]*$")
_NAME_SECTIONS = frozenset({"name", "bezeichnung", "nom", "nome", "nombre", "имя", "название", "naam", "nazwa", "jméno", "navn", "namn", "nimi"})


def name_shaped(sentence: str) -> bool:
    """The sentence reads "tool - what it does"; with :func:`name_section`, a manual's NAME line (test the shape first:
    it is cheap, a sentence's section is not)."""
    return bool(_NAME_LINE.match(sentence))


def name_section(section: str | None) -> bool:
    """The section path ends in the section a manual calls NAME in its language ("PMAP(1) › NOM")."""
    return (section or "").rsplit(" › ", 1)[-1].strip().lower() in _NAME_SECTIONS


_TOOL_WORD = r"(?:command|commande|comando|befehl|kommando|programm?e?|programma|utility|tool|outil|strumento|herramienta|команда|утилита|программа)"
_ARTICLE = r"(?:(?:the|this|la|le|l['’]|il|lo|el|der|die|das|dieser?|ce|cette|questo|este|эта|этот)\s+)?"


def about_tool(sentence: str, tool: str) -> bool:
    """The sentence has ``tool`` as its subject and says what it is or does ("La commande pmap affiche …", "The chfn command
    changes …", "pstree показывает …"), not how to call it ("dpkg-query -l …")."""
    pattern = rf"^\W*{_ARTICLE}(?:{_TOOL_WORD}\s+)?{re.escape(tool)}(?:\s+{_TOOL_WORD})?\s+(?!-)[^\W\d_]"
    return bool(re.match(pattern, sentence.lstrip(), re.IGNORECASE)) and not option_item(sentence)


_OPTION_ONLY = re.compile(_OPTION_WORD + r"|опци\w*|ключ\w*|параметр\w*|флаг\w*", re.IGNORECASE)


def focus(question: str, tools: Collection[str]) -> str:
    """What an option question asks the option to do, without the tool it names and the word "option": "Which grep option
    prints line numbers?" -> "prints line numbers"; "Welche grep-Option ignoriert Groß- und Kleinschreibung?" ->
    "ignoriert Groß Kleinschreibung" (its key terms); "" when nothing else is left. An item's description says what
    it does and never names its tool: the tool's name and "option" only pull every item of the manual alike. ``tools``:
    the names to leave out when the question names no tool the usual way ("which option of tar")."""
    from .signals import key_terms

    low = {t.lower() for t in _named_tools(question, at_end=False) or tools}  # "… tar option … with gzip": gzip stays
    words = [t.text for t in key_terms(question) if not _OPTION_ONLY.fullmatch(t.text) and not low & set(t.text.lower().split("-"))]
    return " ".join(words)
