"""The extractive answerer: no language model; leads with the short answer when there is one, then
quotes the sentences that hold it, verbatim and located."""
from __future__ import annotations

import numpy as np

from . import prompts, signals
from .base import Reply
from .evidence import MAX_QUOTES, SentenceVectors
from .judge import Assessment, Judged


def pick(judged: list[Judged], vectors: SentenceVectors, limit: int = MAX_QUOTES, slack: float = 0.04) -> list[Judged]:
    """The best sentences by selection score, without noise (headings, boilerplate), near-duplicates
    (the same fact in another language) or a weak tail."""
    chosen: list[Judged] = []
    chosen_vecs: list[np.ndarray] = []
    usable = [j for j in judged if not j.noise]
    if not usable:
        return chosen
    best = usable[0].score
    for j in usable[: limit * 6]:
        if len(chosen) >= limit or j.score < best - slack:
            break
        vec = vectors([j.item.text])[0]
        if any(float(vec @ other) > 0.93 for other in chosen_vecs):
            continue
        chosen.append(j)
        chosen_vecs.append(vec)
    return chosen


class ExtractiveAnswerer:
    """Quotes up to three evidence sentences; says so when the evidence is only just above the abstention bar."""

    name = "extractive"

    def __init__(self, vectors: SentenceVectors, min_evidence: float):
        self.vectors = vectors
        self.weak_below = min_evidence + prompts.WEAK_EVIDENCE_MARGIN

    def answer(self, assessment: Assessment) -> Reply:
        quotes = pick(assessment.judged, self.vectors)
        weak = assessment.best < self.weak_below
        lines = [prompts.localized(prompts.WEAK_EVIDENCE_INTRO if weak else prompts.EXTRACTIVE_INTRO, assessment.language)]
        citations = []
        for i, q in enumerate(quotes, 1):
            lines.append(f"[{i}] «{q.item.text}» ({q.item.passage.source})")
            citations.append(q.item.cite(i))
        q = assessment.question
        lead = signals.lead_span(q.kind, quotes[0].item.text, q.vocab) if quotes else ""
        return Reply(text="\n".join(lines), citations=citations, answered_by=self.name, lead=lead)
