"""Where a cold `ask` spends its time: run as a new process, it does what `ask QUESTION` does, stage by stage,
and prints one JSON object of milliseconds (wall and CPU) per stage. Used by :mod:`bench.perf`.

    python -m bench.coldstart "QUESTION"     # RAG_* variables choose the corpus, home and settings
"""
from __future__ import annotations

import json
import sys
import time

_T0 = time.perf_counter()
_C0 = time.process_time()


class Marks:
    def __init__(self) -> None:
        self.last = (_T0, _C0)
        self.stages: dict[str, dict[str, float]] = {}

    def __call__(self, name: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.stages[name] = {"wall_ms": round((now[0] - self.last[0]) * 1000, 1), "cpu_ms": round((now[1] - self.last[1]) * 1000, 1)}
        self.last = now


def main(question: str) -> dict:
    mark = Marks()
    import numpy  # noqa: F401  # pyflakes: the import is what is timed

    mark("import numpy")
    import rag.cli  # noqa: F401  (typer)

    mark("import rag.cli (typer)")
    from rag.api import Pipeline

    mark("import rag.api (pydantic-settings, the stages)")
    pipe = Pipeline()
    mark("settings")
    stale = pipe.needs_index()
    mark("change check (scan + manifest)")
    pipe.embedder.embed_queries  # noqa: B018
    mark("load e5")
    if pipe.settings.retrieval == "fusion":
        from rag.embed import get_embedder

        get_embedder("muse", pipe.settings)._model()
    mark("load mUSE")
    pipe.retriever()
    mark("open the index (snapshot or Chroma)")
    answer = pipe.ask(question)
    mark("first question (embed, search, evidence, answer)")
    from rag import display

    display.print_answer(answer, False, 0)
    mark("print")
    return {
        "stages": mark.stages, "total_ms": round((time.perf_counter() - _T0) * 1000, 1), "stale": stale,
        "chromadb_imported": "chromadb" in sys.modules, "snapshot": pipe._view.snapshot is not None,
    }


if __name__ == "__main__":
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        result = main(sys.argv[1])
    print(json.dumps(result))
