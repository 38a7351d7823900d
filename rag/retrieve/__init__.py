"""Stage 5, retrieval: find the passages most relevant to a question, across languages.

A :class:`Retriever` is built by :func:`make_retriever` from the ``retrieval`` setting through a
registry (``dense``, ``hybrid``, ``fusion``; third parties add more under the ``rag.retrievers``
entry-point group), then an optional :class:`Reranker` reorders its candidates (``rerank``
setting: ``none``, ``per-file:<n>``). Every retriever returns passages whose ``score`` is the
main embedder's cosine (see :class:`rag.types.Passage`), so the answer stage reads one scale.
"""
from __future__ import annotations

from ..registry import Registry
from ..types import Passage
from .base import Context, Reranker, Retrieval, Retriever

__all__ = ["RERANKERS", "RETRIEVERS", "Context", "Reranker", "Retrieval", "Retriever", "make_retriever"]


def _dense(arg, ctx: Context) -> Retriever:
    from .dense import DenseRetriever

    return DenseRetriever(ctx.view, ctx.embedder)


def _hybrid(arg, ctx: Context) -> Retriever:
    from .dense import DenseRetriever
    from .hybrid import HybridRetriever

    return HybridRetriever(DenseRetriever(ctx.view, ctx.embedder), ctx.view, ctx.settings.bm25_weight)


def _fusion(arg, ctx: Context) -> Retriever:
    from .dense import DenseRetriever
    from .fusion import FusionRetriever

    s = ctx.settings
    return FusionRetriever(DenseRetriever(ctx.view, ctx.embedder), ctx.view, ctx.muse(), s.hub_weight, s.title_weight, s.language_weight)


RETRIEVERS: Registry[Retriever] = Registry("retrieval", "rag.retrievers", examples="fusion, dense, hybrid")
RETRIEVERS.register("dense", _dense)
RETRIEVERS.register("hybrid", _hybrid)
RETRIEVERS.register("fusion", _fusion)


class PerFile:
    """At most ``n`` passages of one file in the top ``k`` (later ones move down, none is lost)."""

    def __init__(self, n: int):
        self.n = n
        self.name = f"per-file:{n}"

    def rerank(self, question: str, passages: list[Passage], k: int) -> list[Passage]:
        seen: dict[str, int] = {}
        first, rest = [], []
        for p in passages:
            seen[p.source] = seen.get(p.source, 0) + 1
            (first if seen[p.source] <= self.n else rest).append(p)
        return (first + rest)[:k]


def _check_per_file(arg: str) -> None:
    from ..errors import ConfigError

    if not (arg.isdigit() and int(arg) > 0):
        raise ConfigError(f"rerank spec 'per-file:{arg}': give a positive number of passages per file")


RERANKERS: Registry[Reranker | None] = Registry("rerank", "rag.rerankers", examples="none, per-file:<n>", needs_arg=("per-file",), arg_name="number")
RERANKERS.register("none", lambda arg, s: None)
RERANKERS.register("per-file", lambda arg, s: PerFile(int(arg)), check=_check_per_file)


class Reranked:
    """A retriever whose candidates (``depth`` of them) pass through a reranker."""

    def __init__(self, inner: Retriever, reranker: Reranker, depth: int = 30):
        self.inner = inner
        self.reranker = reranker
        self.depth = depth
        self.name = f"{inner.name}+{reranker.name}"

    def retrieve(self, question: str, k: int) -> Retrieval:
        got = self.inner.retrieve(question, max(k, self.depth))
        got.passages = self.reranker.rerank(question, got.passages, k)
        return got


def make_retriever(ctx: Context) -> Retriever:
    """The retriever the settings name, wrapped in the configured reranker."""
    retriever = RETRIEVERS.create(ctx.settings.retrieval, ctx)
    reranker = RERANKERS.create(ctx.settings.rerank, ctx.settings)
    return Reranked(retriever, reranker) if reranker is not None else retriever
