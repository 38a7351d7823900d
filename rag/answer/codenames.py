"""Questions that ask for something by its name as code — "Which libffi function prepares a call interface?", "Quel
paquet contient …", "Какой файл имеет приоритет …" — and sentences that hold such a name.

The answer to such a question is written the same way in every language: ``ffi_prep_cif``, ``asn1Coding``,
``/etc/mailname``, ``LIBFFI_TMPDIR``, ``globs2``, ``Override.xml``. A sentence holding a name of that shape that the
question does not give is likelier to answer it than one describing the same thing without naming it («libffi also
provides a way to get the offsets …» against «Function: … ffi_get_struct_offsets (…) ¶ Compute the offset of each
element …»). Plain words that name a tool ("ibus", "iftop") have no such shape: they get no lift, and lose none.
"""
from __future__ import annotations

import re
from collections.abc import Collection

from .signals import IDENTIFIER

# "which function / welche Datei / quel paquet / quale variabile / qué archivo / какой файл …": a thing named in code
_ASKS = re.compile(
    r"\b(?:which|what) (?:\w+ )?(?:functions?|methods?|variables?|files?|librar(?:y|ies)|packages?|modules?|daemons?|macros?|constants?|"
    r"symbols?|directory|directories|utilit(?:y|ies)|binar(?:y|ies)|executables?|headers?)\b"
    r"|\bwelche[rsnm]? (?:\w+ )?(?:funktion(?:en)?|variablen?|datei(?:en)?|bibliothek(?:en)?|pakete?s?|module?s?|daemons?|makros?|"
    r"konstanten?|programme?s?|verzeichnis(?:se)?)\b|\bmit welche[rmn] (?:\w+ )?(?:funktion|datei|programm)\b"
    r"|\bquel(?:le)?s? (?:\w+ )?(?:fonctions?|variables?|fichiers?|biblioth[eè]ques?|paquets?|modules?|d[ée]mons?|macros?|constantes?|"
    r"programmes?|r[ée]pertoires?)\b"
    r"|\bqual[ei]? (?:\w+ )?(?:funzion[ei]|variabil[ei]|file|librerie|libreria|pacchett[oi]|modul[oi]|demon[ei]|macro|costant[ei]|"
    r"programm[ai]|directory|cartell[ae])\b"
    r"|\bqu[ée] (?:\w+ )?(?:funci[óo]n|funciones|variables?|archivos?|ficheros?|bibliotecas?|paquetes?|m[óo]dulos?|demonios?|macros?|"
    r"constantes?|programas?|directorios?)\b"
    r"|\bкак(?:ая|ой|ое|ие|ую|ом|ой) (?:\w+ )?(?:функци\w*|переменн\w*|файл\w*|библиотек\w*|пакет\w*|модул\w*|демон\w*|макрос\w*|"
    r"констант\w*|программ\w*|утилит\w*|каталог\w*)",
    re.IGNORECASE,
)
# a name shaped as code: ffi_call, modules.dep, a::b; LIBFFI_TMPDIR; a path; $LANGUAGE; asn1Coding, globs2; getValue; name()
_CODE_NAME = re.compile(
    r"(?<![\w/])" + IDENTIFIER.pattern
    + r"|(?<!\w)[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"
    r"|(?<![\w.])~?/[\w.+-]+(?:/[\w.+-]*)+"
    r"|\$[A-Za-z_]\w+"
    r"|\b(?=\w*[a-z])[A-Za-z]+\d+[A-Za-z]\w*|\b[a-z]\w*[a-z]\d+\b"
    r"|\b[a-z]+[A-Z][a-z]\w*"
    r"|\b[A-Za-z_]\w+\(\)"
)


def asks_code_name(question: str) -> bool:
    """The question asks for a function, file, variable, package, library … by name."""
    return bool(_ASKS.search(question))


def code_names(text: str) -> set[str]:
    """The names shaped as code in ``text``, lower-cased."""
    return {name for m in _CODE_NAME.finditer(text) if len(name := m.group(0).lower().rstrip(".")) >= 4}


def names_new_code(sentence: str, given: Collection[str]) -> bool:
    """``sentence`` holds a name shaped as code that is not among ``given`` (the question's own, lower-cased)."""
    return any(name not in given and not any(name in g or g in name for g in given) for name in code_names(sentence))
