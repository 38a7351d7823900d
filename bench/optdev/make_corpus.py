"""Build bench/optdev/corpus: the translated ``--help`` texts of 15 GNU command-line tools, one language per tool.

    python bench/optdev/make_corpus.py   # needs the tools and their translations (Debian: coreutils)

Each tool's help is written in one language only (``wc`` in German, ``mkdir`` in French, …), so the answer to
a question about a tool's option exists once, in one language. None of these tools is in evals/clihelp, so this
development set stays apart from the gated eval. Not manual pages: the help texts the tools print themselves.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

TOOLS = {
    "de": ["wc", "chmod", "split"],
    "fr": ["mkdir", "nl", "tr"],
    "it": ["cut", "mv", "touch"],
    "es": ["ln", "rm", "tail"],
    "ru": ["od", "timeout", "shuf"],
}


def main() -> None:
    """Write the corpus with evals/clihelp/make_corpus.py's writer."""
    path = Path(__file__).resolve().parents[2] / "evals" / "clihelp" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("clihelp_make_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(TOOLS, Path(__file__).parent / "corpus")


if __name__ == "__main__":
    main()
