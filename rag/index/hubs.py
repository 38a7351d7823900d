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

Language pairs: the mean hub score of all chunks written in one language, for the probes of
another, is how close that pair of languages sits in a space regardless of topic (e5 puts a German
question nearer to any German chunk than to an Italian one). :func:`pairs` keeps that mean per
question language and chunk language; fusion subtracts it so that scores of different language
pairs become comparable (evals/RESULTS.md).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

NEEDED_BY = ("fusion",)  # retrieval modes that read hub scores
ANY = "*"  # scores against every probe, for questions in other languages
K_LANG, K_ANY = 5, 10
BLOCK = 1024
FORMAT = 2  # 2: with the language-pair means


def wanted(settings) -> bool:
    """Whether the settings read hub scores (fusion with a hub or language weight): only then are they computed."""
    return settings.retrieval in NEEDED_BY and (settings.hub_weight > 0 or settings.language_weight > 0)


def current(path: Path) -> bool:
    """Whether ``path`` holds hub scores in this version's format (an older file is rebuilt on the next run).
    Remembered per file version (every question asks; the file is replaced, never changed in place)."""
    try:
        st = path.stat()
    except OSError:
        return False
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _CURRENT:
        data = _read(path)
        _CURRENT[key] = data is not None and "format" in data.files and int(data["format"]) >= FORMAT
    return _CURRENT[key]


_CURRENT: dict[tuple[str, int, int], bool] = {}


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
    return _scores(vectors, embedder.embed_queries([q for _, q in probes]), np.array([lang for lang, _ in probes]))


def language_means(by_lang: dict[str, dict[str, float]], languages: dict[str, str]) -> dict[str, dict[str, float]]:
    """Per probe language, the mean hub score of the chunks of each chunk language (``languages``: chunk id -> language)."""
    out: dict[str, dict[str, float]] = {}
    for lang, by_id in by_lang.items():
        groups: dict[str, list[float]] = {}
        for cid, r in by_id.items():
            groups.setdefault(languages.get(cid, ""), []).append(r)
        out[lang] = {written: float(np.mean(rs)) for written, rs in groups.items() if written}
    return out


def save(
    path: Path, scores: dict[str, dict[str, dict[str, float]]], hashes: dict[str, str], probes: dict[str, tuple[str, np.ndarray]],
    languages: dict[str, str] | None = None,
) -> None:
    """Write ``{space key: {language: {chunk id: score}}}``, the content hash each score was computed for,
    each space's probe vectors (with the embedder's name) and, given the chunks' ``languages``, the
    language-pair means, atomically: a reader never sees half a file."""
    arrays: dict[str, np.ndarray] = {"hash_ids": np.array(list(hashes), dtype=str), "hash_values": np.array(list(hashes.values()), dtype=str)}
    arrays["format"] = np.array(FORMAT)
    for key, by_lang in scores.items():
        space = key or "chunks"
        for lang, by_id in by_lang.items():
            arrays[f"ids_{space}@{lang}"] = np.array(list(by_id), dtype=str)
            arrays[f"r_{space}@{lang}"] = np.fromiter(by_id.values(), dtype=np.float32, count=len(by_id))
        for lang, means in language_means(by_lang, languages or {}).items():
            arrays[f"pairnames_{space}@{lang}"] = np.array(list(means), dtype=str)
            arrays[f"pair_{space}@{lang}"] = np.fromiter(means.values(), dtype=np.float32, count=len(means))
        if key in probes:
            arrays[f"probename_{space}"] = np.array([probes[key][0]])
            arrays[f"probes_{space}"] = probes[key][1]
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)


def _read(path: Path):
    try:
        return np.load(path)
    except (OSError, ValueError):
        return None


def _grouped(data, keys: str, values: str) -> dict[str, dict[str, dict]]:
    """``{space key: {language: {key: value}}}`` from the arrays named ``<keys>_<space>@<language>`` and ``<values>_…``."""
    out: dict[str, dict[str, dict]] = {}
    for name in data.files if data is not None else []:
        if name.startswith(keys + "_"):
            space, _, lang = name[len(keys) + 1 :].rpartition("@")
            out.setdefault("" if space == "chunks" else space, {})[lang] = dict(zip(data[name].tolist(), data[f"{values}_{space}@{lang}"].tolist()))
    return out


