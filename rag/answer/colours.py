"""Questions that ask for a colour ("What colour is my car?", "Welche Farbe hat …", "De quelle couleur …", "Di che
colore …", "¿De qué color …?", "Какого цвета …?") and the colours a sentence names, in six languages.

A colour is a closed class of words: a sentence either names one or cannot answer. "Welche Farbe hat das Logo von
OpenAI?" was answered with two unrelated quotes before (no kind of question covered it); now no colour among the
sentences closest to the question is a reason to refuse, and the colour a sentence names leads the answer
("→ grauer" for «Auto: grauer Octavia Kombi …»).
"""
from __future__ import annotations

import re

_ASKS = re.compile(
    r"\b(?:what|which) colou?rs?\b|\bthe colou?rs? of\b|\bwhat colou?r\b"
    r"|\bwelche[rsnm]? farben?\b|\bin welcher farbe\b|\bwas für eine farbe\b|\bdie farbe (?:von|des|der|meines|meiner|unseres|unserer)\b"
    r"|\bquelles? couleurs?\b|\bde quelle couleur\b|\bla couleur d[eu']"
    r"|\b(?:di )?che colore\b|\bquale colore\b|\bil colore d"
    r"|\bde qu[ée] colou?r(?:es)?\b|\bqu[ée] colou?r(?:es)?\b|\bcu[áa]l es el color\b|\bel color d"
    r"|\bкакого цвета\b|\bкакой цвет\b|\bв какой цвет\b|\bкакие цвета\b",
    re.IGNORECASE,
)
_NOT_ASKED = re.compile(r"colou?r\s+(?:option|flag|switch|setting|mode|scheme|code|depth|space|support|output|profile|palette)", re.IGNORECASE)

_ENDING_DE = r"(?:e[nmrs]?)?"
_RU_ADJ = r"(?:ый|ий|ой|ого|его|ому|ему|ым|им|ом|ем|ая|яя|ей|ую|юю|ое|ее|ые|ие|ых|их|ыми|ими)"
# the colour words of each language, inflected as adjectives are ("grauer", "grigia", "blanches", "серого")
_COLOUR = re.compile(
    r"\b(?:red|blue|green|yellow|black|white|gr[ae]y|orange|purple|violet|pink|brown|silver|golden|gold|beige|turquoise|navy|maroon|cyan|magenta)\b"
    r"|\b(?:dunkel|hell)?(?:rot|blau|grün|gelb|schwarz|weiß|weiss|grau|violett|braun|silbern|golden|türkis)" + _ENDING_DE + r"\b"
    r"|\b(?:lila|rosa|pink|beige)\b"
    r"|\b(?:rouges?|bleue?s?|verte?s?|jaunes?|noire?s?|blancs?|blanches?|gris|grises?|violette?s?|roses?|marron|brune?s?|argentée?s?|dorée?s?|turquoises?)\b"
    r"|\b(?:ross[oaie]|blu|azzurr[oaie]|verd[ei]|giall[oaie]|ner[oaie]|bianc[oa]|bianch[ie]|grigi[oae]?|grige|arancion[ei]|viola|marron[ei]|argentat[oaie]|dorat[oaie]|turches[ei]|celest[ei])\b"
    r"|\b(?:roj[oa]s?|azul(?:es)?|verdes?|amarill[oa]s?|negr[oa]s?|blanc[oa]s?|gris(?:es)?|naranjas?|morad[oa]s?|violetas?|marr[oó]n(?:es)?|platead[oa]s?|dorad[oa]s?|turquesas?)\b"
    r"|(?<![^\W\d_])(?:красн|син|голуб|зел[её]н|ж[её]лт|ч[её]рн|бел|сер|оранжев|фиолетов|розов|коричнев|серебрист|золот(?:ист)?|бежев|бирюзов)" + _RU_ADJ + r"(?![^\W\d_])"
    r"|(?<![^\W\d_])(?:красно|сине|голубо|зелено|ж[её]лто|ч[её]рно|бело|серо|розово|коричнево)-"  # the first of two: «чёрно-жёлтый»
    r"|#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b",
    re.IGNORECASE,
)


def asks(question: str) -> bool:
    """The question asks for a colour."""
    return bool(_ASKS.search(question)) and not _NOT_ASKED.search(question)  # "Which colour option does grep have?" asks for an option


def named(sentence: str) -> list[str]:
    """The colours ``sentence`` names, in order ("grauer", "verde", "#ff8800")."""
    return [m.group(0).rstrip("-") for m in _COLOUR.finditer(sentence) if not _other_word(m.group(0).lower(), sentence[: m.start()])]


_KNOWS = re.compile(r"\b(?:ich|er|sie|es|man|wer|niemand|jeder|keiner|nicht|noch|das|was)\s+$", re.IGNORECASE)
_NETWORK = re.compile(r"\b(?:la|una|de|del|en|su|esta|esa|por|sin|cada|nueva|misma|al|con|nuestra)\s+$", re.IGNORECASE)


def _other_word(word: str, before: str) -> bool:
    """A colour word that is another word here: the verb of "ich weiß", the Spanish "red" (network) of "la red"."""
    return (word in ("weiß", "weiss") and bool(_KNOWS.search(before))) or (word == "red" and bool(_NETWORK.search(before)))
