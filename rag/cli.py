"""Command line: ``ask`` and ``rag``. Parses arguments and prints; :mod:`rag.api` does the work."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from . import display

# plain help: typer's rich help prints "<bool>" after every flag
app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="Multilingual, citation-first question answering over a folder of documents."
)
ask_app = typer.Typer(add_completion=False, rich_markup_mode=None)


def _fail(exc: BaseException) -> None:
    """One line on stderr, no traceback; exit 1 (2 for usage errors)."""
    from .errors import RagError

    if isinstance(exc, RagError):
        line, code = exc.one_line(), exc.exit_code
    else:
        line, code = f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}", 1
        if os.environ.get("RAG_DEBUG") == "1":
            raise exc
    typer.echo(line, err=True)
    raise typer.Exit(code)


class _Guard:
    """Context manager turning every failure into :func:`_fail`."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, (typer.Exit, typer.Abort, SystemExit)):
            return False
        if isinstance(exc, KeyboardInterrupt):
            typer.echo("interrupted", err=True)
            raise typer.Exit(130)
        _fail(exc)
        return False


def _options(**kw):
    return {k: v for k, v in kw.items() if v is not None}


def _run_ask(question, k, llm, embedder, corpus, json_out, show_passages, retrieve_only, chroma_url, width=0) -> None:
    with _Guard():
        from .api import Pipeline, clean_question

        question = clean_question(question)  # a bad question fails before any indexing work
        pipe = Pipeline(**_options(k=k, llm=llm, embedder=embedder, corpus=corpus, chroma_url=chroma_url))
        progress = display.progress()
        try:
            report = pipe.ensure_index(progress=progress)
        finally:
            progress.close()
        for item in report.skipped if report is not None else []:
            typer.echo(f"warning: skipped {item}", err=True)
        if report is not None and report.touched:
            typer.echo(f"indexed {report.added} new, {report.changed} changed, {report.removed} removed files ({report.chunks_embedded} chunks embedded)", err=True)
        answer = pipe.ask(question, retrieve_only=retrieve_only)
        if json_out:
            typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            display.print_answer(answer, show_passages, width)


QUESTION = typer.Argument(..., help="The question, in any language.", metavar="QUESTION")
K = typer.Option(None, "--k", "-k", help="Passages to retrieve (RAG_K).")
LLM_OPT = typer.Option(None, "--llm", help="Answerer: extractive, openai:<model>, ollama:<model>, llamacpp:<path.gguf> (RAG_LLM).")
EMB_OPT = typer.Option(None, "--embedder", help="Embedder: e5-small, muse, st:<model>, openai:<model> (RAG_EMBEDDER).")
CORPUS_OPT = typer.Option(None, "--corpus", help="Folder of documents (RAG_CORPUS; default: the seeds).")
JSON_OPT = typer.Option(False, "--json", help="Print one JSON object.")
SHOW_OPT = typer.Option(False, "--show-passages", help="Also print the retrieved passages.")
RETRIEVE_OPT = typer.Option(False, "--retrieve-only", help="Only retrieve; no answer.")
CHROMA_OPT = typer.Option(None, "--chroma-url", help="Chroma server URL (RAG_CHROMA_URL).")
WIDTH_OPT = typer.Option(0, "--width", help="Cut each shown passage to this many characters (0: whole passages).")


def ask_command(
    question: str = QUESTION, k: Optional[int] = K, llm: Optional[str] = LLM_OPT, embedder: Optional[str] = EMB_OPT,
    corpus: Optional[Path] = CORPUS_OPT, json_out: bool = JSON_OPT, show_passages: bool = SHOW_OPT,
    retrieve_only: bool = RETRIEVE_OPT, chroma_url: Optional[str] = CHROMA_OPT, width: int = WIDTH_OPT,
) -> None:
    """Answer QUESTION from the documents, in the question's language, with cited sources."""
    _run_ask(question, k, llm, embedder, corpus, json_out, show_passages, retrieve_only, chroma_url, width)


ask_app.command()(ask_command)
app.command("ask")(ask_command)


