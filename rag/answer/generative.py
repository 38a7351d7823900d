"""The generative answerer: an LLM writes the answer from numbered passages; every citation is then
verified against the evidence, and a draft that no passage supports is withheld."""
from __future__ import annotations

import time

from ..errors import BackendError
from ..llms import LLM
from ..types import Passage
from . import prompts
from .base import Answerer, Reply
from .citations import cite_llm_answer, is_dont_know, parse_citations, strip_markers, strip_prompt_echo
from .evidence import SentenceVectors
from .extractive import outranked
from .judge import Assessment


def build_messages(question: str, language: str, passages: list[Passage], prompts_dir=None) -> list[dict[str, str]]:
    blocks = [
        prompts.render("passage", prompts_dir, n=n, source=p.source, language=p.language, text=p.text.strip()) for n, p in enumerate(passages, 1)
    ]
    name = prompts.language_name(language)
    system = prompts.render("system", prompts_dir, language_name=name, dont_know=prompts.localized(prompts.DONT_KNOW, language))
    user = prompts.render("answer", prompts_dir, passages="\n\n".join(b.strip() for b in blocks), question=question, language_name=name)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class GenerativeAnswerer:
    """Asks ``llm``; on a backend failure hands over to ``fallback`` (when given) and says so."""

    def __init__(self, llm: LLM, vectors: SentenceVectors, *, prompts_dir=None, max_tokens: int = 384, fallback: Answerer | None = None):
        self.llm = llm
        self.vectors = vectors
        self.prompts_dir = prompts_dir
        self.max_tokens = max_tokens
        self.fallback = fallback

    @property
    def name(self) -> str:
        return self.llm.name

    def answer(self, assessment: Assessment) -> Reply:
        messages = build_messages(assessment.question.text, assessment.language, assessment.passages, self.prompts_dir)
        t = time.perf_counter()
        try:
            completion = self.llm.complete(messages, max_tokens=self.max_tokens)
        except BackendError as exc:
            if self.fallback is None:
                raise
            reply = self._fall_back(assessment, f"{self.name} failed: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
            reply.timings_ms["generate"] = (time.perf_counter() - t) * 1000
            return reply
        reply = self._read(completion.text, messages[0]["content"], assessment)
        reply.prompt_tokens = completion.prompt_tokens
        reply.timings_ms["generate"] = (time.perf_counter() - t) * 1000
        return reply

    def _fall_back(self, assessment: Assessment, reason: str, warnings: list[str] | None = None) -> Reply:
        """The fallback answerer's reply (the extractive quotes), saying why in ``fallback`` and in a warning."""
        assert self.fallback is not None
        reply = self.fallback.answer(assessment)
        reply.warnings[:0] = warnings or []
        reply.warnings.append(f"{reason}; showing the extractive answer instead")
        reply.answered_by = f"{self.fallback.name} (fallback from {self.name})"
        reply.fallback = reason
        return reply

    def _read(self, raw: str, system_prompt: str, evidence: Assessment) -> Reply:
        """Turn the model's text into a verified reply."""
        text, leaked = strip_prompt_echo(raw.strip(), system_prompt)
        warnings = ["removed text that repeated the system prompt"] if leaked else []
        if is_dont_know(text):
            parsed = parse_citations(text, len(evidence.passages))
            # an abstention cites nothing
            return Reply(
                text=" ".join(strip_markers(parsed.text).split()), abstained=True, answered_by=self.name, warnings=warnings, dropped_citations=parsed.dropped,
                abstain_reason="the model found no answer in the passages",
            )
        verified = cite_llm_answer(text, evidence.passages, evidence.items, self.vectors, question=evidence.question.text, language=evidence.language)
        reply = Reply(
            text=verified.text, citations=verified.citations, answered_by=self.name, warnings=warnings + verified.warnings, dropped_citations=verified.dropped
        )
        if not verified.supported or not verified.core_supported:
            # The draft's main claim (or every sentence) is not backed by a retrieved passage. When the evidence itself
            # answers (answerability not low), its quotes stand in for the draft, said as a fallback; else say so instead of guessing.
            withheld = f"the model's draft was not supported by the sources and was withheld: {text[:200]}"
            if self.fallback is not None and evidence.answerability >= prompts.LOW_ANSWERABILITY:
                return self._fall_back(evidence, "the model's answer was not supported by the passages", [*reply.warnings, withheld])
            reply.warnings.append(withheld)
            reply.text = prompts.localized(prompts.DONT_KNOW, evidence.language)
            reply.citations = []
            reply.abstained = True
            reply.abstain_reason = "the model's answer was not supported by the passages"
        elif outranked(evidence.question, evidence.judged, verified.text, [(c.passage_id, c.quote) for c in verified.citations]):
            if self.fallback is not None:
                withheld = f"the model's draft was withheld: {text[:200]}"
                return self._fall_back(evidence, "the model named another person than the best evidence gives", [*reply.warnings, withheld])
            reply.warnings.append("the model named another person than the best evidence gives")
        if verified.dropped:
            reply.warnings.append(f"dropped citations to passages that were not retrieved: {', '.join(verified.dropped)}")
        return reply
