"""Data for the answerability model and the answer-sentence selection, and the model's training.

    python -m bench.answerability dump  --out evals/out/answerability.jsonl   # features per question
    python -m bench.answerability train --data evals/out/answerability.jsonl  # writes rag/answer/answerability.json

Training data never comes from the eval cases: it is XQuAD's first 24 articles. Half of them are
indexed, and of those every fourth paragraph is left out: questions about an indexed paragraph are
answerable; questions about a left-out paragraph of an indexed article are near misses (same topic,
same names, the asked fact missing: the hardest kind); questions about an article left out entirely
are off-topic; and near misses are also made by swapping a name, number or year of an answerable
question for one from another article. The seeds and tech-docs eval cases and XQuAD's last 24
articles (split the same way) are dumped too, marked ``split = "eval"``, to measure the model,
never to fit it.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from bench import xquad
from rag.answer import judge
from rag.answer.evidence import Second, evidence
from rag.api import Pipeline
from rag.eval import holds_fact, load_cases

ROOT = Path(__file__).resolve().parent.parent
TRAIN_ARTICLES = range(0, 24)
EVAL_ARTICLES = range(24, 48)
FEATURES = (
    "evidence", "similarity", "type_ok", "entity_cov", "entity_cov_passage", "entity_cov_window", "term_cov", "noise", "top_evidence", "has_entities", "kind_known",
    "cross_script", "support", "entity_cov_all",
)
SIBLING_EVERY = 4  # of an indexed article, paragraphs 1, 5, 9 … are left out: questions about them are near misses


def analyse(pipe: Pipeline, question: str, k: int = 5) -> tuple[dict[str, float], list[judge.Judged], list]:
    """Retrieve as ``ask`` does, score the evidence, judge the sentences."""
    passages = pipe.retrieve(question, k)
    qvec = pipe.embedder.embed_queries([question])[0]
    muse, muse_vectors = pipe.second_opinion
    items = evidence(qvec, passages, pipe.sentence_vectors, Second(muse.embed_queries([question])[0], muse_vectors))
    q = judge.Question.of(question)
    judged = judge.judge(q, items)
    return {**judge.answer_features(q, judged), "qkind": f"{q.kind}:{q.unit}", "kind_missing": judge.kind_missing(q, judged)}, judged, items


def _sentences(judged: list[judge.Judged], holds, known: bool) -> list[dict[str, Any]]:
    """The 15 best sentences by evidence score, with their features and whether they hold the answer."""
    top = sorted(judged, key=lambda j: -j.item.score)[:15]
    return [
        {**j.features(), "rank": i, "passage_rank": j.item.n, "type_known": j.type_ok * known, "gold": bool(holds(j.item.text))}
        for i, j in enumerate(top)
    ]


def _swap(question: str, pool: list[str], rng: random.Random) -> str | None:
    """A near miss: one name, number or year of the question replaced by one from another article."""
    names = [m for m in re.finditer(r"(?<=\s)[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)*|\b\d{3,4}\b", question)]
    if not names:
        return None
    target = rng.choice(names)
    candidates = [p for p in pool if p != target.group(0) and (p.isdigit() == target.group(0).isdigit())]
    if not candidates:
        return None
    return question[: target.start()] + rng.choice(candidates) + question[target.end() :]


def xquad_rows(lang: str, articles: range, split: str, workdir: Path, rng: random.Random, limit: int) -> Iterator[dict[str, Any]]:
    docs = xquad.load(xquad.default_data_dir(), lang)
    questions = xquad.load(xquad.default_data_dir(), "en")
    indexed = {a for a in articles if a % 2 == 0}
    position: dict[int, int] = {}
    kept: set[int] = set()
    for i, p in enumerate(docs):
        n = position[p["article"]] = position.get(p["article"], -1) + 1
        if p["article"] in indexed and n % SIBLING_EVERY != 1:
            kept.add(i)
    corpus = workdir / f"{split}-{lang}"
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for i in kept:
            (corpus / f"p{i:03d}.txt").write_text(docs[i]["context"], encoding="utf-8")
    pipe = Pipeline(corpus=corpus, home=workdir / "home", min_evidence=0.0)
    pipe.index()
    items = [(qa, i, p) for i, p in enumerate(questions) if p["article"] in articles for qa in p["qas"]]
    rng.shuffle(items)
    pool = [m.group(0) for qa, _, p in items if p["article"] not in indexed for m in re.finditer(r"(?<=\s)[A-Z][\w'-]+|\b\d{3,4}\b", qa["question"])]
    gold_text = {qa["id"]: [a["text"] for a in qa["answers"]] for p in docs for qa in p["qas"]}
    for qa, i, p in items[:limit]:
        answerable = i in kept
        kind = "answerable" if answerable else "sibling" if p["article"] in indexed else "heldout"
        feats, judged, items_ev = analyse(pipe, qa["question"])
        gold = gold_text.get(qa["id"], [])
        row = {"set": f"xquad-{lang}", "split": split, "kind": kind, "answerable": answerable, **feats}
        if answerable:
            row["first_ev_gold"] = bool(items_ev) and any(g in items_ev[0].text for g in gold)
            row["first_judged_gold"] = bool(judged) and any(g in judged[0].item.text for g in gold)
            row["any_top3_judged_gold"] = any(any(g in j.item.text for g in gold) for j in judged[:3])
            row["sentences"] = _sentences(judged, lambda text: any(g in text for g in gold), feats["kind_known"])
            swapped = _swap(qa["question"], pool, rng)
            if swapped:
                near, _, _ = analyse(pipe, swapped)
                yield {"set": f"xquad-{lang}", "split": split, "kind": "swapped", "answerable": False, **near}
        yield row


def case_rows(name: str, corpus: Path, cases: Path, workdir: Path) -> Iterator[dict[str, Any]]:
    """Rows for an eval corpus and its cases (measured, never fitted)."""
    pipe = Pipeline(corpus=corpus, home=workdir / "home", min_evidence=0.0)
    pipe.index()
    for case in load_cases(cases):
        feats, judged, items = analyse(pipe, case.question)
        row = {"set": name, "split": "eval", "kind": case.id, "answerable": case.answerable, **feats}
        if case.answerable:
            row["sentences"] = _sentences(judged, lambda text: holds_fact(text, case.facts), feats["kind_known"])
            row["first_ev_gold"] = bool(items) and holds_fact(items[0].text, case.facts)
            row["first_judged_gold"] = bool(judged) and holds_fact(judged[0].item.text, case.facts)
            row["any_top3_judged_gold"] = any(holds_fact(j.item.text, case.facts) for j in judged[:3])
        yield row


def dump(args) -> int:
    rng = random.Random(7)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rag-answerability-") as tmp, out.open("w", encoding="utf-8") as fh:
        work = Path(args.work) if args.work else Path(tmp)
        sources = []
        if "seeds" in args.sets:
            sources.append(case_rows("seeds", ROOT / "seeds", ROOT / "evals" / "cases.jsonl", work))
        if "techdocs" in args.sets:
            sources.append(case_rows("techdocs", ROOT / "evals" / "techdocs" / "corpus", ROOT / "evals" / "techdocs" / "cases.jsonl", work))
        if "clihelp" in args.sets:
            sources.append(case_rows("clihelp", ROOT / "evals" / "clihelp" / "corpus", ROOT / "evals" / "clihelp" / "cases.jsonl", work))
        for lang in args.langs.split(","):
            if "train" in args.sets:
                sources.append(xquad_rows(lang, TRAIN_ARTICLES, "train", work, rng, args.limit))
            if "eval" in args.sets:
                sources.append(xquad_rows(lang, EVAL_ARTICLES, "eval", work, rng, args.limit))
        for source in sources:
            for row in source:
                fh.write(json.dumps(row) + "\n")
                fh.flush()
    return 0


def ruled_out(row: dict) -> bool:
    """The rule before the model (:func:`rag.answer.judge.kind_missing`, recorded by ``dump``)."""
    return bool(row.get("kind_missing"))


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 4000, lr: float = 0.1) -> tuple[np.ndarray, float]:
    """Logistic regression by gradient descent on standardised features (numpy only)."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= lr * (x.T @ (p - y) / len(y) + l2 * w / len(y))
        b -= lr * float(np.mean(p - y))
    return w, b


