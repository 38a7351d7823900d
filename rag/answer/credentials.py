"""Passwords, PINs, door codes and lock combinations: a question asking for one, and the ones a sentence gives.

"What's the admin password for the router?" is not answered by «Admin password is on the sticker underneath.»: the
sentence names a password but gives none. A credential is a token written with a digit ("47B19", "3719",
"maple-otter-4417"), or lowercase words joined by hyphens right after what names them ("password visitors-welcome"), in a
sentence that says what it is (password, Passwort, mot de passe, contraseña, пароль, PIN, code, combination …), in any of
our languages.
"""
from __future__ import annotations

import re

from .signals import Term, Vocabulary, _stop_words
from .signals import any_of as _any


_WORDS = r"(?:[\w'’-]+\s+){0,3}"
# the question asks what the credential is, not how to set, change or reset one
_ASKS = _any(
    rf"\bwhat(?:'s|’s|\s+is|\s+was|\s+are)\s+{_WORDS}(?:password|passcode|passphrase|pin|code|combination)s?\b",
    rf"\b(?:wie\s+(?:lautet|lautete|war|ist)|was\s+(?:ist|war))\s+(?:nochmal\s+|noch\s+mal\s+)?{_WORDS}[\w-]*(?:passwort|kennwort|pin|code|kombination)\b",
    rf"\bquel(?:le)?\s+(?:est|était|sont)\s+{_WORDS}(?:mot de passe|code|pin|combinaison)\b",
    rf"\bc['’]est quoi\s+{_WORDS}(?:mot de passe|code|pin|combinaison)\b",
    rf"\bqual\s*(?:è|e'|era)\s+{_WORDS}(?:password|codice|pin|combinazione)\b",
    rf"\bcu[áa]l\s+(?:es|era)\s+{_WORDS}(?:contraseña|clave|c[óo]digo|pin|combinaci[óo]n)\b",
    rf"\bкако(?:й|в|ва|е)\s+{_WORDS}(?:пароль|код|пин-код|пин|pin|комбинаци\w*)",
)
# a sentence says what its token is
_NAMES_ONE = _any(
    r"\bpasswords?\b", r"passcode", r"passphrase", r"\bpin\b", r"\bcodes?\b", r"\bcombination", r"kennwort", r"passwort", r"\bkombination",
    r"mot de passe", r"\bcombinaison", r"\bcodice", r"\bcombinazione", r"contraseña", r"\bclave\b", r"c[óo]digo", r"combinaci[óo]n",
    r"пароль", r"парол[яеюь]", r"\bкод\w*", r"комбинаци",
)
_DIGITS = re.compile(r"(?<![\w-])(?=[\w-]*\d)[\w-]{4,}(?![\w-])")  # "47B19", "3719", "maple-otter-4417"
# words joined by hyphens right after what names them ("password visitors-welcome"): elsewhere they are a package or a
# command ("base-passwd", "ssh-keygen")
_WORDS_AFTER = re.compile("(?:" + _NAMES_ONE.pattern + ")" + r"\W{0,3}(?:(?:is|ist|est|è|es|это)\s+)?([a-z]{3,}(?:-[a-z]{3,})+)(?![\w-])", re.IGNORECASE)


# "code" alone is often no credential ("the exit code of grep", "the code to install it"): it counts with what it opens
_STRONG = _any(r"passw|passcode|passphrase|\bpin\b|combination|kennwort|kombination|mot de passe|combinaison|combinazione|contraseña|\bclave\b",
               r"combinaci|пароль|\bпин|комбинац")
_OPENS = _any(
    r"\b(?:door|front door|gate|entry|entrance|access|alarm|safe|lock|locker|key ?box|key ?safe|wi-?fi|intercom|building)\b",
    r"tür|tor\b|zugang|tresor|schlüssel|alarm|spind|safe", r"\bporte\b|\bportail|acc[èe]s|entrée|digicode|alarme|coffre|casier|interphone",
    r"\bporta\b|portone|cancello|accesso|ingresso|allarme|cassaforte|armadietto|citofono", r"puerta|portal|acceso|entrada|alarma|caja fuerte|taquilla",
    r"двер|домофон|подъезд|калитк|доступ|сейф|сигнализац|шкафчик",
)


