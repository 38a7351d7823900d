"""Benchmarks and development helpers, run from a checkout (``python -m bench.perf``, ``python -m bench.xquad``).

They use the product only through :mod:`rag`'s public pipeline; nothing here is installed with the package.
"""
