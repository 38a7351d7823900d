"""Language identification: a fast script and stop-word heuristic, with py3langid as the fallback.

The heuristic answers instantly for the common cases (so a cold ``ask`` does not pay
for loading a model); py3langid decides whenever the heuristic is not confident.
"""
from __future__ import annotations

import re
import threading
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Frequent function words; enough to tell these languages apart in a short question.
_STOP = {
    "en": "the a an of to and in is are was were did does do why what who whom how when where which with for on from by that this it be has have had not will would could should about than much many".split(),
    "de": "der die das und ist sind war hat haben nicht ein eine einen mit von zu den dem des im auf für warum was wer wie wann wo welche welcher welches hat wurde wurden ich sie er es auch noch bei nach über viel viele wieviel".split(),
    "fr": "le la les et est sont un une des du de pour dans que qui quoi pourquoi comment quand où quel quelle quels ce cette il elle ils pas avec sur par au aux a ont été combien".split(),
    "it": "il lo la le gli i e è sono un una uno del della dei degli per che chi perché come quando dove quale quali con su non ha hanno di da nel nella al alla quanto quanta quanti quante cosa costa".split(),
    "es": "el la los las y es son un una del de para que quién por qué cómo cuándo dónde cuál con en no ha han se al lo cuánto cuánta cuántos cuántas".split(),
    "pt": "o a os as e é são um uma do da dos das de para que quem por porque como quando onde qual com em não tem foi ao".split(),
    "nl": "de het een en is zijn was van voor dat die wie wat waarom hoe wanneer waar met op niet heeft hebben".split(),
}
# greetings and thanks, so that "Merci !" or "¡Hola!" alone is French or Spanish (py3langid guesses Czech, Serbian)
_GREETINGS = {"en": "hi hello hey thanks", "de": "hallo danke tschüss", "fr": "merci bonjour bonsoir salut", "it": "ciao grazie buongiorno",
              "es": "hola gracias adiós"}
_STOP_SETS = {lang: set(words) | set(_GREETINGS.get(lang, "").split()) for lang, words in _STOP.items()}

_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("el", re.compile(r"[\u0370-\u03FF]")),
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("hi", re.compile(r"[\u0900-\u097F]")),
    ("th", re.compile(r"[\u0E00-\u0E7F]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
)
_RU_STOP = set(
    "кто что как почему зачем где когда сколько какой какая какие какого какому каким каком какую каких какое который чего чему чем кем кому"
    " это был была были его её их нет есть ещё уже тоже спасибо привет здравствуйте".split()
)
KEYWORDS, KEYWORDS_SURE = 6, 0.5  # a Latin-script query of this many words at most, and how sure py3langid must be of another language
CYRILLIC_SURE = 0.5  # a Cyrillic text without Russian function words is another language only when py3langid is this sure
_CYRILLIC_OTHER = {"uk": set("іїєґ"), "sr": set("ђћџљњ"), "ru": set("ыэё")}

_lock = threading.Lock()
_identifier = None


def _model():
    """py3langid's identifier, loaded once (call with ``_lock`` held)."""
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _langid(text: str, among: set[str] | None = None) -> str:
    """py3langid's best guess, restricted to ``among`` when the heuristic narrowed it down."""
    with _lock:
        if among:
            ranked = [lang for lang, _ in _model().rank(text) if lang in among]
            if ranked:
                return str(ranked[0])
        lang, _ = _model().classify(text)
    return str(lang)


def _langid_sure(text: str) -> tuple[str, float]:
    """py3langid's best guess and its probability."""
    with _lock:
        lang, prob = _model().classify(text)
    return str(lang), float(prob)


def _heuristic(text: str) -> str | set[str] | None:
    """A language code when sure; a set of tied candidates when the stop words narrow it down; else None."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    sample = "".join(letters)
    for lang, pattern in _SCRIPTS:
        hits = len(pattern.findall(sample))
        if hits / len(sample) > 0.5:
            if lang == "ru":
                lowered = set(text.lower())
                for other, marks in _CYRILLIC_OTHER.items():
                    if lowered & marks:
                        return other
                if {w.lower() for w in _WORD.findall(text)} & _RU_STOP:
                    return "ru"
                # Bulgarian, Macedonian …, when the model is sure; a name alone ("Сулейман" reads as Bashkir) or a phrase is Russian
                guess, sure = _langid_sure(text)
                return guess if sure >= CYRILLIC_SURE else "ru"
            if lang == "zh" and re.search(r"[\u3040-\u30FF]", sample):
                return "ja"
            return lang
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    votes = Counter({lang: sum(w in stop for w in words) for lang, stop in _STOP_SETS.items()})
    (best, top), *rest = votes.most_common() + [("", 0)]
    second = rest[0][1] if rest else 0
    if top >= 2 and top >= 2 * second:
        return best
    if top >= 1:
        return {lang for lang, n in votes.items() if n == top}
    return None


def detect(text: str) -> str:
    """ISO 639-1 code of ``text``'s language ("und" if it has no letters)."""
    text = text[:2000]
    if not any(ch.isalpha() for ch in text):
        return "und"
    guess = _heuristic(text)
    if isinstance(guess, str):
        return guess
    if guess is None and len(_WORD.findall(text)) <= KEYWORDS:
        # no function word in a few words ("Stargate Kosten", "mot de passe wifi"): one of the languages listed here
        # unless py3langid is sure of another (it reads "Stargate Kosten" as Indonesian, "Wi-Fi Passwort" as Luxembourgish)
        best, sure = _langid_sure(text)
        return best if sure >= KEYWORDS_SURE else _langid(text, set(_STOP) | {"ru"})
    return _langid(text, guess)
