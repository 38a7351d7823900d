"""Which lower-case, name-shaped words of every question the dictionaries do not know (rag/answer/lexicon.py).

    python -m bench.lexicon_scan [--show 40]

A how-to or option question holding such a word, when no document contains it either, is refused as naming a tool
the documents never mention; so every ordinary word listed here is a possible false refusal. Reads the questions
of the evals (seeds, tech docs, clihelp), of bench/optdev and of XQuAD (en, de, es; from ``--data``).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from rag.answer.lexicon import name_like, ordinary
from rag.answer.signals import _stop_words
from rag.lang import detect

from .xquad import default_data_dir

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "seeds": ROOT / "evals/cases.jsonl", "techdocs": ROOT / "evals/techdocs/cases.jsonl",
    "clihelp": ROOT / "evals/clihelp/cases.jsonl", "optdev": ROOT / "bench/optdev/cases.jsonl",
}


def unknown(questions: list[str]) -> tuple[list[tuple[str, str]], int]:
    """The (word, detected language) pairs no dictionary knows, and how many distinct pairs were checked."""
    stop, words = _stop_words(), set()
    for q in questions:
        lang = detect(q)
        for i, m in enumerate(re.finditer(r"[^\W_]+(?:-[^\W_]+)*", q)):
            for w in {m.group(0), *m.group(0).split("-")}:
                hyphenated = "-" in w and re.fullmatch(r"[a-z]+(?:-[a-z]+)+", w)
                if w.islower() and w not in stop and (hyphenated or name_like(w, first=i == 0)):
                    words.add((w, lang))
    return sorted(k for k in words if not ordinary(*k)), len(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="the XQuAD directory")
    ap.add_argument("--show", type=int, default=40)
    args = ap.parse_args()
    sets = {name: [json.loads(line)["question"] for line in path.open(encoding="utf-8")] for name, path in CASES.items()}
    data = args.data or default_data_dir()
    for lang in ("en", "de", "es"):
        path = data / f"xquad.{lang}.json"
        if path.exists():
            sets[f"xquad-{lang}"] = [qa["question"] for a in json.loads(path.read_text(encoding="utf-8"))["data"] for p in a["paragraphs"] for qa in p["qas"]]
    for name, questions in sets.items():
        bad, n = unknown(questions)
        print(f"{name}: {len(bad)} of {n} words unknown:", " ".join(f"{w}/{lang}" for w, lang in bad[: args.show]))


if __name__ == "__main__":
    main()
