"""The Python API. The CLI is a thin layer over :class:`Pipeline`."""
from __future__ import annotations

import threading
import time
import unicodedata
from typing import Any

from . import answering, indexer, lang, loading, prompts
from .embedders import CachedQueries, Embedder, get_embedder
from .embedders import validate_spec as validate_embedder_spec
from .errors import BackendError, StoreError, UsageError
from .llms import LLM, Extractive, get_llm
from .llms import validate_spec as validate_llm_spec
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
    """Settings plus lazily built components, reused across calls (thread-safe).

    >>> rag = Pipeline(corpus="docs/", llm="extractive")
    >>> answer = rag.ask("why did Microsoft hire Suleyman?")
    """

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | str | None = None, llm: LLM | str | None = None, **overrides: Any):
        if isinstance(llm, str):
            overrides["llm"] = llm
            llm = None
        if isinstance(embedder, str):
            overrides["embedder"] = embedder
            embedder = None
        self.settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None}) if settings else load_settings(**overrides)
        # fail fast on a bad spec, before any indexing or retrieval work
        if embedder is None:
            validate_embedder_spec(self.settings.embedder)
        if llm is None:
            validate_llm_spec(self.settings.llm)
        self._embedder = embedder
        self._llm = llm
        self._lock = threading.RLock()
        self._retriever = None
        self._manifest = None
        self._vectors: answering.SentenceVectors | None = None
        self._sentence_store = None
        self._checked_at = 0.0

    # --- components ------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedder, self.settings)
            if not isinstance(self._embedder, CachedQueries):
                self._embedder = CachedQueries(self._embedder)
            return self._embedder

    @property
    def llm(self) -> LLM:
        with self._lock:
            if self._llm is None:
                self._llm = get_llm(self.settings.llm, self.settings)
            return self._llm

    @property
    def sentence_vectors(self) -> answering.SentenceVectors:
        with self._lock:
            if self._vectors is None:
                self._vectors = answering.SentenceVectors(self.embedder, fetch=self._fetch_sentences)
            return self._vectors

    def _fetch_sentences(self, ids: list[str]):
        store = self._sentence_store
        return store.vectors(ids) if store is not None else {}

    def _reset(self) -> None:
        with self._lock:
            if self._manifest is not None:
                self._manifest.close()
            self._retriever = None
            self._manifest = None
            self._sentence_store = None

    # --- indexing ----------------------------------------------------------------
    def index(self, rebuild: bool = False, progress=None) -> IndexReport:
        """Bring the index up to date (``rebuild`` re-embeds everything into a fresh collection)."""
        report = indexer.Indexer(self.settings, self.embedder, progress).run(rebuild=rebuild)
        self._reset()
        return report

    def needs_index(self) -> bool:
        """True if files were added, changed or removed since the last index run (stat only, no reads)."""
        m = indexer.open_manifest(self.settings)
        if m is None:
            return True
        try:
            if m.get("dirty") == "1":
                return True
            if m.get("chunking") != indexer.chunk_signature(self.settings):
                return True
            known = m.files()
        finally:
            m.close()
        entries, _ = loading.scan(self.settings.corpus_root, int(self.settings.max_file_mb * 1e6))
        current = {e.source: (e.size, e.mtime_ns) for e in entries}
        return current.keys() != known.keys() or any(known[s][:2] != v for s, v in current.items())

    def ensure_index(self, progress=None) -> IndexReport | None:
        if self.settings.auto_index and self.needs_index():
            return self.index(progress=progress)
        return None

    # --- retrieval -----------------------------------------------------------------
    def retriever(self):
        """The configured retriever over the live index (built once, rebuilt after indexing)."""
        from .retrieval import ChunkSearch, DenseRetriever, FusionRetriever, HybridRetriever, LexicalRetriever
        from .spaces import MUSE_SPEC
        from .store import ChromaStore, chroma_client

        with self._lock:
            if self._retriever is not None:
                return self._retriever
            m = indexer.open_manifest(self.settings)
            if m is None:
                raise StoreError(f"no index for corpus {self.settings.corpus_root}", hint="run `rag index`")
            indexer.check_embedder(m, self.embedder.name)
            indexer.check_spaces(m, self.settings.retrieval)
            client = chroma_client(self.settings, indexer.chroma_path(self.settings))
            base = m.get("collection") or ""
            store = ChromaStore(client, base, create=False)
            committed = m.all_chunk_ids() if m.get("dirty") == "1" else None
            if "s" in indexer.spaces_of(m):
                self._sentence_store = ChromaStore(client, f"{base}-s", create=False)
            if self.settings.retrieval == "fusion":
                # chromadb directly: importing llama-index would cost a cold `ask` about a second
                collections = {key: ChromaStore(client, f"{base}-{key}", create=False).collection for key in ("s", "m", "ms")}
                chunks = ChunkSearch(store.collection, self.embedder, committed)
                retriever = FusionRetriever(chunks, collections, get_embedder(MUSE_SPEC, self.settings), m)
            else:
                retriever = DenseRetriever(store.collection, self.embedder, committed)  # llama-index over Chroma
                path = indexer.lexical_index_path(self.settings, m)
                if self.settings.retrieval == "hybrid" and path.exists():
                    retriever = HybridRetriever(retriever, LexicalRetriever(path, m), self.settings.bm25_weight)
            self._manifest = m
            self._retriever = retriever
            return retriever

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        """The ``k`` passages most relevant to ``question``, best first."""
        question = clean_question(question)
        self.ensure_index()
        return self.retriever().retrieve(question, k or self.settings.k)

    # --- answering ---------------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, retrieve_only: bool = False) -> Answer:
        """Answer ``question`` in its language from the corpus, with verified citations."""
        t0 = time.perf_counter()
        question = clean_question(question)
        self.ensure_index()
        timings = {"index_check": (time.perf_counter() - t0) * 1000}
        retriever = self.retriever()
        passages = retriever.retrieve(question, k or self.settings.k)
        timings.update(getattr(retriever, "last_timings", {}))
        if retrieve_only:
            result = Answer(question, lang.detect(question), "", False, [], passages, "none", self.embedder.name, timings)
        else:
            result = self.answer(question, passages, timings)
        result.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return result

    def answer(self, question: str, passages: list[Passage], timings: dict[str, float] | None = None) -> Answer:
        """Write the cited answer to ``question`` from already retrieved ``passages``."""
        question = clean_question(question)
        language = lang.detect(question)
        result = Answer(question, language, "", False, [], passages, self.settings.llm if self._llm is None else self._llm.name, self.embedder.name, dict(timings or {}))
        t1 = time.perf_counter()
        qvec = self.embedder.embed_queries([question])[0]
        items = answering.evidence(qvec, passages, self.sentence_vectors)
        result.timings_ms["evidence"] = (time.perf_counter() - t1) * 1000
        best = items[0].score if items else 0.0
        result.evidence_score = best
        if best < self.settings.min_evidence:
            # Nothing relevant enough was retrieved: abstain without calling any LLM.
            result.answer = prompts.localized(prompts.DONT_KNOW, language)
            result.abstained = True
            return result
        llm = self.llm
        result.llm = llm.name
        if isinstance(llm, Extractive):
            self._extractive(result, items)
        else:
            self._generate(result, llm, items)
        return result

    def _extractive(self, result: Answer, items) -> None:
        quotes = answering.pick_quotes(items, self.sentence_vectors)
        weak = result.evidence_score < self.settings.min_evidence + prompts.WEAK_EVIDENCE_MARGIN
        result.answer, result.citations = answering.extractive_answer(result.language, quotes, weak)

    def _generate(self, result: Answer, llm: LLM, items) -> None:
        t = time.perf_counter()
        messages = answering.build_messages(result.question, result.language, result.passages, self.settings.prompts_dir)
        try:
            completion = llm.complete(messages, max_tokens=self.settings.llm_max_tokens)
        except BackendError as exc:
            if not self.settings.llm_fallback:
                raise
            result.warnings.append(f"{llm.name} failed ({exc.message}); showing the extractive answer instead")
            result.llm = f"extractive (fallback from {llm.name})"
            self._extractive(result, items)
            return
        finally:
            result.timings_ms["generate"] = (time.perf_counter() - t) * 1000
        result.prompt_tokens = completion.prompt_tokens
        text, leaked = answering.strip_prompt_echo(completion.text.strip(), messages[0]["content"])
        if leaked:
            result.warnings.append("removed text that repeated the system prompt")
        if answering.is_dont_know(text):
            cleaned, _, result.dropped_citations = answering.parse_citations(text, len(result.passages))
            result.answer = " ".join(answering.strip_markers(cleaned).split())  # an abstention cites nothing
            result.abstained = True
            return
        answer, citations, dropped, warnings, supported = answering.cite_llm_answer(text, result.passages, items, self.sentence_vectors)
        result.answer, result.citations, result.dropped_citations = answer, citations, dropped
        result.warnings.extend(warnings)
        if not supported:
            # Not one sentence of the draft is backed by a retrieved passage: say so instead of guessing.
            result.warnings.append(f"the model's draft was not supported by the sources and was withheld: {text[:200]}")
            result.answer = prompts.localized(prompts.DONT_KNOW, result.language)
            result.citations = []
            result.abstained = True
        if dropped:
            result.warnings.append(f"dropped citations to passages that were not retrieved: {', '.join(dropped)}")

    # --- status --------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        s = self.settings
        out: dict[str, Any] = {
            "corpus": str(s.corpus_root),
            "index_dir": str(s.index_dir),
            "store": s.chroma_url or "embedded Chroma",
            "embedder": s.embedder,
            "llm": s.llm,
            "indexed": False,
        }
        m = indexer.open_manifest(s)
        if m is not None:
            try:
                out.update(
                    indexed=True,
                    index_embedder=m.get("embedder"),
                    dim=int(m.get("dim") or 0),
                    files=m.file_count(),
                    chunks=m.chunk_count(),
                    collection=m.get("collection"),
                    interrupted_run=m.get("dirty") == "1",
                )
            finally:
                m.close()
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
