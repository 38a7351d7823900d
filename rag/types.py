"""The public data types. Attribute names match the ``--json`` keys."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
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


@dataclass
class Passage:
    """A retrieved chunk with its score; ``passage_id`` is ``<source>#<start>-<end>``."""

    passage_id: str
    source: str
    score: float
    text: str
    language: str
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("passage_id", "source", "score", "text", "language")}


@dataclass
class Citation:
    """A numbered reference from the answer to a passage, with the supporting quote verbatim."""

    n: int
    source: str
    passage_id: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """The result of :func:`rag.ask`."""

    question: str
    language: str
    answer: str
    abstained: bool
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


@dataclass
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
