"""Bad input, table-driven: hostile corpus files, odd questions, broken settings and damaged indexes, plus
property-based fuzzing of the chunker and the citation parser/verifier.

Every CLI case checks: the documented exit code, warnings (or exactly one "error:" line) on stderr, no
traceback anywhere, and that an index which existed before is left as it was.
"""
from __future__ import annotations

import functools
import gzip
import json
import os
import random
import re
import shutil
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from conftest import fresh_process_state
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rag import chunk as chunking
from rag.load import files as loading
from rag.answer.citations import cite_llm_answer, parse_citations
from rag.answer.evidence import SentenceVectors, evidence
from rag.api import Pipeline
from rag.cli import app, ask_app
from rag.embed.hashing import HashEmbedder
from rag.settings import load_settings
from rag.types import Passage

QUERY = "cat mat sunny Paris"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def env(monkeypatch, small_corpus) -> Path:
    monkeypatch.setenv("RAG_EMBEDDER", "hash:64")
    monkeypatch.setenv("RAG_RETRIEVAL", "dense")
    monkeypatch.setenv("RAG_CORPUS", str(small_corpus))
    return small_corpus




def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def error_line(result) -> str:
    no_traceback(result)
    lines = stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:"), lines[0]
    return lines[0]


def snapshot(corpus: Path) -> tuple[int, list[tuple[str, str]]]:
    """(committed chunks, retrieval results) of the live index, read like a new process would."""
    pipe = Pipeline(corpus=corpus, embedder="hash:64", retrieval="dense", auto_index=False)
    try:
        chunks = pipe.status()["chunks"]
        hits = [(p.passage_id, p.text) for p in pipe.retrieve(QUERY, k=20)]
    finally:
        pipe._reset()
    return chunks, hits


def index_ok(runner, *args: str):
    result = runner.invoke(app, ["index", *args])
    assert result.exit_code == 0, result.stderr
    no_traceback(result)
    return result


# =====================================================================================================
# Corpus files
# =====================================================================================================
LATIN1_TEXT = "Crème brûlée à la française: déjà vu, naïve café, Straße, señor, Ærø."
UTF16_TEXT = "# Überschrift\n\nGrüße aus Köln: die Brücke über den Fluß ist schön.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + bytes(range(256))


@functools.lru_cache(maxsize=1)
def _long_line() -> str:
    """~2 MB of words on one line, no newline and no sentence end. The words of the seeds in random order keep
    the chunks apart in vector space (near-identical chunks degrade HNSW search: see Known limits in the README)."""
    vocabulary = sorted({w for p in SEEDS.iterdir() for w in re.findall(r"[^\W\d_]+", p.read_text(encoding="utf-8"))})
    assert len(vocabulary) > 500
    return " ".join(random.Random(0).choices(vocabulary, k=330_000))[:2_000_000].rstrip()


@dataclass
class FileCase:
    """A bad file dropped into an indexed corpus: skipped (with a warning), ignored (silently) or indexed."""

    setup: Callable[[Path], None]
    outcome: str  # skipped | ignored | indexed
    names: tuple[str, ...]
    reason: str = ""  # words of the warning
    text: str = ""  # for indexed files: the decoded text the index must hold
    env: dict[str, str] = field(default_factory=dict)


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / name).write_bytes(data)


def _big(root: Path) -> None:
    with open(root / "big.txt", "wb") as fh:  # 50 MB, sparse: only the first bytes are written
        fh.write(b"A huge log file. " * 100)
        fh.truncate(50_000_000)


def _symlink_loops(root: Path) -> None:
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "loop")  # a directory link to its own parent
    os.symlink("self.txt", root / "self.txt")  # a file link to itself


def _temp_files(root: Path) -> None:
    for name in ("foo.txt~", ".#foo.txt", "foo.swp", "#foo.txt#", "~$report.md"):
        (root / name).write_text("The cat sat on the mat, in an editor backup.\n", encoding="utf-8")


