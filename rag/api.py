"""The Python API. :class:`Pipeline` wires the stages; the CLI is a thin layer over it.

    load → chunk → embed → index (store) → retrieve (→ rerank) → answer (cite) → eval

Each stage lives in its own module or folder behind a small protocol; this module only builds
them from the settings, hands the output of one to the next, and times them.
"""
from __future__ import annotations

import threading
import time
import unicodedata
from functools import partial
from typing import Any

from . import answer as answering
from . import index as index_stage
from . import lang
from .embed import MUSE_SPEC, Embedder, cached, get_embedder
from .embed import validate_spec as validate_embedder_spec
from .errors import UsageError
from .llms import LLM
from .settings import Settings, load_settings
from .types import Answer, IndexReport, Passage

MAX_QUESTION_CHARS = 4000


def clean_question(question: str) -> str:
    """Strip control characters and surrounding space; reject empty or oversized questions."""
    if not isinstance(question, str):
        raise UsageError("the question must be text")
    cleaned = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not any(ch.isalnum() for ch in cleaned):
        raise UsageError("the question is empty", hint='ask "your question"')
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise UsageError(f"the question is too long ({len(cleaned)} characters, the limit is {MAX_QUESTION_CHARS})", hint="ask a shorter question")
    return cleaned


class Pipeline:
    """Settings plus lazily built stages, reused across calls (thread-safe).

    >>> rag = Pipeline(corpus="docs/", llm="extractive")
    >>> answer = rag.ask("why did Microsoft hire Suleyman?")
    """

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | str | None = None, llm: LLM | str | None = None, **overrides: Any):
        if isinstance(llm, str):
            overrides["llm"], llm = llm, None
        if isinstance(embedder, str):
            overrides["embedder"], embedder = embedder, None
        self.settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None}) if settings else load_settings(**overrides)
        self._validate(embedder is None, llm is None)
        self._embedder = embedder
        self._llm = llm
        self._lock = threading.RLock()
        self._view: index_stage.IndexView | None = None
        self._retriever = None
        self._answerer = None
        self._vectors = None
        self._second = None
        self._muse: Embedder | None = None
        self._checked = False  # ensure_index just ran: the next question skips its own check
        self._judged = threading.local()  # the evidence reranker's last judgement, per thread

    def _validate(self, embedder_spec: bool, llm_spec: bool) -> None:
        """Fail fast on a bad spec, before any indexing or retrieval work."""
        from .retrieve import RERANKERS, RETRIEVERS

        if embedder_spec:
            validate_embedder_spec(self.settings.embedder)
        if llm_spec:
            answering.validate_spec(self.settings.llm)
        RETRIEVERS.validate(self.settings.retrieval)
        RERANKERS.validate(self.settings.rerank)

    # --- stages ------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedder, self.settings)
            self._embedder = cached(self._embedder)
            return self._embedder

    @property
    def llm(self) -> LLM | None:
        """The answer-writing model, loaded now (None for the extractive answerer)."""
        with self._lock:
            if self._llm is None and self.settings.llm.strip() != answering.EXTRACTIVE:
                from .llms import get_llm

                self._llm = get_llm(self.settings.llm, self.settings)
            return self._llm

    @property
    def sentence_vectors(self):
        from .answer.evidence import SentenceVectors

        with self._lock:
            if self._vectors is None:
                self._vectors = SentenceVectors(self.embedder, fetch=partial(self._stored_vectors, "s"))
            return self._vectors

    @property
    def muse(self) -> Embedder:
        """mUSE, shared by fusion retrieval and the evidence step, so the question is embedded once."""
        with self._lock:
            if self._muse is None:
                self._muse = cached(get_embedder(MUSE_SPEC, self.settings))
            return self._muse

    @property
    def second_opinion(self):
        """mUSE and its sentence vectors (read from the index's mUSE sentence space when it has one): the
        selection model's second opinion on which sentence to quote."""
        from .answer.evidence import SentenceVectors

        with self._lock:
            if self._second is None:
                self._second = (self.muse, SentenceVectors(self.muse, fetch=partial(self._stored_vectors, "ms")))
            return self._second

    def _first_quote(self, question: str, passages: list[Passage]) -> Passage | None:
        """The passage the extractive answer would quote first (for the ``evidence`` reranker); its judgement is kept
        for this thread's next answer to the same question over the same passages, so they are judged once."""
        assessment = answering.assessed(
            question, lang.detect(question), passages, embedder=self.embedder, vectors=self.sentence_vectors, mentioned=self._mentioned,
            second=self.second_opinion,
        )
        self._judged.last = (question, {p.passage_id for p in passages}, assessment)
        return answering.first_quote(assessment, self.sentence_vectors)

    def _judged_before(self, question: str, passages: list[Passage]):
        """The reranker's judgement of exactly these passages for this question (renumbered to their order), else None."""
        last, self._judged.last = getattr(self._judged, "last", None), None
        if last is None or last[0] != question or last[1] != {p.passage_id for p in passages}:
            return None
        return last[2].in_order(passages)

    def _mentioned(self, names: list[str]) -> set[str]:
        """Which of ``names`` some indexed document contains (all of them when there is no index to ask)."""
        view = self._view
        return view.manifest.mentions(names) if view is not None else set(names)

    def _stored_vectors(self, space: str, ids: list[str]):
        """Sentence vectors the index already holds in ``space`` ("s": the main embedder's, "ms": mUSE's)."""
        view = self._view
        return view.spaces[space].vectors(ids) if view is not None and space in view.spaces else {}

    @property
    def answerer(self) -> answering.Answerer:
        with self._lock:
            if self._answerer is None:
                self._answerer = answering.make_answerer(self.settings, self.sentence_vectors, self._llm)
            return self._answerer

    def retriever(self):
        """The configured retriever over the live index (built once, rebuilt after indexing)."""
        from .retrieve import Context, make_retriever

        with self._lock:
            if self._view is not None and not self._view.current():
                self.close()  # another process replaced the snapshot this view reads
            if self._retriever is None:
                view = index_stage.open_view(self.settings, self.embedder.name)
                generative = self._llm is not None or self.settings.llm.strip() != answering.EXTRACTIVE
                ctx = Context(settings=self.settings, view=view, embedder=self.embedder, muse=lambda: self.muse, first_quote=self._first_quote, generative=generative)
                self._retriever = make_retriever(ctx)
                self._view = view
            return self._retriever

    def close(self) -> None:
        """Release the index (the next call reopens it)."""
        with self._lock:
            if self._view is not None:
                self._view.close()
            self._view = None
            self._retriever = None

    _reset = close

    # --- indexing --------------------------------------------------------------------------
    def index(self, rebuild: bool = False, progress=None) -> IndexReport:
        """Bring the index up to date (``rebuild`` re-embeds everything into a fresh collection)."""
        from .index.indexer import Indexer

        report = Indexer(self.settings, self.embedder, progress).run(rebuild=rebuild)
        self.close()
        return report

    def needs_index(self) -> bool:
        """True if files were added, changed or removed since the last index run (stat only, no reads)."""
        return index_stage.is_stale(self.settings)

    def ensure_index(self, progress=None) -> IndexReport | None:
        """Index when files changed (a stat of each file); the next question relies on this check."""
        self._checked = True
        if self.settings.auto_index and self.needs_index():
            return self.index(progress=progress)
        return None

    def _ensure_index_once(self) -> None:
        """Check the corpus before a question, unless ``ensure_index`` has just done so."""
        if self._checked:
            self._checked = False
        else:
            self.ensure_index()
            self._checked = False

    # --- questions ---------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        """The ``k`` passages most relevant to ``question``, best first."""
        question = clean_question(question)
        self._ensure_index_once()
        return self.retriever().retrieve(question, k or self.settings.k).passages

    def ask(self, question: str, k: int | None = None, retrieve_only: bool = False) -> Answer:
        """Answer ``question`` in its language from the corpus, with verified citations."""
        t0 = time.perf_counter()
        question = clean_question(question)
        self._ensure_index_once()
        timings = {"index_check": (time.perf_counter() - t0) * 1000}
        got = self.retriever().retrieve(question, k or self.settings.k)
        timings.update(got.timings_ms)
        if retrieve_only:
            result = Answer(question=question, language=lang.detect(question), passages=got.passages, llm="none", embedder=self.embedder.name, timings_ms=timings)
        else:
            result = self.answer(question, got.passages, timings)
        result.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return result

    def answer(self, question: str, passages: list[Passage], timings: dict[str, float] | None = None) -> Answer:
        """Write the cited answer to ``question`` from already retrieved ``passages``."""
        question = clean_question(question)
        language = lang.detect(question)
        # the answer stage reads the passages in the retriever's order (a reranker orders what is shown): the same answer,
        # and the same LLM prompt, with or without the evidence reranker
        reading = sorted(passages, key=lambda p: -p.rank_score)
        reply = answering.respond(
            question, language, reading, embedder=self.embedder, vectors=self.sentence_vectors, answerer=self.answerer,
            min_evidence=self.settings.min_evidence, min_answerable=self.settings.min_answerable, mentioned=self._mentioned,
            second=self.second_opinion, assessment=self._judged_before(question, reading),
        )
        return Answer(
            question=question, language=language, answer=reply.text, abstained=reply.abstained, citations=reply.citations, passages=passages,
            llm=reply.answered_by, embedder=self.embedder.name, timings_ms={**(timings or {}), **reply.timings_ms},
            dropped_citations=reply.dropped_citations, warnings=reply.warnings, prompt_tokens=reply.prompt_tokens, evidence_score=reply.evidence_score,
            answerability=reply.answerability, confidence=reply.confidence, lead=reply.lead, fallback=reply.fallback,
            abstain_reason=reply.abstain_reason,
        )

    # --- status --------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        s = self.settings
        out: dict[str, Any] = {
            "corpus": str(s.corpus_root),
            "index_dir": str(s.index_dir),
            "store": s.chroma_url or "embedded Chroma",
            "embedder": s.embedder,
            "llm": s.llm,
        }
        out.update(index_stage.describe(s))
        out["settings"] = s.redacted()
        return out


_default: Pipeline | None = None
_default_lock = threading.Lock()


def _pipeline(options: dict[str, Any]) -> Pipeline:
    """A fresh pipeline when options are given, else the shared default one."""
    global _default
    if options:
        return Pipeline(**options)
    with _default_lock:
        if _default is None:
            _default = Pipeline()
        return _default


def ask(question: str, **options: Any) -> Answer:
    """Answer ``question`` from the corpus (options are settings, e.g. ``corpus=``, ``llm=``, ``k=``)."""
    k = options.pop("k", None)
    return _pipeline(options).ask(question, k=k)


def retrieve(question: str, k: int | None = None, **options: Any) -> list[Passage]:
    """The passages most relevant to ``question``."""
    return _pipeline(options).retrieve(question, k=k)


def index(path: str | None = None, rebuild: bool = False, **options: Any) -> IndexReport:
    """Index (or update the index of) the folder ``path``."""
    if path is not None:
        options["corpus"] = path
    return _pipeline(options).index(rebuild=rebuild)


def status(**options: Any) -> dict[str, Any]:
    return _pipeline(options).status()


RAG = Pipeline
