"""Screen fusion weights and hub corrections offline: collect each question's four ranked lists once
(e5/mUSE x chunk/sentence, exactly as :class:`rag.retrieve.fusion.FusionRetriever` fetches them),
then re-fuse them under many weightings without touching the store again.

    python -m bench.weights collect --corpus DIR --cases FILE --home DIR --out lists.pkl
    python -m bench.weights collect --xquad de --workdir DIR [--limit N] --out lists.pkl
    python -m bench.weights score lists.pkl [more.pkl ...] --weights 1,1,0.5,0.5 --weights 1,1,1,1 [--hub 0.5] [--by-lang] [--language 1]
    python -m bench.weights grid lists.pkl [more.pkl ...]

``score`` prints file hit@1/hit@5/MRR per list file and weighting (``--language``: the language-pair
correction of the main embedder's two lists, as :meth:`FusionRetriever._paired` does it); ``grid`` tries 144 weightings
with language hub scores and prints, per combination, the change in questions at hit@1 against
1, 1, 0.5, 0.5 without hub correction, for every list file.
"""
from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import numpy as np

from rag.api import Pipeline
from rag.index.layout import chunk_of
from rag.retrieve.fusion import FUSION_DEPTH, LANGUAGE_KEYS, zscores

KEYS = ("", "s", "m", "ms")


def raw_lists(retriever, question: str) -> dict[str, dict[str, float]]:
    """The four lists of one question, before hub correction and normalisation."""
    qe = retriever.dense.embedder.embed_queries([question])[0]
    qm = retriever.muse.embed_queries([question])[0]
    dc, ds = FUSION_DEPTH["chunks"], FUSION_DEPTH["sentences"]
    sentence = {}
    for key, q in (("s", qe), ("ms", qm)):
        sentence[key] = {h.id: h.score for h in retriever.view.spaces[key].query(q, ds, documents=False)}
    return {
        "": {p.passage_id: p.score for p in retriever.dense.search(qe, dc)},
        "s": sentence["s"],
        "m": {h.id: h.score for h in retriever.view.spaces["m"].query(qm, dc, documents=False)},
        "ms": sentence["ms"],
    }


def hubs_by_language(inner) -> dict[str, dict[str, dict[str, float]]]:
    """Hub scores of the two chunk spaces, per probe language and for all probes (see :mod:`rag.index.hubs`)."""
    from rag.index import hubs

    out: dict[str, dict[str, dict[str, float]]] = {}
    for key, embedder in (("", inner.dense.embedder), ("m", inner.muse)):
        store = inner.view.spaces[key]
        ids = sorted(store.ids())
        found = store.vectors(ids)
        by_lang = hubs.space_scores(np.stack([found[i] for i in ids]), embedder)
        out[key] = {lang: dict(zip(ids, r.tolist())) for lang, r in by_lang.items()}
    return out


def collect(pipe: Pipeline, questions: list[tuple[str, list[str], str]]) -> dict:
    """Lists, gold files and question language for every question, and the index's hub scores."""
    pipe.ensure_index()
    retriever = pipe.retriever()
    inner = getattr(retriever, "inner", retriever)
    rows = [{"lists": raw_lists(inner, q), "gold": gold, "lang": lang} for q, gold, lang in questions]
    return {"rows": rows, "hubs_lang": hubs_by_language(inner), "languages": inner.view.manifest.languages()}


def fuse(lists: dict, weights: dict[str, float], hubs: dict, hub_weight: float, shift: dict[str, float] | None = None) -> list[str]:
    """``hubs``: space key -> chunk id -> hub score (already chosen for the question's language, if by language);
    ``shift``: chunk id -> what the main embedder's lists lose for the chunk's language."""
    normalised, floors = {}, {}
    for key, scores in lists.items():
        if key in ("s", "ms"):
            best: dict[str, float] = {}
            for sid, v in scores.items():
                cid = chunk_of(sid)
                best[cid] = max(best.get(cid, -2.0), v)
            scores = best
        elif hub_weight and hubs.get(key):
            r = hubs[key]
            mean = float(np.mean(list(r.values())))
            scores = {cid: v - hub_weight * r.get(cid, mean) for cid, v in scores.items()}
        if shift and key in LANGUAGE_KEYS:
            scores = {cid: v - shift.get(chunk_of(cid), 0.0) for cid, v in scores.items()}
        if scores:
            normalised[key], floors[key] = zscores(scores)
    candidates = set().union(*[set(v) for v in normalised.values()])
    fused = {cid: sum(weights[k] * z.get(cid, floors[k]) for k, z in normalised.items()) for cid in candidates}
    return sorted(fused, key=lambda cid: -fused[cid])


