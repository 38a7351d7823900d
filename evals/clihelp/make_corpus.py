"""Build evals/clihelp/corpus: the translated ``--help`` texts of GNU command-line tools, one language per tool.

    python evals/clihelp/make_corpus.py   # needs the tools and their translations (Debian: coreutils, grep, sed, tar, wget, diffutils)

Each tool's help is written in one language only (``sort`` in German, ``ls`` in French, …), so the answer to
a question about a tool's option exists once, in one language. Not manual pages: the help texts the tools
print themselves.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

TOOLS = {
    "de": ["sort", "du", "diff"],
    "fr": ["ls", "df", "sed"],
    "it": ["cp", "wget"],
    "es": ["grep", "date"],
    "ru": ["tar", "head", "uniq"],
}


def write(tools_by_language: dict[str, list[str]], out: Path) -> None:
    """Each tool's ``--help`` in its language, as ``out/<tool>.<lang>.txt`` (also used by bench/optdev/make_corpus.py)."""
    out.mkdir(exist_ok=True)
    for lang, tools in tools_by_language.items():
        for tool in tools:
            env = {**os.environ, "LANGUAGE": lang, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
            text = subprocess.run([tool, "--help"], env=env, capture_output=True, text=True, check=True).stdout
            (out / f"{tool}.{lang}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    write(TOOLS, Path(__file__).parent / "corpus")


if __name__ == "__main__":
    main()
