"""Definition questions: "What is initramfs?", "Was ist udev?", "Qu'est-ce que systemd ?", "Что такое NSS?",
"Cos'è un journal?", "¿Qué es Postfix?", "What does cron do?", "À quoi sert PAM ?". The sentence that answers names the
term as its subject and says what it is or does ("PAM offre un mécanisme d'authentification souple …"); a cross-reference
("Siehe systemd.device(5).") or a command line ("$ sudo systemctl stop postfix") names it without saying anything about it.
"""
from __future__ import annotations

import re

from .kinds import who_is
from .signals import Term, Vocabulary

_ARTICLE = r"(?:(?:an?|the|ein|eine|einen|der|die|das|un|une|le|la|les|l['’]|uno|una|il|lo|el|los|las)\s+|l['’])?"
_TERM = r"([^\s?¿¡!.,;:][^?!.,;:]{0,60}?)"
_WHAT_IS = re.compile(
    "(?:" + "|".join(
        [
            rf"^(?:what|which)\s+(?:is|are)\s+{_ARTICLE}{_TERM}(?:\s+(?:used\s+)?for)?",
            rf"^what\s+(?:does|do)\s+{_ARTICLE}{_TERM}\s+do",
            rf"^(?:was\s+(?:ist|sind|bedeutet|macht)|wozu\s+dient|wof(?:ü|u)r\s+(?:ist|sind|braucht\s+man))\s+{_ARTICLE}{_TERM}",
            rf"^(?:qu['’]est[- ]ce\s+qu(?:e\s+|['’])|(?:à|a)\s+quoi\s+sert\s+){_ARTICLE}{_TERM}",
            rf"^(?:что\s+такое|для\s+чего\s+(?:нужен|нужна|нужно|нужны|служит)|что\s+делает)\s+{_TERM}",
            rf"^(?:(?:che\s+)?cos['’]\s?è|a\s+(?:cosa|che)\s+serve)\s+{_ARTICLE}{_TERM}",
            rf"^(?:qu[ée]\s+(?:es|son)|para\s+qu[ée]\s+sirve)\s+{_ARTICLE}{_TERM}",
        ]
    )
    + r")\s*[?!.]*$",
    re.IGNORECASE,
)
# words that make the phrase a question about something else ("what is the name of …", "what is the largest city in …")
_NOT_A_TERM = re.compile(
    r"\b(?:of|in|on|at|by|to|from|with|that|which|who|than|name|called|most|largest|biggest|main|first|best|difference|"
    r"von|vom|im|des|der|den|dem|zwischen|unterschied|de|du|des|entre|di|del|della|nel|tra|fra|в|на|между|с|и|y|e|und|et|and|"
    r"known|bekannt|connu|noto|conocido|известн\w*|not|nicht|pas|non|no|не|two|three|four|zwei|drei|vier)\b",
    re.IGNORECASE,
)
MAX_TERM_WORDS = 3


def what_is(question: str) -> str:
    """The term a definition question asks about ("What is the GRUB bootloader?" -> "GRUB bootloader"), else ""."""
    q = question.strip().lstrip("¿¡ ")
    m = _WHAT_IS.match(q)
    if not m:
        return ""
    term = next(g for g in m.groups() if g).strip(" \"'«»“”„")
    if not term or len(term.split()) > MAX_TERM_WORDS or _NOT_A_TERM.search(term):
        return ""
    return term


# what follows the term in a sentence that says what it is or does
_SAYS = re.compile(
    r"^(?:\s*\([^)]{0,80}\))?[\s,]*(?:[-–—]\s*)?(?:это\b|является|означает|обеспечивает|предоставляет|позволяет|представляет|служит|"
    r"is|are|was|means|refers|provides|stands|lets|allows|manages|handles|ist|sind|bezeichnet|bedeutet|bietet|stellt|dient|erlaubt|ermöglicht|"
    r"est|sont|désigne|signifie|fournit|offre|permet|sert|è|sono|indica|significa|fornisce|offre|permette|serve|gestisce|es|son|proporciona|ofrece|permite|sirve|"
    r"[-–—]\s)",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^[\s\-–—•*·>#|„“”\"«»‘’'(\[]*(?:(?:the|a|an|der|die|das|ein|eine|le|la|les|l['’]|un|une|il|lo|uno|una|el|los|las)\s+)?", re.IGNORECASE)
_WORD = re.compile(r"[^\W_][\w.+-]*")
REACH = 6  # the term's last word stands among the sentence's first words
# "Mustafa Suleyman, der Mitbegründer …", "Mme Aubertin (3e gauche) a …": a person followed by an apposition is described
# too (not a term: "- netfilter-Module, die … bereitstellen" only lists it; evals/RESULTS.md)
_APPOSITION = re.compile(r"^\s*(?:,\s*\S|\()")
WHO_IS = True  # "Who is X?" lifts the sentence that describes X, as "What is X?" does (evals/RESULTS.md)


def asked_term(question: str) -> tuple[str, bool]:
    """The term a definition question asks about, or the person a "who is …?" question names (then True)."""
    term = what_is(question)
    person = "" if term or not WHO_IS else who_is(question)
    return (term or person, bool(person))


def defines(sentence: str, term: str, apposition: bool = False) -> bool:
    """Whether ``sentence`` opens with ``term`` (a word of it, in any script: "systemd", "PAM", "initramfs-System")
    and goes on to say what it is or does (or, for a person, follows it with an apposition)."""
    wanted = [Term(text=w, entity=True) for w in term.split() if len(w) >= 3 or w.isupper()]
    body = sentence[_LEADING.match(sentence).end() :]
    for n, m in enumerate(_WORD.finditer(body)):
        if n >= REACH:
            return False
        vocab = Vocabulary.of(m.group(0))
        rest = body[m.end() :]
        if any(vocab.has(t) or m.group(0).lower().startswith(t.text.lower()) for t in wanted) and (_SAYS.match(rest) or (apposition and _APPOSITION.match(rest))):
            return True
    return False


# a sentence that only points elsewhere ("Siehe systemd.device(5).", "See also cron(8).") or runs a command
_REFERENCE = re.compile(r"^\W*(?:see|siehe|voir|vedi|vedere|véase|ver|см\.|смотрите)\b.{0,60}$|^\s*[$#%]\s", re.IGNORECASE | re.DOTALL)


def only_points(sentence: str) -> bool:
    return bool(_REFERENCE.search(sentence))
