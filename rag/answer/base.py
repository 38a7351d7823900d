"""The answering protocol: an answerer turns evidence into a reply."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..types import Citation

if TYPE_CHECKING:  # pragma: no cover
    from .evidence import EvidenceSet


@dataclass(kw_only=True)
class Reply:
    """What an answerer returns; the pipeline turns it into an :class:`rag.types.Answer`."""

    text: str
    answered_by: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    warnings: list[str] = field(default_factory=list)
    dropped_citations: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    evidence_score: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)


class Answerer(Protocol):
    """Writes a reply from evidence that passed the abstention rule."""

    name: str

    def answer(self, evidence: "EvidenceSet") -> Reply: ...
