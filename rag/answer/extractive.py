"""The extractive answerer: no language model; quotes the best evidence sentences verbatim."""
from __future__ import annotations

from ..types import Citation
from . import prompts
from .base import Reply
from .evidence import Evidence, EvidenceSet, SentenceVectors, pick_quotes


def quote_lines(language: str, quotes: list[Evidence], weak: bool = False) -> Reply:
    lines = [prompts.localized(prompts.WEAK_EVIDENCE_INTRO if weak else prompts.EXTRACTIVE_INTRO, language)]
    citations = []
    for i, q in enumerate(quotes, 1):
        lines.append(f"[{i}] «{q.text}» ({q.passage.source})")
        citations.append(Citation(n=i, source=q.passage.source, passage_id=q.passage.passage_id, quote=q.text))
    return Reply(text="\n".join(lines), citations=citations, answered_by=ExtractiveAnswerer.name)


class ExtractiveAnswerer:
    """Quotes up to three evidence sentences; says so when the evidence is only just above the abstention bar."""

    name = "extractive"

    def __init__(self, vectors: SentenceVectors, min_evidence: float):
        self.vectors = vectors
        self.weak_below = min_evidence + prompts.WEAK_EVIDENCE_MARGIN

    def answer(self, evidence: EvidenceSet) -> Reply:
        quotes = pick_quotes(evidence.items, self.vectors)
        return quote_lines(evidence.language, quotes, weak=evidence.best < self.weak_below)