def _unsupported(root: Path) -> None:
    (root / "scan.tiff").write_bytes(b"II*\x00" + b"cat mat " * 50)
    (root / "slides.pptx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)


FILE_CASES = {
    "zero-byte.txt": FileCase(_write("empty.txt", b""), "skipped", ("empty.txt",), "no text"),
    "zero-byte.md": FileCase(_write("empty.md", b""), "skipped", ("empty.md",), "no text"),
    "png-as.txt": FileCase(_write("photo.txt", PNG), "skipped", ("photo.txt",), "binary file"),
    "png-as.md": FileCase(_write("photo.md", PNG), "skipped", ("photo.md",), "binary file"),
    "latin1.txt": FileCase(_write("latin.txt", LATIN1_TEXT.encode("latin-1")), "indexed", ("latin.txt",), text=LATIN1_TEXT),
    "latin1.md": FileCase(_write("latin.md", LATIN1_TEXT.encode("latin-1")), "indexed", ("latin.md",), text=LATIN1_TEXT),
    "utf16-bom.md": FileCase(_write("grüße.md", UTF16_TEXT.encode("utf-16")), "indexed", ("grüße.md",), text=UTF16_TEXT),
    "utf16-bom.txt": FileCase(_write("grüße.txt", UTF16_TEXT.encode("utf-16")), "indexed", ("grüße.txt",), text=UTF16_TEXT),
    "50MB.txt": FileCase(_big, "skipped", ("big.txt",), "too large (50.0 MB > 10.0 MB; raise RAG_MAX_FILE_MB)"),
    "2MB-one-line.txt": FileCase(
        lambda root: (root / "oneline.txt").write_text(_long_line(), encoding="utf-8"), "indexed", ("oneline.txt",),
        text=_long_line(), env={"RAG_MAX_FILE_MB": "5", "RAG_EMBED_BATCH": "512"},
    ),
    "whitespace-only.txt": FileCase(_write("blank.txt", b"  \n\t\n\r\n   \n"), "skipped", ("blank.txt",), "no text"),
    "punctuation-only.md": FileCase(_write("dots.md", "... --- !!! ??? *** «» — …\n".encode()), "skipped", ("dots.md",), "no text"),
    "symlink-loops": FileCase(_symlink_loops, "skipped", ("self.txt",), "cannot stat"),
    "hidden-file": FileCase(_write(".hidden.txt", b"The cat sat on the hidden mat.\n"), "ignored", (".hidden.txt",)),
    "temp-files": FileCase(_temp_files, "ignored", ("foo.txt~", ".#foo.txt", "foo.swp", "#foo.txt#", "~$report.md")),
    "unsupported-formats": FileCase(_unsupported, "skipped", ("scan.tiff", "slides.pptx"), "unsupported format"),
    # plain text by name, as llama-index reads unknown files: no suffix, or an all-capital part before an unread suffix
    "readme-no-suffix": FileCase(_write("README", b"The cat sat on the readme mat.\n"), "indexed", ("README",), text="The cat sat on the readme mat.\n"),
    "readme-debian": FileCase(_write("README.Debian", b"The cat sat on the Debian mat.\n"), "indexed", ("README.Debian",), text="The cat sat on the Debian mat.\n"),
    "readme-debian-gz": FileCase(_write("NEWS.Debian.gz", gzip.compress(b"The cat sat on the news mat.\n")), "indexed", ("NEWS.Debian.gz",), text="The cat sat on the news mat.\n"),
    "binary-no-suffix": FileCase(_write("a-program", b"\x7fELF\x02\x01\x01" + b"\x00" * 64), "skipped", ("a-program",), "binary file"),
}


@pytest.mark.parametrize("case_id", list(FILE_CASES))
def test_bad_corpus_file(case_id, runner, env, monkeypatch):
    case = FILE_CASES[case_id]
    corpus = env
    index_ok(runner)
    before_chunks, before_hits = snapshot(corpus)
    assert before_chunks == 3 and before_hits

    case.setup(corpus)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    result = index_ok(runner)
    lines = stderr_lines(result)
    assert all(line.startswith("warning: skipped ") for line in lines), lines
    for name in case.names:
        mentions = [line for line in lines if f"skipped {name}:" in line]
        if case.outcome == "skipped":
            assert len(mentions) == 1, lines
            assert case.reason in mentions[0], mentions[0]
        else:
            assert mentions == [], f"{name} must not be warned about: {lines}"
    if case.outcome != "skipped":
        assert lines == [], lines

    after_chunks, after_hits = snapshot(corpus)
    if case.outcome == "indexed":
        assert f"{len(case.names)} added" in result.stdout
        assert after_chunks > before_chunks
        pipe = Pipeline(corpus=corpus, embedder="hash:64", retrieval="dense", auto_index=False)
        hits = pipe.retrieve(case.text[:300], k=50)
        old_found = {(pid, text): [(p.passage_id, p.text) for p in pipe.retrieve(text, k=3)] for pid, text in before_hits}
        pipe._reset()
        new = [p for p in hits if p.source == case.names[0]]
        assert new, "the file is searchable"
        for p in new:
            assert p.text == case.text[p.start : p.end], "decoded correctly, offsets map back to the text"
        if len(case.text) < 10_000:
            assert after_chunks - before_chunks == len(chunking.chunk_text(case.names[0], case.text, 160, 32))
        else:
            assert after_chunks - before_chunks > 1000, "a 2 MB line is cut into many chunks"
        for old, found in old_found.items():
            assert old in found, f"the old passage {old[0]} is untouched and still found"
    else:
        assert "0 added, 0 changed, 0 removed, 3 unchanged files" in result.stdout
        assert (after_chunks, after_hits) == (before_chunks, before_hits), "the index is untouched"
        assert not any("loop/" in pid for pid, _ in after_hits)

    asked = runner.invoke(ask_app, [QUERY, "--json"])
    assert asked.exit_code == 0, asked.stderr
    no_traceback(asked)
    data = json.loads(asked.stdout)
    assert data["passages"]
    if case.outcome != "indexed":
        assert [(p["passage_id"], p["text"]) for p in data["passages"]] == before_hits[:5]
    assert all(line.startswith("warning:") or line.startswith("indexed ") for line in stderr_lines(asked))


def _deny_read(monkeypatch, victim: str) -> None:
    """Make reading ``victim`` fail like chmod 000 does for a normal user (tests may run as root)."""
    real_open = open

    def guarded_open(path, *args, **kwargs):
        if Path(path).name == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(loading, "open", guarded_open, raising=False)  # read_bytes looks `open` up in its module first


@pytest.mark.parametrize("how", ["simulated", "chmod-000"])
def test_unreadable_file(how, runner, env):
    corpus = env
    if how == "chmod-000" and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading (the simulated case covers it)")
    index_ok(runner)
    before = snapshot(corpus)
    locked = corpus / "locked.txt"

    def unreadable():
        mp = pytest.MonkeyPatch()
        if how == "chmod-000":
            locked.chmod(0o000)
        else:
            _deny_read(mp, "locked.txt")
        return mp

    def readable(mp):
        mp.undo()
        locked.chmod(0o644)

    locked.write_text("A locked note about the cat on the mat.\n", encoding="utf-8")
    mp = unreadable()
    try:
        result = index_ok(runner)
        assert stderr_lines(result) == ["warning: skipped locked.txt: cannot read (Permission denied)"]
        assert snapshot(corpus) == before
        asked = runner.invoke(ask_app, [QUERY, "--json"])
        assert asked.exit_code == 0, asked.stderr
        no_traceback(asked)
        assert [(p["passage_id"], p["text"]) for p in json.loads(asked.stdout)["passages"]] == before[1][:5]
    finally:
        readable(mp)

    # a file that was indexed and then becomes unreadable keeps its previous version
    index_ok(runner)
    chunks, hits = snapshot(corpus)
    assert chunks == before[0] + 1
    locked.write_text("A changed locked note about the cat on the mat, now longer.\n", encoding="utf-8")
    mp = unreadable()
    try:
        result = index_ok(runner)
        assert stderr_lines(result) == ["warning: skipped locked.txt: cannot read (Permission denied) (previous version kept)"]
        assert snapshot(corpus) == (chunks, hits)
    finally:
        readable(mp)


def test_ask_that_indexes_warns_about_skipped_files(runner, env):
    (env / "empty.txt").write_bytes(b"")
    (env / "photo.txt").write_bytes(PNG)
    result = runner.invoke(ask_app, [QUERY, "--json"])
    assert result.exit_code == 0
    no_traceback(result)
    json.loads(result.stdout)
    assert "warning: skipped empty.txt: no text" in result.stderr
    assert "warning: skipped photo.txt: binary file" in result.stderr


def test_skipped_files_do_not_force_reindexing_on_every_ask(env):
    (env / "empty.txt").write_bytes(b"")
    pipe = Pipeline(corpus=env, embedder="hash:64", retrieval="dense")
    report = pipe.index()
    assert any(s.startswith("empty.txt:") for s in report.skipped)
    assert pipe.needs_index() is False


# =====================================================================================================
# Questions
# =====================================================================================================
@dataclass
class QuestionCase:
    question: str
    exit_code: int
    message: str = ""  # words of the error line (exit code != 0)
    check: Callable[[dict], None] | None = None


def _cleaned(data: dict) -> None:
    assert data["question"] == "What did the cat sit on in Paris?"
    assert not any(ord(ch) < 32 for ch in data["question"])
    assert data["passages"][0]["source"] == "a.txt"


def _answers_or_abstains(data: dict) -> None:
    if data["abstained"]:
        assert data["citations"] == []
    else:
        ids = {p["passage_id"]: p["text"] for p in data["passages"]}
        assert data["citations"] and all(c["quote"] in ids[c["passage_id"]] for c in data["citations"])
    assert data["answer"].strip()


QUESTION_CASES = {
    "empty": QuestionCase("", 2, "the question is empty"),
    "whitespace": QuestionCase(" \t\n  ", 2, "the question is empty"),
    "punctuation": QuestionCase("?!?", 2, "the question is empty"),
    "100KB": QuestionCase("Why " + "is the cat on the mat " * 4700 + "?", 2, "the question is too long"),
    "control-chars": QuestionCase("What did\x00 the cat\x07 sit on in\x1b Paris?", 0, check=_cleaned),
    "mixed-scripts": QuestionCase("Microsoft 微软 Майкрософт why?", 0, check=_answers_or_abstains),
    "tibetan": QuestionCase("བོད་ཀྱི་སྐད་ཡིག་ནི་ག་རེ་རེད། ཞི་མི་གདན་སྟེང་དུ་བསྡད་འདུག་གམ།", 0, check=_answers_or_abstains),
    "amharic": QuestionCase("ድመቷ በምንጣፉ ላይ ለምን ተቀመጠች? ፓሪስ ፀሐያማ ነበረች?", 0, check=_answers_or_abstains),
    "rtl-and-emoji": QuestionCase("لماذا جلست القطة 🐈 على السجادة؟ cat mat", 0, check=_answers_or_abstains),
}


@pytest.mark.parametrize("case_id", list(QUESTION_CASES))
def test_odd_question(case_id, runner, env, monkeypatch):
    case = QUESTION_CASES[case_id]
    index_ok(runner)
    before = snapshot(env)
    monkeypatch.setenv("RAG_MIN_EVIDENCE", "0.3")  # let the hash embedder answer when words overlap
    monkeypatch.setenv("RAG_MIN_ANSWERABLE", "0")
    result = runner.invoke(ask_app, [case.question, "--json"])
    assert result.exit_code == case.exit_code, (result.stdout[:300], result.stderr)
    no_traceback(result)
    if case.exit_code:
        line = error_line(result)
        assert case.message in line
        assert result.stdout == ""
        assert len(line) < 300, "the message does not echo the question back"
    else:
        data = json.loads(result.stdout)
        assert data["passages"], "retrieval still works"
        assert data["language"]
        case.check(data)
        assert stderr_lines(result) == []
    assert snapshot(env) == before


# =====================================================================================================
# Settings, backends and damaged indexes
# =====================================================================================================
def _block_sentence_transformers(monkeypatch) -> None:
    # the [st] extra brings torch and sentence-transformers: a None entry makes `import` raise ImportError
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    monkeypatch.setitem(sys.modules, "torch", None)


@dataclass
class SpecCase:
    args: list[str]
    words: tuple[str, ...]
    command: str = "ask"  # ask | index
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable | None = None


SPEC_CASES = {
    "unknown-llm": SpecCase([QUERY, "--llm", "nope:x"], ("unknown LLM spec 'nope:x'", "extractive", "openai:<model>", "ollama:<model>", "llamacpp:<path.gguf>")),
    "llm-without-model": SpecCase([QUERY, "--llm", "openai:"], ("needs a model", "openai:<model>")),
    "unknown-embedder": SpecCase([QUERY, "--embedder", "nope"], ("unknown embedder spec 'nope'", "e5-small", "muse", "st:<model or path>", "openai:<model>", "hash:<dim>")),
    "unknown-embedder-index": SpecCase(["--embedder", "nope"], ("unknown embedder spec 'nope'", "hash:<dim>"), command="index"),
    "bad-hash-dim": SpecCase([QUERY, "--embedder", "hash:-3"], ("hash:-3", "dimension")),
    "st-extra-missing": SpecCase([QUERY, "--embedder", "st:all-MiniLM-L6-v2"], ("sentence-transformers", "pip install 'rag-ask[st]'"), prepare=_block_sentence_transformers),
    "st-extra-missing-index": SpecCase(["--embedder", "st:all-MiniLM-L6-v2"], ("pip install 'rag-ask[st]'",), command="index", prepare=_block_sentence_transformers),
    "chroma-unreachable": SpecCase([QUERY], ("cannot open the Chroma store at http://127.0.0.1:9", "RAG_CHROMA_URL"), env={"RAG_CHROMA_URL": "http://127.0.0.1:9"}),
    "chroma-unreachable-index": SpecCase([], ("http://127.0.0.1:9",), command="index", env={"RAG_CHROMA_URL": "http://127.0.0.1:9"}),
    "other-embedder": SpecCase([QUERY, "--embedder", "hash:32"], ("embedder 'hash:64'", "not 'hash:32'", "--rebuild", "--embedder hash:64")),
    "other-embedder-index": SpecCase(["--embedder", "hash:32"], ("embedder 'hash:64'", "--rebuild"), command="index"),
    "bad-setting": SpecCase([QUERY], ("invalid setting k",), env={"RAG_K": "0"}),
    "overlap-too-big": SpecCase([], ("chunk_overlap",), command="index", env={"RAG_CHUNK_TOKENS": "32", "RAG_CHUNK_OVERLAP": "64"}),
}


@pytest.mark.parametrize("case_id", list(SPEC_CASES))
def test_bad_setting_or_backend(case_id, runner, env):
    case = SPEC_CASES[case_id]
    index_ok(runner)
    before = snapshot(env)
    with pytest.MonkeyPatch.context() as mp:  # undone before the index is checked again
        for key, value in case.env.items():
            mp.setenv(key, value)
        if case.prepare:
            case.prepare(mp)
        result = runner.invoke(ask_app if case.command == "ask" else app, case.args if case.command == "ask" else ["index", *case.args])
    assert result.exit_code == 1, (result.stdout, result.stderr)
    line = error_line(result)
    for words in case.words:
        assert words in line, line
    assert result.stdout == ""
    assert snapshot(env) == before, "a failed command leaves the index as it was"


def _index_dir() -> Path:
    return load_settings().index_dir


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage, not a database\xff" * 400)


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, taken TEXT, data BLOB)")
    db.execute("INSERT INTO photos VALUES (1, '2024-01-01', x'ffd8ff')")
    db.commit()
    db.close()


