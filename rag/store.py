"""The vector store seam and its Chroma implementation (embedded ``PersistentClient`` or ``HttpClient``).

Embeddings are always passed explicitly: Chroma never embeds anything itself.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from .errors import StoreError
from .settings import Settings

# Chroma and onnxruntime phone home unless told not to; set before chromadb is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


class Store(Protocol):
    """Where chunk vectors, texts and metadata live."""

    def upsert(self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]: ...

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float, str, dict[str, Any]]]: ...

    def ids(self) -> list[str]: ...

    def count(self) -> int: ...


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def chroma_client(settings: Settings, path: Path | None):
    """One Chroma client per location per process (two PersistentClients on one path conflict)."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError:  # pragma: no cover - chromadb is a core dependency
        raise StoreError("chromadb is not installed", hint="pip install chromadb") from None
    key = settings.chroma_url or str(path)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                if not url.hostname:
                    raise StoreError(f"invalid RAG_CHROMA_URL '{settings.chroma_url}'", hint="use http://HOST:PORT")
                client = chromadb.HttpClient(
                    host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000), ssl=url.scheme == "https", settings=chroma_settings
                )
                client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except StoreError:
            raise
        except Exception as exc:
            where = settings.chroma_url or str(path)
            raise StoreError(
                f"cannot open the Chroma store at {where}: {_first_line(exc)}",
                hint="start `chroma run --host 127.0.0.1` or fix RAG_CHROMA_URL" if settings.chroma_url else "move the damaged index away and run `rag index --rebuild`",
            ) from None
        _clients[key] = client
        return client


def forget_clients() -> None:
    """Drop cached clients (tests that delete index folders call this)."""
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

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float, str, dict[str, Any]]]:
        if n <= 0:
            return []
        got = self._guard(
            "query", self.collection.query, query_embeddings=[np.asarray(vector, np.float32)], n_results=n, include=["documents", "metadatas", "distances"]
        )
        return [
            (cid, 1.0 - float(dist), doc or "", meta or {})
            for cid, dist, doc, meta in zip(got["ids"][0], got["distances"][0], got["documents"][0], got["metadatas"][0])
        ]

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


def drop_collection(client: Any, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:
        pass


def list_collections(client: Any) -> list[str]:
    try:
        return [c if isinstance(c, str) else c.name for c in client.list_collections()]
    except Exception:
        return []
