"""Fusion retrieval: chunk and sentence vectors of the main embedder and of mUSE, z-score fused."""
from __future__ import annotations

import re
import time

import numpy as np

from ..answer.kinds import HOW_KINDS
from ..answer.signals import REASON_LIFT  # a "why" question lifts the sentences that point back to a reason, here and in the quote selection
from ..embed import Embedder
from ..index import IndexView, hubs
from ..index.layout import chunk_of
from ..lang import detect
from .base import Retrieval, committed_passages
from .dense import DenseRetriever

FUSION_WEIGHTS = {"": 1.0, "s": 0.75, "m": 0.5, "ms": 0.25}  # chosen on five corpora, evals/RESULTS.md
FUSION_DEPTH = {"chunks": 30, "sentences": 60}
HUB_KEYS = ("", "m")  # the chunk lists get the hub correction
# share of the language-pair offset the quote selection subtracts too (measured 0.5, 0.75, 1 on seeds, tech docs, clihelp
# and mixed-language XQuAD: evals/RESULTS.md; 1 cost a seeds fact)
PAIR_SHIFT = 0.75
LANGUAGE_KEYS = ("", "s")  # the main embedder's lists get the language-pair correction (mUSE's: no measured effect)


def _fuse(normalised: dict[str, dict[str, float]], floors: dict[str, float], ids) -> tuple[dict[str, float], float]:
    """The weighted sum of the lists' z-scores for each of ``ids`` (a list's floor where it lacks the chunk), and the
    same sum of the floors: where a chunk no list found stands."""
    return (
        {cid: sum(FUSION_WEIGHTS[key] * z.get(cid, floors[key]) for key, z in normalised.items()) for cid in ids},
        sum(FUSION_WEIGHTS[key] * floors[key] for key in normalised),
    )


def zscores(scores: dict[str, float]) -> tuple[dict[str, float], float]:
    """z-normalise one ranked list; the floor (its lowest z) stands in for chunks the list did not return."""
    values = np.fromiter(scores.values(), dtype=np.float64)
    mean, std = float(values.mean()), float(values.std()) or 1.0
    return {cid: (v - mean) / std for cid, v in scores.items()}, (float(values.min()) - mean) / std


# the tool a manual page or a --help text documents, from its title: "APROPOS(1) › OPZIONI", "Aufruf: sort [OPTION]…"
_TITLE_TOOL = re.compile(r"^([A-Za-z][\w.+-]*)\(\d|^[^\W\d_][^:]{0,24}:\s*([a-z][\w.+-]*)\s+\[")
TITLE_TOOL_WORDS = True
# z added, for an option or how-to question, to the chunks of its tool that hold option items: the NAME and DESCRIPTION chunk
# no longer comes before the items (evals/RESULTS.md)
OPTION_ITEMS_LIFT = 1.0
_ITEM_LINE = re.compile(r"(?m)^[ \t]*--?[A-Za-z0-9?]")
# for an option or how-to question about a tool its title names, every chunk of its manual (up to SIBLING_FILES manuals)
# competes, and an item whose long option a question word names gains NAMED_OPTION_LIFT z ("--human" for
# "human-readable"; evals/RESULTS.md)
SIBLING_ITEMS = True
SIBLING_FILES = 3
ITEM_KINDS = HOW_KINDS
NAMED_OPTION_LIFT = 0.5
NAMED_WORDS = True  # the lift counts the question words an item's long option names (evals/RESULTS.md)
GIVEN_FLAG_ITEMS = True  # a question asking what an option it writes does gets its tool's items, that option's first (evals/RESULTS.md)
GIVEN_FLAG_Z = 10.0  # z added to the chunk holding that option's item: first (wget's 158 chunks hold 92 items; evals/RESULTS.md)
# x the z-score (among the items of the tool's manual, floored at 0) of a chunk's best option item against what the question
# asks the option to do, without the tool's name and the word "option" (`options.focus`): "prints line numbers" finds
# "-n, --line-number" where the whole question finds every grep item alike (evals/RESULTS.md)
FOCUS_WEIGHT = 2.0
# x the fused z of the question without the words nearly every candidate holds (:mod:`rag.retrieve.shared_terms`), added, for
# the extractive answerer (`shared_weight` unset). It lifts the seeds and one-subject XQuAD corpora; an LLM's retrieval keeps 0:
# it reorders the passages the CI's 1.5B model reads, which then falls back more often (evals/RESULTS.md, 24th-25th sessions)
SHARED_WEIGHT = 1.0


