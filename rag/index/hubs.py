"""Hub scores: how close each chunk sits to questions in general, per vector space and question language.

A "hub" (a list of option names, a table of package names, a synopsis) is near many questions at
once and takes top ranks for questions about other documents. CSLS-style local scaling corrects
for that: ``2 cos(q, c) - r(q) - r(c)``, where ``r(c)`` is the mean cosine of ``c`` to its nearest
queries. ``r(q)`` is the same for every chunk of one question, so ranking needs only
``cos(q, c) - r(c) / 2``. Here the queries are a fixed set of generic questions shipped with the
package (``probes.txt``, 20 per language), so ``r(c)`` depends on the chunk alone: it is computed
after each index run that changed anything and kept beside the manifest. A chunk that has a
translation elsewhere in the corpus is not penalised for it (a neighbour-based ``r(c)`` would).
Scores are kept per probe language (``r`` against the 5 nearest probes of that language) and for
all probes together (10 nearest); fusion subtracts the scores of the question's language, which
also evens out the pull of chunks in the question's own language.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

NEEDED_BY = ("fusion",)  # retrieval modes that read hub scores
ANY = "*"  # scores against every probe, for questions in other languages
K_LANG, K_ANY = 5, 10
BLOCK = 1024


def wanted(settings) -> bool:
    """Whether the settings read hub scores (fusion with a hub weight): only then are they computed."""
    return settings.retrieval in NEEDED_BY and settings.hub_weight > 0


def probe_questions() -> list[tuple[str, str]]:
    """``(language, question)`` pairs from ``probes.txt``."""
    out = []
    for line in Path(__file__).with_name("probes.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, _, question = line.partition("\t")
            out.append((lang, question))
    return out


def probe_scores(vectors: np.ndarray, probes: np.ndarray, k: int) -> np.ndarray:
    """Mean cosine of each row of ``vectors`` to its ``k`` nearest rows of ``probes``."""
    k = min(k, len(probes))
    out = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), BLOCK):
        sims = vectors[start : start + BLOCK].astype(np.float32) @ probes.astype(np.float32).T
        out[start : start + BLOCK] = np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)
    return out


def space_scores(vectors: np.ndarray, embedder) -> dict[str, np.ndarray]:
    """Per probe language (and :data:`ANY`), each row's hub score."""
    probes = probe_questions()
    matrix = embedder.embed_queries([q for _, q in probes])
    langs = np.array([lang for lang, _ in probes])
    out = {ANY: probe_scores(vectors, matrix, K_ANY)}
    for lang in sorted(set(langs.tolist())):
        out[lang] = probe_scores(vectors, matrix[langs == lang], K_LANG)
    return out


def save(path: Path, scores: dict[str, dict[str, dict[str, float]]]) -> None:
    """Write ``{space key: {language: {chunk id: score}}}`` atomically (a reader never sees half a file)."""
    arrays = {}
    for key, by_lang in scores.items():
        for lang, by_id in by_lang.items():
            name = f"{key or 'chunks'}@{lang}"
            arrays[f"ids_{name}"] = np.array(list(by_id), dtype=str)
            arrays[f"r_{name}"] = np.fromiter(by_id.values(), dtype=np.float32, count=len(by_id))
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)


def load(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """The scores :func:`save` wrote; empty when there are none (an older index, or nothing indexed yet)."""
    try:
        data = np.load(path)
    except (OSError, ValueError):
        return {}
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in data.files:
        if name.startswith("ids_"):
            space, _, lang = name[4:].rpartition("@")
            out.setdefault("" if space == "chunks" else space, {})[lang] = dict(zip(data[name].tolist(), data[f"r_{name[4:]}"].tolist()))
    return out


def build(spaces: dict, path: Path) -> None:
    """Compute and save the hub scores of every space in ``spaces`` (space key -> (store, embedder))."""
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for key, (store, embedder) in spaces.items():
        ids = sorted(store.ids())
        found = store.vectors(ids) if ids else {}
        ids = [i for i in ids if i in found]
        if not ids:
            scores[key] = {ANY: {}}
            continue
        by_lang = space_scores(np.stack([found[i] for i in ids]), embedder)
        scores[key] = {lang: dict(zip(ids, r.tolist())) for lang, r in by_lang.items()}
    save(path, scores)
