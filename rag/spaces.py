"""Vector spaces of an index: each is one Chroma collection holding chunk or sentence vectors of one embedder.

``""``  chunks, main embedder (always present; its vectors answer dense queries)
``"s"`` sentences of each chunk, main embedder (fine-grained matching; reused as extractive evidence)
``"m"`` chunks, mUSE (a second, more language-neutral opinion)
``"ms"`` sentences, mUSE

Sentence ids are ``<chunk id>@<i>`` where ``i`` indexes ``chunking.sentences(chunk.text)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import chunking
from .embedders import Embedder

SPACES_FOR = {"dense": ("",), "hybrid": ("",), "fusion": ("", "s", "m", "ms")}
MUSE_SPEC = "muse"


@dataclass(frozen=True)
class Space:
    key: str
    embedder: Embedder
    sentences: bool

    def collection(self, base: str) -> str:
        return base if not self.key else f"{base}-{self.key}"


def make_spaces(keys: tuple[str, ...] | list[str], embedder: Embedder, muse_factory) -> list[Space]:
    spaces = []
    for key in keys:
        if key in ("", "s"):
            spaces.append(Space(key, embedder, key == "s"))
        elif key in ("m", "ms"):
            spaces.append(Space(key, muse_factory(), key == "ms"))
    return spaces


def sentence_units(text: str) -> list[str]:
    return [text[s:e] for s, e in chunking.sentences(text)]


def sentence_ids(chunk_id: str, n: int) -> list[str]:
    return [f"{chunk_id}@{i}" for i in range(n)]


def chunk_of(sentence_id: str) -> str:
    return sentence_id.rsplit("@", 1)[0]
