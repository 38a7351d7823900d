"""Answer-writing LLMs behind one protocol, chosen by a spec string.

``extractive`` needs no model (see :mod:`rag.answering`); ``openai:<model>`` talks to any
OpenAI-compatible server; ``ollama:<model>`` to native Ollama; ``llamacpp:<path.gguf>`` runs
in-process through llama-index's ``LlamaCPP``. Third parties register more under the
``rag.llms`` entry-point group.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

from .errors import BackendError, ConfigError, missing_extra
from .settings import Settings

Message = dict[str, str]


@dataclass
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


@runtime_checkable
class LLM(Protocol):
    """Completes a chat; raises :class:`BackendError` on failure."""

    name: str

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion: ...


class Extractive:
    """Marker for the model-free answerer; :mod:`rag.answering` does the work."""

    name = "extractive"

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:  # pragma: no cover
        raise BackendError("the extractive answerer does not complete chats")


class OpenAICompatible:
    """``/v1/chat/completions`` of OpenAI, vLLM, llama.cpp server, Ollama's /v1, LM Studio..."""

    def __init__(self, model: str, base_url: str, api_key: str | None, timeout: float, retries: int):
        from .http import JsonClient

        self.name = f"openai:{model}"
        self.model = model
        self.client = JsonClient(base_url, api_key, timeout=timeout, retries=retries, what="LLM server")

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        data = self.client.post("/chat/completions", {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": max_tokens})
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise BackendError("LLM server returned a malformed completion", hint="check that the server speaks the OpenAI chat API") from None
        if not isinstance(text, str) or not text.strip():
            raise BackendError("LLM server returned an empty completion", retryable=False)
        usage = data.get("usage") or {}
        return Completion(text, int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))


class Ollama:
    """Native Ollama ``/api/chat``."""

    def __init__(self, model: str, base_url: str, timeout: float, retries: int):
        from .http import JsonClient

        self.name = f"ollama:{model}"
        self.model = model
        self.client = JsonClient(base_url, None, timeout=timeout, retries=retries, what="Ollama server")

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        data = self.client.post(
            "/api/chat", {"model": self.model, "messages": messages, "stream": False, "options": {"temperature": 0, "num_predict": max_tokens}}
        )
        text = (data.get("message") or {}).get("content") if isinstance(data.get("message"), dict) else None
        if not isinstance(text, str) or not text.strip():
            raise BackendError("Ollama returned an empty or malformed reply")
        return Completion(text, int(data.get("prompt_eval_count") or 0), int(data.get("eval_count") or 0))


class LlamaCpp:
    """A GGUF model in-process via llama-index's ``LlamaCPP`` (llama-cpp-python)."""

    def __init__(self, path: str, threads: int, max_tokens: int):
        model_path = Path(path).expanduser()
        if not model_path.is_file():
            raise ConfigError(f"GGUF model not found: {model_path}", hint="pass llamacpp:/path/to/model.gguf")
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError:
            raise missing_extra("llama-index-llms-llama-cpp", "llamacpp") from None
        self.name = f"llamacpp:{model_path.name}"
        self._lock = threading.Lock()
        try:
            self._llm = LlamaCPP(
                model_path=str(model_path),  # given explicitly, so nothing is downloaded
                temperature=0.0,
                max_new_tokens=max_tokens,
                context_window=4096,
                model_kwargs={"n_threads": threads, "n_threads_batch": threads, "n_gpu_layers": 0},
                verbose=False,
            )
        except Exception as exc:
            raise ConfigError(f"cannot load GGUF model {model_path.name}: {str(exc).splitlines()[0][:160]}") from None

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        with self._lock:
            try:
                response = self._llm.chat(chat, max_tokens=max_tokens)
            except Exception as exc:
                raise BackendError(f"llama.cpp generation failed: {str(exc)[:160]}") from None
        raw = getattr(response, "raw", None) or {}
        usage = raw.get("usage", {}) if isinstance(raw, dict) else {}
        return Completion(response.message.content or "", int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))


@dataclass
class FakeLLM:
    """Deterministic LLM for tests: returns queued replies (or a default) and records every call."""

    replies: list[str] = field(default_factory=list)
    default: str = "I don't know: the documents do not answer this question."
    name: str = "fake"
    calls: list[list[Message]] = field(default_factory=list)
    error: Exception | None = None

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        self.calls.append(messages)
        if self.error is not None:
            raise self.error
        text = self.replies.pop(0) if self.replies else self.default
        return Completion(text, sum(len(m["content"]) // 4 for m in messages), len(text) // 4)


def _secret(value) -> str | None:
    return value.get_secret_value() if value is not None else None


Factory = Callable[[str, Settings], LLM]
REGISTRY: dict[str, Factory] = {
    "extractive": lambda arg, s: Extractive(),
    "openai": lambda arg, s: OpenAICompatible(arg, s.llm_base_url, _secret(s.llm_api_key), s.llm_timeout, s.llm_retries),
    "ollama": lambda arg, s: Ollama(arg, s.ollama_url, s.llm_timeout, s.llm_retries),
    "llamacpp": lambda arg, s: LlamaCpp(arg, s.llm_threads, s.llm_max_tokens),
    "fake": lambda arg, s: FakeLLM(default=arg or FakeLLM.default),
}
_NEEDS_ARG = {"openai", "ollama", "llamacpp"}


def validate_spec(spec: str) -> dict[str, Factory]:
    """Check an LLM spec without loading anything; returns the registry that knows it."""
    kind, _, arg = (spec or "").strip().partition(":")
    registry = REGISTRY
    if kind not in registry:
        from importlib.metadata import entry_points

        registry = {**REGISTRY, **{ep.name: ep.load() for ep in entry_points(group="rag.llms")}}
    if kind not in registry:
        raise ConfigError(f"unknown LLM spec '{spec}'", hint="valid: extractive, openai:<model>, ollama:<model>, llamacpp:<path.gguf>")
    if kind in _NEEDS_ARG and not arg:
        raise ConfigError(f"LLM spec '{spec}' needs a model after the colon", hint=f"e.g. {kind}:<model>")
    return registry


def get_llm(spec: str, settings: Settings) -> LLM:
    registry = validate_spec(spec)
    kind, _, arg = (spec or "").strip().partition(":")
    return registry[kind](arg, settings)
