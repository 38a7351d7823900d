"""The public data types, shared by every stage. Attribute names match the ``--json`` keys.

``passage_id`` (``<source>#<start>-<end>``) is the citation id: it is made once by the chunker and
carried unchanged through the store, the retriever, the answerer and the answer.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Locator:
    """Where a piece of text sits inside its document, beyond character offsets.

    ``page`` is 1-based (formats with pages), ``section`` the heading path ("Setup › Network").
    Plain text has neither.
    """

    page: int | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "section": self.section}


NOWHERE = Locator()


@dataclass(kw_only=True)
class Chunk:
    """A span of one source file, the unit that is embedded and retrieved."""

    id: str
    source: str
    start: int
    end: int
    text: str
    language: str
    hash: str
    n_sentences: int = 0
    locator: Locator = NOWHERE
    context: str = ""  # document title and section path, embedded with the text (never quoted)


@dataclass(kw_only=True)
class Passage:
    """A retrieved chunk.

    ``score`` always means the same thing: the cosine similarity between the question and the chunk
    under the index's main embedder (query side vs passage side), whatever retriever ranked it. The
    chunk side is the chunk as embedded: with ``contextual`` (the default) that is its text preceded
    by its document's title and section path ("Title › Section: text"), for a chunk without headings
    (plain text) its text alone; ``text`` is always the plain quoted slice. Hub corrections and
    fusion change ``rank_score`` only.
    ``rank_score`` is the retriever's own ranking value (a fused z-score, a reciprocal-rank sum or
    the cosine again); it orders passages but is not comparable across retrievers.
    """

    passage_id: str
    source: str
    score: float
    text: str
    language: str
    start: int = 0
    end: int = 0
    rank_score: float = 0.0
    locator: Locator = NOWHERE

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("passage_id", "source", "score", "text", "language")}


@dataclass(kw_only=True)
class Citation:
    """A numbered reference from the answer to a passage, with the supporting quote verbatim."""

    n: int
    source: str
    passage_id: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(kw_only=True)
class Answer:
    """The result of :func:`rag.ask`.

    ``evidence_score`` is the score abstention reads: 0.7 × the best evidence sentence's cosine with
    the question + 0.3 × its passage's ``score``.
    """

    question: str
    language: str
    answer: str = ""
    abstained: bool = False
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    llm: str = ""
    embedder: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    dropped_citations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    evidence_score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": self.language,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "llm": self.llm,
            "embedder": self.embedder,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "dropped_citations": self.dropped_citations,
            "warnings": self.warnings,
            "prompt_tokens": self.prompt_tokens,
            "evidence_score": round(self.evidence_score, 4),
        }


@dataclass(kw_only=True)
class IndexReport:
    """What an index run did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        return out
