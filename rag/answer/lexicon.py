"""Whether a word is an ordinary word of a language, read from simplemma's dictionaries (MIT, no dependencies) and
pyspellchecker's word-frequency lists (MIT, no dependencies).

A how-to or option question can name a tool or product ("… Nginx als Reverse-Proxy", "Come configuro dnsmasq …")
that no document mentions; an ordinary word ("aktiviere", "incoming") can just as well be missing from the
documents of another language. Only the first is a reason to say the documents do not cover the question.
The dictionaries load lazily (simplemma's compact backend), English first (0.1 s), then the question's language
(0.1-0.6 s), and only when a how-to or option question holds a word no document contains. simplemma lists inflected
forms but not words that never inflect ("plusieurs", "toujours", "finora"), so the frequency lists of words seen in
film subtitles come next: English's and the question's, then every other Latin-script language's (a short question's
language is often detected wrongly: "Wer starb ohne …" as English), about 0.9 s for all, only for a word that is still
unknown, which is then most often the name the question is refused for.
"""
from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = frozenset({"en", "de", "fr", "it", "es", "ru", "pt", "nl", "pl", "sv", "da", "nb", "fi", "cs", "tr"})
TYPO_MIN = 7  # a lower-case word this long, one letter from a known word, is misspelt (shorter: "chrony" ~ crony is a name)
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb"})  # languages that write compounds as one word
_WORDLIKE = re.compile(r"[A-Za-z]{3,}")
# pyspellchecker's lists, read after simplemma's; a word must occur more often than FREQUENCY_FLOOR (the count its authors
# give words they add by hand, among them product names: "linux", "python", "kerberos")
FREQUENCY_LANGUAGES = ("en", "de", "fr", "it", "es", "pt", "nl")
FREQUENCY_FLOOR = 50
PREFIX_MAX = 3  # a known word of 7+ letters behind a prefix of up to 3 letters is a derived word ("ri|controllare", "re|check")


def unhyphened(text: str) -> str:
    """``text`` in lower case without the hyphens inside its words: a name written with or without one ("wifi",
    "Wi-Fi"; "e-mail", "email") reads the same."""
    return _INNER_HYPHEN.sub("", text.lower())


_INNER_HYPHEN = re.compile(r"(?<=[^\W_])[-\u2010\u2011](?=[^\W_])")


@lru_cache(maxsize=4096)
def ordinary(word: str, language: str = "") -> bool:
    """``word`` is a word of English or of ``language`` (in any case, any inflection the dictionary lists).
    Without simplemma every word counts as ordinary: nothing is refused for it."""
    try:
        import simplemma
    except ImportError:
        return True
    low = word.lower()
    if "-" in low:  # "wi-fi" (wifi), "read-only", "e-mail" are words; "lm-sensors", "dpkg-deb" are names
        parts = [p for p in low.split("-") if len(p) >= 2]
        return _listed(low.replace("-", ""), language) or all(ordinary(p, language) for p in parts)
    for lang in dict.fromkeys(("en", language)):
        if lang not in LANGUAGES:
            continue

        def known(w: str) -> bool:
            return simplemma.is_known(w, lang, low_memory=True) or simplemma.is_known(w.capitalize(), lang, low_memory=True)

        if known(word) or known(low) or any(_derived(low, k) and known(low[:k]) for k in range(max(5, len(low) - 5), len(low))):
            return True
        if lang in COMPOUNDING and any(known(low[k:]) and (known(low[:k]) or (low[k - 1] == "s" and known(low[: k - 1]))) for k in range(4, len(low) - 3)):
            return True  # a compound of two words, maybe joined by an s (Netzwerk|konfiguration, Sicherheit|s|update)
        if lang == "en" and any(known(low[:k]) and known(low[k:]) for k in range(3, len(low) - 3)):
            return True  # an English compound a translation spells out (hex|dump, bit|rate, sub|volume; not dove|cot)
        if any(len(low) - k >= TYPO_MIN and known(low[k:]) for k in range(1, PREFIX_MAX + 1)):
            return True  # a prefixed word ("ri|controllare")
        if word.islower() and len(word) >= TYPO_MIN and any(known(w) for w in _one_edit(low)):
            return True  # a misspelt word ("conifgure"), not a name
    first = [lang for lang in ("en", language) if lang in FREQUENCY_LANGUAGES]
    if any(_frequent(low, lang) for lang in first):
        return True
    others = [lang for lang in FREQUENCY_LANGUAGES if lang not in first]  # the question's language may be detected wrongly
    return any(_frequent(low, lang) for lang in others)


