"""A native Ollama server (``/api/chat``)."""
from __future__ import annotations

from ..errors import BackendError
from .base import Completion, Message


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
        return Completion(text=text, prompt_tokens=int(data.get("prompt_eval_count") or 0), completion_tokens=int(data.get("eval_count") or 0))
