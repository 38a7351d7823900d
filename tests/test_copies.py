"""Never the same work twice: copies of a text are embedded once per run and answer as one passage.

Model-free (the hashing embedder records what it embeds); the default retrieval mode also runs the
real mUSE for its spaces, so the embedded texts are checked through the recording embedder.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from rag import chunk as chunking
from rag.api import Pipeline
from rag.embed.hashing import HashEmbedder
from rag.embed.once import EmbedOnce

from test_indexing import RecordingEmbedder, assert_store_matches_manifest, index, make_pipe

SENTENCES = [f"Sentence number {i} talks about topic {i} and the river near the old mill." for i in range(24)]
OPTIONS = {"chunk_tokens": 64, "chunk_overlap": 24, "hub_weight": 0.0, "language_weight": 0.0}  # hub scores embed probe questions: not passages


def write_copies(root: Path, copies: int) -> list[str]:
    """One multi-chunk document, copied into ``copies`` folders; returns the copy folders."""
    text = " ".join(SENTENCES) + "\n"
    names = [f"copy{i}" for i in range(copies)]
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "doc.txt").write_text(text, encoding="utf-8")
    return names


def one_copy(retrieval: str | None) -> set[str]:
    """The distinct texts the main embedder must embed for one copy of the document."""
    chunks = chunking.chunk_text("doc.txt", " ".join(SENTENCES) + "\n", OPTIONS["chunk_tokens"], OPTIONS["chunk_overlap"])
    texts = {c.text for c in chunks}
    if retrieval != "hybrid":
        texts |= {u for c in chunks for u in chunking.sentence_units(c.text)}
    return texts


@pytest.mark.parametrize("retrieval", ["hybrid", None], ids=["hybrid", "default"])
def test_n_copies_of_a_file_embed_the_chunks_of_one(tmp_path, retrieval):
    corpus = tmp_path / "copies"
    write_copies(corpus, 4)
    pipe = make_pipe(corpus, retrieval=retrieval, **OPTIONS)
    report, embedded = index(pipe)
    chunks = chunking.chunk_text("doc.txt", " ".join(SENTENCES) + "\n", OPTIONS["chunk_tokens"], OPTIONS["chunk_overlap"])
    assert len(chunks) > 3, "a document of several overlapping chunks"
    texts = pipe.embedder.inner.passages
    assert len(texts) == len(set(texts)) == embedded, "no text is embedded twice in one run"
    assert set(texts) == one_copy(retrieval)
    assert report.chunks_embedded == len(chunks)
    assert report.chunks_reused == 3 * len(chunks)
    assert report.chunks_total == 4 * len(chunks), "the index keeps every copy (each with its own passage id)"
    assert report.texts_embedded >= embedded
    assert_store_matches_manifest(pipe)


def test_overlapping_chunks_embed_their_shared_sentences_once(tmp_path):
    corpus = tmp_path / "one"
    write_copies(corpus, 1)
    pipe = make_pipe(corpus, **OPTIONS)
    index(pipe)
    texts = pipe.embedder.inner.passages
    sentences = [u for c in chunking.chunk_text("doc.txt", " ".join(SENTENCES) + "\n", 64, 24) for u in chunking.sentence_units(c.text)]
    assert len(sentences) > len(set(sentences)), "precondition: overlapping chunks repeat sentences"
    assert len(texts) == len(set(texts))


def test_copies_answer_as_one_passage_and_never_crowd_out_other_documents(tmp_path):
    corpus = tmp_path / "boilerplate"
    for i in range(30):
        (corpus / f"page{i:02d}").mkdir(parents=True)
        (corpus / f"page{i:02d}" / "footer.txt").write_text("Copyright river mill company. All rights reserved by the river mill.\n", encoding="utf-8")
    others = {f"note{i}.txt": f"The river mill note {i} mentions mill river topic {i} and lantern {i}.\n" for i in range(6)}
    for name, text in others.items():
        (corpus / name).write_text(text, encoding="utf-8")
    for retrieval in ("dense", "hybrid", "fusion"):
        pipe = Pipeline(corpus=corpus, embedder=HashEmbedder(64), retrieval=retrieval, home=tmp_path / f"home-{retrieval}")
        passages = pipe.retrieve("river mill", k=7)
        texts = [p.text for p in passages]
        assert len(texts) == len(set(texts)) == 7, f"{retrieval}: {texts}"
        assert {p.source for p in passages} >= set(others), f"{retrieval}: copies crowded out other documents"
        footer = [p for p in passages if p.source.endswith("footer.txt")]
        assert [p.source for p in footer] == ["page00/footer.txt"], "the canonical copy: the smallest passage id"
        for p in passages:
            assert p.passage_id == f"{p.source}#{p.start}-{p.end}"
            assert (corpus / p.source).read_text(encoding="utf-8")[p.start : p.end] == p.text
        pipe.close()


def test_the_next_copy_answers_when_the_canonical_file_goes(tmp_path):
    corpus = tmp_path / "copies"
    write_copies(corpus, 3)
    (corpus / "other.txt").write_text("A lantern on the harbour wall.\n", encoding="utf-8")
    pipe = make_pipe(corpus, retrieval="dense", **OPTIONS)
    index(pipe)
    first = pipe.retrieve("river old mill topic", k=50)
    assert {p.source for p in first} == {"copy0/doc.txt", "other.txt"}
    shutil.rmtree(corpus / "copy0")
    report, embedded = index(pipe)
    assert report.removed == 1 and embedded == 0
    after = pipe.retrieve("river old mill topic", k=50)
    assert {p.source for p in after} == {"copy1/doc.txt", "other.txt"}
    assert len(after) == len(first)


def test_embed_once_keeps_a_vector_only_until_its_last_planned_use():
    emb = RecordingEmbedder(8)
    once = EmbedOnce()
    once.plan(emb, ["a", "b", "a", "c", "a"])
    first = once.embed(emb, ["a", "b", "a"])
    assert emb.passages == ["a", "b"] and first.shape == (3, 8)
    assert np.array_equal(first[0], first[2])
    assert len(once._kept) == 1, "only 'a' is still to come"
    second = once.embed(emb, ["c", "a"])
    assert emb.passages == ["a", "b", "c"]
    assert np.array_equal(second[1], first[0])
    assert once._kept == {} and once._left == {}, "nothing is held after the last planned use"
    assert (once.embedded, once.reused) == (3, 2)
    unplanned = once.embed(emb, ["d", "d"])
    assert emb.passages == ["a", "b", "c", "d"] and np.array_equal(unplanned[0], unplanned[1])
