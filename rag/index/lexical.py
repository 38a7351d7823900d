"""The BM25 index (bm25s) of every committed chunk, for hybrid retrieval: built at index time, read at query time."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np

from .manifest import Manifest

NEEDED_BY = {"hybrid"}  # retrieval modes that read it

_TOKEN = re.compile(r"\w+", re.UNICODE)
_STEM_LEN = 7


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens cut to 7 characters: a crude stemmer that works in every language."""
    return [w[:_STEM_LEN] for w in _TOKEN.findall(text.lower()) if len(w) > 1 or w.isdigit()]


def build(m: Manifest, target: Path) -> None:
    """Build the BM25 index of every committed chunk; written aside, then renamed into place."""
    import bm25s

    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    ids, corpus = [], []
    for cid, _source, _lang, text in m.iter_chunks():
        ids.append(cid)
        corpus.append(tokens(text))
    tmp.mkdir(parents=True)
    if ids:
        model = bm25s.BM25()
        model.index(corpus, show_progress=False)
        model.save(str(tmp), show_progress=False)
    (tmp / "ids.json").write_text(json.dumps(ids))
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    for stale in target.parent.glob("bm25-*"):
        if stale.name != target.name and not stale.name.endswith(".tmp"):
            shutil.rmtree(stale, ignore_errors=True)


class LexicalIndex:
    """A built BM25 index: chunk ids with their BM25 scores for a question."""

    def __init__(self, path: Path):
        import bm25s

        self.ids: list[str] = json.loads((path / "ids.json").read_text()) if (path / "ids.json").exists() else []
        self.model = bm25s.BM25.load(str(path), show_progress=False) if self.ids else None

    def search(self, question: str, n: int) -> list[tuple[str, float]]:
        if self.model is None:
            return []
        words = [t for t in tokens(question) if t in self.model.vocab_dict]
        if not words:
            return []
        scores = self.model.get_scores(words)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
