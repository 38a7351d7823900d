"""What makes a cold `ask` fast, checked by what it does rather than by how long it takes: mUSE's unpacked
weights come from the cache, a small index answers from its vector snapshot without importing chromadb,
and both give exactly what the slow paths give. (Timings live in bench/perf.py, never in tests.)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS, fresh_process_state

from rag.api import Pipeline
from rag.embed import muse_cache
from rag.embed.muse import Muse
from rag.index import open_view

TEXTS = [p.read_text(encoding="utf-8")[:400] for p in sorted(SEEDS.iterdir())] + ["why did Microsoft hire Suleyman?", "Сколько денег?", "", "x" * 50]


def test_muse_from_the_cache_gives_the_package_vectors(tmp_path):
    package = Muse()
    first = Muse(cache_dir=tmp_path)
    assert np.array_equal(first.embed_queries(TEXTS), package.embed_queries(TEXTS)), "the start that writes the cache"
    folders = list(tmp_path.iterdir())
    assert [f.name for f in folders] == [muse_cache.folder(tmp_path).name], "one folder, no temporary leftovers"
    cached = Muse(cache_dir=tmp_path)
    assert np.array_equal(cached.embed_queries(TEXTS[-3:]), package.embed_queries(TEXTS[-3:]))
    assert isinstance(cached._backend.sp._prefixes, muse_cache.CachedPieces), "a question is tokenised by binary search"
    assert isinstance(cached._backend.table, np.memmap), "the table is mapped, not unpacked"
    assert np.array_equal(cached.embed_passages(TEXTS * 3), package.embed_passages(TEXTS * 3))
    assert isinstance(cached._backend.sp._prefixes, dict), "many passages switch to the package's dictionary"


def test_a_damaged_muse_cache_falls_back_and_is_written_again(tmp_path):
    Muse(cache_dir=tmp_path).embed_queries(["warm"])
    folder = muse_cache.folder(tmp_path)
    (folder / muse_cache.TABLE).write_bytes(b"truncated")
    assert np.array_equal(Muse(cache_dir=tmp_path).embed_queries(TEXTS), Muse().embed_queries(TEXTS))
    assert not folder.exists(), "the damaged folder is removed"
    Muse(cache_dir=tmp_path).embed_queries(["again"])
    assert (folder / muse_cache.TABLE).stat().st_size > 60_000_000


WRITE_CACHE = "import sys; from pathlib import Path; from rag.embed.muse import Muse; print(Muse(cache_dir=Path(sys.argv[1])).embed_queries(['a question'])[0][:4].tolist())"


def test_two_processes_writing_the_muse_cache_at_once(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITE_CACHE, str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert outs[0][0] == outs[1][0]
    assert [f.name for f in tmp_path.iterdir()] == [muse_cache.folder(tmp_path).name]


ASK_IMPORTS = """
import json, sys
from rag.cli import ask_main
sys.argv = ["ask", "Kuchen Eier Mehl", "--json"]
try:
    ask_main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in ("chromadb", "llama_index", "torch", "rich.progress") if m in sys.modules)), file=sys.stderr)
