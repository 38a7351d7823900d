"""Language models that write answers, behind one completion protocol, chosen by a spec string.

``openai:<model>`` talks to any OpenAI-compatible server; ``ollama:<model>`` to native Ollama;
``llamacpp:<path.gguf>`` runs in-process through llama-index's ``LlamaCPP``. Third parties
register more under the ``rag.llms`` entry-point group. Only :mod:`rag.llms.http` speaks HTTP.
"""
from __future__ import annotations

from ..registry import Registry
from .base import LLM, Completion, Message

__all__ = ["LLMS", "LLM", "Completion", "LazyLLM", "Message", "get_llm"]

def _secret(value) -> str | None:
    return value.get_secret_value() if value is not None else None


def _openai(arg, s) -> LLM:
    import os

    from .openai import OpenAICompatible

    key = _secret(s.llm_api_key) or os.environ.get("OPENAI_API_KEY")
    return OpenAICompatible(arg, s.llm_base_url, key, s.llm_timeout, s.llm_retries)


def _ollama(arg, s) -> LLM:
    from .ollama import Ollama

    return Ollama(arg, s.ollama_url, s.llm_timeout, s.llm_retries)


def _llamacpp(arg, s) -> LLM:
    from .llamacpp import LlamaCpp

    return LlamaCpp(arg, s.llm_threads, s.llm_max_tokens)


LLMS: Registry[LLM] = Registry(
    "LLM", "rag.llms", examples="extractive, openai:<model>, ollama:<model>, llamacpp:<path.gguf>", needs_arg=("openai", "ollama", "llamacpp")
)
LLMS.register("openai", _openai)
LLMS.register("ollama", _ollama)
LLMS.register("llamacpp", _llamacpp)


def get_llm(spec: str, settings) -> LLM:
    return LLMS.create(spec, settings)


class LazyLLM:
    """The LLM for ``spec``, loaded on the first completion (an abstention never loads a model)."""

    def __init__(self, spec: str, settings):
        self.spec = spec
        self.settings = settings
        self._llm: LLM | None = None

    @property
    def name(self) -> str:
        return self._llm.name if self._llm is not None else self.spec

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        if self._llm is None:
            self._llm = get_llm(self.spec, self.settings)
        return self._llm.complete(messages, max_tokens=max_tokens)
