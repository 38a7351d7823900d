"""Evidence: every usable sentence of the retrieved passages, scored against the question.

The score (0.7 × the sentence's cosine with the question + 0.3 × its passage's ``score``) is what
the abstention rule reads. A second embedder's cosine (mUSE's, when given) is kept beside it: the
selection model of :mod:`rag.answer.judge` reads both to pick the sentence to quote.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import chunk
from ..embed import Embedder
from ..load.text import heading_marks, starts_in_code
from ..types import Citation, Locator, Passage
from . import signals

MIN_SENTENCE_CHARS = 25
# a shorter sentence still counts when it holds a figure: a note's "Cuire 40 minutes." (evals/RESULTS.md)
MIN_FIGURE_SENTENCE_CHARS = 12
MIN_LETTERS, MIN_FIGURE_LETTERS = 10, 8  # and this many letters ("Week 29: Priya": 9; evals/RESULTS.md)
MAX_QUOTES = 3


@lru_cache(maxsize=1 << 16)
def _usable(sentence: str) -> bool:
    """Long enough to quote: ``MIN_SENTENCE_CHARS`` and ``MIN_LETTERS``, or with a digit ``MIN_FIGURE_SENTENCE_CHARS`` and
    ``MIN_FIGURE_LETTERS``."""
    figure = any(c.isdigit() for c in sentence)
    size = MIN_SENTENCE_CHARS if not figure else min(MIN_SENTENCE_CHARS, MIN_FIGURE_SENTENCE_CHARS)
    return len(sentence) >= size and sum(ch.isalpha() for ch in sentence) >= (MIN_FIGURE_LETTERS if figure else MIN_LETTERS)


@dataclass(kw_only=True)
class Evidence:
    """One sentence of one retrieved passage, scored against the question."""

    n: int  # 1-based passage number
    passage: Passage
    start: int
    end: int
    score: float
    second: float | None = None  # the sentence's cosine with the question in a second embedder's space (mUSE)
    unshared: float | None = None  # its cosine with the question without the words every candidate held (Passage.shared)
    # the passage's rank by the retriever's own score (0: its number ``n``); a reranker that follows the answer's choice
    # of quote (``rerank = "evidence"``) changes the order the passages come in, not what the selection model reads
    rank: int = 0

    @property
    def retrieval_rank(self) -> int:
        return self.rank or self.n

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def section(self) -> str | None:
        """The section path the sentence stands in ("PS(1) › NAME")."""
        return section_at(self.passage.text, self.start, self.passage.locator.section)

    def cite(self, n: int) -> Citation:
        """A citation numbered ``n`` quoting this sentence, located at its own line and in its own section."""
        where = self.passage.locator
        line = where.line + self.passage.text.count("\n", 0, self.start) if where.line is not None else None
        located = Locator(page=where.page, section=self.section, line=line)
        return Citation(
            n=n, source=self.passage.source, passage_id=self.passage.passage_id, quote=self.text, locator=located,
            columns=columns_of(self.passage.text, self.start),
        )


def columns_of(text: str, start: int) -> str:
    """The header row (see :func:`rag.answer.signals.table_header`) of the Markdown table whose row starts at ``start`` ("День | Время | Где |
    Преподаватель" for "| Вторник | 19:00–20:30 | … | Марко Беллини |"), cells joined by " | "; "" for a sentence outside a
    table, the header itself, or a table whose header is not in ``text``."""
    row_end = text.find("\n", start)
    if not text[start : row_end if row_end >= 0 else len(text)].strip().startswith("|"):
        return ""
    first = line = text.rfind("\n", 0, start) + 1  # the table's first line: up through the lines opening with "|"
    while line > 0:
        line = text.rfind("\n", 0, line - 1) + 1
        if not text[line:first].strip().startswith("|"):
            break
        first = line
    first_end = text.find("\n", first)
    if first >= start - 1 or first_end < 0 or not signals.table_header(text, first, first_end):
        return ""
    return " | ".join(cell.strip() for cell in text[first:first_end].strip().strip("|").split("|"))


def section_at(text: str, offset: int, section: str | None) -> str | None:
    """The section path at ``offset`` of a chunk whose text starts in ``section``: a Markdown heading
    between the two (outside code fences) replaces the path from its level on ("LS(1) › OPTIONS")."""
    found = [(level, title) for at, level, title in heading_marks(text, starts_in_code(text)) if at < offset] if section else []
    if not found:
        return section
    level, title = found[-1]
    return " › ".join(section.split(" › ")[: level - 1] + [title])


class SentenceVectors:
    """Sentence vectors (passage side of the embedder): from an in-process cache, from the index's sentence
    space when ``fetch`` is given (no model call), else embedded now."""

    def __init__(self, embedder: Embedder, fetch=None, limit: int = 50_000):
        self.embedder = embedder
        self.fetch = fetch
        self.limit = limit
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, texts: list[str], ids: list[str] | None = None) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and ids is not None and self.fetch is not None:
            wanted = {t: i for t, i in zip(texts, ids) if t in set(missing)}
            try:
                found = self.fetch(list(wanted.values()))
            except Exception:
                found = {}
            with self._lock:
                for t, i in wanted.items():
                    if i in found:
                        self._cache[t] = found[i]
                missing = [t for t in missing if t not in self._cache]
        if missing:
            vectors = self.embedder.embed_passages(missing)
            with self._lock:
                if len(self._cache) + len(missing) > self.limit:
                    self._cache.clear()
                self._cache.update(zip(missing, vectors))
        with self._lock:
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, self.embedder.dim), np.float32)


class Second(NamedTuple):
    """A second embedder's view of the question: its question vector and its sentence vectors (mUSE)."""

    query: np.ndarray
    vectors: SentenceVectors


def evidence(
    question_vec: np.ndarray, passages: list[Passage], vectors: SentenceVectors, second: Second | None = None, unshared: np.ndarray | None = None
) -> list[Evidence]:
    """Every usable sentence of the passages, best first. Score = 0.7 sentence cosine + 0.3 passage cosine;
    with ``second`` (a question vector and the sentence vectors of another embedder) each sentence also
    gets its cosine there; with ``unshared`` (the vector of the question without the words every candidate held), its
    cosine with that."""
    items: list[Evidence] = []
    ids: list[str] = []
    by_score = sorted(range(len(passages)), key=lambda i: (-passages[i].rank_score, i))
    rank = {i: r for r, i in enumerate(by_score, 1)}
    for n, p in enumerate(passages, 1):
        for i, (s, e) in enumerate(chunk.sentences(p.text)):
            if _usable(p.text[s:e]):
                items.append(Evidence(n=n, passage=p, start=s, end=e, score=0.0, rank=rank[n - 1]))
                ids.append(f"{p.passage_id}@{i}")
    if not items:
        return []
    texts = [it.text for it in items]
    own = vectors(texts, ids)
    sims = own @ question_vec
    focused = own @ unshared if unshared is not None else [None] * len(items)
    seconds = second.vectors(texts, ids) @ second.query if second is not None else [None] * len(items)
    for it, sim, other, near in zip(items, sims, seconds, focused):
        it.score = float(0.7 * sim + 0.3 * it.passage.score)
        it.second = None if other is None else float(other)
        it.unshared = None if near is None else float(near)
    return sorted(items, key=lambda it: -it.score)


def unshared_z(items: list[Evidence]) -> dict[int, float]:
    """id(item) -> the z-score (over ``items``, floored at 0) of its cosine with the question without the words nearly
    every candidate held (``Evidence.unshared``); empty when the retriever found no such words."""
    scores = {id(it): it.unshared for it in items if it.unshared is not None}
    if len(scores) < 2:
        return {}
    values = np.fromiter(scores.values(), dtype=np.float64)
    mean, std = float(values.mean()), float(values.std()) or 1.0
    return {i: max(0.0, (v - mean) / std) for i, v in scores.items()}