"""


def test_a_cold_ask_on_a_small_index_imports_no_chromadb(small_corpus):
    env = {**os.environ, "RAG_CORPUS": str(small_corpus), "RAG_EMBEDDER": "hash:64", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    first = subprocess.run([sys.executable, "-c", ASK_IMPORTS], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "chromadb" in json.loads(first.stderr.splitlines()[-1]), "the first ask indexes, through Chroma"
    again = subprocess.run([sys.executable, "-c", ASK_IMPORTS], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stderr.splitlines()[-1]) == [], "a cold ask on an unchanged small index imports none of these"
    assert json.loads(again.stdout)["passages"] == json.loads(first.stdout)["passages"]


@pytest.mark.parametrize("retrieval", ["dense", "fusion"])
def test_the_snapshot_answers_exactly_what_chroma_answers(seeds_copy, retrieval):
    snap = Pipeline(corpus=seeds_copy, embedder="hash:256", retrieval=retrieval)
    snap.index()
    chroma = Pipeline(corpus=seeds_copy, embedder="hash:256", retrieval=retrieval, snapshot_max_vectors=0, auto_index=False)
    assert snap.retriever() and snap._view.snapshot is not None
    assert chroma.retriever() and chroma._view.snapshot is None
    for question in ("Microsoft Suleyman Inflection", "Сколько денег вложила Microsoft", "Le gouvernement français"):
        a, b = snap.retrieve(question, k=8), chroma.retrieve(question, k=8)
        assert [p.passage_id for p in a] == [p.passage_id for p in b]
        assert [p.text for p in a] == [p.text for p in b]
        assert [p.locator for p in a] == [p.locator for p in b]
        assert np.allclose([p.score for p in a], [p.score for p in b], atol=1e-5)


def test_a_snapshot_follows_the_committed_index(small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense")
    pipe.index()
    reader = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", auto_index=False)
    assert [p.source for p in reader.retrieve("giraffes necks", k=1)] != ["d.txt"]
    first = reader._view.snapshot
    assert first
    (small_corpus / "d.txt").write_text("Giraffes have long necks.\n", encoding="utf-8")
    Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense").index()  # another writer
    assert reader.retrieve("giraffes necks", k=1)[0].source == "d.txt", "the reader notices the new snapshot"
    assert reader._view.snapshot not in (None, first)
    folders = [p.name for p in reader.settings.index_dir.iterdir() if p.name.startswith("snapshot-")]
    assert folders == [f"snapshot-{reader._view.snapshot}"], "the replaced snapshot is deleted"


def test_no_snapshot_while_a_run_is_unfinished_or_for_a_large_index(small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense")
    pipe.index()
    m = pipe.settings.index_dir / "manifest.sqlite"
    import sqlite3

    db = sqlite3.connect(m)
    db.execute("UPDATE meta SET value='1' WHERE key='dirty'")  # as a killed run leaves it
    db.commit()
    db.close()
    fresh_process_state()
    view = open_view(pipe.settings, "hash:64")
    try:
        assert view.snapshot is None and view.committed is not None
    finally:
        view.close()
    small = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", snapshot_max_vectors=2)
    small.index()
    assert small.retriever() and small._view.snapshot is None
    assert not [p for p in small.settings.index_dir.iterdir() if p.name.startswith("snapshot-")]


class ThreadedEmbedder:
    """A hashing embedder that records the thread count it embeds passages with."""

    def __init__(self):
        from rag.embed.hashing import HashEmbedder

        self.inner = HashEmbedder(64)
        self.name, self.dim = self.inner.name, self.inner.dim
        self.count = 1
        self.seen: list[int] = []

    def use_threads(self, n: int) -> int:
        previous, self.count = self.count, n
        return previous

    def embed_passages(self, texts):
        self.seen.append(self.count)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        self.seen.append(-self.count)
        return self.inner.embed_queries(texts)


@pytest.mark.parametrize("index_threads, expected", [(0, None), (3, 3)])
def test_indexing_uses_index_threads_and_questions_keep_theirs(small_corpus, index_threads, expected):
    from rag.index.indexer import cores

    emb = ThreadedEmbedder()
    pipe = Pipeline(corpus=small_corpus, embedder=emb, retrieval="dense", index_threads=index_threads)
    pipe.index()
    assert set(emb.seen) == {expected or cores()}
    assert emb.count == 1, "restored after the run"
    emb.seen.clear()
    pipe.retrieve("Kuchen", k=1)
    # the question, then (the evidence reranker) the sentences of its passages: all with the query thread count
    assert emb.seen[0] == -1 and {abs(n) for n in emb.seen} == {1}, "questions embed with the query thread count"


def test_e5_thread_count_is_per_calling_thread():
    import threading

    from rag.embed.e5 import E5Small

    e5 = E5Small(threads=1)
    lib = e5._model._lib
    lib.omp_set_num_threads(3)  # another instance (or the process's first load) left another count behind
    e5.embed_queries(["a question"])
    assert lib.omp_get_max_threads() == 1, "each call sets the instance's own count"
    assert e5.use_threads(2) == 1
    e5.embed_passages(["a passage"])
    assert lib.omp_get_max_threads() == 2
    seen = []

    def question():
        e5.embed_queries(["another question"])
        seen.append(lib.omp_get_max_threads())

    worker = threading.Thread(target=question)
    worker.start()
    worker.join()
    assert seen == [1], "another thread (a question) keeps its own count"
    assert e5.use_threads(1) == 2


def test_passages_split_across_engine_copies_give_the_same_vectors():
    from rag.embed.e5 import E5Small, _parts

    assert [len(p) for p in _parts(["a" * 10] * 7, 2)] == [4, 3]
    assert [len(p) for p in _parts(["a" * 100, "b", "c", "d"], 2)] == [1, 3]  # by characters, none empty
    assert [len(p) for p in _parts(["x"] * 5, 3)] == [2, 2, 1]
    texts = [f"Passage {i}: zebras have stripes, giraffes have long necks, and item {i} says so." for i in range(9)]
    e5 = E5Small(threads=1)
    one = e5.embed_passages(texts)
    e5.use_threads(2)
    split = e5.embed_passages(texts)
    e5.use_threads(1)
    assert split.shape == (9, 384) and np.array_equal(one, split), "the same vectors, in the same order"


def test_questions_use_two_threads_and_muse_one(monkeypatch):
    """Questions embed on two cores by default (one on a one-core machine); mUSE's small matrices stay on one BLAS
    thread whatever `threads` says, and e5's OpenMP workers sleep between calls unless the user chose a policy."""
    import rag.settings as settings_mod
    from rag.embed import get_embedder
    from rag.settings import Settings

    assert Settings().threads == min(2, settings_mod.cores())
    monkeypatch.setattr(settings_mod, "cores", lambda: 1)
    assert Settings().threads == 1
    assert get_embedder("muse", Settings(threads=3)).threads == 1
    from rag.embed.e5 import E5Small

    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    E5Small(threads=1)
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    E5Small(threads=1)
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE", "a policy the user set is kept"


