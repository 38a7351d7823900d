"""Where an index lives and what it is made of: the one place that knows file and collection names.

An index of one corpus is a folder (``<home>/indexes/<corpus key>/``) holding the SQLite manifest,
the lock, the embedded Chroma store and, for hybrid retrieval, a BM25 index; plus one Chroma
collection per vector space:

``""``  chunks, main embedder (always present; its vectors answer dense queries)
``"s"`` sentences of each chunk, main embedder (fine-grained matching; reused as extractive evidence)
``"m"`` chunks, mUSE (a second, more language-neutral opinion)
``"ms"`` sentences, mUSE

Sentence ids are ``<chunk id>@<i>`` where ``i`` indexes ``chunk.sentences(chunk.text)``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from .. import chunk, load

SPACES_FOR = {"dense": ("",), "hybrid": ("",), "fusion": ("", "s", "m", "ms")}
ALL_SPACES = ("", "s", "m", "ms")
MUSE_SPACES = ("m", "ms")
SENTENCE_SPACES = ("s", "ms")
HUB_SPACES = ("", "m")  # chunk spaces whose hub scores fusion reads


def spaces_for(retrieval: str) -> tuple[str, ...]:
    """The spaces an index must hold for a retrieval mode (a plugin retriever reads the chunk space)."""
    return SPACES_FOR.get(retrieval, ("",))


@dataclass(frozen=True)
class Layout:
    """Paths and collection names of one corpus's index."""

    index_dir: Path
    corpus_key: str
    chroma_url: str | None = None

    @classmethod
    def of(cls, settings) -> "Layout":
        return cls(settings.index_dir, settings.corpus_key, settings.chroma_url)

    @property
    def manifest(self) -> Path:
        return self.index_dir / "manifest.sqlite"

    @property
    def new_manifest(self) -> Path:
        """Where a first build or a rebuild writes, until it is swapped in."""
        return self.index_dir / "manifest.new.sqlite"

    @property
    def lock(self) -> Path:
        return self.index_dir / "index.lock"

    @property
    def chroma_path(self) -> Path | None:
        """The embedded store's folder (None with a Chroma server)."""
        return None if self.chroma_url else self.index_dir / "chroma"

    @property
    def store_mark(self) -> Path | None:
        """A small file of ours inside the embedded store's folder: a lost and recreated folder lacks it."""
        return None if self.chroma_path is None else self.chroma_path / ".rag-store"

    def store_stamp(self, create: bool = False) -> str:
        """The token in :attr:`store_mark` ("" when there is none); ``create`` writes one if it is missing."""
        mark = self.store_mark
        if mark is None:
            return ""
        try:
            return mark.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            if not create:
                return ""
        token = uuid.uuid4().hex[:12]
        mark.write_text(token, encoding="ascii")
        return token

    @property
    def collection_prefix(self) -> str:
        return f"rag-{self.corpus_key}"

    def lexical(self, base: str) -> Path:
        return self.index_dir / f"bm25-{base}"

    def hubs(self, base: str) -> Path:
        """Hub scores of the chunk spaces (see :mod:`rag.index.hubs`)."""
        return self.index_dir / f"hubs-{base}.npz"


def collection(base: str, key: str) -> str:
    """The Chroma collection of space ``key`` in the index whose chunk collection is ``base``."""
    return base if not key else f"{base}-{key}"


def chunk_signature(settings) -> str:
    """Everything that decides chunk boundaries, locators and what is embedded; a change re-chunks every file on
    the next run (chunks whose content hash is unchanged keep their vectors). "loc2": chunks carry page, section, line;
    "load2": the loaders' text changed (rag.load.VERSION)."""
    base = f"{chunk.ENCODING}/{settings.chunk_tokens}/{settings.chunk_overlap}/loc2/{chunk.SENTENCE_RULES}" + ("/struct1" if chunk.STRUCTURE else "") + ("/items6" if chunk.ITEMS else "")
    base += f"/load{load.VERSION}" if load.VERSION > 1 else ""
    # ctx2: a document without headings is titled by a short first line; ctx3: or by a usage line under a banner
    return base + "/ctx3" if settings.contextual else base


def sentence_ids(chunk_id: str, n: int) -> list[str]:
    return [f"{chunk_id}@{i}" for i in range(n)]


def chunk_of(sentence_id: str) -> str:
    return sentence_id.rsplit("@", 1)[0]