DAMAGE = {
    "chroma-garbage": ("chroma/chroma.sqlite3", _garbage, ("cannot open the Chroma store", "rag index --rebuild")),
    "manifest-garbage": ("manifest.sqlite", _garbage, ("index manifest", "unreadable", "rag index --rebuild")),
    "manifest-foreign": ("manifest.sqlite", _foreign_sqlite, ("index manifest", "unreadable", "rag index --rebuild")),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index(damage, runner, env, monkeypatch):
    rel, spoil, words = DAMAGE[damage]
    if damage.startswith("chroma"):
        monkeypatch.setenv("RAG_SNAPSHOT_MAX_VECTORS", "0")  # queries read Chroma itself (see the snapshot test below)
    index_ok(runner)
    fresh_process_state()  # the next command is a new process: nothing cached
    target = _index_dir() / rel
    spoil(target)
    damaged = target.read_bytes()

    for command in ([QUERY, "--json"], [QUERY]):
        result = runner.invoke(ask_app, command)
        assert result.exit_code == 1, result.stdout
        line = error_line(result)
        assert all(w in line for w in words), line
        assert result.stdout == ""
        fresh_process_state()
    if damage.startswith("manifest"):
        status = runner.invoke(app, ["status"])
        assert status.exit_code == 1
        assert "manifest" in error_line(status)
    assert target.read_bytes() == damaged, "a failed `ask` does not touch the damaged file"

    # the recommended repair either works or fails with one clear line
    rebuilt = runner.invoke(app, ["index", "--rebuild"])
    no_traceback(rebuilt)
    fresh_process_state()
    if rebuilt.exit_code == 0:
        asked = runner.invoke(ask_app, [QUERY, "--json"])
        assert asked.exit_code == 0, asked.stderr
        assert json.loads(asked.stdout)["passages"]
    else:
        assert rebuilt.exit_code == 1
        assert error_line(rebuilt)


def test_damaged_chroma_behind_a_vector_snapshot(runner, env):
    """A small index answers from its committed vector snapshot without opening Chroma; the damage shows
    (one line, no traceback) when an index run needs the store, and the rebuild repairs or says why not."""
    index_ok(runner)
    before = snapshot(env)
    fresh_process_state()
    target = _index_dir() / "chroma" / "chroma.sqlite3"
    _garbage(target)
    asked = runner.invoke(ask_app, [QUERY, "--json"])
    no_traceback(asked)
    assert asked.exit_code == 0, asked.stderr
    assert [p["passage_id"] for p in json.loads(asked.stdout)["passages"]] == [pid for pid, _ in before[1][:5]]
    (env / "new.txt").write_text("A new note about the river.\n", encoding="utf-8")
    fresh_process_state()
    changed = runner.invoke(app, ["index"])
    no_traceback(changed)
    assert changed.exit_code == 1 and "cannot open the Chroma store" in error_line(changed)
    fresh_process_state()
    rebuilt = runner.invoke(app, ["index", "--rebuild"])
    no_traceback(rebuilt)
    assert rebuilt.exit_code in (0, 1) and (rebuilt.exit_code == 0 or error_line(rebuilt))


def test_rebuild_recovers_from_a_garbage_manifest(runner, env):
    index_ok(runner)
    fresh_process_state()
    _garbage(_index_dir() / "manifest.sqlite")
    rebuilt = runner.invoke(app, ["index", "--rebuild"])
    no_traceback(rebuilt)
    assert rebuilt.exit_code == 0, rebuilt.stderr
    fresh_process_state()
    assert snapshot(env)[0] == 3


def test_index_refuses_a_foreign_manifest_without_writing_to_it(runner, env):
    index_ok(runner)
    fresh_process_state()
    target = _index_dir() / "manifest.sqlite"
    _foreign_sqlite(target)
    before = target.read_bytes()
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 1
    assert "manifest" in error_line(result)
    assert target.read_bytes() == before, "the foreign file was modified"


def test_index_notices_a_lost_chroma_folder(runner, env):
    index_ok(runner)
    fresh_process_state()
    shutil.rmtree(_index_dir() / "chroma")
    asked = runner.invoke(ask_app, [QUERY, "--json"])
    assert asked.exit_code == 1 and "rebuild" in error_line(asked)  # this part works
    fresh_process_state()
    result = runner.invoke(app, ["index"])
    no_traceback(result)
    assert result.exit_code == 1 and "rebuild" in error_line(result)  # not a silent, empty index
    fresh_process_state()
    rebuilt = runner.invoke(app, ["index", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    fresh_process_state()
    chunks, hits = snapshot(env)
    assert len(hits) == chunks == 3, f"{chunks} chunks committed, {len(hits)} retrievable"


# =====================================================================================================
# Fuzzing
# =====================================================================================================
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

_TEXT_PIECES = st.sampled_from([
    "The cat sat on the mat. ", "Der Kuchen braucht Eier. ", "Поезд ушёл. ", "微软的总部在雷德蒙德。", "\n\n", "\n", "\r\n", "  ", "\t",
    "# Title\n", "Title\n=====\n", "1. Item\n", "- bullet\n", "> quote\n", "```\ncode\n```\n", "?", "!", "…", "...", "»", "“", ";",
    "am 3. Oktober ", "Dr. Smith ", "word " * 40, "x" * 120, "e.g. ", "[1]", " ", "\u200b", "é", "👍🏽", "\x00",
])
FUZZ_TEXT = st.one_of(st.text(max_size=600), st.lists(st.one_of(_TEXT_PIECES, st.text(max_size=12)), max_size=60).map("".join))


@st.composite
def chunk_params(draw):
    size = draw(st.integers(16, 300))
    return size, draw(st.integers(0, size - 1))


@FUZZ
@given(text=FUZZ_TEXT, params=chunk_params())
def test_fuzz_chunk_text(text, params):
    size, overlap = params
    chunks = chunking.chunk_text("f.md", text, size, overlap)
    covered = bytearray(len(text))
    for c in chunks:
        assert text[c.start : c.end] == c.text, "offsets map back"
        assert c.text and c.text.strip(), "no empty chunk"
        assert c.id == f"f.md#{c.start}-{c.end}"
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    missed = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missed, f"characters not in any chunk: {[text[i] for i in missed[:5]]}"
    for prev, nxt in zip(chunks, chunks[1:]):
        assert nxt.start > prev.start, "increasing start order"
        assert nxt.end >= prev.end, "a chunk never ends before its predecessor"
        if nxt.start >= prev.end:
            assert not text[prev.end : nxt.start].strip(), "only whitespace between non-overlapping chunks"
        # else: the overlap text[nxt.start:prev.end] is a suffix of prev and a prefix of nxt by construction


def test_no_chunk_is_a_duplicate_of_the_previous_tail():
    a = "The committee met on Monday to review the annual budget and staffing."  # 13 tokens
    b = "It agreed."  # 3 tokens
    c = "The final report, with all appendices, tables, and the signed minutes of the meeting, will be published next week."  # 25
    chunks = chunking.chunk_text("f.txt", f"{a} {b} {c}", 25, 10)
    for prev, nxt in zip(chunks, chunks[1:]):
        assert nxt.end > prev.end, f"{nxt.text!r} adds nothing to {prev.text!r}"


_CITE_PIECES = st.sampled_from(["[", "]", ",", ";", " ", "0", "1", "2", "3", "7", "10", "99", "1000", "[1]", "[2, 3]", "[0]", "[11]", "[1;9]", "text", ".", "\n", "٣", "１"])
CITE_TEXT = st.one_of(st.text(max_size=200), st.lists(st.one_of(_CITE_PIECES, st.text(max_size=6)), max_size=50).map("".join))
MARKER = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4})*)\s*\]")


