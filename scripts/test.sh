#!/usr/bin/env bash
# Set up a fresh virtualenv and run everything CI runs: the test suite (unit, end-to-end,
# real servers on 127.0.0.1), then the gated evals (offline extractive, and a real LLM
# served by llama.cpp). Works offline apart from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${RAG_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
. "$VENV/bin/activate"
export PIP_DISABLE_PIP_VERSION_CHECK=1
pip install -q torch==2.13.0            # the local CPU build; must come before anything that needs torch
# llama.cpp compiles here: a portable build (AVX2), not one for this CPU, whose AMX paths a virtual machine may not allow
# ("Illegal instruction" on a long prompt, seen on this kind of machine)
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
pip install -q -e '.[all,test,bench]'
export RAG_TEST_GGUF="$(python scripts/fetch_test_model.py)"
mkdir -p evals/out
export RAG_HOME="$(mktemp -d)"             # evals index from scratch, never into the user's data dir
trap 'rm -rf "$RAG_HOME"' EXIT
python -m pytest -q
rag eval --gate extractive --json evals/out/extractive.json
rag eval --corpus evals/techdocs/corpus --cases evals/techdocs/cases.jsonl --gate techdocs --json evals/out/techdocs.json
rag eval --corpus evals/clihelp/corpus --cases evals/clihelp/cases.jsonl --gate clihelp --json evals/out/clihelp.json
rag eval --corpus evals/notes/corpus --cases evals/notes/cases.jsonl --gate notes --json evals/out/notes.json
python evals/llm_eval.py --gate --out evals/out/llm.json
