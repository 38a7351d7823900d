"""Turning passages into a cited answer: evidence scoring, the extractive answerer, and the
LLM path with citation parsing, verification and repair."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from . import chunking, prompts
from .embedders import Embedder
from .types import Citation, Passage

MIN_SENTENCE_CHARS = 25
MAX_QUOTES = 3
SUPPORT_MIN = 0.80  # cosine (e5) for an answer sentence to count as supported by a passage sentence


@dataclass
class Evidence:
    """One sentence of one retrieved passage, scored against the question."""

    n: int  # 1-based passage number
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


class SentenceVectors:
    """Sentence vectors (passage side of the embedder): from an in-process cache, from the index's sentence
    space when ``fetch`` is given (no model call), else embedded now."""

    def __init__(self, embedder: Embedder, fetch=None, limit: int = 50_000):
        self.embedder = embedder
        self.fetch = fetch
        self.limit = limit
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, texts: list[str], ids: list[str] | None = None) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and ids is not None and self.fetch is not None:
            wanted = {t: i for t, i in zip(texts, ids) if t in set(missing)}
            try:
                found = self.fetch(list(wanted.values()))
            except Exception:
                found = {}
            with self._lock:
                for t, i in wanted.items():
                    if i in found:
                        self._cache[t] = found[i]
                missing = [t for t in missing if t not in self._cache]
        if missing:
            vectors = self.embedder.embed_passages(missing)
            with self._lock:
                if len(self._cache) + len(missing) > self.limit:
                    self._cache.clear()
                self._cache.update(zip(missing, vectors))
        with self._lock:
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, self.embedder.dim), np.float32)


def evidence(question_vec: np.ndarray, passages: list[Passage], vectors: SentenceVectors) -> list[Evidence]:
    """Every usable sentence of the passages, best first. Score = 0.7 sentence cosine + 0.3 passage cosine."""
    items: list[Evidence] = []
    ids: list[str] = []
    for n, p in enumerate(passages, 1):
        for i, (s, e) in enumerate(chunking.sentences(p.text)):
            if e - s >= MIN_SENTENCE_CHARS and sum(ch.isalpha() for ch in p.text[s:e]) >= 10:
                items.append(Evidence(n, p, s, e, 0.0))
                ids.append(f"{p.passage_id}@{i}")
    if not items:
        return []
    sims = vectors([it.text for it in items], ids) @ question_vec
    for it, sim in zip(items, sims):
        it.score = float(0.7 * sim + 0.3 * it.passage.score)
    return sorted(items, key=lambda it: -it.score)


def pick_quotes(items: list[Evidence], vectors: SentenceVectors, limit: int = MAX_QUOTES, slack: float = 0.04) -> list[Evidence]:
    """The best sentences, skipping near-duplicates (the same fact in another language) and weak tails."""
    chosen: list[Evidence] = []
    chosen_vecs: list[np.ndarray] = []
    if not items:
        return chosen
    best = items[0].score
    for it in items[: limit * 6]:
        if len(chosen) >= limit or it.score < best - slack:
            break
        vec = vectors([it.text])[0]
        if any(float(vec @ other) > 0.93 for other in chosen_vecs):
            continue
        chosen.append(it)
        chosen_vecs.append(vec)
    return chosen


def extractive_answer(language: str, quotes: list[Evidence], weak: bool = False) -> tuple[str, list[Citation]]:
    lines = [prompts.localized(prompts.WEAK_EVIDENCE_INTRO if weak else prompts.EXTRACTIVE_INTRO, language)]
    citations = []
    for i, q in enumerate(quotes, 1):
        lines.append(f"[{i}] «{q.text}» ({q.passage.source})")
        citations.append(Citation(i, q.passage.source, q.passage.passage_id, q.text))
    return "\n".join(lines), citations


# --- the LLM path ----------------------------------------------------------------------
def build_messages(question: str, language: str, passages: list[Passage], prompts_dir=None) -> list[dict[str, str]]:
    blocks = [
        prompts.render("passage", prompts_dir, n=n, source=p.source, language=p.language, text=p.text.strip()) for n, p in enumerate(passages, 1)
    ]
    name = prompts.language_name(language)
    system = prompts.render("system", prompts_dir, language_name=name, dont_know=prompts.localized(prompts.DONT_KNOW, language))
    user = prompts.render("answer", prompts_dir, passages="\n\n".join(b.strip() for b in blocks), question=question, language_name=name)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


_CITE_GROUP = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4})*)\s*\]")
_DONT_KNOW = re.compile(
    r"i don[’']?t know|i do not know|cannot answer|can[’']?t answer|ich wei(ß|ss) (es )?nicht|je ne sais pas|non lo so|я не знаю|не могу ответить|no lo sé|não sei|ik weet het niet",
    re.IGNORECASE,
)


def parse_citations(text: str, n_passages: int) -> tuple[str, list[int], list[str]]:
    """Find ``[n]`` / ``[n, m]`` markers. Returns (text without invalid markers, valid numbers in order, dropped markers)."""
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
    return cleaned, valid, dropped


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
    for s, e in chunking.sentences(text):
        sentence = text[s:e]
        nums = [int(x) for g in _CITE_GROUP.findall(sentence) for x in re.split(r"\s*[,;]\s*", g)]
        bare = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(_CITE_GROUP.sub("", sentence).split()))
        if sum(ch.isalpha() for ch in bare) >= 8:
            out.append((bare, nums, (s, e)))
    return out


def cite_llm_answer(
    answer: str, passages: list[Passage], items: list[Evidence], vectors: SentenceVectors
) -> tuple[str, list[Citation], list[str], list[str], int]:
    """Verify and repair the citations of an LLM answer.

    Each cited number must name a retrieved passage (others are dropped). Each answer
    sentence is matched against the evidence sentences: a citation stands when the cited
    passage holds a sentence that supports it (cosine >= SUPPORT_MIN); otherwise it moves to
    the passage that does, or, when none does, the sentence loses its citations and is
    flagged in ``warnings``. Quotes are verbatim sentences of the cited passages.
    Returns (answer text, citations, dropped markers, warnings, supported sentence count).
    """
    text, _valid, dropped = parse_citations(answer, len(passages))
    text = _markers_before_stop(text)
    sentences = _answer_sentences(text)
    warnings: list[str] = []
    if not sentences or not items:
        return text, [], dropped, warnings, 0
    sent_vecs = vectors([s for s, _, _ in sentences])
    ev_vecs = vectors([it.text for it in items])
    sims = sent_vecs @ ev_vecs.T
    quotes: dict[int, tuple[float, Evidence]] = {}
    supported = 0
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
    citations = [Citation(n, ev.passage.source, ev.passage.passage_id, ev.text) for n, (_, ev) in sorted(quotes.items())]
    return "".join(pieces), citations, dropped, warnings, supported


def quote_is_verbatim(citation: Citation, passages: Iterable[Passage]) -> bool:
    return any(p.passage_id == citation.passage_id and citation.quote in p.text for p in passages)