REACH = 40  # characters from what names a credential to it ("Code de la porte d'entrée : 47B19"); not "… contraseñas del
# sistema remoto usando «RSAAuthentication» (protocolo SSH-2)"


def asks(question: str) -> bool:
    """The question asks what a password, PIN, code or combination is ("Wie war nochmal unser WLAN-Passwort?"); a code
    only when the question says what it opens ("the door code", "код от домофона"), not "the exit code of grep"."""
    m = _ASKS.search(question)
    if not m:
        return False
    return bool(_STRONG.search(m.group(0)) or _OPENS.search(question))


def given(sentence: str) -> list[str]:
    """The credentials ``sentence`` gives: its tokens written with a digit within ``REACH`` characters after what names
    them ("Code de la porte d'entrée : 47B19."), or hyphenated lowercase words right after it ("password visitors-welcome");
    none in «Admin password is on the sticker underneath.»."""
    named = [m.end() for m in _NAMES_ONE.finditer(sentence)]
    near = [m for m in _DIGITS.finditer(sentence) if any(0 <= m.start() - end <= REACH for end in named)]
    found = [(m.start(), m.group(0)) for m in near] + [(m.start(1), m.group(1)) for m in _WORDS_AFTER.finditer(sentence)]
    return [token for _, token in sorted(set(found))]


QUALIFIED = True  # a credential named by the question's own qualifier, given nowhere, is not answered by another one


def qualifiers(question: str) -> list[Term]:
    """The words that say which credential a question asks for: those before the credential word ("admin" in "What's the
    admin password?", "WLAN" in "Wie war nochmal unser WLAN-Passwort?") and the first word of three after it that is no
    stop word ("router" in "… password for the router?", "administrateur" in "… mot de passe de l'administrateur ?")."""
    m = _ASKS.search(question)
    if not m:
        return []
    stop = _stop_words() | _NO_QUALIFIER
    before = [w for w in _LETTERS.findall(_NAMES_ONE.sub(" ", m.group(0))) if w.lower() not in stop and not _NAMES_ONE.search(w)]
    after = next((w for w in _LETTERS.findall(re.split(r"[?!.,;:]", question[m.end():])[0])[:4] if w.lower() not in stop), None)
    return [Term(text="admin" if w.lower().startswith(_ITALIAN_ADMIN) else w, entity=False) for w in before + ([after] if after else [])]


# Italian spells "admin" with a double m ("la password di amministrazione", "dell'amministratore"): read as the word the
# notes write ("Admin password is on the sticker.")
_ITALIAN_ADMIN = "amministr"


_LETTERS = re.compile(r"[^\W\d_]{3,}")


# the asking words of _ASKS that no stop list holds, and possessives: none says which credential
_NO_QUALIFIER = frozenset("lautet lautete nochmal noch mal our my your unser unsere unserer mein meine dein deine notre nos mon ma "
                          "nostro nostra mio mia nuestro nuestra наш наша мой моя dell dall nell sull coll vom zum zur beim".split())


def withheld(question: str, sentences: list[str]) -> str:
    """The question's qualifier when sentences name its credential ("admin" and "password" in one sentence) and none of
    them gives it: «Admin password is on the sticker underneath.» beside «Wi-Fi "Larkspur-5G", password
    maple-otter-4417» for "What's the admin password for the router?"; else ""."""
    if not QUALIFIED:
        return ""
    for term in qualifiers(question):
        naming = [s for s in sentences if _NAMES_ONE.search(s) and Vocabulary.of(s).has(term)]
        if naming and not any(given(s) for s in naming):
            return term.text
    return ""
