"""Prompt templates live as files in ``prompts/``; variables are ``${name}`` and are checked on load."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from .attributes import LABELS
from ..settings import PACKAGE_DIR

REQUIRED = {
    "system": {"language_name", "dont_know"},
    "answer": {"passages", "question", "language_name"},
    "passage": {"n", "source", "language", "text"},
}

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "it": "Italian", "ru": "Russian", "es": "Spanish",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "ar": "Arabic", "tr": "Turkish", "sv": "Swedish", "cs": "Czech", "el": "Greek", "hi": "Hindi",
}

# What the answerer says when the sources do not hold the answer, in the question's language.
DONT_KNOW = {
    "en": "I don't know: the documents do not answer this question.",
    "de": "Ich weiß es nicht: Die Dokumente beantworten diese Frage nicht.",
    "fr": "Je ne sais pas : les documents ne répondent pas à cette question.",
    "it": "Non lo so: i documenti non rispondono a questa domanda.",
    "ru": "Я не знаю: в документах нет ответа на этот вопрос.",
    "es": "No lo sé: los documentos no responden a esta pregunta.",
    "pt": "Não sei: os documentos não respondem a esta pergunta.",
    "nl": "Ik weet het niet: de documenten beantwoorden deze vraag niet.",
}

EXTRACTIVE_INTRO = {
    "en": "Extractive answer (no language model): the most relevant sentences from the sources, quoted in their original language.",
    "de": "Extraktive Antwort (ohne Sprachmodell): die relevantesten Sätze aus den Quellen, in ihrer Originalsprache zitiert.",
    "fr": "Réponse extractive (sans modèle de langue) : les phrases les plus pertinentes des sources, citées dans leur langue d'origine.",
    "it": "Risposta estrattiva (senza modello linguistico): le frasi più pertinenti delle fonti, citate nella lingua originale.",
    "ru": "Извлечённый ответ (без языковой модели): самые релевантные предложения из источников, процитированные на языке оригинала.",
    "es": "Respuesta extractiva (sin modelo de lenguaje): las frases más relevantes de las fuentes, citadas en su idioma original.",
}


# The extractive intro when the evidence is only just above the abstention threshold.
WEAK_EVIDENCE_INTRO = {
    "en": "The documents may not answer this directly. The closest evidence, quoted in its original language:",
    "de": "Die Dokumente beantworten das möglicherweise nicht direkt. Die nächstliegenden Belege, in der Originalsprache zitiert:",
    "fr": "Les documents ne répondent peut-être pas directement. Les éléments les plus proches, cités dans leur langue d'origine :",
    "it": "I documenti potrebbero non rispondere direttamente. Le prove più vicine, citate nella lingua originale:",
    "ru": "Возможно, в документах нет прямого ответа. Ближайшие свидетельства, процитированные на языке оригинала:",
    "es": "Puede que los documentos no respondan directamente. La evidencia más cercana, citada en su idioma original:",
}
WEAK_EVIDENCE_MARGIN = 0.04
LOW_ANSWERABILITY = 0.5  # below this the confidence word is "low" and the extractive answer hedges

# Why the documents do not answer, when a rule can tell (after DONT_KNOW).
NEVER_NAMED = {
    "en": "They never mention {names}.", "de": "Sie erwähnen {names} nirgends.", "fr": "Ils ne mentionnent jamais {names}.",
    "it": "Non menzionano mai {names}.", "ru": "В них нигде не упоминается {names}.", "es": "Nunca mencionan {names}.",
}
NO_KIND = {
    "amount": {
        "en": "None of the passages found gives the number asked for.", "de": "Keine der gefundenen Passagen nennt die gefragte Zahl.",
        "fr": "Aucun des passages trouvés ne donne le nombre demandé.", "it": "Nessuno dei passaggi trovati indica il numero richiesto.",
        "ru": "Ни в одном из найденных фрагментов нет запрошенного числа.", "es": "Ninguno de los pasajes encontrados da el número pedido.",
    },
    "date": {
        "en": "None of the passages found gives the date asked for.", "de": "Keine der gefundenen Passagen nennt das gefragte Datum.",
        "fr": "Aucun des passages trouvés ne donne la date demandée.", "it": "Nessuno dei passaggi trovati indica la data richiesta.",
        "ru": "Ни в одном из найденных фрагментов нет запрошенной даты.", "es": "Ninguno de los pasajes encontrados da la fecha pedida.",
    },
    "phone": {
        "en": "None of the passages found gives the phone number asked for.", "de": "Keine der gefundenen Passagen nennt die gefragte Telefonnummer.",
        "fr": "Aucun des passages trouvés ne donne le numéro de téléphone demandé.", "it": "Nessuno dei passaggi trovati indica il numero di telefono richiesto.",
        "ru": "Ни в одном из найденных фрагментов нет запрошенного номера телефона.", "es": "Ninguno de los pasajes encontrados da el número de teléfono pedido.",
    },
    "when": {
        "en": "None of the passages found says when.", "de": "Keine der gefundenen Passagen sagt, wann.",
        "fr": "Aucun des passages trouvés ne dit quand.", "it": "Nessuno dei passaggi trovati dice quando.",
        "ru": "Ни в одном из найденных фрагментов не сказано, когда.", "es": "Ninguno de los pasajes encontrados dice cuándo.",
    },
    "secret": {
        "en": "None of the passages found gives the password or code asked for.", "de": "Keine der gefundenen Passagen nennt das gefragte Passwort oder den Code.",
        "fr": "Aucun des passages trouvés ne donne le mot de passe ou le code demandé.", "it": "Nessuno dei passaggi trovati indica la password o il codice richiesto.",
        "ru": "Ни в одном из найденных фрагментов нет запрошенного пароля или кода.", "es": "Ninguno de los pasajes encontrados da la contraseña o el código pedido.",
    },
    "colour": {
        "en": "None of the passages found names a colour.", "de": "Keine der gefundenen Passagen nennt eine Farbe.",
        "fr": "Aucun des passages trouvés ne nomme une couleur.", "it": "Nessuno dei passaggi trovati indica un colore.",
        "ru": "Ни в одном из найденных фрагментов не назван цвет.", "es": "Ninguno de los pasajes encontrados nombra un color.",
    },
    "person": {
        "en": "None of the passages found names the person asked for.", "de": "Keine der gefundenen Passagen nennt die gefragte Person.",
        "fr": "Aucun des passages trouvés ne nomme la personne demandée.", "it": "Nessuno dei passaggi trovati nomina la persona richiesta.",
        "ru": "Ни в одном из найденных фрагментов не названо запрошенное лицо.", "es": "Ninguno de los pasajes encontrados nombra a la persona pedida.",
    },
}

NOT_A_QUESTION = {
    "en": "That is a greeting, not a question: ask what you want to know from the documents.",
    "de": "Das ist ein Gruß, keine Frage: Fragen Sie, was Sie aus den Dokumenten wissen möchten.",
    "fr": "C'est une formule de politesse, pas une question : demandez ce que vous voulez savoir des documents.",
    "it": "È un saluto, non una domanda: chieda ciò che vuole sapere dai documenti.",
    "ru": "Это приветствие, а не вопрос: спросите, что вы хотите узнать из документов.",
    "es": "Es un saludo, no una pregunta: pregunte lo que quiera saber de los documentos.",
}

NOT_ABOUT = {
    "en": "None of the passages found is about {names}.", "de": "Keine der gefundenen Passagen handelt von {names}.",
    "fr": "Aucun des passages trouvés ne porte sur {names}.", "it": "Nessuno dei passaggi trovati riguarda {names}.",
    "ru": "Ни один из найденных фрагментов не посвящён {names}.", "es": "Ninguno de los pasajes encontrados trata de {names}.",
}


OTHER_TOOL = {
    "en": "Only the documentation of another tool ({names}) describes such an option.",
    "de": "Nur die Dokumentation eines anderen Werkzeugs ({names}) beschreibt eine solche Option.",
    "fr": "Seule la documentation d'un autre outil ({names}) décrit une telle option.",
    "it": "Solo la documentazione di un altro strumento ({names}) descrive un'opzione del genere.",
    "ru": "Такой параметр описан только в документации другой программы ({names}).",
    "es": "Solo la documentación de otra herramienta ({names}) describe una opción así.",
}


ASIDE = {
    "en": "The document the question is about does not give it; what the other documents give is about something else.",
    "de": "Das Dokument, um das es in der Frage geht, nennt es nicht; was die anderen Dokumente nennen, betrifft etwas anderes.",
    "fr": "Le document dont parle la question ne le donne pas ; ce que donnent les autres documents concerne autre chose.",
    "it": "Il documento di cui tratta la domanda non lo indica; ciò che indicano gli altri documenti riguarda altro.",
    "ru": "В документе, о котором вопрос, этого нет; то, что есть в других документах, относится к другому.",
    "es": "El documento del que trata la pregunta no lo indica; lo que indican los demás documentos se refiere a otra cosa.",
}


def explain(missing: str, code: str) -> str:
    """The localized sentence for a rule's finding ("names:xrandr" / "kind:amount"), or ""."""
    what, _, detail = missing.partition(":")
    if what == "names":
        return localized(NEVER_NAMED, code).format(names=detail)
    if what == "phatic":
        return localized(NOT_A_QUESTION, code)
    if what == "kind" and detail in NO_KIND:
        return localized(NO_KIND[detail], code)
    if what == "year":  # the figures given are for other years ("loss in 2023" against the loss expected for 2024)
        return localized(NO_KIND["amount"], code)
    if what == "subject":  # "which option of rsync …" against manuals that only refer to rsync
        return localized(NOT_ABOUT, code).format(names=detail)
    if what == "elsewhere":  # "How do I make gzip encrypt …?" where only zip's manual has a password option
        return localized(OTHER_TOOL, code).format(names=detail)
    if what == "joint":  # an amount, but of several together ("mit SoftBank und Oracle … 500 Milliarden", asked of SoftBank)
        return localized(NO_KIND["amount"], code)
    if what == "bound":  # a date or number, but none beside the identifier asked about ("When was MAI-1 released?")
        return localized(NO_KIND[detail.partition(":")[0]], code)
    if what == "attribute":  # an amount or date about something else ("$500 billion" for Stargate, asked for a salary)
        return localized(NO_KIND["date" if detail in ("founded", "office") else "amount"], code)
    if what == "role":  # an office nobody in the passages holds for the organisation asked about ("the CEO of Anthropic")
        return localized(NO_KIND["person"], code)
    if what == "object":  # sums, but each for something else than the question names ("24 € for a chain", asked for a service)
        return localized(NO_KIND["amount"], code)
    if what == "aside":  # the document about the question gives none; another document's is about something else
        return localized(ASIDE, code)
    return ""


