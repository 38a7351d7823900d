"""Adapters to llama-index: our embedder as a ``BaseEmbedding`` and any of our retrievers as a
``BaseRetriever``, so llama-index query engines, evaluators and pipelines can use them."""
from __future__ import annotations

from ..embed import Embedder
from .base import Retriever


def llama_embedding(embedder: Embedder):
    """Wrap our embedder as a llama-index ``BaseEmbedding`` (query and passage sides kept apart)."""
    from llama_index.core.embeddings import BaseEmbedding

    class _Embedding(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed_queries([query])[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return _Embedding(model_name=embedder.name, embed_batch_size=32)


def as_llama_retriever(retriever: Retriever, k: int):
    """Expose one of our retrievers as a llama-index ``BaseRetriever`` (for query engines and evaluators)."""
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, TextNode

    class _Retriever(BaseRetriever):
        def _retrieve(self, query_bundle):
            passages = retriever.retrieve(query_bundle.query_str, k).passages
            return [
                NodeWithScore(
                    node=TextNode(id_=p.passage_id, text=p.text, metadata={"source": p.source, "language": p.language}),
                    score=p.score,
                )
                for p in passages
            ]

    return _Retriever()