SELECT_FEATURES = (
    "evidence", "similarity", "second", "type_ok", "type_known", "entity_cov", "entity_cov_passage", "entity_cov_window", "term_cov", "passage_rank",
)
SLACK = 0.05  # rag.answer.extractive.pick quotes from the sentences within this much of the best evidence


def _window(r: dict) -> list[dict]:
    """The sentences ``pick`` chooses among: not noise, evidence within ``SLACK`` of the best."""
    usable = [s for s in r["sentences"] if not s["noise"]]
    floor = max((s["evidence"] for s in usable), default=0.0) - SLACK
    return [s for s in usable if s["evidence"] >= floor]


def fit_listwise(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.01, steps: int = 600, lr: float = 0.5) -> np.ndarray:
    """Softmax over each question's candidate sentences (a conditional logit): the weights that put the
    sentences holding the answer first, which is what the first quote needs (a pointwise fit is not)."""
    w = np.zeros(groups[0][0].shape[1])
    for _ in range(steps):
        grad = l2 * w
        for x, y in groups:
            z = x @ w
            p = np.exp(z - z.max())
            grad += x.T @ (p / p.sum() - y / y.sum()) / len(groups)
        w -= lr * grad
    return w


def train_selection(rows: list[dict]) -> dict:
    """Listwise: of the sentences ``pick`` chooses among, which holds the answer? Its linear score ranks them."""
    windows = [_window(r) for r in rows if r["split"] == "train" and r.get("sentences")]
    windows = [w for w in windows if w]
    x_all = np.array([[s[f] for f in SELECT_FEATURES] for w in windows for s in w], dtype=float)
    mean, scale = x_all.mean(axis=0), x_all.std(axis=0) + 1e-6
    groups = []
    for w in windows:
        y = np.array([float(s["gold"]) for s in w])
        if 0 < y.sum() < len(y):  # a question with nothing to choose teaches nothing
            groups.append(((np.array([[s[f] for f in SELECT_FEATURES] for s in w], dtype=float) - mean) / scale, y))
    w = fit_listwise(groups)
    return {
        "weights": dict(zip(SELECT_FEATURES, map(float, w))), "mean": dict(zip(SELECT_FEATURES, map(float, mean))), "scale": dict(zip(SELECT_FEATURES, map(float, scale))),
        "trained_on": f"{len(groups)} XQuAD training-article questions with a choice in pick's window (softmax over the window's sentences)",
    }