INDEX_IMPORTS = """
import sys
from rag.cli import main
sys.argv = ["rag", "index"]
try:
    main()
except SystemExit:
    pass
print("chromadb" in sys.modules, file=sys.stderr)
"""


def test_an_unchanged_corpus_is_checked_without_opening_the_store(small_corpus):
    env = {**os.environ, "RAG_CORPUS": str(small_corpus), "RAG_EMBEDDER": "hash:64", "RAG_RETRIEVAL": "dense", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    runs = [subprocess.run([sys.executable, "-c", INDEX_IMPORTS], capture_output=True, text=True, env=env, timeout=300) for _ in range(2)]
    assert "3 added" in runs[0].stdout and runs[0].stderr.splitlines()[-1] == "True"
    assert "0 added, 0 changed, 0 removed, 3 unchanged files; 0 chunks embedded" in runs[1].stdout
    assert runs[1].stderr.splitlines()[-1] == "False", "an unchanged corpus needs no lock, no store and no write"


def test_a_file_changed_inside_an_unchanged_folder_is_seen(small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense")
    pipe.index()
    folder = os.stat(small_corpus)
    path = small_corpus / "a.txt"
    path.write_text("The dog slept under the table.\n", encoding="utf-8")
    later = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))
    os.utime(small_corpus, ns=(folder.st_atime_ns, folder.st_mtime_ns))  # the folder's mtime says nothing changed
    assert pipe.needs_index()
    report = pipe.index()
    assert report.changed == 1 and report.chunks_embedded == 1
    assert pipe.retrieve("dog table", k=1)[0].source == "a.txt"


def test_a_question_checks_the_corpus_once(small_corpus, monkeypatch):
    from rag import load

    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense")
    pipe.index()
    scans = []
    real = load.scan
    monkeypatch.setattr(load, "scan", lambda *a, **k: scans.append(1) or real(*a, **k))
    pipe.ensure_index()
    pipe.ask("Kuchen Eier")
    assert len(scans) == 1, "the CLI checks, then asks: one scan"
    pipe.ask("Kuchen Eier")
    assert len(scans) == 2, "every later question checks again"


def test_a_snapshot_reader_follows_a_rebuild(small_corpus):
    Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense").index()
    reader = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", auto_index=False)
    assert reader.retrieve("cat mat", k=1)[0].source == "a.txt" and reader._view.snapshot
    (small_corpus / "a.txt").unlink()
    Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense").index(rebuild=True)  # swaps in a new manifest file
    assert all(p.source != "a.txt" for p in reader.retrieve("cat mat", k=5))


def test_switching_to_hybrid_on_an_unchanged_corpus_builds_bm25(small_corpus):
    Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense").index()
    hybrid = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="hybrid")
    report = hybrid.index()
    assert report.unchanged == 3 and report.chunks_embedded == 0
    assert list(hybrid.settings.index_dir.glob("bm25-*")), "the unchanged-corpus shortcut does not skip the BM25 build"
