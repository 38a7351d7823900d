"""The loading protocol: a loader turns one file's bytes into text units with locators."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..types import NOWHERE, Locator


@dataclass(kw_only=True)
class TextUnit:
    """A stretch of a document's text (a whole plain-text file, a page, a chapter).

    ``headings`` lists ``(offset within text, section path)`` where a new section starts, so a chunk
    can be told the section it begins in without the unit being split.
    """

    text: str
    locator: Locator = NOWHERE
    headings: list[tuple[int, str]] = field(default_factory=list)


class Loader(Protocol):
    """Turns one file's bytes into text units; raises :class:`Unreadable` with the reason."""

    name: str

    def load(self, data: bytes, source: str) -> list[TextUnit]: ...
