"""One spec parser and one registry type for every pluggable stage.

A spec is ``kind`` or ``kind:argument`` (``e5-small``, ``openai:gpt-4o-mini``,
``llamacpp:/models/x.gguf``). Each stage keeps one :class:`Registry` of factories
``(argument, settings) -> component``; third parties add more through the stage's
entry-point group (``rag.embedders``, ``rag.llms``, ``rag.loaders``, ``rag.retrievers``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from .errors import ConfigError

T = TypeVar("T")
Factory = Callable[[str, Any], T]


@dataclass(frozen=True)
class Spec:
    kind: str
    arg: str

    @classmethod
    def parse(cls, spec: str) -> "Spec":
        kind, _, arg = (spec or "").strip().partition(":")
        return cls(kind, arg)


class Registry(Generic[T]):
    """Factories by kind, plus the ones installed packages declare under ``group``."""

    def __init__(self, what: str, group: str, *, examples: str, needs_arg: tuple[str, ...] = (), arg_name: str = "model"):
        self.what = what
        self.arg_name = arg_name
        self.group = group
        self.examples = examples
        self.needs_arg = set(needs_arg)
        self._factories: dict[str, Factory] = {}
        self._checks: dict[str, Callable[[str], None]] = {}
        self._plugins_loaded = False

    def register(self, kind: str, factory: Factory, *, check: Callable[[str], None] | None = None) -> None:
        """Add (or replace) a kind; ``check`` validates the argument without building anything."""
        self._factories[kind] = factory
        if check is not None:
            self._checks[kind] = check

    def kinds(self) -> list[str]:
        self._load_plugins()
        return sorted(self._factories)

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=self.group):
            self._factories.setdefault(ep.name, ep.load())

    def validate(self, spec: str) -> Spec:
        """Check a spec without loading any model; a bad one fails with the valid forms listed."""
        parsed = Spec.parse(spec)
        if parsed.kind not in self._factories:
            self._load_plugins()
        if parsed.kind not in self._factories:
            raise ConfigError(f"unknown {self.what} spec '{spec}'", hint=f"valid: {self.examples}")
        if parsed.kind in self.needs_arg and not parsed.arg:
            raise ConfigError(f"{self.what} spec '{spec}' needs a {self.arg_name} after the colon", hint=f"e.g. {parsed.kind}:<{self.arg_name}>")
        if parsed.kind in self._checks:
            self._checks[parsed.kind](parsed.arg)
        return parsed

    def create(self, spec: str, settings: Any) -> T:
        parsed = self.validate(spec)
        return self._factories[parsed.kind](parsed.arg, settings)
