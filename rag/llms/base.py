"""The completion protocol every answer-writing model implements."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Message = dict[str, str]


@dataclass(kw_only=True)
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


@runtime_checkable
class LLM(Protocol):
    """Completes a chat; raises :class:`rag.errors.BackendError` on failure."""

    name: str

    def complete(self, messages: list[Message], max_tokens: int = 384) -> Completion: ...
