"""rag: multilingual, citation-first question answering over a folder of documents.

>>> import rag
>>> answer = rag.ask("why did Microsoft hire Suleyman?")
>>> answer.answer, answer.citations[0].source
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "ask", "retrieve", "index", "status", "Pipeline", "RAG", "Settings", "load_settings",
    "Answer", "Passage", "Citation", "Chunk", "IndexReport",
    "RagError", "ConfigError", "UsageError", "CorpusError", "StoreError", "BackendError", "EmbedderMismatchError",
]

_LAZY = {
    "ask": "api", "retrieve": "api", "index": "api", "status": "api", "Pipeline": "api", "RAG": "api",
    "Settings": "settings", "load_settings": "settings",
    "Answer": "types", "Passage": "types", "Citation": "types", "Chunk": "types", "IndexReport": "types",
    "RagError": "errors", "ConfigError": "errors", "UsageError": "errors", "CorpusError": "errors",
    "StoreError": "errors", "BackendError": "errors", "EmbedderMismatchError": "errors",
}

if TYPE_CHECKING:  # pragma: no cover
    from .api import RAG, Pipeline, ask, index, retrieve, status
    from .errors import BackendError, ConfigError, CorpusError, EmbedderMismatchError, RagError, StoreError, UsageError
    from .settings import Settings, load_settings
    from .types import Answer, Chunk, Citation, IndexReport, Passage


def __getattr__(name: str) -> Any:
    # Lazy: `import rag` and `ask --help` stay instant; heavy modules load on first use.
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
