"""Settings precedence (flags > RAG_* env > rag.toml > defaults), validation and redaction."""
from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import Settings, load_settings


def write_toml(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults():
    s = load_settings()
    assert s.k == 5
    assert s.llm == "extractive"
    assert s.embedder == "e5-small"
    assert s.chunk_tokens == 160 and s.chunk_overlap == 32
    assert s.llm_api_key is None


def test_home_comes_from_rag_home(_isolated):
    assert load_settings().home == Path(_isolated)


def test_rag_toml_in_cwd_overrides_defaults():
    write_toml(Path("rag.toml"), 'k = 7\nllm = "ollama:qwen"\nchunk_tokens = 100\n')
    s = load_settings()
    assert (s.k, s.llm, s.chunk_tokens) == (7, "ollama:qwen", 100)
    assert s.chunk_overlap == 32  # untouched keys keep their defaults


def test_env_overrides_rag_toml(monkeypatch):
    write_toml(Path("rag.toml"), 'k = 7\nllm = "ollama:qwen"\n')
    monkeypatch.setenv("RAG_K", "9")
    s = load_settings()
    assert s.k == 9
    assert s.llm == "ollama:qwen"


def test_flags_override_env_and_toml(monkeypatch):
    write_toml(Path("rag.toml"), 'k = 7\nllm = "ollama:qwen"\n')
    monkeypatch.setenv("RAG_K", "9")
    monkeypatch.setenv("RAG_LLM", "openai:gpt")
    s = load_settings(k=11)
    assert s.k == 11
    assert s.llm == "openai:gpt"


def test_none_flag_means_not_given(monkeypatch):
    monkeypatch.setenv("RAG_K", "9")
    assert load_settings(k=None, llm=None).k == 9


def test_rag_config_points_at_another_file(tmp_path, monkeypatch):
    write_toml(Path("rag.toml"), "k = 7\n")  # ignored when RAG_CONFIG is set
    other = write_toml(tmp_path / "elsewhere.toml", "k = 4\nretrieval = \"dense\"\n")
    monkeypatch.setenv("RAG_CONFIG", str(other))
    s = load_settings()
    assert s.k == 4 and s.retrieval == "dense"
    monkeypatch.setenv("RAG_K", "6")
    assert load_settings().k == 6
    assert load_settings(k=2).k == 2


def test_rag_config_missing_file_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()


def test_rag_toml_in_another_directory_is_not_read(tmp_path, monkeypatch):
    sub = tmp_path / "elsewhere"
    sub.mkdir()
    write_toml(sub / "rag.toml", "k = 7\n")
    assert load_settings().k == 5


@pytest.mark.parametrize(
    "env,value",
    [("RAG_K", "abc"), ("RAG_K", "0"), ("RAG_K", "101"), ("RAG_RETRIEVAL", "sparse"), ("RAG_CHUNK_TOKENS", "8"), ("RAG_MIN_EVIDENCE", "1.5")],
)
def test_invalid_env_value_is_a_config_error(monkeypatch, env, value):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    field = env[len("RAG_"):].lower()
    assert field in info.value.message
    assert info.value.one_line().startswith("error: invalid setting")
    assert "\n" not in info.value.one_line()


@pytest.mark.parametrize("flags", [{"k": 0}, {"k": -3}, {"chunk_overlap": -1}, {"bm25_weight": 9.0}, {"threads": 0}])
def test_invalid_flag_value_is_a_config_error(flags):
    with pytest.raises(ConfigError) as info:
        load_settings(**flags)
    assert next(iter(flags)) in info.value.message


def test_invalid_toml_value_is_a_config_error():
    write_toml(Path("rag.toml"), 'k = "many"\n')
    with pytest.raises(ConfigError, match="k"):
        load_settings()


def test_unknown_key_in_rag_toml_is_a_config_error():
    write_toml(Path("rag.toml"), "k = 7\nbogus_option = 1\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "bogus_option" in info.value.message


def test_broken_toml_is_a_config_error():
    write_toml(Path("rag.toml"), "k = [\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.hint and "rag.toml" in info.value.hint


def test_unknown_flag_is_a_config_error():
    with pytest.raises(ConfigError, match="no_such_setting"):
        load_settings(no_such_setting=1)


def test_redacted_masks_api_keys(monkeypatch):
    monkeypatch.setenv("RAG_LLM_API_KEY", "sk-secret-123")
    monkeypatch.setenv("RAG_EMBED_API_KEY", "emb-secret-456")
    s = load_settings()
    assert s.llm_api_key.get_secret_value() == "sk-secret-123"
    out = s.redacted()
    assert out["llm_api_key"] == "***"
    assert out["embed_api_key"] == "***"
    assert "sk-secret-123" not in repr(out) and "emb-secret-456" not in repr(out)
    assert "sk-secret-123" not in repr(s) and "sk-secret-123" not in str(s)
    assert set(out) == set(Settings.model_fields)
    assert isinstance(out["corpus"], str) and isinstance(out["home"], str)


def test_redacted_without_key_is_none():
    assert load_settings().redacted()["llm_api_key"] is None


def test_index_dir_is_per_corpus_and_under_rag_home(tmp_path, _isolated):
    (tmp_path / "one" / "notes").mkdir(parents=True)
    (tmp_path / "two" / "notes").mkdir(parents=True)
    a = load_settings(corpus=tmp_path / "one" / "notes")
    b = load_settings(corpus=tmp_path / "two" / "notes")
    home = Path(_isolated)
    assert a.index_dir != b.index_dir
    assert a.corpus_key != b.corpus_key
    for s in (a, b):
        assert s.index_dir.parent.parent == home
        assert s.index_dir.is_relative_to(home)
        assert s.index_dir.name.startswith("notes-")


def test_index_dir_is_stable_for_the_same_corpus(tmp_path, monkeypatch):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    a = load_settings(corpus=corpus)
    monkeypatch.chdir(tmp_path)
    b = load_settings(corpus=Path("docs"))  # relative spelling of the same folder
    assert a.index_dir == b.index_dir


def test_corpus_from_env_and_tilde_expansion(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("RAG_CORPUS", "~/docs")
    s = load_settings()
    assert s.corpus == tmp_path / "docs"
