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

    ``page`` is 1-based (formats with pages), ``section`` the heading path ("Setup › Network"),
    ``line`` the 1-based line of its unit (a whole text file, a page) where the text starts.
    """

    page: int | None = None
    section: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "section": self.section, "line": self.line}

    def label(self, source: str) -> str:
        """How a person reads the location: ``report.pdf p. 12``, ``notes.md:40 § Setup``, ``a.txt:7``."""
        where = source
        if self.page is not None:
            where += f" p. {self.page}"
        elif self.line is not None:
            where += f":{self.line}"
        if self.section:
            where += f" § {self.section}"
        return where

    def at_line(self, line: int | None) -> "Locator":
        return Locator(page=self.page, section=self.section, line=line)


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
    on_subject: bool = False  # its document title or section names a tool or acronym the question names (fusion sets it)
    pair_shift: float = 0.0  # how far the question's cosines with text in this passage's language run above the average language (fusion sets it)
    context: str = ""  # its document's title and section path as embedded ("Title › Section"; set by the retrievers that read the manifest)
    # for an option question: the z-score of each option item (by its start in ``text``) against what the question asks the
    # option to do (fusion sets it; the quote selection lifts the best)
    asked_items: dict[int, float] = field(default_factory=dict)
    # the question's words nearly every candidate held ("Microsoft", "OpenAI" in articles about the two; fusion sets them):
    # the quote selection also scores sentences against the question without them
    shared: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # page (1-based), section path and line: null when the format has none
        return {**{k: getattr(self, k) for k in ("passage_id", "source", "score", "text", "language")}, **self.locator.to_dict()}


@dataclass(kw_only=True)
class Citation:
    """A numbered reference from the answer to a passage, with the supporting quote verbatim."""

    n: int
    source: str
    passage_id: str
    quote: str
    locator: Locator = NOWHERE  # where the quote itself starts
    columns: str = ""  # the column names, when the quote is a table's row ("День | Время | Где | Преподаватель")

    @property
    def location(self) -> str:
        return self.locator.label(self.source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n, "source": self.source, "passage_id": self.passage_id, "quote": self.quote, **self.locator.to_dict(), "location": self.location,
            "columns": self.columns,
        }


@dataclass(kw_only=True)
class Answer:
    """The result of :func:`rag.ask`.

    ``evidence_score`` is the score abstention reads: 0.7 × the best evidence sentence's cosine with
    the question + 0.3 × its passage's ``score``. ``answerability`` is the probability that the
    evidence answers the question; ``confidence`` says it in a word (high, medium, low; "" when
    abstained). ``lead`` is the short answer (an amount, a date, a name) when there is one.
    ``fallback`` says why the configured LLM was replaced by the extractive answer ("" when not);
    ``abstain_reason`` why it abstained ("weak evidence", "low answerability", "not in the documents:
    xrandr", "no amount in the evidence"; "" when it answered).
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
    answerability: float = 0.0
    confidence: str = ""
    lead: str = ""
    fallback: str = ""
    abstain_reason: str = ""

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
            "answerability": round(self.answerability, 4),
            "confidence": self.confidence,
            "lead": self.lead,
            "fallback": bool(self.fallback),
            "fallback_reason": self.fallback or None,
            "abstain_reason": self.abstain_reason or None,
        }


@dataclass(kw_only=True)
class IndexReport:
    """What an index run did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    chunks_embedded: int = 0  # distinct chunk contents embedded by a model in this run
    chunks_reused: int = 0  # chunks that got existing vectors: same content committed before, or a copy in this run
    texts_embedded: int = 0  # texts a model embedded, over every vector space (chunks and sentences)
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        return out
