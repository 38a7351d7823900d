"""What the command line shows a person: the answer with its sources, and a progress bar."""
from __future__ import annotations

import re
import sys

import typer


def progress():
    """A rich progress bar with ETA on stderr, started on the first event (rich is imported only then)."""
    state: dict = {}

    def callback(phase: str, done: int, total: int) -> None:
        if phase != "embed" or total == 0:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn("embedding chunks"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("embed", total=total)
        state["bar"].update(state["task"], completed=done, total=total)
        if done >= total:
            state.pop("bar").stop()

    def close() -> None:
        if "bar" in state:
            state.pop("bar").stop()

    callback.close = close  # type: ignore[attr-defined]
    return callback


def _readable(quote: str) -> str:
    """A quote as printed: its lines without the source's indentation and column padding (--json keeps it verbatim)."""
    lines = [re.sub(r"[ \t]{3,}", "  ", line.strip()) for line in quote.splitlines()]
    return "\n".join(line for line in lines if line)


def print_answer(answer, show_passages: bool, width: int) -> None:
    """The answer once: the short answer first, then each quote with where it is, then the confidence."""
    bold = (lambda text: typer.style(text, bold=True)) if sys.stdout.isatty() else (lambda text: text)  # noqa: E731
    if answer.lead:
        typer.echo(bold(f"→ {answer.lead}"))
    if answer.llm.startswith("extractive") and answer.citations:
        typer.echo(answer.answer.splitlines()[0])  # the intro; the quotes follow with their locations
        for c in answer.citations:
            typer.echo(f"[{c.n}] «{_readable(c.quote)}»\n    {c.location}" + (f"\n    columns: {c.columns}" if c.columns else ""))
    else:
        typer.echo(answer.answer)
        if answer.citations:
            typer.echo("\nSources:")
            for c in answer.citations:
                typer.echo(f"  [{c.n}] {c.location}: «{_readable(c.quote)}»" + (f" (columns: {c.columns})" if c.columns else ""))
    if answer.confidence:
        typer.echo(f"\nConfidence: {answer.confidence} (answerability {answer.answerability:.2f})")
    if answer.fallback:
        typer.echo(f"Note: the extractive answer is shown because {answer.fallback}.")
    if show_passages or answer.llm == "none":
        typer.echo("\nRetrieved passages, in rank order:")
        for i, p in enumerate(answer.passages, 1):
            text = " ".join(p.text.split())
            typer.echo(f"  {i}. {p.locator.label(p.source)}  (cosine {p.score:.3f}, {p.language})\n     {text if width <= 0 else text[:width]}")
    for w in answer.warnings:
        typer.echo(f"warning: {w}", err=True)
