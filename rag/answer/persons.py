"""Whether a quote answers a "who" question: it names someone the question does not name itself («Sam Altman, CEO von
OpenAI, sprach von einer „Bromance“» names nobody for "Who was OpenAI's interim CEO when Altman was fired?"), or refers
to someone by a pronoun whose person the sentence before names. :func:`rag.answer.judge.kind_missing` asks."""
from __future__ import annotations

import re

from .. import chunk
from .asked import Question
from .evidence import Evidence


def _before(it: Evidence, reach: int = 300) -> str:
    """The sentence before this one on its line, where a pronoun's person is named ("Al-Muwaffaq … . Er beschreibt auch …");
    a note's line above is another record."""
    text = it.passage.text
    line = text[max(text.rfind("\n", 0, it.start) + 1, it.start - reach) : it.start]
    spans = chunk.sentences(line)
    return line[spans[-1][0] : spans[-1][1]] if spans else ""


# a person referred to, whose name stands before: he, his, er, sein, il, son, lui, suo, él, su, он, его …
_PRONOUN = re.compile(
    r"\b(?:he|she|his|her|him|they|their|er|sie|sein\w*|ihm|ihn|ihr\w*|il|elle|ils|elles|lui|son|sa|ses|leurs?|egli|lei|suo|sua|suoi|sue"
    r"|esso|essa|él|ella|ellos|ellas|su|sus|он|она|они|его|её|ее|ему|ей|им|их)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[„“\"«‚‘'‹]\s?([^„“”\"«»‚‘’'‹›]{1,40}?)\s?[“”\"»‘’'›]")


def names_someone(question: Question, it: Evidence) -> bool:
    """The sentence names someone a "who" question does not name itself, not counting a word in quotation marks (a term,
    «von einer „Bromance“»), or it refers to someone by a pronoun and the sentence before it on its line names someone."""
    quoted = {m.group(1).strip() for m in _QUOTED.finditer(it.text)}
    language = it.passage.language
    if any(c not in quoted for c in question.candidates(it.text, language)):
        return True
    return bool(_PRONOUN.search(it.text)) and question.type_match(_before(it), language) == 1
