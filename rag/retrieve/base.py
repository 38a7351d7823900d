"""The retrieval protocols and the helpers every retriever shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import numpy as np

from ..embed import Embedder
from ..index import IndexView
from ..types import Chunk, Passage


@dataclass(kw_only=True)
class Retrieval:
    """The passages for one question, best first, and where the time went."""

    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)


class Retriever(Protocol):
    """Finds the ``k`` passages most relevant to a question."""

    name: str

    def retrieve(self, question: str, k: int) -> Retrieval: ...


class Reranker(Protocol):
    """Reorders (and may drop) retrieved candidates; returns at most ``k``."""

    name: str

    def rerank(self, question: str, passages: list[Passage], k: int) -> list[Passage]: ...


@dataclass(kw_only=True)
class Context:
    """What a retriever factory may use: the settings, the opened index and the embedders."""

    settings: Any
    view: IndexView
    embedder: Embedder
    muse: Callable[[], Embedder]
    # the passage (of those given) whose sentence the answer would quote first, or None: for the ``evidence`` reranker
    first_quote: Callable[[str, list[Passage]], Passage | None] | None = None
    generative: bool = False  # an LLM writes the answer (the extractive answerer quotes)


def passage(chunk: Chunk, score: float, rank_score: float | None = None) -> Passage:
    return Passage(
        passage_id=chunk.id, source=chunk.source, score=score, text=chunk.text, language=chunk.language,
        start=chunk.start, end=chunk.end, rank_score=score if rank_score is None else rank_score, locator=chunk.locator,
    )


def cosines(view: IndexView, ids: list[str], query: np.ndarray) -> dict[str, float]:
    """The main embedder's cosine of each stored chunk with ``query`` (for chunks ranked by other signals)."""
    vectors = view.chunks.vectors(ids)
    return {cid: float(vectors[cid] @ query) for cid in ids if cid in vectors}


def committed_passages(view: IndexView, ranked: list[tuple[str, float]], known: dict[str, Passage], query: np.ndarray) -> list[Passage]:
    """Passages for ``(chunk id, rank score)`` pairs: reuse ``known`` ones, read the rest from the manifest."""
    missing = [cid for cid, _ in ranked if cid not in known]
    chunks = view.manifest.chunks(missing) if missing else {}
    scores = cosines(view, list(chunks), query) if chunks else {}
    out = []
    for cid, rank in ranked:
        if cid in known:
            p = known[cid]
            p.rank_score = rank
            out.append(p)
        elif cid in chunks:
            out.append(passage(chunks[cid], scores.get(cid, 0.0), rank))
    return with_contexts(view, out)


def with_contexts(view: IndexView, passages: list[Passage]) -> list[Passage]:
    """``passages`` with the context each was embedded with (document title › section), which the answer stage reads to
    tell a title or heading from a sentence."""
    contexts = view.manifest.contexts([p.passage_id for p in passages])
    for p in passages:
        p.context = contexts.get(p.passage_id, "")
    return passages