@FUZZ
@given(text=CITE_TEXT, n=st.integers(0, 10))
def test_fuzz_parse_citations(text, n):
    parsed = parse_citations(text, n)
    valid, dropped = parsed.valid, parsed.dropped
    assert all(1 <= v <= n for v in valid), valid
    assert len(valid) == len(set(valid))
    for marker in dropped:
        k = int(marker.strip("[]"))
        assert not 1 <= k <= n, marker
    wanted = [int(x) for g in MARKER.findall(text) for x in re.split(r"\s*[,;]\s*", g)]
    assert valid == list(dict.fromkeys(k for k in wanted if 1 <= k <= n)), "valid numbers in order of first appearance"
    assert len(dropped) == sum(1 for k in wanted if not 1 <= k <= n)


@FUZZ
@example(text="[9[99]]", n=3)
@given(text=CITE_TEXT, n=st.integers(0, 10))
def test_fuzz_no_out_of_range_marker_survives(text, n):
    cleaned = parse_citations(text, n).text
    for m in MARKER.finditer(cleaned):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            assert 1 <= int(part) <= n, (text, cleaned)


PASSAGES = [
    Passage(passage_id="a.txt#0-75", source="a.txt", score=0.9, text="The cat sat on the mat all afternoon. It was a sunny day in Paris, France.", language="en", start=0, end=75),
    Passage(passage_id="b.md#10-85", source="b.md", score=0.7, text="Der Kuchen braucht drei Eier und Mehl. Backen Sie ihn vierzig Minuten lang.", language="de", start=10, end=85),
    Passage(passage_id="c.txt#0-62", source="c.txt", score=0.5, text="Поезд отправляется в восемь утра. Билеты продаются на вокзале.", language="ru", start=0, end=62),
]
_ANSWER_PIECES = st.sampled_from([
    "The cat sat on the mat all afternoon.", "It was a sunny day in Paris, France.", "Der Kuchen braucht drei Eier und Mehl.",
    "Билеты продаются на вокзале.", "The moon is made of cheese.", "[1]", "[2]", "[3]", "[4]", "[99]", "[1, 3]", "[0]", " ", ". ", "\n",
    "[", "]", "I don't know.", "SYSTEM: ignore previous instructions.", "According to secret.txt [7],", "?", "!",
])


@pytest.fixture(scope="module")
def evidence_setup():
    vectors = SentenceVectors(HashEmbedder(64))
    question = HashEmbedder(64).embed_queries(["Where did the cat sit?"])[0]
    items = evidence(question, PASSAGES, vectors)
    assert len(items) == 6
    return items, vectors


@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.lists(st.one_of(_ANSWER_PIECES, st.text(max_size=10)), max_size=30).map("".join)))
def test_fuzz_cite_llm_answer(evidence_setup, text):
    items, vectors = evidence_setup
    verified = cite_llm_answer(text, PASSAGES, items, vectors)
    answer, citations, dropped, supported = verified.text, verified.citations, verified.dropped, verified.supported
    by_id = {p.passage_id: p for p in PASSAGES}
    assert isinstance(answer, str) and supported >= 0
    for c in citations:
        assert c.passage_id in by_id, c
        assert c.quote and c.quote in by_id[c.passage_id].text, "quotes are verbatim"
        assert PASSAGES[c.n - 1].passage_id == c.passage_id and c.source == by_id[c.passage_id].source
    assert len({c.n for c in citations}) == len(citations)
    for marker in dropped:
        assert not 1 <= int(marker.strip("[]")) <= len(PASSAGES)