def selection_report(rows: list[dict], select: dict) -> None:
    """Share of answerable questions whose first quote (best selection score in ``pick``'s window) holds the answer, per set."""
    def score(s: dict) -> float:
        return sum(w * (s[f] - select["mean"][f]) / select["scale"][f] for f, w in select["weights"].items())

    groups: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("sentences") and _window(r):
            groups.setdefault(f"{r['set']}/{r['split']}", []).append(r)
    for name, rs in sorted(groups.items()):
        by_ev = sum(_window(r)[0]["gold"] for r in rs) / len(rs)
        learned = sum(max(_window(r), key=score)["gold"] for r in rs) / len(rs)
        top3 = sum(any(s["gold"] for s in sorted(_window(r), key=score, reverse=True)[:3]) for r in rs) / len(rs)
        print(f"selection {name}: first quote holds the answer {by_ev:.3f} by evidence score -> {learned:.3f} learned (top 3: {top3:.3f}), n={len(rs)}")


def train(args) -> int:
    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if "evidence" in r]
    for r in rows:  # dumps made before the feature existed: English questions, so Cyrillic evidence is cross-script
        r.setdefault("cross_script", float(r["set"] == "xquad-ru"))
    names = [f for f in FEATURES if f not in args.drop.split(",")]
    # the model decides after the min_evidence rule: it learns to separate what that rule lets through
    fit_rows = [r for r in rows if r["split"] == "train" and r["top_evidence"] >= args.min_evidence and not ruled_out(r)]
    x = np.array([[r[f] for f in names] for r in fit_rows], dtype=float)
    y = np.array([float(r["answerable"]) for r in fit_rows])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    w, b = fit((x - mean) / scale, y)
    select = train_selection(rows)
    model = {
        "weights": dict(zip(names, map(float, w))), "bias": b, "mean": dict(zip(names, map(float, mean))), "scale": dict(zip(names, map(float, scale))),
        "select": select,
        "trained_on": (
            f"{len(fit_rows)} XQuAD training-article questions with evidence >= {args.min_evidence} that the amount/date rule lets through "
            "(negatives: left-out paragraphs of indexed articles, held-out articles, swapped names and numbers)"
        ),
    }
    selection_report(rows, select)
    Path(args.model).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    report(rows, model, args.min_evidence)
    return 0


def report(rows: list[dict], model: dict, min_evidence: float = 0.78) -> None:
    """Correct and false refusal per set at a sweep of thresholds, after the min_evidence rule."""
    def prob(r: dict) -> float:
        z = model["bias"] + sum(w * (r[n] - model["mean"][n]) / model["scale"][n] for n, w in model["weights"].items())
        return 1 / (1 + np.exp(-z))

    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(f"{r['set']}/{r['split']}", []).append(r)
    print("weights:", {k: round(v, 2) for k, v in model["weights"].items()})
    for t in (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5):
        cells = []
        for name, rs in sorted(groups.items()):
            un = [r for r in rs if not r["answerable"]]
            ans = [r for r in rs if r["answerable"]]
            cr = sum(r["top_evidence"] < min_evidence or ruled_out(r) or prob(r) < t for r in un) / max(len(un), 1)
            fr = sum(r["top_evidence"] < min_evidence or ruled_out(r) or prob(r) < t for r in ans) / max(len(ans), 1)
            cells.append(f"{name} {cr:.2f}/{fr:.2f}")
        print(f"t={t}: " + "  ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--out", default=str(ROOT / "evals" / "out" / "answerability.jsonl"))
    d.add_argument("--langs", default="de,ru,es")
    d.add_argument("--sets", default="seeds,techdocs,clihelp,train,eval")
    d.add_argument("--work", default="", help="keep the indexes here and reuse them (default: a temporary directory)")
    d.add_argument("--limit", type=int, default=600, help="questions per language and split")
    t = sub.add_parser("train")
    t.add_argument("--data", default=str(ROOT / "evals" / "out" / "answerability.jsonl"))
    t.add_argument("--model", default=str(judge.MODEL_FILE))
    t.add_argument("--drop", default="", help="features to leave out (comma-separated)")
    t.add_argument("--min-evidence", type=float, default=0.78, help="train on the questions this evidence rule lets through")
    args = parser.parse_args(argv)
    return dump(args) if args.command == "dump" else train(args)


if __name__ == "__main__":
    sys.exit(main())
