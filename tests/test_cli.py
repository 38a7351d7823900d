"""The `ask` and `rag` commands through typer's CliRunner, with the hash embedder over small_corpus."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rag.answer import prompts
from rag.cli import app, ask_app

SECRET = "sk-secret-123"
GERMAN_Q = "Der Kuchen braucht Eier und Mehl?"


@pytest.fixture
def runner() -> CliRunner:
    # click >= 8.2: result.stdout and result.stderr are always captured separately
    return CliRunner()


@pytest.fixture
def cli_env(monkeypatch, small_corpus):
    monkeypatch.setenv("RAG_EMBEDDER", "hash:64")
    monkeypatch.setenv("RAG_CORPUS", str(small_corpus))
    # model-free retrieval (the default mode may load a second embedding model); test_ask_json also runs the default
    monkeypatch.setenv("RAG_RETRIEVAL", "hybrid")
    return small_corpus


@pytest.fixture
def indexed(runner, cli_env):
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    return cli_env


def error_line(result) -> str:
    """The single stderr line of a failed command (asserts there is exactly one and no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return lines[0]


# --- ask ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("retrieval", ["hybrid", "default"])
def test_ask_json(runner, cli_env, monkeypatch, retrieval):
    if retrieval == "default":
        monkeypatch.delenv("RAG_RETRIEVAL")
    assert runner.invoke(app, ["index"]).exit_code == 0
    monkeypatch.setenv("RAG_MIN_EVIDENCE", "0.5")  # the hash embedder's cosines are modest
    monkeypatch.setenv("RAG_MIN_ANSWERABLE", "0")
    result = runner.invoke(ask_app, [GERMAN_Q, "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, "exactly one JSON object on stdout"
    data = json.loads(lines[0])
    assert {"question", "language", "answer", "abstained", "citations", "passages", "llm", "embedder", "timings_ms"} <= set(data)
    assert data["question"] == GERMAN_Q
    assert data["language"] == "de"
    assert data["abstained"] is False
    assert data["answer"].strip()
    assert data["llm"] == "extractive"
    assert data["embedder"] == "hash:64"
    assert data["timings_ms"] and all(isinstance(v, (int, float)) for v in data["timings_ms"].values())
    assert "total" in data["timings_ms"]

    passages = data["passages"]
    assert 1 <= len(passages) <= 5
    for p in passages:
        assert {"passage_id", "source", "score", "text", "language"} <= set(p)
        assert p["passage_id"].startswith(p["source"] + "#")
        assert isinstance(p["score"], float)
    assert passages[0]["source"] == "b.md" and passages[0]["language"] == "de"

    assert data["citations"], "a supported answer cites its sources"
    by_id = {p["passage_id"]: p for p in passages}
    for i, c in enumerate(data["citations"], 1):
        assert set(c) == {"n", "source", "passage_id", "quote", "page", "section", "line", "location", "columns"}
        assert c["n"] == i
        assert c["passage_id"] in by_id
        assert c["source"] == by_id[c["passage_id"]]["source"]
        assert c["quote"] in by_id[c["passage_id"]]["text"], "quotes are verbatim"
        assert f"[{c['n']}]" in data["answer"]


def test_ask_json_abstains_on_unrelated_question(runner, indexed):
    result = runner.invoke(ask_app, ["What is the capital of Peru?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["abstained"] is True
    assert data["citations"] == []
    assert data["language"] == "en"
    assert data["answer"] == prompts.DONT_KNOW["en"]
    assert data["abstain_reason"] in ("weak evidence", "low answerability")


def test_ask_indexes_on_first_use(runner, cli_env):
    result = runner.invoke(ask_app, [GERMAN_Q, "--json"])
    assert result.exit_code == 0, result.output
    assert "indexed 3 new" in result.stderr
    json.loads(result.stdout)  # the notice goes to stderr, stdout stays pure JSON


def test_rag_ask_subcommand(runner, indexed):
    result = runner.invoke(app, ["ask", GERMAN_Q, "--json", "--retrieve-only"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passages"][0]["source"] == "b.md"


def test_ask_plain_text(runner, indexed, monkeypatch):
    monkeypatch.setenv("RAG_MIN_EVIDENCE", "0.5")
    monkeypatch.setenv("RAG_MIN_ANSWERABLE", "0")
    result = runner.invoke(ask_app, [GERMAN_Q])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "b.md:3 § Rezept" in out, "each quote with its file, line and section"
    assert out.count("Der Kuchen braucht drei Eier und Mehl.") == 1, "each quote is shown once"
    assert "Sources:" not in out, "an extractive answer is its quotes: no second list"
    assert "Confidence: " in out


def test_retrieve_only_lists_passages(runner, indexed):
    result = runner.invoke(ask_app, [GERMAN_Q, "--retrieve-only", "-k", "2"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Retrieved passages, in rank order:" in out
    assert "1. b.md:1 § Rezept" in out
    assert ", de)" in out and "cosine " in out
    assert "2. " in out and "3. " not in out
    assert "Backen Sie ihn 40 Minuten." in out, "whole passages unless --width says otherwise"
    cut = runner.invoke(ask_app, [GERMAN_Q, "--retrieve-only", "-k", "2", "--width", "20"]).stdout
    assert "Backen Sie" not in cut and "# Rezept Der Kuchen" in cut
    assert "Sources:" not in out


def test_retrieve_only_json(runner, indexed):
    result = runner.invoke(ask_app, [GERMAN_Q, "--retrieve-only", "--json", "--k", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["llm"] == "none"
    assert data["answer"] == "" and data["citations"] == []
    assert len(data["passages"]) == 3
    assert {p["source"] for p in data["passages"]} == {"a.txt", "b.md", "c.txt"}


# --- ask errors ----------------------------------------------------------------------------------
def test_empty_question_is_a_usage_error(runner, indexed):
    result = runner.invoke(ask_app, ["   "])
    assert result.exit_code == 2
    assert "empty" in error_line(result)
    assert result.stdout == ""


def test_empty_question_fails_before_indexing(runner, cli_env):
    result = runner.invoke(ask_app, ["   "])
    assert result.exit_code == 2
    error_line(result)
    status = runner.invoke(app, ["status", "--json"])
    assert json.loads(status.stdout)["indexed"] is False


def test_unknown_llm_spec(runner, indexed, monkeypatch):
    monkeypatch.setenv("RAG_MIN_EVIDENCE", "0.5")  # strong enough evidence: the LLM is needed
    monkeypatch.setenv("RAG_MIN_ANSWERABLE", "0")
    result = runner.invoke(ask_app, [GERMAN_Q, "--llm", "nope:x"])
    assert result.exit_code == 1
    line = error_line(result)
    assert "nope:x" in line
    for spec in ("extractive", "openai:<model>", "ollama:<model>", "llamacpp:<path.gguf>"):
        assert spec in line


def test_unknown_llm_spec_is_rejected_even_when_abstaining(runner, indexed):
    result = runner.invoke(ask_app, ["What is the capital of Peru?", "--llm", "nope:x"])
    assert result.exit_code == 1
    assert "unknown LLM spec" in error_line(result)


def test_unknown_embedder_from_env(runner, cli_env, monkeypatch):
    monkeypatch.setenv("RAG_EMBEDDER", "nope")
    result = runner.invoke(ask_app, ["What is this?"])
    assert result.exit_code == 1
    line = error_line(result)
    assert "unknown embedder spec 'nope'" in line
    for spec in ("e5-small", "muse", "st:<model or path>", "openai:<model>", "hash:<dim>"):
        assert spec in line


def test_unknown_embedder_flag(runner, cli_env):
    result = runner.invoke(ask_app, ["What is this?", "--embedder", "nope"])
    assert result.exit_code == 1
    line = error_line(result)
    assert "unknown embedder spec 'nope'" in line and "hash:<dim>" in line


@pytest.mark.parametrize("command", [["index"], ["ask", "Kuchen?", "--retrieve-only"]])
def test_valid_embedder_flag(runner, cli_env, monkeypatch, command):
    monkeypatch.delenv("RAG_EMBEDDER")
    result = runner.invoke(app, [*command, "--embedder", "hash:64"])
    assert result.exit_code == 0, result.stderr


def test_missing_corpus(runner, cli_env):
    result = runner.invoke(ask_app, ["What is this?", "--corpus", "/nonexistent"])
    assert result.exit_code == 1
    line = error_line(result)
    assert "corpus folder not found" in line and "/nonexistent" in line
    assert result.stdout == ""


def test_question_is_required(runner, cli_env):
    result = runner.invoke(ask_app, [])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- rag index / status ---------------------------------------------------------------------------
def test_rag_index_prints_counts(runner, cli_env):
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert str(cli_env) in out
    assert "3 added, 0 changed, 0 removed, 0 unchanged files" in out
    assert "3 chunks embedded" in out and "3 in the index" in out

    again = runner.invoke(app, ["index"])
    assert again.exit_code == 0
    assert "0 added, 0 changed, 0 removed, 3 unchanged files; 0 chunks embedded" in again.stdout


def test_rag_index_json_and_skipped_warning(runner, cli_env):
    (cli_env / "image.png").write_bytes(b"\x89PNG\r\n")
    result = runner.invoke(app, ["index", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["added"] == 3 and data["chunks_total"] == 3
    assert any("image.png" in s and "unsupported" in s for s in data["skipped"])
    plain = runner.invoke(app, ["index"])
    assert plain.exit_code == 0
    assert "3 unchanged" in plain.stdout
    assert "warning: skipped image.png: unsupported format" in plain.stderr
    assert "image.png" not in plain.stdout


def test_rag_index_corpus_argument(runner, cli_env, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Zebras have stripes.\n", encoding="utf-8")
    result = runner.invoke(app, ["index", str(other)])
    assert result.exit_code == 0, result.output
    assert str(other) in result.stdout and "1 added" in result.stdout
    (other / "y.txt").write_text("Giraffes have long necks.\n", encoding="utf-8")
    again = runner.invoke(app, ["index", "--corpus", str(other)])  # as `ask --corpus` takes it
    assert again.exit_code == 0, again.output
    assert str(other) in again.stdout and "1 added" in again.stdout and "1 unchanged" in again.stdout
    both = runner.invoke(app, ["index", str(other), "--corpus", str(tmp_path)])
    assert both.exit_code == 1 and "two folders given" in both.output and "Traceback" not in both.output


def test_rag_status_shows_location_and_redacts_key(runner, indexed, monkeypatch):
    monkeypatch.setenv("RAG_LLM_API_KEY", SECRET)
    monkeypatch.setenv("RAG_EMBED_API_KEY", SECRET)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert SECRET not in out
    from rag.settings import load_settings

    index_dir = str(load_settings().index_dir)
    assert f"index_dir        {index_dir}" in out
    assert "indexed          True" in out
    assert "index_embedder   hash:64" in out
    assert "chunks           3" in out
    assert "llm_api_key      ***" in out

    as_json = runner.invoke(app, ["status", "--json"])
    assert as_json.exit_code == 0
    assert SECRET not in as_json.output
    data = json.loads(as_json.stdout)
    assert data["index_dir"] == index_dir
    assert data["settings"]["llm_api_key"] == "***"
    assert data["settings"]["embed_api_key"] == "***"


def test_rag_status_before_indexing(runner, cli_env):
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "indexed          False" in result.stdout


# --- help -----------------------------------------------------------------------------------------
def test_ask_help(runner):
    result = runner.invoke(ask_app, ["--help"])
    assert result.exit_code == 0
    for option in ("--json", "--retrieve-only", "--llm", "--embedder", "--corpus"):
        assert option in result.stdout


def test_rag_help_lists_commands(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ask", "index", "status"):
        assert command in result.stdout


def test_help_shows_flags_without_type_noise(runner):
    text = runner.invoke(ask_app, ["--help"]).stdout
    assert "--json" in text and "--width" in text and "--show-passages" in text
    assert "<bool>" not in text, "a flag takes no value"