def known_in(word: str, languages: tuple[str, ...]) -> bool:
    """``word`` is a common word of one of ``languages`` (not English) by pyspellchecker's frequency lists: "montage" in
    French, "ricerca" in Italian. Those lists load in 0.1 s against simplemma's 0.35 s, and of 1,270 command names (five
    letters or more) they list 3-8 per language against simplemma's 8-12 ("fuser", "patch", "strings"; evals/RESULTS.md)."""
    return any(_frequent(word.lower(), lang) for lang in languages if lang in LANGUAGES)


def _frequent(low: str, language: str) -> bool:
    """``low`` occurs in ``language``'s frequency list more often than ``FREQUENCY_FLOOR``."""
    return _frequency(language).get(low, 0) > FREQUENCY_FLOOR


@lru_cache(maxsize=None)
def _frequency(language: str) -> dict[str, int]:
    """pyspellchecker's word counts for ``language`` ({} without the package)."""
    import gzip
    import json
    from importlib import resources

    try:  # the list SpellChecker(language=…) loads, read directly: a third of the time
        data = (resources.files("spellchecker") / "resources" / f"{language}.json.gz").read_bytes()
    except (ImportError, OSError):
        return {}
    return json.loads(gzip.decompress(data))


def parts_found(name: str, text: str, language: str) -> bool:
    """A hyphenated word whose every part no dictionary knows stands in ``text`` ("little-endian": "--endian")."""
    parts = [p for p in name.split("-") if len(p) >= 2 and not ordinary(p, language)] if "-" in name else []
    return bool(parts) and all(re.search(rf"(?<![^\W_]){re.escape(p)}(?![^\W_])", text, re.IGNORECASE) for p in parts)


def _listed(word: str, language: str) -> bool:
    """``word`` as it stands is in simplemma's or the frequency lists of English or ``language`` (no derived forms)."""
    import simplemma

    langs = [lang for lang in dict.fromkeys(("en", language)) if lang in LANGUAGES]
    return any(simplemma.is_known(word, lang, low_memory=True) or _frequent(word, lang) for lang in langs)


def local_acronym(word: str, language: str) -> bool:
    """An acronym that a dictionary of ``language`` (not English) lists: a word of that language ("WLAN", "KI", "EDV",
    "IVA") that a document in another language writes differently ("Wi-Fi", "AI"), not a name every translation keeps
    ("ZFS", "DHCP"). Some universal ones are listed too ("USB", "GPU" in German); their absence then refuses nothing."""
    if language in ("", "en") or language not in LANGUAGES or not word.isupper():
        return False
    try:
        import simplemma
    except ImportError:
        return False
    if any(simplemma.is_known(w, language, low_memory=True) for w in (word, word.lower(), word.capitalize())):
        return True
    return language in FREQUENCY_LANGUAGES and _frequent(word.lower(), language)


def _one_edit(low: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion of a letter away from ``low``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(low[:i], low[i:]) for i in range(len(low) + 1)]
    out = {a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters} | {a + c + b for a, b in splits for c in letters}
    return out - {low}


def _derived(low: str, k: int) -> bool:
    """``low[k:]`` could be a derivational ending the dictionary leaves out (autentica|zione, publique|ment,
    ricorsiva|mente): a few letters with a vowel; "system|ctl", "journal|ctl" are names."""
    return any(c in "aeiouyàèéìòùäöü" for c in low[k:])


def name_like(word: str, first: bool) -> bool:
    """A word shaped like a tool or product name a question could give: ASCII letters only (names of software keep
    them; "Échap" or "città" are words), three or more, and four or more when only its capital marks it (a
    sentence's first word is never one: "Maj", "Ssh"; "scp", "git", "LVM" are)."""
    if not _WORDLIKE.fullmatch(word):
        return False
    titled = word[0].isupper() and not word.isupper()
    return not (titled and (first or len(word) < 4))
