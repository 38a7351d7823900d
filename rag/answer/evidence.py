"""Evidence: every usable sentence of the retrieved passages, scored against the question.

The score (0.7 × the sentence's cosine with the question + 0.3 × its passage's ``score``) is what
the abstention rule reads and what the extractive answerer quotes by.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .. import chunk
from ..embed import Embedder
from ..types import Passage

MIN_SENTENCE_CHARS = 25
MAX_QUOTES = 3


@dataclass(kw_only=True)
class Evidence:
    """One sentence of one retrieved passage, scored against the question."""

    n: int  # 1-based passage number
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


@dataclass(kw_only=True)
class EvidenceSet:
    """The question, its passages and their sentences best first: what every answerer reads."""

    question: str
    language: str
    passages: list[Passage]
    items: list[Evidence]

    @property
    def best(self) -> float:
        return self.items[0].score if self.items else 0.0


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


def evidence(question_vec: np.ndarray, passages: list[Passage], vectors: SentenceVectors) -> list[Evidence]:
    """Every usable sentence of the passages, best first. Score = 0.7 sentence cosine + 0.3 passage cosine."""
    items: list[Evidence] = []
    ids: list[str] = []
    for n, p in enumerate(passages, 1):
        for i, (s, e) in enumerate(chunk.sentences(p.text)):
            if e - s >= MIN_SENTENCE_CHARS and sum(ch.isalpha() for ch in p.text[s:e]) >= 10:
                items.append(Evidence(n=n, passage=p, start=s, end=e, score=0.0))
                ids.append(f"{p.passage_id}@{i}")
    if not items:
        return []
    sims = vectors([it.text for it in items], ids) @ question_vec
    for it, sim in zip(items, sims):
        it.score = float(0.7 * sim + 0.3 * it.passage.score)
    return sorted(items, key=lambda it: -it.score)


def pick_quotes(items: list[Evidence], vectors: SentenceVectors, limit: int = MAX_QUOTES, slack: float = 0.04) -> list[Evidence]:
    """The best sentences, skipping near-duplicates (the same fact in another language) and weak tails."""
    chosen: list[Evidence] = []
    chosen_vecs: list[np.ndarray] = []
    if not items:
        return chosen
    best = items[0].score
    for it in items[: limit * 6]:
        if len(chosen) >= limit or it.score < best - slack:
            break
        vec = vectors([it.text])[0]
        if any(float(vec @ other) > 0.93 for other in chosen_vecs):
            continue
        chosen.append(it)
        chosen_vecs.append(vec)
    return chosen