@app.command("index")
def index_command(
    corpus: Optional[Path] = typer.Argument(None, help="Folder to index (default: RAG_CORPUS or the seeds)."),
    embedder: Optional[str] = EMB_OPT,
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-embed everything into a fresh collection (needed after changing the embedder)."),
    json_out: bool = JSON_OPT,
    chroma_url: Optional[str] = CHROMA_OPT,
    corpus_opt: Optional[Path] = typer.Option(None, "--corpus", help="The folder, as `ask --corpus` takes it."),
) -> None:
    """Index a folder, or bring its index up to date."""
    with _Guard():
        from .api import Pipeline
        from .errors import ConfigError

        if corpus and corpus_opt and corpus != corpus_opt:
            raise ConfigError(f"two folders given: {corpus} and --corpus {corpus_opt}", hint="give one")
        corpus = corpus or corpus_opt

        pipe = Pipeline(**_options(corpus=corpus, embedder=embedder, chroma_url=chroma_url))
        progress = display.progress()
        try:
            report = pipe.index(rebuild=rebuild, progress=progress)
        finally:
            progress.close()
        for item in report.skipped:
            typer.echo(f"warning: skipped {item}", err=True)
        if json_out:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            typer.echo(
                f"{pipe.settings.corpus_root}: {report.added} added, {report.changed} changed, {report.removed} removed, "
                f"{report.unchanged} unchanged files; {report.chunks_embedded} chunks embedded, {report.chunks_reused} reused, "
                f"{report.chunks_total} in the index ({report.seconds:.1f} s)"
            )
        if report.chunks_total == 0:
            from .errors import empty_corpus
            from .load import suffixes

            raise empty_corpus(pipe.settings.corpus_root, suffixes())


@app.command("status")
def status_command(corpus: Optional[Path] = CORPUS_OPT, json_out: bool = JSON_OPT) -> None:
    """Show the corpus, the index location, the embedder and counts (secrets redacted)."""
    with _Guard():
        from .api import Pipeline

        info = Pipeline(**_options(corpus=corpus)).status()
        if json_out:
            typer.echo(json.dumps(info, ensure_ascii=False, default=str))
            return
        for key, value in info.items():
            if key != "settings":
                typer.echo(f"{key:16} {value}")
        typer.echo("settings:")
        for key, value in info["settings"].items():
            typer.echo(f"  {key:16} {value}")


@app.command("eval")
def eval_command(
    cases: Path = typer.Option(Path("evals/cases.jsonl"), "--cases", help="Eval cases (JSONL)."),
    llm: Optional[str] = LLM_OPT,
    embedder: Optional[str] = EMB_OPT,
    k: Optional[int] = K,
    corpus: Optional[Path] = CORPUS_OPT,
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write the full JSON report here."),
    gate: Optional[str] = typer.Option(None, "--gate", help="Fail (exit 1) below the thresholds of this profile in evals/thresholds.toml."),
    thresholds: Path = typer.Option(Path("evals/thresholds.toml"), "--thresholds", help="Thresholds file for --gate."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N cases."),
    ids: Optional[str] = typer.Option(None, "--ids", help="Comma-separated case ids to run."),
) -> None:
    """Run the eval cases through the real pipeline and print retrieval, citation, abstention and answer metrics."""
    with _Guard():
        from . import eval as evals
        from .api import Pipeline

        selected = evals.load_cases(cases)
        if ids:
            wanted = set(ids.split(","))
            selected = [c for c in selected if c.id in wanted]
        if limit:
            selected = selected[:limit]
        pipe = Pipeline(**_options(llm=llm, embedder=embedder, corpus=corpus))
        report = evals.run(selected, pipe, k or pipe.settings.k)
        evals.render_table(report)
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        if gate:
            failures = evals.check_gates(report, evals.load_thresholds(thresholds, gate))
            for line in failures:
                typer.echo(f"GATE FAILED: {line}", err=True)
            if failures:
                raise typer.Exit(1)
            typer.echo(f"all [{gate}] gates passed")


def main() -> None:
    app()


def ask_main() -> None:
    ask_app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