KIND_LABELS = {"secret": "password or code", "when": "date or condition"}  # a kind's name in a reason, where it is no plain word


def reason(missing: str) -> str:
    """The same finding for --json: "not in the documents: xrandr", "no amount in the evidence"."""
    what, _, detail = missing.partition(":")
    if what == "phatic":
        return "a greeting, not a question"
    if what == "year":
        return f"no figure for {detail} in the evidence"
    if what == "subject":
        return f"no passage about {detail} in the evidence"
    if what == "elsewhere":
        return f"only another tool's option ({detail}) in the evidence"
    if what == "joint":
        return f"only a joint figure for {detail} and others in the evidence"
    if what == "bound":
        kind, _, names = detail.partition(":")
        return f"no {kind} for {names} in the evidence"
    if what == "attribute":
        return f"no figure for the asked {LABELS.get(detail, detail)} in the evidence"
    if what == "object":
        return "no sum for the asked thing in the evidence"
    if what == "aside":
        return f"no {KIND_LABELS.get(detail, detail)} in the document the question is about"
    if what == "role":
        role, _, names = detail.partition(":")
        return f"no {role} of {names} in the evidence" if names else f"no {role} in the evidence"
    return f"not in the documents: {detail}" if what == "names" else f"no {KIND_LABELS.get(detail, detail)} in the evidence"


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, f"the language with ISO code '{code}'")


def localized(table: dict[str, str], code: str) -> str:
    return table.get(code, table["en"])


def prompts_dir(override: Path | None = None) -> Path:
    for candidate in (override, PACKAGE_DIR / "_prompts", PACKAGE_DIR.parent / "prompts"):
        if candidate is not None and candidate.is_dir():
            return candidate
    raise ConfigError("prompt templates not found", hint="reinstall the package or set RAG_PROMPTS_DIR")


@lru_cache(maxsize=32)
def _load(directory: Path, name: str) -> string.Template:
    path = directory / f"{name}.md"
    try:
        template = string.Template(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read prompt template {path}: {exc.strerror}", hint="check RAG_PROMPTS_DIR") from None
    found = set(template.get_identifiers())
    missing = REQUIRED.get(name, set()) - found
    if missing or not template.is_valid():
        raise ConfigError(f"prompt template {path} lacks variables {sorted(missing)}", hint="templates use ${name} placeholders")
    return template


def render(name: str, override: Path | None = None, **values: object) -> str:
    return _load(prompts_dir(override), name).safe_substitute({k: str(v) for k, v in values.items()})