def language_shift(data: dict, lang: str, weight: float) -> dict[str, float]:
    """chunk id -> ``weight`` x the mean hub score of its language for ``lang`` questions (main embedder's chunk space)."""
    from rag.index import hubs as hub_scores

    written = data.get("languages", {})
    means = hub_scores.language_means(data["hubs_lang"][""], written)
    mean = means.get(lang) or means[hub_scores.ANY]
    if len(mean) < 2:
        return {}
    fallback = float(np.mean(list(mean.values())))
    return {cid: weight * mean.get(written.get(cid, ""), fallback) for cid in data["hubs_lang"][""][hub_scores.ANY]}


def score(data: dict, weights: dict[str, float], hub_weight: float = 0.0, by_lang: bool = False, depth: int = 20, language: float = 0.0) -> dict[str, float]:
    hit1 = hit5 = rr = 0.0
    shifts: dict[str, dict[str, float]] = {}
    for row in data["rows"]:
        files: list[str] = []
        lang = row.get("lang", "en")
        hubs = {k: v.get(lang) or v["*"] for k, v in data["hubs_lang"].items()} if by_lang else {k: v["*"] for k, v in data["hubs_lang"].items()}
        if language and lang not in shifts:
            shifts[lang] = language_shift(data, lang, language)
        for cid in fuse(row["lists"], weights, hubs, hub_weight, shifts.get(lang))[:depth]:
            src = cid.rsplit("#", 1)[0]
            if src not in files:
                files.append(src)
        rank = next((i for i, f in enumerate(files, 1) if f in row["gold"]), None)
        hit1 += rank == 1
        hit5 += rank is not None and rank <= 5
        rr += 1 / rank if rank else 0.0
    n = len(data["rows"])
    return {"n": n, "hit1": round(hit1 / n, 4), "hit5": round(hit5 / n, 4), "mrr": round(rr / n, 4)}


def _questions(args) -> tuple[Pipeline, list[tuple[str, list[str]]]]:
    if args.xquad:
        from bench import xquad

        docs = xquad.load(xquad.default_data_dir(), args.xquad)
        questions = xquad.load(xquad.default_data_dir(), "en")
        corpus = args.workdir / f"xquad-{args.xquad}"
        xquad.write_corpus(docs, corpus)
        pipe = Pipeline(corpus=corpus, home=args.workdir / "home")
        items = [(qa["question"], [f"p{i:03d}.txt"], "en") for i, p in enumerate(questions) for qa in p["qas"]]
        return pipe, items[: args.limit] if args.limit else items
    from rag.eval import load_cases

    pipe = Pipeline(corpus=args.corpus, home=args.home)
    return pipe, [(c.question, c.sources, c.lang) for c in load_cases(args.cases) if c.answerable]


def grid(datas: dict[str, dict]) -> None:
    import itertools

    base = {name: score(d, dict(zip(KEYS, (1, 1, 0.5, 0.5)))) for name, d in datas.items()}
    for es, mc, ms, hub in itertools.product((0.75, 1, 1.25), (0.5, 0.75, 1), (0.25, 0.5, 0.75, 1), (0.2, 0.3, 0.4, 0.5)):
        weights = dict(zip(KEYS, (1, es, mc, ms)))
        delta = {name: round((score(d, weights, hub, True)["hit1"] - base[name]["hit1"]) * base[name]["n"]) for name, d in datas.items()}
        print(f"1,{es},{mc},{ms} hub {hub}", delta, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--corpus", type=Path)
    c.add_argument("--cases", type=Path)
    c.add_argument("--home", type=Path)
    c.add_argument("--xquad")
    c.add_argument("--workdir", type=Path)
    c.add_argument("--limit", type=int)
    c.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score")
    s.add_argument("files", type=Path, nargs="+")
    s.add_argument("--weights", action="append", default=[])
    s.add_argument("--hub", type=float, default=0.0)
    s.add_argument("--by-lang", action="store_true", help="hub scores from the probe questions in the question's language")
    s.add_argument("--language", type=float, default=0.0, help="language-pair correction weight (the product's language_weight)")
    g = sub.add_parser("grid")
    g.add_argument("files", type=Path, nargs="+")
    args = ap.parse_args()
    if args.cmd == "grid":
        grid({f.name: pickle.loads(f.read_bytes()) for f in args.files})
        return
    if args.cmd == "collect":
        pipe, items = _questions(args)
        args.out.write_bytes(pickle.dumps(collect(pipe, items)))
        return
    datas = {f.name: pickle.loads(f.read_bytes()) for f in args.files}
    for spec in args.weights or ["1,1,0.5,0.5"]:
        weights = dict(zip(KEYS, (float(x) for x in spec.split(","))))
        print(spec, {name: score(d, weights, args.hub, args.by_lang, language=args.language) for name, d in datas.items()})


if __name__ == "__main__":
    main()
