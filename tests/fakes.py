"""Test doubles: a deterministic fake LLM with queued replies and a recorded call history."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.llms import Completion, Message


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
        return Completion(text=text, prompt_tokens=sum(len(m["content"]) // 4 for m in messages), completion_tokens=len(text) // 4)
