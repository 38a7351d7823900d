"""A GGUF model in-process through llama-index's ``LlamaCPP`` (the ``llamacpp`` extra)."""
from __future__ import annotations

import threading
from pathlib import Path

from ..errors import BackendError, ConfigError, missing_extra
from .base import Completion, Message


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
        return Completion(text=response.message.content or "", prompt_tokens=int(usage.get("prompt_tokens") or 0), completion_tokens=int(usage.get("completion_tokens") or 0))
