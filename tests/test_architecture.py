"""The layout's promises, checked on the source: one stage per module or folder, no import cycles
(imports inside functions included), chromadb behind the store, small modules and functions."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rag"
MAX_MODULE_LINES = 400
MAX_CLI_LINES = 250
MAX_FUNCTION_LINES = 60


def modules() -> dict[str, tuple[Path, list[str]]]:
    """Dotted module name -> (file, the package its relative imports start from)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = parts[:-1]
        if parts[-1] == "__init__":
            parts = package = parts[:-1]
        out[".".join(parts)] = (path, package)
    return out


def import_graph() -> dict[str, set[str]]:
    """Edges from each module to the rag modules it imports, at any depth of its code."""
    mods = modules()
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for name, (path, package) in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    dest = f"{target}.{alias.name}" if f"{target}.{alias.name}" in mods else target
                    if dest in mods and dest != name:
                        graph[name].add(dest)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in mods and a.name != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_even_inside_functions():
    assert cycles(import_graph()) == []


def test_every_stage_is_there():
    names = set(modules())
    for stage in ("rag.load", "rag.chunk", "rag.embed", "rag.index", "rag.index.store", "rag.retrieve", "rag.answer", "rag.llms", "rag.eval", "rag.api", "rag.cli"):
        assert stage in names, stage


def test_only_the_store_imports_chromadb():
    importers = set()
    for name, (path, _) in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "chromadb" for a in node.names):
                importers.add(name)
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "chromadb":
                importers.add(name)
    assert importers == {"rag.index.store"}


def test_the_package_holds_no_benchmark_or_test_double():
    text = "\n".join(path.read_text(encoding="utf-8") for path, _ in modules().values())
    for word in ("FakeLLM", "ReplayEmbedder", "RetrieverEvaluator", "benchmarks/xquad", "llama_server"):
        assert word not in text, word


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_and_functions_stay_small(name):
    path, _ = modules()[name]
    source = path.read_text(encoding="utf-8")
    limit = MAX_CLI_LINES if name == "rag.cli" else MAX_MODULE_LINES
    assert len(source.splitlines()) <= limit, f"{path.name} has {len(source.splitlines())} lines"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name} has {length} lines"
