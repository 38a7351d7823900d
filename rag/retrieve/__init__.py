"""Stage 5, retrieval: find the passages most relevant to a question, across languages.

A :class:`Retriever` is built by :func:`make_retriever` from the ``retrieval`` setting through a
registry (``dense``, ``hybrid``, ``fusion``; third parties add more under the ``rag.retrievers``
entry-point group), then an optional :class:`Reranker` reorders its candidates (``rerank``
setting: ``none``, ``evidence``, ``per-file:<n>``). Every retriever returns passages whose ``score`` is the
main embedder's cosine (see :class:`rag.types.Passage`), so the answer stage reads one scale.
"""
from __future__ import annotations

import time

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
    from . import fusion
    from .dense import DenseRetriever

    s = ctx.settings
    # unset: the search without the words every candidate holds serves the extractive answerer, not an LLM (evals/RESULTS.md)
    shared = s.shared_weight if s.shared_weight is not None else 0.0 if ctx.generative else fusion.SHARED_WEIGHT
    return fusion.FusionRetriever(DenseRetriever(ctx.view, ctx.embedder), ctx.view, ctx.muse(), s.hub_weight, s.title_weight, s.language_weight, shared)


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


class FirstQuote:
    """The passage holding the sentence the answer would quote first comes first (also when the evidence is too weak to
    answer: the order of what is shown should not hang on the abstention bar); the others keep their order.
    Only the first ``window`` passages (those the answerer reads) are judged, so retrieval and answer agree on the top
    source. The answer stage's sentence selection reads what the question asks for (an amount, a date, a name, its
    key terms), which the chunk similarity alone does not (measured: evals/RESULTS.md)."""

    name = "evidence"

    def __init__(self, first_quote, window: int):
        self.first_quote = first_quote
        self.depth = window

    def rerank(self, question: str, passages: list[Passage], k: int) -> list[Passage]:
        top = passages[: self.depth]
        best = self.first_quote(question, top) if top else None
        if best is None or best is top[0]:
            return passages[:k]
        return ([best] + [p for p in passages if p is not best])[:k]


def _first_quote(arg, ctx: Context) -> Reranker:
    if ctx.first_quote is None:
        from ..errors import ConfigError

        raise ConfigError("rerank 'evidence' needs the answer stage's sentence selection", hint="use it through rag.Pipeline")
    return FirstQuote(ctx.first_quote, ctx.settings.k)


def _check_per_file(arg: str) -> None:
    from ..errors import ConfigError

    if not (arg.isdigit() and int(arg) > 0):
        raise ConfigError(f"rerank spec 'per-file:{arg}': give a positive number of passages per file")


RERANKERS: Registry[Reranker | None] = Registry("rerank", "rag.rerankers", examples="none, evidence, per-file:<n>", needs_arg=("per-file",), arg_name="number")
RERANKERS.register("none", lambda arg, ctx: None)
RERANKERS.register("evidence", _first_quote)
RERANKERS.register("per-file", lambda arg, ctx: PerFile(int(arg)), check=_check_per_file)


class Reranked:
    """A retriever whose candidates (``depth`` of them) pass through a reranker."""

    def __init__(self, inner: Retriever, reranker: Reranker, depth: int = 30):
        self.inner = inner
        self.reranker = reranker
        self.depth = getattr(reranker, "depth", depth)  # a reranker that reads only its first n candidates says so
        self.name = f"{inner.name}+{reranker.name}"

    def retrieve(self, question: str, k: int) -> Retrieval:
        got = self.inner.retrieve(question, max(k, self.depth))
        t = time.perf_counter()
        got.passages = self.reranker.rerank(question, got.passages, k)
        got.timings_ms["rerank"] = (time.perf_counter() - t) * 1000
        return got


def make_retriever(ctx: Context) -> Retriever:
    """The retriever the settings name, wrapped in the configured reranker."""
    retriever = RETRIEVERS.create(ctx.settings.retrieval, ctx)
    reranker = RERANKERS.create(ctx.settings.rerank, ctx)
    return Reranked(retriever, reranker) if reranker is not None else retriever
