"""Error hierarchy: every failure a user can cause becomes one of these, with a hint."""
from __future__ import annotations


class RagError(Exception):
    """Base error. ``hint`` tells the user what to do next."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())


class ConfigError(RagError):
    """Bad settings, unknown backend spec, missing optional extra."""


class UsageError(RagError):
    """Bad user input, such as an empty question."""

    exit_code = 2


class CorpusError(RagError):
    """Missing, empty or unreadable corpus."""


class StoreError(RagError):
    """The vector store or the index manifest cannot be used."""


class IndexBusyError(StoreError):
    """Another process holds the index lock."""


class EmbedderMismatchError(StoreError):
    """The index was built with another embedder."""


class BackendError(RagError):
    """An embedding or LLM backend failed. ``retryable`` marks transient faults."""

    def __init__(self, message: str, hint: str | None = None, retryable: bool = False):
        super().__init__(message, hint)
        self.retryable = retryable


def empty_corpus(root, supported: tuple[str, ...]) -> CorpusError:
    return CorpusError(
        f"no readable documents in {root}",
        hint=f"add files of a supported type ({' '.join(supported)}); `rag index` lists every skipped file and why",
    )


def missing_extra(package: str, extra: str) -> ConfigError:
    return ConfigError(
        f"the optional package '{package}' is not installed",
        hint=f"pip install 'rag-ask[{extra}]'",
    )