def _names_option(question: str, text: str) -> float:
    """How many words of the question name the long option of one of the chunk's items ("human-readable" -> "--human"),
    for the item they name most of ("line numbers" -> 2 for "--line-number", 1 for "--line-buffered"); 1 at most unless
    ``NAMED_WORDS``."""
    from ..answer.options import long_names, names_an_option
    from ..answer.signals import key_terms

    terms = [t for t in key_terms(question) if len(t.text) >= 4]
    names = [long_names(line) for line in text.splitlines() if _ITEM_LINE.match(line)]
    if not NAMED_WORDS:
        return float(names_an_option(" ".join(names), terms))
    return float(max((sum(names_an_option(n, [t]) for t in terms) for n in names if n), default=0))


def _given_flags(question: str) -> set[str]:
    """The options a question writes and asks what they do ("What does the -h flag of df do?"); none for any other question
    (there the option it writes is not the answer: "How can tail -f stop once a process has exited?")."""
    from ..answer.options import asks_what_option_does

    return set(asks_what_option_does(question)) if GIVEN_FLAG_ITEMS else set()


def _opens_with(text: str, given: set[str]) -> bool:
    """Whether one of the chunk's option items opens with one of ``given``."""
    from ..answer.options import documents

    return any(documents(line, given) for line in text.splitlines() if _ITEM_LINE.match(line))


def _tools_named_by_word(question: str, contexts) -> list[str]:
    """The tools among the candidates' titles that the question names as a plain word ("How do I make apropos …",
    "Which free option …"): a lower-case word of the question equal to one (a stop word never is)."""
    from ..answer.signals import _stop_words

    tools = {(m.group(1) or m.group(2)).lower() for c in contexts if (m := _TITLE_TOOL.match(c))}
    words = set(re.findall(r"(?<![\w-])[a-z][\w.+-]*[\w+]", question))
    return sorted(w for w in words if w in tools and w not in _stop_words())


