"""The vector spaces of one index, written and deleted together (see :mod:`rag.index.layout`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..chunk import representation, sentence_units
from ..embed import Embedder
from ..embed.once import EmbedOnce
from ..types import Chunk
from .layout import MUSE_SPACES, SENTENCE_SPACES, chunk_of, collection, sentence_ids
from .store import StoreClient


SENTENCE_CONTEXT: tuple[str, ...] = ()


@dataclass(frozen=True)
class Space:
    key: str
    embedder: Embedder

    @property
    def sentences(self) -> bool:
        return self.key in SENTENCE_SPACES


def make_spaces(keys, embedder: Embedder, muse_factory) -> list[Space]:
    return [Space(key, muse_factory() if key in MUSE_SPACES else embedder) for key in keys]


def chunk_meta(c: Chunk) -> dict:
    """Chroma metadata of a chunk (Chroma takes no None values: a missing locator part is left out)."""
    meta = {"source": c.source, "start": c.start, "end": c.end, "language": c.language, "hash": c.hash}
    if c.locator.page is not None:
        meta["page"] = c.locator.page
    if c.locator.section:
        meta["section"] = c.locator.section
    if c.locator.line is not None:
        meta["line"] = c.locator.line
    return meta


class Stores:
    """The collections of one index, one per vector space, written and deleted together."""

    def __init__(self, client: StoreClient, base: str, spaces: list[Space], create: bool = True):
        self.base = base
        self.spaces = spaces
        self.by_key = {sp.key: client.open(collection(base, sp.key), create=create) for sp in spaces}
        self.primary = self.by_key[""]
        self.once = EmbedOnce()  # one run: each distinct text is embedded once per embedder
        self.modified = False  # any vector written or deleted through this object

    def _ids(self, sp: Space, chunk_id: str, n_sentences: int) -> list[str]:
        return sentence_ids(chunk_id, n_sentences) if sp.sentences else [chunk_id]

    def upsert(self, chunks: list[Chunk], vectors: dict[str, np.ndarray]) -> None:
        """Secondary spaces first, the chunk space last: a chunk present there has all its vectors."""
        self.modified = True
        for sp in sorted(self.spaces, key=lambda sp: sp.key == ""):
            store = self.by_key[sp.key]
            if sp.sentences:
                ids, texts, metas = [], [], []
                for c in chunks:
                    units = sentence_units(c.text)
                    ids += sentence_ids(c.id, len(units))
                    texts += units
                    metas += [{"chunk_id": c.id, "source": c.source}] * len(units)
                if ids:
                    store.upsert(ids, vectors[sp.key], texts, metas)
            else:
                store.upsert([c.id for c in chunks], vectors[sp.key], [c.text for c in chunks], [chunk_meta(c) for c in chunks])

    @staticmethod
    def texts(sp: Space, chunks: list[Chunk]) -> list[str]:
        """What space ``sp`` embeds for ``chunks``: their sentences (with the context only in ``SENTENCE_CONTEXT``
        spaces), or the chunks with their context (title, section path)."""
        if sp.sentences:
            return [(f"{c.context}: " if c.context and sp.key in SENTENCE_CONTEXT else "") + u for c in chunks for u in sentence_units(c.text)]
        return [representation(c) for c in chunks]

    def plan(self, chunks: list[Chunk]) -> None:
        """Announce the chunks this run will embed, so that texts repeated anywhere in them are embedded once."""
        for sp in self.spaces:
            self.once.plan(sp.embedder, self.texts(sp, chunks))

    def embed(self, chunks: list[Chunk]) -> dict[str, np.ndarray]:
        """Chunk spaces embed each chunk with its context (title, section path); sentence spaces embed the
        sentences, prefixed by the context only in ``SENTENCE_CONTEXT`` spaces (see evals/RESULTS.md)."""
        out = {}
        for sp in self.spaces:
            texts = self.texts(sp, chunks)
            out[sp.key] = self.once.embed(sp.embedder, texts) if texts else None
        return out

    def copy(self, pairs: list[tuple[Chunk, str]]) -> set[str]:
        """Give new chunks the vectors of committed chunks with the same content; returns the ids done."""
        done: set[str] = set()
        if not pairs:
            return done
        found: dict[str, dict[str, np.ndarray]] = {}
        for sp in self.spaces:
            ids = [i for c, old in pairs for i in self._ids(sp, old, c.n_sentences)]
            found[sp.key] = self.by_key[sp.key].vectors(sorted(set(ids)))
        ok = []
        for c, old in pairs:
            if all(all(i in found[sp.key] for i in self._ids(sp, old, c.n_sentences)) for sp in self.spaces):
                ok.append((c, old))
        if ok:
            vectors = {}
            for sp in self.spaces:
                rows = [found[sp.key][i] for c, old in ok for i in self._ids(sp, old, c.n_sentences)]
                vectors[sp.key] = rows
            self.upsert([c for c, _ in ok], vectors)
            done = {c.id for c, _ in ok}
        return done

    def refresh_meta(self, chunks: list[Chunk]) -> None:
        """Rewrite the chunk space's metadata of chunks whose vectors stay (e.g. after a locator change)."""
        if chunks:
            self.primary.update_meta([c.id for c in chunks], [chunk_meta(c) for c in chunks])

    def delete(self, chunks: dict[str, int]) -> None:
        """Delete chunks (id -> sentence count) from every space."""
        if not chunks:
            return
        self.modified = True
        for sp in self.spaces:
            ids = [i for cid, n in chunks.items() for i in self._ids(sp, cid, n)]
            self.by_key[sp.key].delete(ids)

    def collect_garbage(self, committed: set[str]) -> None:
        for sp in self.spaces:
            store = self.by_key[sp.key]
            orphans = [i for i in store.ids() if (chunk_of(i) if sp.sentences else i) not in committed]
            self.modified |= bool(orphans)
            store.delete(orphans)

    def upserted(self, chunks: list[Chunk]) -> set[str]:
        """Ids a killed run upserted but never committed, whose content still matches."""
        if not chunks:
            return set()
        try:
            metas = self.primary.metadatas([c.id for c in chunks])
        except Exception:
            return set()
        want = {c.id: c.hash for c in chunks}
        return {cid for cid, meta in metas.items() if want.get(cid) == meta.get("hash")}