def load(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """The scores :func:`save` wrote; empty when there are none (an older index, or nothing indexed yet)."""
    return _grouped(_read(path), "ids", "r")


def pairs(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """``{space key: {question language: {chunk language: mean hub score}}}`` as :func:`save` wrote them."""
    return _grouped(_read(path), "pairnames", "pair")


def read(path: Path) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, dict[str, dict[str, float]]]]:
    """:func:`load` and :func:`pairs` from one read of the file."""
    data = _read(path)
    return _grouped(data, "ids", "r"), _grouped(data, "pairnames", "pair")


def _probe_vectors(data, key: str, embedder, cache_dir: Path | None) -> np.ndarray:
    """The probe questions embedded by ``embedder``: from the index's last run, else from the per-machine
    cache (``settings.cache_dir``: every index of one embedder shares them), else embedded now and cached."""
    space = key or "chunks"
    questions = [q for _, q in probe_questions()]
    if data is not None and f"probes_{space}" in data.files and data[f"probename_{space}"][0] == embedder.name:
        if len(data[f"probes_{space}"]) == len(questions):
            return data[f"probes_{space}"]
    digest = hashlib.sha1("\n".join([embedder.name, *questions]).encode()).hexdigest()[:16]
    cached = cache_dir / f"probes-{digest}.npy" if cache_dir else None
    if cached is not None and cached.exists():
        try:
            return np.load(cached)
        except (OSError, ValueError):
            pass
    matrix = embedder.embed_queries(questions)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, matrix)
            tmp.replace(cached)
        except OSError:
            pass  # a read-only home only loses the cache
    return matrix


def build(spaces: dict, path: Path, hashes: dict[str, str], cache_dir: Path | None = None, languages: dict[str, str] | None = None) -> None:
    """Bring the hub scores of every space in ``spaces`` (space key -> (store, embedder)) up to date with the
    committed chunks (``hashes``: chunk id -> content hash). A score depends on its chunk alone, so only
    chunks that are new or whose content changed are scored; the others keep theirs. The language-pair
    means (``languages``: chunk id -> language) are recomputed from all scores."""
    data = _read(path)
    old = _grouped(data, "ids", "r")
    old_hashes = dict(zip(data["hash_ids"].tolist(), data["hash_values"].tolist())) if data is not None and "hash_ids" in data.files else {}
    same = {cid for cid, h in hashes.items() if old_hashes.get(cid) == h}
    scores: dict[str, dict[str, dict[str, float]]] = {}
    probes: dict[str, tuple[str, np.ndarray]] = {}
    langs = np.array([lang for lang, _ in probe_questions()])
    for key, (store, embedder) in spaces.items():
        matrix = _probe_vectors(data, key, embedder, cache_dir)
        probes[key] = (embedder.name, matrix)
        kept = old.get(key, {})
        reuse = {cid for cid in same if all(cid in by_id for by_id in kept.values())} if kept else set()
        todo = sorted(set(hashes) - reuse)
        found = store.vectors(todo) if todo else {}
        todo = [cid for cid in todo if cid in found]
        fresh = _scores(np.stack([found[c] for c in todo]), matrix, langs) if todo else {}
        scores[key] = {}
        for lang in [ANY, *sorted(set(langs.tolist()))]:
            by_id = {cid: kept[lang][cid] for cid in reuse if lang in kept}
            by_id.update(zip(todo, fresh[lang].tolist()) if todo else [])
            scores[key][lang] = by_id
    save(path, scores, hashes, probes, languages)


def _scores(vectors: np.ndarray, matrix: np.ndarray, langs: np.ndarray) -> dict[str, np.ndarray]:
    out = {ANY: probe_scores(vectors, matrix, K_ANY)}
    for lang in sorted(set(langs.tolist())):
        out[lang] = probe_scores(vectors, matrix[langs == lang], K_LANG)
    return out
