"""One home for settings: flags > ``RAG_*`` environment variables > ``rag.toml`` > defaults."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from .errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


def default_corpus() -> Path:
    """The seeds: the repo's ``seeds/`` in a checkout, the bundled copy in a wheel."""
    for candidate in (PACKAGE_DIR.parent / "seeds", PACKAGE_DIR / "_seeds"):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR.parent / "seeds"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("rag-ask", appauthor=False))


def default_cache() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rag-ask", appauthor=False))


def config_file() -> Path | None:
    """``RAG_CONFIG`` if set, else ``./rag.toml`` if present."""
    explicit = os.environ.get("RAG_CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}", hint="unset RAG_CONFIG or point it at a rag.toml")
        return path
    local = Path("rag.toml")
    return local if local.is_file() else None



def cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

class Settings(BaseSettings):
    """Every knob of the tool. Each field is also a ``RAG_<NAME>`` variable and a ``rag.toml`` key."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid", validate_default=True)

    corpus: Path = Field(default_factory=default_corpus, description="Folder of documents to index and search.")
    home: Path = Field(default_factory=default_home, description="Where indexes live (one sub-folder per corpus).")
    cache_dir: Path = Field(
        default_factory=default_cache, description="Unpacked model files, memory-mapped on every start (mUSE's weights, ~110 MB); safe to delete."
    )
    embedder: str = Field("e5-small", description="Embedder spec: e5-small, muse, st:<model or path>, openai:<model>.")
    llm: str = Field("extractive", description="Answerer spec: extractive, openai:<model>, ollama:<model>, llamacpp:<path.gguf>.")
    k: int = Field(5, ge=1, le=100, description="Passages retrieved and shown to the answerer.")
    retrieval: str = Field(
        "fusion",
        description="fusion: chunk and sentence vectors of the embedder and of mUSE, z-score fused; dense: embedder chunks only; hybrid: dense + BM25 by reciprocal rank.",
    )
    rerank: str = Field(
        "evidence",
        description="Reorder retrieved candidates: evidence (the passage the answer quotes first comes first), none, or per-file:<n> (at most n passages of one file in the top k).",
    )
    bm25_weight: float = Field(0.5, ge=0.0, le=5.0, description="Weight of the BM25 ranking in hybrid fusion.")
    chunk_tokens: int = Field(160, ge=16, le=2048, description="Target chunk size in tiktoken tokens.")
    chunk_overlap: int = Field(32, ge=0, le=1024, description="Tokens of whole sentences repeated between chunks.")
    contextual: bool = Field(
        True, description="Embed each chunk together with its document's title and section path (kept out of the quoted text and offsets)."
    )
    hub_weight: float = Field(
        0.4,
        ge=0.0,
        le=5.0,
        description="fusion: subtract this x each chunk's hub score (closeness to generic questions in the question's language; CSLS) from its chunk cosines; 0 turns it off (chosen in evals/RESULTS.md).",
    )
    language_weight: float = Field(
        1.0,
        ge=0.0,
        le=5.0,
        description="fusion: subtract this x the mean hub score of the chunk's language (for the question's language) from the main embedder's cosines, so that language pairs score alike; 0 turns it off (chosen in evals/RESULTS.md).",
    )
    title_weight: float = Field(
        4.0,
        ge=0.0,
        le=10.0,
        description="fusion: add this (in z-score units) to chunks whose document title or section names a tool, command or acronym the question names; 0 turns it off (chosen in evals/RESULTS.md).",
    )
    shared_weight: float | None = Field(
        None,
        ge=0.0,
        le=5.0,
        description="fusion: add this x the fused z-score of the question searched again without the words nearly every candidate holds ('Microsoft' in articles about Microsoft); unset: 1.0 for the extractive answerer, 0 when an LLM writes the answer (a small model's answers move with the passages it reads; evals/RESULTS.md).",
    )
    max_file_mb: float = Field(10.0, gt=0, description="Files larger than this are skipped with a warning.")
    threads: int = Field(
        default_factory=lambda: min(2, cores()),
        ge=1,
        le=64,
        description="CPU threads of the main in-process embedder for questions (default: 2, or 1 on one core; mUSE always runs on one).",
    )
    index_threads: int = Field(
        0, ge=0, le=64, description="CPU threads of the main embedder while indexing (0: every core); questions keep `threads`. mUSE always runs on one: its small matrices lose time to more."
    )
    embed_batch: int = Field(128, ge=1, le=1024, description="Chunks per embedding call while indexing (their sentences go in the same call; larger batches keep the cores busier).")
    snapshot_max_vectors: int = Field(
        50_000, ge=0, description="Indexes with at most this many vectors (all spaces together) also keep a memory-mapped copy of them, so a new process answers without opening Chroma (0: never)."
    )
    chroma_url: str | None = Field(None, description="Use a Chroma server (http://127.0.0.1:8000) instead of the embedded store.")
    embed_base_url: str = Field("http://127.0.0.1:8000/v1", description="Base URL for openai:<model> embedders.")
    embed_api_key: SecretStr | None = Field(None, description="API key for the embeddings server.")
    embed_query_prefix: str = Field(
        "", description="Text put before every question sent to an openai:<model> embedder (e.g. 'query: ' for e5, an instruction for instruction-tuned models)."
    )
    embed_passage_prefix: str = Field("", description="Text put before every passage sent to an openai:<model> embedder (e.g. 'passage: ' for e5).")
    llm_base_url: str = Field("https://api.openai.com/v1", description="Base URL for openai:<model> answerers.")
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM server (never logged).")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Base URL of a native Ollama server.")
    llm_timeout: float = Field(120.0, gt=0, description="Seconds before an LLM request is abandoned.")
    llm_retries: int = Field(2, ge=0, le=10, description="Retries with backoff for retryable LLM errors (5xx, 429, timeouts).")
    llm_max_tokens: int = Field(384, ge=16, le=8192, description="Maximum tokens the LLM may generate.")
    llm_fallback: bool = Field(True, description="Fall back to the extractive answer when the LLM fails.")
    llm_threads: int = Field(1, ge=1, le=64, description="Threads for the in-process llama.cpp model.")
    min_evidence: float = Field(0.78, ge=0.0, le=1.0, description="Abstain when the best evidence sentence scores below this.")
    min_answerable: float = Field(
        0.05, ge=0.0, le=1.0, description="Abstain when the answerability model gives the best evidence a lower probability of answering the question."
    )
    lock_timeout: float = Field(300.0, ge=0, description="Seconds to wait for another index run to finish.")
    auto_index: bool = Field(True, description="Bring the index up to date before answering.")
    prompts_dir: Path | None = Field(None, description="Folder with prompt templates (default: the bundled prompts).")

    @model_validator(mode="after")
    def _overlap_below_size(self) -> "Settings":
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError(f"chunk_overlap ({self.chunk_overlap}) must be smaller than chunk_tokens ({self.chunk_tokens})")
        return self

    @field_validator("retrieval", "rerank", mode="after")
    @classmethod
    def _known_stage(cls, value: str, info) -> str:
        from .retrieve import RERANKERS, RETRIEVERS

        registry = RETRIEVERS if info.field_name == "retrieval" else RERANKERS
        try:
            registry.validate(value)
        except ConfigError as exc:
            raise ValueError(f"{exc.message} (valid: {registry.examples})") from None
        return value

    @field_validator("corpus", "home", "cache_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return Path(value).expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    # --- derived locations -------------------------------------------------
    @property
    def corpus_root(self) -> Path:
        return self.corpus.resolve()

    @property
    def corpus_key(self) -> str:
        """Stable key of the corpus path: names the index folder and the Chroma collection."""
        digest = hashlib.sha1(str(self.corpus_root).encode()).hexdigest()[:12]
        slug = "".join(c if c.isalnum() else "-" for c in self.corpus_root.name)[:40].strip("-") or "corpus"
        return f"{slug}-{digest}"

    @property
    def index_dir(self) -> Path:
        return self.home / "indexes" / self.corpus_key

    def redacted(self) -> dict[str, Any]:
        """Settings as a dict with secrets masked, for ``rag status``."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "***" if value.get_secret_value() else None
            elif isinstance(value, Path):
                value = str(value)
            out[name] = value
        return out


def load_settings(**overrides: Any) -> Settings:
    """Build settings; ``overrides`` play the role of flags (``None`` means "not given")."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        raise ConfigError(f"invalid setting {where}: {first.get('msg')}", hint="check flags, RAG_* variables and rag.toml") from None
    except ValueError as exc:  # a broken rag.toml
        raise ConfigError(f"cannot read settings: {exc}", hint="fix rag.toml") from None
