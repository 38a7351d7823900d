"""Stage 6, answering: turn retrieved passages into a cited answer in the question's language.

:func:`respond` scores the evidence (every sentence of the passages against the question),
abstains without calling any model when the best evidence is below ``min_evidence``, and
otherwise hands the evidence to an :class:`Answerer`: :class:`~rag.answer.extractive.ExtractiveAnswerer`
(``extractive``, no model) or :class:`~rag.answer.generative.GenerativeAnswerer` (any LLM spec).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..types import Passage
from .base import Answerer, Reply

__all__ = ["EXTRACTIVE", "Answerer", "Reply", "assessed", "first_quote", "make_answerer", "respond", "validate_spec"]

if TYPE_CHECKING:  # pragma: no cover
    from ..embed import Embedder
    from ..llms import LLM
    from .evidence import SentenceVectors
    from .judge import Assessment

EXTRACTIVE = "extractive"


def validate_spec(spec: str) -> None:
    """``extractive`` or a valid LLM spec (nothing is loaded)."""
    if spec.strip() != EXTRACTIVE:
        from ..llms import LLMS

        LLMS.validate(spec)


def make_answerer(settings, vectors: "SentenceVectors", llm: "LLM | None" = None) -> Answerer:
    """The answerer for ``settings.llm`` (or for the given ``llm`` object)."""
    from .extractive import ExtractiveAnswerer

    extractive = ExtractiveAnswerer(vectors, settings.min_evidence)
    if llm is None and settings.llm.strip() == EXTRACTIVE:
        return extractive
    from .generative import GenerativeAnswerer

    if llm is None:
        from ..llms import LazyLLM

        llm = LazyLLM(settings.llm, settings)
    fallback = extractive if settings.llm_fallback else None
    return GenerativeAnswerer(llm, vectors, prompts_dir=settings.prompts_dir, max_tokens=settings.llm_max_tokens, fallback=fallback)


def confidence(answerability: float, evidence: float = 1.0, weak_below: float = 0.0, shares_words: bool = True) -> str:
    """The answerability probability in a word; "low" also when the evidence is below ``weak_below`` (where the
    extractive reply says the documents may not answer directly: a "high" under that line contradicts it); at most
    "medium" when the quoted sentence shares no word with the question."""
    from .prompts import LOW_ANSWERABILITY

    if evidence < weak_below:
        return "low"
    return "high" if answerability >= 0.75 and shares_words else "medium" if answerability >= LOW_ANSWERABILITY else "low"


def assessed(
    question: str, language: str, passages: list[Passage], *, embedder: "Embedder", vectors: "SentenceVectors", mentioned=None,
    second: "tuple[Embedder, SentenceVectors] | None" = None,
) -> "Assessment":
    """Every sentence of ``passages`` scored against the question and judged: what :func:`respond` reads."""
    from .evidence import Second, evidence
    from . import judge
    from ..retrieve.shared_terms import without

    qvec = embedder.embed_queries([question])[0]
    other = Second(second[0].embed_queries([question])[0], second[1]) if second is not None else None
    shared = passages[0].shared if passages else ()  # the question's words every candidate held
    focus = embedder.embed_queries([without(question, shared)])[0] if shared and judge.UNSHARED_LIFT else None
    return judge.assess(question, language, passages, evidence(qvec, passages, vectors, other, focus), mentioned)


def first_quote(assessment: "Assessment", vectors: "SentenceVectors") -> Passage | None:
    """The passage holding the sentence the extractive answer quotes first (the answer stage's sentence selection, which
    reads what the question asks for, not only similarity), whether or not the evidence clears the abstention bar; None
    when no sentence is quotable."""
    from .extractive import pick

    quotes = pick(assessment.judged, vectors, limit=1, kind=assessment.question.kind)
    return quotes[0].item.passage if quotes else None


def respond(
    question: str, language: str, passages: list[Passage], *, embedder: "Embedder", vectors: "SentenceVectors", answerer: Answerer,
    min_evidence: float, min_answerable: float = 0.0, mentioned=None, second: "tuple[Embedder, SentenceVectors] | None" = None,
    assessment: "Assessment | None" = None,
) -> Reply:
    """Score and judge the evidence, abstain when it does not answer, else let ``answerer`` write the reply.
    ``second``: another embedder and its sentence vectors (mUSE), a second opinion for picking the quote;
    ``assessment``: the same passages already judged (by the ``evidence`` reranker)."""
    from . import prompts

    t = time.perf_counter()
    if assessment is None:
        assessment = assessed(question, language, passages, embedder=embedder, vectors=vectors, mentioned=mentioned, second=second)
    took = (time.perf_counter() - t) * 1000
    if assessment.best < min_evidence or assessment.answerability < min_answerable:
        # The evidence does not answer: abstain without calling any model, and say why when a rule knows.
        why = assessment.missing if assessment.best >= min_evidence else ""
        text = " ".join(filter(None, [prompts.localized(prompts.DONT_KNOW, language), prompts.explain(why, language)]))
        reason = prompts.reason(why) if why else "weak evidence" if assessment.best < min_evidence else "low answerability"
        reply = Reply(text=text, answered_by=answerer.name, abstained=True, abstain_reason=reason)
    else:
        reply = answerer.answer(assessment)
        if not reply.abstained:
            reply.confidence = confidence(assessment.answerability, assessment.best, min_evidence + prompts.WEAK_EVIDENCE_MARGIN, assessment.shares_words)
    reply.evidence_score = assessment.best
    reply.answerability = assessment.answerability
    reply.timings_ms = {"evidence": took, **reply.timings_ms}
    return reply
