"""Passwords, PINs, door codes and lock combinations: a question asking for one, and the ones a sentence gives.

"What's the admin password for the router?" is not answered by «Admin password is on the sticker underneath.»: the
sentence names a password but gives none. A credential is a token written with a digit ("47B19", "3719",
"maple-otter-4417"), or lowercase words joined by hyphens right after what names them ("password visitors-welcome"), in a
sentence that says what it is (password, Passwort, mot de passe, contraseña, пароль, PIN, code, combination …), in any of
our languages.
"""
from __future__ import annotations

import re


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


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
