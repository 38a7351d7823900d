"""The question's words that nearly every candidate passage holds, and the question without them.

In five articles about Microsoft and OpenAI, "Microsoft" and "OpenAI" stand in almost every chunk: they pull every
candidate alike, and the rest of the question ("what happened to the share price thanks to its bet") is what tells the
answering passage from the others. The fusion retriever searches again with the question without them, and keeps that
search only when its own candidates still hold them as often: the words are common in the corpus, not only near the
question ("curl" is in every chunk a curl question finds, not in the chunks of "which option saves output to a file";
evals/RESULTS.md).
"""
from __future__ import annotations

import re

from ..answer import signals

SHARE = 0.8  # a term is shared when at least this share of the candidates holds it (in any script: Microsoft ~ Майкрософт)
MIN_CANDIDATES = 5  # fewer candidates say nothing about the corpus
MIN_LEFT = 2  # the question keeps at least this many content words, or it is searched as it is


def shared(question: str, texts: list[str]) -> list[signals.Term]:
    """The key terms of ``question`` that at least ``SHARE`` of ``texts`` hold; none when fewer than ``MIN_LEFT`` would remain."""
    terms = signals.key_terms(question)
    common = held(terms, texts)
    return common if common and len(terms) - len(common) >= MIN_LEFT else []


def held(terms: list[signals.Term], texts: list[str]) -> list[signals.Term]:
    """Those of ``terms`` that at least ``SHARE`` of ``texts`` hold (none of fewer than ``MIN_CANDIDATES`` texts)."""
    if len(texts) < MIN_CANDIDATES:
        return []
    vocabularies = [signals.Vocabulary.of(t) for t in texts]
    return [t for t in terms if sum(v.has(t) for v in vocabularies) >= SHARE * len(vocabularies)]


def without(question: str, words: tuple[str, ...]) -> str:
    """``question`` with every occurrence of ``words`` taken out and the spaces tidied."""
    if not words:
        return question
    text = signals.word_pattern(words).sub(" ", question)
    return re.sub(r"\s+([?!.,;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
