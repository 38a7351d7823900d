"""The vector store seam and its Chroma implementation (embedded ``PersistentClient`` or ``HttpClient``).

This is the only module that imports chromadb: every other stage talks to :class:`Store` and
:class:`StoreClient`, and every Chroma failure surfaces here as :class:`StoreError` with a hint.
Embeddings are always passed explicitly: Chroma never embeds anything itself.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from ..errors import StoreError

# Chroma and onnxruntime phone home unless told not to; set before chromadb is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


@dataclass(frozen=True)
class Hit:
    """One nearest neighbour: ``score`` is the cosine similarity (1 - cosine distance)."""

    id: str
    score: float
    text: str = ""
    meta: dict[str, Any] | None = None


class Store(Protocol):
    """One collection of vectors with their texts and metadata."""

    name: str

    def upsert(self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]: ...

    def metadatas(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def update_meta(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None: ...

    def query(self, vector: np.ndarray, n: int, *, documents: bool = True) -> list[Hit]: ...

    def ids(self) -> list[str]: ...

    def count(self) -> int: ...


class StoreClient(Protocol):
    """A place holding collections: the embedded store of one index, or a Chroma server."""

    def open(self, name: str, create: bool = False) -> Store: ...

    def names(self) -> list[str]: ...

    def drop(self, name: str) -> None: ...


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def open_client(url: str | None, path: Path | None) -> "ChromaClient":
    """The Chroma server at ``url``, else the embedded store at ``path``."""
    return ChromaClient(_client(url, path))


def _client(url: str | None, path: Path | None):
    """One Chroma client per location per process (two PersistentClients on one path conflict)."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError:  # pragma: no cover - chromadb is a core dependency
        raise StoreError("chromadb is not installed", hint="pip install chromadb") from None
    key = url or str(path)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                parsed = urlparse(url)
                if not parsed.hostname:
                    raise StoreError(f"invalid RAG_CHROMA_URL '{url}'", hint="use http://HOST:PORT")
                client = chromadb.HttpClient(
                    host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 8000), ssl=parsed.scheme == "https", settings=chroma_settings
                )
                client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except StoreError:
            raise
        except Exception as exc:
            where = url or str(path)
            raise StoreError(
                f"cannot open the Chroma store at {where}: {_first_line(exc)}",
                hint="start `chroma run --host 127.0.0.1` or fix RAG_CHROMA_URL" if url else "move the damaged index away and run `rag index --rebuild`",
            ) from None
        _clients[key] = client
        return client


def forget_clients() -> None:
    """Drop cached clients (tests that delete index folders, or simulate a new process, call this)."""
    with _clients_lock:
        _clients.clear()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


class ChromaStore:
    """One Chroma collection of chunks."""

    def __init__(self, client: Any, name: str, create: bool = True):
        self.name = name
        try:
            if create:
                self.collection = client.get_or_create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})
            else:
                self.collection = client.get_collection(name, embedding_function=None)
        except Exception as exc:
            raise StoreError(f"cannot open Chroma collection '{name}': {_first_line(exc)}", hint="run `rag index --rebuild`") from None
        self._max_batch = 1000
        try:
            self._max_batch = min(5000, int(client.get_max_batch_size()))
        except Exception:
            pass

    def _guard(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreError(f"Chroma {what} failed: {_first_line(exc)}", hint="check the store; `rag index --rebuild` recreates it") from None

    def upsert(self, ids, vectors, texts, metadatas) -> None:
        for i in range(0, len(ids), self._max_batch):
            j = i + self._max_batch
            self._guard("upsert", self.collection.upsert, ids=ids[i:j], embeddings=np.asarray(vectors[i:j], np.float32), documents=texts[i:j], metadatas=metadatas[i:j])

    def update_meta(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        for i in range(0, len(ids), self._max_batch):
            j = i + self._max_batch
            self._guard("update", self.collection.update, ids=ids[i:j], metadatas=metadatas[i:j])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), self._max_batch):
            self._guard("delete", self.collection.delete, ids=ids[i : i + self._max_batch])

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), self._max_batch):
            got = self._guard("get", self.collection.get, ids=ids[i : i + self._max_batch], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"]):
                out[cid] = np.asarray(vec, np.float32)
        return out

    def metadatas(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), self._max_batch):
            got = self._guard("get", self.collection.get, ids=ids[i : i + self._max_batch], include=["metadatas"])
            for cid, meta in zip(got["ids"], got["metadatas"]):
                out[cid] = meta or {}
        return out

    def query(self, vector: np.ndarray, n: int, *, documents: bool = True) -> list[Hit]:
        """The ``n`` nearest vectors, best first; ``documents=False`` skips texts and metadata (faster)."""
        if n <= 0:
            return []
        include = ["documents", "metadatas", "distances"] if documents else ["distances"]
        got = self._guard("query", self.collection.query, query_embeddings=[np.asarray(vector, np.float32)], n_results=n, include=include)
        ids, dists = got["ids"][0], got["distances"][0]
        if not documents:
            return [Hit(cid, 1.0 - float(d)) for cid, d in zip(ids, dists)]
        return [Hit(cid, 1.0 - float(d), doc or "", meta or {}) for cid, d, doc, meta in zip(ids, dists, got["documents"][0], got["metadatas"][0])]

    def ids(self) -> list[str]:
        out: list[str] = []
        offset = 0
        while True:
            got = self._guard("get", self.collection.get, include=[], limit=self._max_batch, offset=offset)
            out.extend(got["ids"])
            if len(got["ids"]) < self._max_batch:
                return out
            offset += self._max_batch

    def count(self) -> int:
        return int(self._guard("count", self.collection.count))


class ChromaClient:
    """The collections of one Chroma location (:class:`StoreClient`)."""

    def __init__(self, client: Any):
        self._client = client

    def open(self, name: str, create: bool = False) -> ChromaStore:
        return ChromaStore(self._client, name, create=create)

    def names(self) -> list[str]:
        try:
            return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]
        except Exception:
            return []

    def drop(self, name: str) -> None:
        try:
            self._client.delete_collection(name)
        except Exception:
            pass
