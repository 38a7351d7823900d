"""Citations in an LLM's answer: parse the ``[n]`` markers, drop invalid ones, and verify each
answer sentence against the evidence sentences (moving or removing citations that do not hold)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from .. import chunk
from ..types import Citation, Passage
from . import signals
from .evidence import Evidence, SentenceVectors

SUPPORT_MIN = 0.80  # cosine (e5) for an answer sentence to count as supported by a passage sentence


@dataclass(kw_only=True)
class ParsedCitations:
    text: str  # the answer without invalid markers
    valid: list[int]  # cited passage numbers, in order of first use
    dropped: list[str]  # the invalid markers, as written


@dataclass(kw_only=True)
class VerifiedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    supported: int = 0  # answer sentences that a retrieved passage supports
    core_supported: bool = True  # False when the first sentence (the main claim) cites a number or name its sources lack


_CITE_GROUP = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4})*)\s*\]")
_DONT_KNOW = re.compile(
    r"i don[’']?t know|i do not know|cannot answer|can[’']?t answer|ich wei(ß|ss) (es )?nicht|je ne sais pas|non lo so|я не знаю|не могу ответить|no lo sé|não sei|ik weet het niet",
    re.IGNORECASE,
)


def parse_citations(text: str, n_passages: int) -> ParsedCitations:
    """Find ``[n]`` / ``[n, m]`` markers; those naming no retrieved passage are removed and reported."""
    valid: list[int] = []
    dropped: list[str] = []

    def fix(match: re.Match) -> str:
        keep = []
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            num = int(part)
            if 1 <= num <= n_passages:
                keep.append(num)
                if num not in valid:
                    valid.append(num)
            else:
                dropped.append(f"[{part}]")
        return "".join(f"[{k}]" for k in keep)

    cleaned = _CITE_GROUP.sub(fix, text)
    for _ in range(10):  # removing an inner marker can form a new one ("[9[99]]" -> "[9]"): repeat until stable
        again = _CITE_GROUP.sub(fix, cleaned)
        if again == cleaned:
            break
        cleaned = again
    return ParsedCitations(text=cleaned, valid=valid, dropped=dropped)


def strip_prompt_echo(text: str, system_prompt: str) -> tuple[str, bool]:
    """Remove lines of the output that repeat a line of the system prompt (prompt-injection leaks)."""
    secret_lines = {" ".join(line.split()).lower() for line in system_prompt.splitlines() if len(line.strip()) >= 24}
    kept, leaked = [], False
    for line in text.splitlines():
        norm = " ".join(line.split()).lower()
        if norm and any(secret in norm or (len(norm) >= 24 and norm in secret) for secret in secret_lines):
            leaked = True
            continue
        kept.append(line)
    return "\n".join(kept).strip(), leaked


def strip_markers(text: str) -> str:
    return _CITE_GROUP.sub("", text)


def is_dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(text[:300]))


_MARKERS_AFTER_STOP = re.compile(r"([.!?。！？])((?:\s*\[\d{1,4}(?:\s*[,;]\s*\d{1,4})*\])+)")


def _markers_before_stop(text: str) -> str:
    """"... AI. [2] Next" -> "... AI [2]. Next": a marker belongs to the sentence it follows."""
    return _MARKERS_AFTER_STOP.sub(lambda m: " " + " ".join(m.group(2).split()) + m.group(1), text)


def _answer_sentences(text: str) -> list[tuple[str, list[int], tuple[int, int]]]:
    """(sentence without markers, cited numbers, span) for each sentence that says something."""
    out = []
    for s, e in chunk.sentences(text):
        sentence = text[s:e]
        nums = [int(x) for g in _CITE_GROUP.findall(sentence) for x in re.split(r"\s*[,;]\s*", g)]
        bare = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(_CITE_GROUP.sub("", sentence).split()))
        if sum(ch.isalpha() for ch in bare) >= 8:
            out.append((bare, nums, (s, e)))
    return out


def unsupported_claims(sentence: str, question: str, cited: list[Passage], language: str = "") -> list[str]:
    """Numbers and names in an answer sentence that its cited passages do not hold (the question's own are fine).

    Numbers compare by value and scale across languages (13 billion = 13 Milliarden, five million != fünf
    Milliarden); names by transliterated skeleton (Suleyman = Сулейман). German capitalises every noun,
    so there only names with digits or in capitals count as names."""
    text = " ".join(p.text for p in cited)
    have = signals.numbers(text)
    asked = signals.numbers(question, words=False)
    claimed = signals.numbers(sentence, words=False)
    problems = [f"{v:g}" for v in sorted(claimed - asked) if v not in have]
    vocab = signals.Vocabulary.of(text)
    question_vocab = signals.Vocabulary.of(question)
    names = []
    for i, word in enumerate(signals._WORD.findall(sentence)):
        # digits, capitals or a capital inside one word (GPT-4, NASA, SoftBank, OpenAI): a name even where a sentence starts;
        # not a German compound's capital after a hyphen (KI-Modelle, US-Dollar)
        named = any(ch.isdigit() for ch in word) or (word.isupper() and len(word) > 1) or ("-" not in word and any(ch.isupper() for ch in word[1:]))
        if not named and (i == 0 or not word[0].isupper() or language == "de" or word.lower() in signals._stop_words()):
            continue
        if word.isdigit() or len(word) < 3:
            continue
        term = signals.Term(text=word, entity=True)
        names.append(term)
        if not vocab.has(term) and not question_vocab.has(term):
            problems.append(word)
    if not problems and claimed - asked and not _together(claimed, names, cited):
        # every number and name is somewhere in the passages, but no sentence holds them together:
        # "MAI-1 came out in early 2024" from "MAI-1 is in the works" and "in early 2024 Nadella hired …"
        problems.append("not stated together: " + ", ".join([f"{v:g}" for v in sorted(claimed - asked)] + [t.text for t in names]))
    return problems


def _together(claimed: set[float], names: list[signals.Term], cited: list[Passage]) -> bool:
    """Some sentence of the cited passages holds every claimed number and name."""
    for p in cited:
        for s, e in chunk.sentences(p.text):
            window = p.text[s:e]
            if claimed <= signals.numbers(window):
                vocab = signals.Vocabulary.of(window)
                if all(vocab.has(t) for t in names):
                    return True
    return False


def _recite(
    bare: str, question: str, language: str, ranked: list[tuple[int, float]], items: list[Evidence], targets: list[tuple[int, int]], claims: list[str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """The model may cite the wrong passage: move the citation to a supporting passage (best first) that holds
    the claim; unchanged when none does."""
    cited = {n for n, _ in targets}
    for i, similarity in ranked:
        if similarity < SUPPORT_MIN:
            break
        if items[i].n not in cited and not unsupported_claims(bare, question, [items[i].passage], language):
            return [(items[i].n, i)], []
    return targets, claims


def cite_llm_answer(answer: str, passages: list[Passage], items: list[Evidence], vectors: SentenceVectors, question: str = "", language: str = "") -> VerifiedAnswer:
    """Verify and repair the citations of an LLM answer.

    Each cited number must name a retrieved passage (others are dropped). Each answer
    sentence is matched against the evidence sentences: a citation stands when the cited
    passage holds a sentence that supports it (cosine >= SUPPORT_MIN); otherwise it moves to
    the passage that does, or, when none does, the sentence loses its citations and is
    flagged in ``warnings``. A sentence whose numbers or names its cited passages do not hold
    (:func:`unsupported_claims`) moves to a supporting passage that holds them, or is dropped.
    Quotes are verbatim sentences of the cited passages.
    """
    parsed = parse_citations(answer, len(passages))
    text, dropped = _markers_before_stop(parsed.text), parsed.dropped
    sentences = _answer_sentences(text)
    warnings: list[str] = []
    if not sentences or not items:
        return VerifiedAnswer(text=text, dropped=dropped)
    sims = vectors([s for s, _, _ in sentences]) @ vectors([it.text for it in items]).T
    quotes: dict[int, tuple[float, Evidence]] = {}
    supported = 0
    core = True
    pieces: list[str] = []
    cursor = 0
    for row, (bare, nums, (start, end)) in enumerate(sentences):
        order = [int(i) for i in np.argsort(-sims[row])]
        best_any = order[0]
        targets: list[tuple[int, int]] = []  # (passage number, evidence index)
        for n in nums:
            inside = [i for i in order if items[i].n == n]
            if inside and sims[row, inside[0]] >= SUPPORT_MIN:
                targets.append((n, inside[0]))
        if not targets and sims[row, best_any] >= SUPPORT_MIN:
            targets = [(items[best_any].n, best_any)]
        pieces.append(text[cursor:start])
        # a supported sentence is checked against the passages it cites; an unsupported one against all of them
        claims = unsupported_claims(bare, question, [items[i].passage for _, i in targets] if targets else passages, language)
        if claims and targets:
            targets, claims = _recite(bare, question, language, [(i, float(sims[row, i])) for i in order], items, targets, claims)
        if claims:
            warnings.append(f"dropped a claim its sources do not hold ({', '.join(claims[:4])}): {bare[:100]}")
            core = core and row > 0
            cursor = end
            continue
        if targets:
            supported += 1
            marks = "".join(f"[{n}]" for n in dict.fromkeys(n for n, _ in targets))
            stop = bare[-1] if bare[-1] in ".!?。！？" else ""
            pieces.append(f"{bare[:-1] if stop else bare} {marks}{stop}")
            for n, i in targets:
                score = float(sims[row, i])
                if n not in quotes or score > quotes[n][0]:
                    quotes[n] = (score, items[i])
        else:
            pieces.append(bare)
            warnings.append(f"no retrieved passage supports: {bare[:100]}")
        cursor = end
    pieces.append(text[cursor:])
    citations = [ev.cite(n) for n, (_, ev) in sorted(quotes.items())]
    body = re.sub(r"[ \t]{2,}", " ", "".join(pieces)).strip()
    return VerifiedAnswer(text=body, citations=citations, dropped=dropped, warnings=warnings, supported=supported, core_supported=core)


def quote_is_verbatim(citation: Citation, passages: Iterable[Passage]) -> bool:
    return any(p.passage_id == citation.passage_id and citation.quote in p.text for p in passages)
