"""The answering protocol: an answerer turns evidence into a reply."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..types import Citation

if TYPE_CHECKING:  # pragma: no cover
    from .judge import Assessment


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
    answerability: float = 0.0
    confidence: str = ""  # high, medium or low when answered; "" when abstained
    lead: str = ""  # the short answer (an amount, a date, a name) when the question asks for one
    fallback: str = ""  # why the configured LLM's answer was replaced by the extractive one
    abstain_reason: str = ""  # why it abstained: "weak evidence", "low answerability", "not in the documents: xrandr", "no amount in the evidence"
    timings_ms: dict[str, float] = field(default_factory=dict)


class Answerer(Protocol):
    """Writes a reply from evidence that passed the abstention rule."""

    name: str

    def answer(self, assessment: "Assessment") -> Reply: ...
