"""Any OpenAI-compatible ``/v1/chat/completions`` server."""
from __future__ import annotations

from urllib.parse import urlparse

from ..errors import BackendError
from .base import Completion, Message


class OpenAICompatible:
    """``/v1/chat/completions`` of OpenAI, vLLM, llama.cpp server, Ollama's /v1, LM Studio..."""

    def __init__(self, model: str, base_url: str, api_key: str | None, timeout: float, retries: int):
        from .http import JsonClient

        self.name = f"openai:{model}"
        self.model = model
        self.client = JsonClient(base_url, api_key, timeout=timeout, retries=retries, what="LLM server")
        # a server on this machine (llama.cpp, vLLM, Ollama's /v1) needs no key; a remote one does
        host = urlparse(base_url).hostname or ""
        self.needs_key = not (api_key and api_key.strip()) and host not in ("localhost", "::1") and not host.startswith("127.")

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion:
        if self.needs_key:
            raise BackendError(f"no API key for {self.name} at {self.client.base_url}", hint="set RAG_LLM_API_KEY (or OPENAI_API_KEY)")
        data = self.client.post("/chat/completions", {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": max_tokens})
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise BackendError("LLM server returned a malformed completion", hint="check that the server speaks the OpenAI chat API") from None
        if not isinstance(text, str) or not text.strip():
            raise BackendError("LLM server returned an empty completion", retryable=False)
        usage = data.get("usage") or {}
        return Completion(text=text, prompt_tokens=int(usage.get("prompt_tokens") or 0), completion_tokens=int(usage.get("completion_tokens") or 0))