class FusionRetriever:
    """Each space searched in the store; per-chunk scores z-normalised per space and summed with weights.

    Sentence-level matches find the one sentence that answers a question inside a longer chunk;
    mUSE adds a more language-neutral opinion. Before normalising, the two chunk lists lose
    ``hub_weight`` x each chunk's hub score for the question's language (:mod:`rag.index.hubs`),
    and the main embedder's two lists lose ``language_weight`` x the mean hub score of the chunk's
    language, so that a German question does not prefer German text for being German. With
    ``shared_weight`` (1 for the extractive answerer by default), when nearly every candidate holds a word of the question
    ("Microsoft" in articles about Microsoft), the question without it is searched too (``_unshared``).
    ``rank_score`` is the fused z-score. Measured on five corpora in evals/RESULTS.md.
    """

    name = "fusion"

    def __init__(
        self, dense: DenseRetriever, view: IndexView, muse: Embedder, hub_weight: float = 0.0, title_weight: float = 0.0, language_weight: float = 0.0,
        shared_weight: float = 0.0,
    ):
        self.dense = dense
        self.shared_weight = shared_weight
        self.title_weight = title_weight
        self.view = view
        self.muse = muse
        self.hub_weight = hub_weight
        self.language_weight = language_weight
        scores, pairs = hubs.read(view.layout.hubs(view.manifest.get("collection") or "")) if hub_weight or language_weight else ({}, {})
        self.hubs = scores if hub_weight else {}
        self.hub_means = {(key, lang): float(np.mean(list(r.values()))) for key, by_lang in self.hubs.items() for lang, r in by_lang.items() if r}
        self.pairs = pairs.get("", {}) if language_weight else {}

    def _descaled(self, key: str, scores: dict[str, float], lang: str) -> dict[str, float]:
        """Chunk-list cosines minus ``hub_weight`` x the chunk's hub score for the question's language
        (CSLS local scaling, see :mod:`rag.index.hubs`); chunks without a score get the mean."""
        by_lang = self.hubs.get(key) if key in HUB_KEYS else None
        if by_lang and not by_lang.get(lang):
            lang = hubs.ANY
        r = by_lang.get(lang) if by_lang else None
        if not r:
            return scores
        fallback = self.hub_means[(key, lang)]
        return {cid: v - self.hub_weight * r.get(cid, fallback) for cid, v in scores.items()}

    def _pair_means(self, lang: str) -> tuple[dict[str, float], float]:
        """The mean hub score of each chunk language for questions in ``lang`` (all probes' when ``lang`` has none) and
        their mean; ({}, 0) when the corpus has one language: the same shift for every chunk."""
        means = self.pairs.get(lang) or self.pairs.get(hubs.ANY)
        if not means or len(means) < 2:
            return {}, 0.0
        return means, float(np.mean(list(means.values())))

    def _paired(self, lists: dict[str, dict[str, float]], lang: str) -> None:
        """The main embedder's lists minus ``language_weight`` x the mean hub score of each chunk's language
        for the question's language (:func:`rag.index.hubs.pairs`): scores of different language pairs
        become comparable. Chunks of a language without a mean get the mean of all."""
        means, fallback = self._pair_means(lang)
        if not means:
            return
        ids = sorted({cid for key in LANGUAGE_KEYS for cid in lists.get(key, {})})
        written = self.view.manifest.languages(ids)
        for key in LANGUAGE_KEYS:
            if key in lists:
                lists[key] = {cid: v - self.language_weight * means.get(written.get(cid, ""), fallback) for cid, v in lists[key].items()}

    def _shift(self, passages, lang: str) -> None:
        """Each passage's language-pair offset for the question's language: its language's mean hub score minus the
        mean over the corpus's languages (the quote selection subtracts it, as ``_paired`` does for retrieval)."""
        means, average = self._pair_means(lang)
        if not means:
            return
        for p in passages:
            p.pair_shift = PAIR_SHIFT * self.language_weight * (means.get(p.language, average) - average)

    def _sentence_hits(self, key: str, vector: np.ndarray, n: int, reason: bool = False) -> dict[str, float]:
        best: dict[str, float] = {}
        lifted = reason and REASON_LIFT > 0
        if lifted:
            from ..answer.signals import points_back
        for hit in self.view.spaces[key].query(vector, n, documents=lifted):
            cid = chunk_of(hit.id)
            score = hit.score + (REASON_LIFT if lifted and points_back(hit.text) else 0.0)
            if score > best.get(cid, -2.0):
                best[cid] = score
        return best

    def _chunk_hits(self, key: str, vector: np.ndarray, n: int) -> dict[str, float]:
        return {hit.id: hit.score for hit in self.view.spaces[key].query(vector, n, documents=False)}

    def _titled(self, question: str, ids: list[str]) -> tuple[list[str], list[str]]:
        """The chunks whose document title or section names a tool, command or acronym the question names
        ("which option of du …" and the chunks of "Aufruf: du [OPTION]…"): words no translation changes; and those names."""
        if not self.title_weight:
            return [], []
        from ..answer.asked import identifiers
        from ..answer.signals import word_pattern

        contexts = self.view.manifest.contexts(ids)
        # a tool named as a plain word counts only when the question names none the usual way ("which option of ls
        # sorts by modification time" does not also name time(1))
        names = identifiers(question) or (_tools_named_by_word(question, contexts.values()) if TITLE_TOOL_WORDS else [])
        if not names:
            return [], []
        pattern = word_pattern(tuple(dict.fromkeys(names)), hyphen=True)
        return [cid for cid, context in contexts.items() if pattern.search(context)], names

    def _with_items(self, ids: set[str]) -> dict[str, str]:
        """The chunks among ``ids`` that hold a manual's option items (a line opening with an option), with their text."""
        chunks = self.view.manifest.chunks(sorted(ids))
        return {cid: c.text for cid, c in chunks.items() if _ITEM_LINE.search(c.text)}

    def _focused(self, question: str, names: list[str], items: dict[str, str]) -> dict[str, dict[int, float]]:
        """The option items of ``items`` (chunk id -> text), chunk id -> {the item's start in the chunk: its score}, scored
        against what the question asks the option to do (:func:`rag.answer.options.focus`): both sentence spaces'
        cosines, z-normalised over the items, summed with ``FUSION_WEIGHTS``."""
        from ..answer.options import focus, option_item
        from ..chunk import sentences

        asked = focus(question, names)
        if not asked:
            return {}
        owner = {f"{cid}@{n}": (cid, s) for cid, text in items.items() for n, (s, e) in enumerate(sentences(text)) if option_item(text[s:e])}
        if len(owner) < 2:
            return {}
        total = dict.fromkeys(owner, 0.0)
        for key, embedder in (("s", self.dense.embedder), ("ms", self.muse)):
            q = embedder.embed_queries([asked])[0]
            got = self.view.spaces[key].vectors(sorted(owner))
            if len(got) > 1:
                z, floor = zscores({i: float(v @ q) for i, v in got.items()})
                for i in total:
                    total[i] += FUSION_WEIGHTS[key] * z.get(i, floor)
        out: dict[str, dict[int, float]] = {}
        for i, score in total.items():
            cid, start = owner[i]
            out.setdefault(cid, {})[start] = score
        return out

    def _siblings(self, ids: set[str]) -> set[str]:
        """Every committed chunk of the files ``ids`` come from (at most ``SIBLING_FILES`` files)."""
        sources = {c.source for c in self.view.manifest.chunks(sorted(ids)).values()}
        if len(sources) > SIBLING_FILES:
            return set()
        committed = self.view.committed
        return {cid for source in sources for cid in self.view.manifest.chunk_ids(source) if committed is None or cid in committed}

    def _lists(self, qe: np.ndarray, qm: np.ndarray, lang: str, depths: tuple[int, int], reason: bool):
        """The four ranked lists of one question's two vectors, z-normalised over committed chunks: (the main embedder's
        chunk hits as passages, key -> chunk id -> z, key -> the list's floor)."""
        depth_c, depth_s = depths
        dense = {p.passage_id: p for p in self.dense.search(qe, depth_c)}
        lists = {
            "": self._descaled("", {cid: p.score for cid, p in dense.items()}, lang),
            "s": self._sentence_hits("s", qe, depth_s, reason),
            "m": self._descaled("m", self._chunk_hits("m", qm, depth_c), lang),
            "ms": self._sentence_hits("ms", qm, depth_s, reason),
        }
        if self.pairs:
            self._paired(lists, lang)
        committed = self.view.committed
        floors, normalised = {}, {}
        for key, scores in lists.items():
            if committed is not None:
                scores = {cid: v for cid, v in scores.items() if cid in committed}
            if scores:
                normalised[key], floors[key] = zscores(scores)
        return dense, normalised, floors

    def _unshared(self, question: str, fused: dict[str, float], floor: float, lang: str, depths: tuple[int, int], reason: bool) -> tuple[tuple[str, ...], float]:
        """Add ``shared_weight`` x the fused z of the question without the words nearly every candidate holds
        (:mod:`rag.retrieve.shared_terms`) to ``fused``, in place (a chunk only these lists find starts at ``floor``);
        nothing when no word is that common. Returns those words and what a chunk neither search found gains (their floor)."""
        from . import shared_terms

        texts = [c.text for c in self.view.manifest.chunks(sorted(fused)).values()]
        common = shared_terms.shared(question, texts)
        words = tuple(t.text for t in common)
        focus = shared_terms.without(question, words)
        if focus == question:
            return (), 0.0
        qe = self.dense.embedder.embed_queries([focus])[0]
        qm = self.muse.embed_queries([focus])[0]
        _, normalised, floors = self._lists(qe, qm, lang, depths, reason)
        found = sorted(set().union(*[set(v) for v in normalised.values()]))
        if len(shared_terms.held(common, [c.text for c in self.view.manifest.chunks(found).values()])) < len(common):
            return (), 0.0  # the words are common near the question only: a curl question's chunks all name curl
        for cid in found:
            fused.setdefault(cid, floor)
        second, gained = _fuse(normalised, floors, fused)
        for cid in fused:
            fused[cid] += self.shared_weight * second[cid]
        return words, self.shared_weight * gained

    def retrieve(self, question: str, k: int) -> Retrieval:
        t0 = time.perf_counter()
        qe = self.dense.embedder.embed_queries([question])[0]
        qm = self.muse.embed_queries([question])[0]
        t1 = time.perf_counter()
        lang = detect(question) if self.hubs or self.pairs else ""
        depth_c = max(FUSION_DEPTH["chunks"], k)
        depth_s = max(FUSION_DEPTH["sentences"], 2 * k)
        from ..answer.asked import kind_of

        reason = kind_of(question)[0] == "reason"
        dense, normalised, floors = self._lists(qe, qm, lang, (depth_c, depth_s), reason)
        candidates = set().union(*[set(v) for v in normalised.values()]) if normalised else set()
        fused, floor = _fuse(normalised, floors, candidates)  # floor: where a chunk these lists lack stands
        titled_ids, names = self._titled(question, list(candidates))
        asked_items: dict[str, dict[int, float]] = {}
        titled = set(titled_ids)
        for cid in titled:
            fused[cid] += self.title_weight
        given = _given_flags(question)  # "What does the -h flag of df do?": the item documenting -h answers
        option = bool(OPTION_ITEMS_LIFT and titled and (kind_of(question)[0] in ITEM_KINDS or given))
        # an option question about a tool whose manual was found scores its items without the tool's name (_focused)
        shared, gained = self._unshared(question, fused, floor, lang, (depth_c, depth_s), reason) if self.shared_weight and not option else ((), 0.0)
        floor += gained
        if option:
            if SIBLING_ITEMS:  # the other chunks of the tool's manual that hold items: the asked one may be far in cosine
                siblings = self._siblings(titled) - set(fused)
                fused.update({cid: floor + self.title_weight for cid in sorted(siblings)})  # tied: in id order, not hash order
                titled |= siblings
            items = self._with_items(titled)
            if FOCUS_WEIGHT and not given:  # the item doing what the question asks, by its description
                asked_items = self._focused(question, names, items)
                for cid, scores in asked_items.items():
                    fused[cid] += FOCUS_WEIGHT * max(0.0, *scores.values())
            for cid, text in items.items():
                if given:  # the item of the very option asked about
                    fused[cid] += OPTION_ITEMS_LIFT + (GIVEN_FLAG_Z if _opens_with(text, given) else 0.0)
                else:
                    fused[cid] += OPTION_ITEMS_LIFT + (NAMED_OPTION_LIFT * _names_option(question, text) if NAMED_OPTION_LIFT else 0.0)
        order = sorted(fused, key=lambda cid: -fused[cid])[:k]
        passages = committed_passages(self.view, [(cid, fused[cid]) for cid in order], dense, qe)
        for p in passages:
            p.on_subject = p.passage_id in titled
            p.asked_items = asked_items.get(p.passage_id, {})
            p.shared = shared
        self._shift(passages, lang)
        return Retrieval(passages=passages, timings_ms={"embed": (t1 - t0) * 1000, "search": (time.perf_counter() - t1) * 1000})
