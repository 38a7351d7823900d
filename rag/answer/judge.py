"""Which evidence sentence answers the question, and whether any does.

Each evidence sentence gets lexical features (:mod:`rag.answer.signals`) next to its embedding
score. ``rank`` orders sentences by a selection score that prefers the sentence holding what the
question asks for; ``answerability`` turns the features of the best sentences into a probability
with a logistic model whose weights live in ``answerability.json`` (trained by
``bench/answerability.py`` on data kept apart from the eval cases; see evals/RESULTS.md).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import attributes, binding, colours, credentials, defines, howto, kinds, lexicon, lifts, signals
from ..types import Passage
from .evidence import Evidence, unshared_z
from .asked import Question, priced
from .persons import names_someone
from .kinds import HOW_KINDS, phatic

MODEL_FILE = Path(__file__).with_name("answerability.json")
Mentioned = Callable[[list[str]], set[str]]  # which of these names some document of the corpus contains
SUPPORT_REACH = 5  # sentences (best selection score first) searched for an answer of the asked kind
# sentences (best evidence first) an amount or date question's answer must come from: by evidence, not by the selection
# score, which prefers sentences of the asked kind and so would always find one (measured 3-5; evals/RESULTS.md)
KIND_REACH = 4
# Questions whose answer is recognisable in any language: with none of the asked kind in the leading evidence
# the documents do not answer (measured: false refusal 0.00-0.02 on XQuAD, seeds and tech docs; evals/RESULTS.md)
EXACT_KINDS = ("amount", "date", "phone", "colour")
# cosine taken from a sentence that names years, none of them the one an amount question asks about (measured at 0.03 with
# fusion.PAIR_SHIFT; evals/RESULTS.md): the selection prefers a sentence whose year may stand in the sentence before
# ("Zu dieser Zeit hatte Microsoft bereits 13 Milliarden …") to one giving a figure for 2019
OTHER_YEAR_DROP = 0.03
# a "who" question whose first quote names nobody the question does not name itself, nor does its line before it (a pronoun's
# person), is not answered: "Who is the plumber coming on Thursday?" against "… le plombier passe jeudi …" (evals/RESULTS.md)
PERSON_NAMED = True
# cosine per z of a sentence's cosine with the question without the words every candidate held (evidence.unshared_z)
UNSHARED_LIFT = 0.01


@dataclass(kw_only=True)
class Judged:
    """One evidence sentence with what it holds for this question."""

    item: Evidence
    similarity: float  # the sentence's own cosine with the question
    second: float  # its cosine in the second embedder's space (mUSE); the training mean when there is none
    type_ok: float  # holds the kind of answer asked for (1), not (0), unknown kind (0.5)
    entity_cov: float  # share of the question's names, acronyms and numbers found in the sentence
    entity_cov_passage: float  # the same, in the whole passage
    entity_cov_window: float  # the same, in the sentence and its neighbours
    term_cov: float  # share of all the question's content words found in the sentence
    noise: bool  # heading, navigation or boilerplate
    passage_vocab: signals.Vocabulary  # the words of the sentence's passage (shared by its sentences)
    score: float = 0.0  # the selection score: how likely this sentence holds the answer (a linear score, not a probability)
    lift: float = 0.0  # cosine added for the selection: the reason lift, minus the other-year drop and the language-pair offset
    other_year: bool = False  # an amount question names a year and this sentence names only others

    @property
    def lifted(self) -> float:
        """The evidence score the quote selection reads: the item's, plus ``lift``."""
        return self.item.score + self.lift

    def features(self) -> dict[str, float]:
        return {
            "evidence": self.item.score, "similarity": self.similarity, "second": self.second, "type_ok": self.type_ok, "entity_cov": self.entity_cov,
            "entity_cov_passage": self.entity_cov_passage, "entity_cov_window": self.entity_cov_window, "term_cov": self.term_cov,
            "noise": float(self.noise),
        }


def _coverage(terms, vocab: signals.Vocabulary) -> float:
    return sum(vocab.has(t) for t in terms) / len(terms) if terms else 1.0


def _headings(passage: Passage) -> str:
    """The headings a passage stands under, as the loader found them (title › section path); none for a document without
    headings, whose title is only its first line ("wlan: Larkspur-5G, maple-otter-4417" in a note), which stays quotable."""
    return (passage.context or passage.locator.section or "") if passage.locator.section else ""


def _window(it: Evidence, reach: int = 200) -> str:
    """The sentence with up to ``reach`` characters of its passage on each side."""
    text = it.passage.text
    return text[max(0, it.start - reach) : it.end + reach]


def _introduced(it: Evidence, reach: int = 200) -> str:
    """A sentence ending in ":" with up to ``reach`` characters of what it introduces (the command it is quoted with)."""
    return it.passage.text[it.start : it.end + reach] if it.text.rstrip().endswith(":") else it.text


def judge(question: Question, items: list[Evidence]) -> list[Judged]:
    """Features for every evidence sentence, best selection score first."""
    entities = [t for t in question.terms if t.entity]
    select = _model()["select"]
    known = float(question.kind != "other")
    reason = question.kind == "reason"
    asked_years = attributes.years(question.text) if question.kind == "amount" else set()
    passage_vocab: dict[str, signals.Vocabulary] = {}
    duration = DURATION_OTHER_TYPE < 1 and question.duration
    change = "change" in attributes.asked(question.text, question.kind, question.unit)  # how much it rose: a level is half an answer
    how = howto.HowRules.of(question, items) if question.kind in HOW_KINDS else None
    term, person = defines.asked_term(question.text) if DEFINITION_LIFT and question.kind == "other" else ("", False)  # "Was ist udev?"
    wording = lifts.WordingLifts.of(question, items)  # a default asked for, a name written as code, the option asked about
    out = []
    # an option or how-to question: the chunks of one manual are cut arbitrarily, so its third chunk's item competes with the first's
    rank = _document_ranks(items) if DOCUMENT_RANK and question.kind in HOW_KINDS else {}
    near = unshared_z(items) if UNSHARED_LIFT else {}
    for it in items:
        text = it.text
        vocab = signals.Vocabulary.of(text)
        pid = it.passage.passage_id
        if pid not in passage_vocab:
            passage_vocab[pid] = signals.Vocabulary.of(it.passage.text)
        j = Judged(
            item=it,
            similarity=(it.score - 0.3 * it.passage.score) / 0.7,
            second=it.second if it.second is not None else select["mean"].get("second", 0.0),
            type_ok=question.type_match(_introduced(it) if question.kind == "command" else text, it.passage.language),
            entity_cov=_coverage(entities, vocab),
            entity_cov_passage=_coverage(entities, passage_vocab[pid]),
            entity_cov_window=_coverage(entities, signals.Vocabulary.of(_window(it))),
            term_cov=_coverage(question.terms, vocab),
            noise=(signals.is_boilerplate(text) or (signals.is_heading(text) and not signals.in_block(it.passage.text, it.start)) or signals.table_header(it.passage.text, it.start, it.end)
                   or signals.names_heading(text, _headings(it.passage))) and not (question.kind == "colour" and colours.named(text)),  # «Auto: grauer Octavia …»
            passage_vocab=passage_vocab[pid],
        )
        j.lift = signals.REASON_LIFT if reason and signals.points_back(text) else 0.0  # "Вот почему они наняли …", as in retrieval
        if duration and j.type_ok == 1 and not signals.gives_duration(text):
            # "50 g de sucre" holds an amount, not the span of time "how long" asks for; a sum of money or a share never does
            j.type_ok = 0.0 if all(priced(span) for span in question.candidates(text, it.passage.language)) else DURATION_OTHER_TYPE
        if change and j.type_ok == 1 and not attributes.names(text, ("change",), tuple(question.candidates(text, it.passage.language))):
            j.type_ok = DURATION_OTHER_TYPE  # "150 € Selbstbeteiligung" gives a level, not how much it rose
        if term:  # "Das udev-System bietet …" says what udev is; "Siehe systemd.device(5)." only points elsewhere: no quote
            j.lift += DEFINITION_LIFT if defines.defines(text, term, apposition=person) else 0.0
            j.noise = j.noise or defines.only_points(text)
        j.lift += wording.lift(it) + UNSHARED_LIFT * near.get(id(it), 0.0)
        if question.kind == "name" and signals.names_something(text):
            j.lift += signals.NAMING_LIFT  # "… son propre LLM appelé MAI-1"
        if how is not None:
            j.lift += how.lift(it)
        j.other_year = bool(asked_years and (named := attributes.years(text)) and not named & asked_years)
        if j.other_year:
            j.lift -= OTHER_YEAR_DROP  # a figure for 2019 does not answer "how much by November 2023"
        j.lift -= it.passage.pair_shift
        feats = {**j.features(), "evidence": j.lifted, "similarity": j.similarity + j.lift}
        j.score = _linear(select, {**feats, "passage_rank": (1 - DOCUMENT_RANK) * it.retrieval_rank + DOCUMENT_RANK * rank[it.retrieval_rank] if rank else float(it.retrieval_rank), "type_known": j.type_ok * known})
        out.append(j)
    return sorted(out, key=lambda j: -j.score)


def _document_ranks(items: list[Evidence]) -> dict[int, int]:
    """Passage rank -> the rank of its document among the retrieved documents (the selection model was trained on XQuAD,
    where every paragraph is a file and the two are the same)."""
    first: dict[str, int] = {}
    for n, source in sorted({(it.retrieval_rank, it.passage.source) for it in items}):
        first.setdefault(source, len(first) + 1)
    return {it.retrieval_rank: first[it.passage.source] for it in items}


@lru_cache(maxsize=1)
def _model() -> dict:
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def _linear(part: dict, feats: dict[str, float]) -> float:
    """A logistic model's linear score on standardised features (the weights come from bench/answerability.py)."""
    return sum(w * (feats[name] - part["mean"][name]) / part["scale"][name] for name, w in part["weights"].items())


def answer_features(question: Question, judged: list[Judged]) -> dict[str, float]:
    """The inputs of the answerability model: the best sentence's features plus how clearly it leads."""
    if not judged:
        return {}
    best = judged[0]
    feats = best.features()
    feats["top_evidence"] = max(j.item.score for j in judged)
    # does any leading sentence hold an answer of the asked kind beside all the question's names and numbers?
    leading = _leading(judged)
    feats["support"] = max(j.type_ok * j.entity_cov_window for j in leading)
    everything = signals.Vocabulary.union(list({id(j.passage_vocab): j.passage_vocab for j in judged}.values()))
    feats["entity_cov_all"] = _coverage([t for t in question.terms if t.entity], everything)
    feats["has_entities"] = float(any(t.entity for t in question.terms))
    feats["kind_known"] = float(question.kind != "other")
    # e5 scores run lower between scripts (en->ru below en->de): let the model shift its bar
    feats["cross_script"] = float(signals.script(question.text) != signals.script(best.item.text))
    return feats


def _leading(judged: list[Judged]) -> list[Judged]:
    """The sentences an answer would come from: the best by selection score, without noise."""
    return [j for j in judged if not j.noise][:SUPPORT_REACH] or judged[:1]


def answerability(question: Question, judged: list[Judged]) -> float:
    """The logistic model's probability that the best sentence answers the question (0 when there is no
    evidence). :func:`assess` sets it to 0 when a rule of :func:`missing` already knows the answer is not there."""
    feats = answer_features(question, judged)
    return 1.0 / (1.0 + math.exp(-(_model()["bias"] + _linear(_model(), feats)))) if feats else 0.0


@dataclass(kw_only=True)
class Assessment:
    """Everything an answerer reads: the question, its passages, their sentences judged, and the
    probability that the best of them answers."""

    question: Question
    language: str
    passages: list[Passage]
    items: list[Evidence]  # best evidence score first
    judged: list[Judged]  # best selection score first
    answerability: float
    missing: str = ""  # what the evidence lacks, when a rule sees it: "kind:amount", "kind:date", "names:xrandr, ZFS", "attribute:salary", "bound:date:MAI", "joint:SoftBank", "year:2023", "subject:rsync", "role:CEO:Anthropic"

    def in_order(self, passages: list[Passage]) -> "Assessment":
        """This assessment for the same passages in another order (the ``evidence`` reranker's judgement, reused by the
        answer): each sentence's passage number follows the given order; nothing judged changes, since the selection reads
        the retriever's rank."""
        n = {p.passage_id: i for i, p in enumerate(passages, 1)}
        for it in self.items:
            it.n = n[it.passage.passage_id]
        self.passages = passages
        return self

    @property
    def best(self) -> float:
        """The best evidence score (what ``min_evidence`` bounds)."""
        return self.items[0].score if self.items else 0.0

    @property
    def shares_words(self) -> bool:
        """The best-judged sentence, or the text around it, holds a word of the question (in any script): without one
        the quote is right far less often (5 of 12 "high" answers on the tech docs and help texts, against 64 of 92 with
        one), so the confidence stays below "high"."""
        best = next((j for j in self.judged if not j.noise), None)
        if best is None or not self.question.terms:
            return True
        return _coverage(self.question.terms, signals.Vocabulary.of(_window(best.item))) > 0


def missing(question: Question, judged: list[Judged], passages: list[Passage], mentioned: Mentioned | None = None, language: str = "") -> str:
    """Why the passages cannot answer, when a rule can tell: the documents never name one of the question's
    identifiers (ZFS, WireGuard, "… with xrandr?": absent from the passages and, when ``mentioned`` can
    search the whole corpus, from every document) or a word of a how-to or option question that no document
    holds and no dictionary of English or the question's ``language`` knows ("Nginx", "dnsmasq"); no retrieved
    passage documents the tool an option question is about ("subject:rsync"); or an amount or date question finds
    nothing of the asked kind in its leading sentences; "phatic" for a greeting or thanks. "" otherwise."""
    if phatic(question.text):
        return "phatic"
    absent = question.absent([p.text for p in passages])
    if absent and mentioned is not None:
        found = mentioned(absent)
        absent = [name for name in absent if name not in found]
    absent = [name for name in absent if name not in question.unfamiliar or not lexicon.ordinary(name, language)]  # "Nginx", not "incoming"
    absent = [name for name in absent if not lexicon.local_acronym(name, language)]  # "WLAN" may be "Wi-Fi" in an English note
    absent = [name for name in absent if not lexicon.parts_found(name, "\n".join(p.text for p in passages), language)]
    if absent:
        return "names:" + ", ".join(absent)
    undocumented = howto.undocumented(question, passages)
    if undocumented:
        return "subject:" + ", ".join(undocumented)
    elsewhere = howto.elsewhere(question, judged)
    if elsewhere:
        return "elsewhere:" + elsewhere
    return kind_missing(question, judged, language)


def kind_missing(question: Question, judged: list[Judged], language: str = "") -> str:
    """"kind:amount" / "kind:date" when an amount or date question finds nothing of the asked kind in the
    ``KIND_REACH`` sentences closest to it; "attribute:salary" when no retrieved sentence gives a figure of that kind
    with a word for the attribute the question names; "bound:date:MAI" when the passages name an identifier of the
    question (MAI-1) but no figure of the asked kind stands near it; "joint:SoftBank" when the only sums for the asked
    investor are shared with others; "year:2023" when every figure is given for other years; "role:CEO:Anthropic" when
    an office is asked of an organisation no sentence naming the office names; else "" (bench/answerability.py trains
    the model on what these rules let through)."""
    closest = sorted((j for j in judged if not j.noise), key=lambda j: -j.item.score)[:KIND_REACH] or judged[:1]
    conditional = _conditional(question)
    exact = question.kind in EXACT_KINDS and not conditional
    untyped = bool(judged) and max(j.type_ok for j in closest) == 0  # nothing of the asked kind in the closest sentences
    if untyped and exact:
        return f"kind:{question.kind}"
    if untyped and conditional and not any(kinds.states_condition(j.item.text) for j in closest):
        return "kind:when"  # neither a date nor a condition: «For the persistent change, please edit …» for "When should I run update-grub?"
    if question.kind == "secret" and judged:
        said = [j for j in judged if not j.noise]
        # no retrieved sentence gives a password or code («Admin password is on the sticker.» names one), or the one asked
        # for is named and given nowhere (the Wi-Fi password is no answer to the admin password)
        if not any(j.type_ok == 1 for j in said) or credentials.withheld(question.text, [j.item.text for j in said]):
            return "kind:secret"
    if question.kind == "person" and judged:
        first = next((j for j in judged if not j.noise), judged[0])
        if PERSON_NAMED and not names_someone(question, first.item):
            return "kind:person"
        return _role(question, judged)
    typed = [j for j in judged if not j.noise and j.type_ok == 1]  # sentences with a figure of the asked kind
    # … and with a word for the asked attribute, when one is asked
    wanted = attributes.asked(question.text, question.kind, question.unit)
    figures = [j.item.text for j in typed if not wanted or attributes.gives(j.item.text, wanted, tuple(question.candidates(j.item.text, j.item.passage.language)))]
    if "office" in wanted:  # the office taken by the person asked about, not by another one
        people = [name for name in question.names if not attributes.names(" ".join(t.text for t in name), ("office",))]
        figures = [f for f in figures if not people or any(all(signals.Vocabulary.of(f).has(t) for t in name) for name in people)]
    if judged and wanted and not figures:
        return f"attribute:{wanted[0]}"
    if exact and judged:
        unbound = _unbound(question, judged, typed) or (binding.unlisted(question, judged, typed) if question.kind == "phone" else [])
        if unbound:
            return f"bound:{question.kind}:" + ", ".join(unbound)
    if OBJECT_BOUND and question.unit == "money" and language and _unrelated(question, [j for j in closest if j.type_ok == 1], language):
        return "object:money"
    joint = binding.joint(question, figures) if question.unit == "money" else ""
    if joint:
        return f"joint:{joint}"
    year = attributes.other_year(question.text, figures) if question.kind == "amount" else ""
    aside = binding.ASIDE and question.kind in binding.ASIDE_KINDS and not conditional and binding.aside(judged)  # last: the rules above say more
    return f"year:{year}" if year else f"aside:{question.kind}" if aside else ""


CONDITION_WHEN = True  # "When is a trigger processed?" may be answered by a condition: no refusal for want of a date


def _conditional(question: Question) -> bool:
    """A bare "when" in the present or with a modal verb, which documentation answers with a condition («When a trigger is
    activated, it becomes pending …»), not a date: no refusal for want of one (evals/RESULTS.md)."""
    return CONDITION_WHEN and question.kind == "date" and question.unit != "time" and kinds.asks_when_condition(question.text)


OBJECT_BOUND = True  # a sum in the question's own language must stand with a word of the question (evals/RESULTS.md)


def _unrelated(question: Question, sums: list[Judged], language: str) -> bool:
    """Whether the sums closest to a money question are all written in its language and none shares a word with it
    ("Quanto costa il tagliando completo della bici?" against "22/04: catena nuova …, 24 €"): they price other things.
    A sum in another language cannot be told apart so (its words are translations), and leaves the question open."""
    if not sums or any(j.item.passage.language != language for j in sums):
        return False
    return not any(signals.Vocabulary.of(_window(j.item)).has(t) for j in sums for t in question.terms)


def _role(question: Question, judged: list[Judged]) -> str:
    """For a question about who holds an office ("Who is the CEO of Anthropic?"): "role:CEO" when no retrieved sentence
    names that office; "role:CEO:Anthropic" when the passages name the organisation the office is asked of but no sentence
    naming the office does; else ""."""
    role = attributes.role_asked(question.text)
    if not role:
        return ""
    sentences = [j for j in judged if not j.noise and attributes.names_role(j.item.text, role)]
    if not sentences:
        return f"role:{role}"
    terms = attributes.org_terms(question.text, role, question.terms)
    texts = binding.passages_text(judged)
    everywhere = signals.Vocabulary.of(texts) if terms else None
    named = [t for t in terms if binding.has(t.text, texts) or (len(t.skel) >= 4 and everywhere.has(t))]
    vocabs = [(j.item.text, signals.Vocabulary.of(j.item.text)) for j in sentences] if named else []
    if named and not any(vocab.has(t) or _spelled_out(t.text, texts, text) for text, vocab in vocabs for t in named):
        return f"role:{role}:{' '.join(t.text for t in terms)}"
    return ""


def _spelled_out(acronym: str, texts: str, sentence: str) -> bool:
    """Whether ``sentence`` names, in full, what the passages introduce as ``acronym``: "… Methodisten für Abtreibung und
    Sexualität (TUMAS)" and later "Präsident der Task Force der evangelischen Methodisten für Abtreibung und Sexualität"."""
    if not acronym.isupper():
        return False
    for m in re.finditer(r"((?:\S+\s+){1,6})\(" + re.escape(acronym) + r"\)", texts):
        words = {w for w in re.findall(r"[^\W\d_]{4,}", m.group(1)) if w[0].isupper()}
        if words and all(binding.has(w, sentence) for w in words):
            return True
    return False


def _unbound(question: Question, judged: list[Judged], figures: list[Judged]) -> list[str]:
    """The question's identifiers (MAI-1, GPT-4, ZFS) that the passages name but no figure of the asked kind stands near
    (within its sentence's window); [] when some figure has them all."""
    if not question.identifiers or not figures:
        return []
    texts = binding.passages_text(judged)
    named = [n for n in question.identifiers if binding.has(n, texts)]
    if not named:
        return []
    missing = [[n for n in named if not binding.has(n, _window(j.item))] for j in figures]
    return min(missing, key=len)


DOCUMENT_RANK = 0.5  # share of a passage's rank an option or how-to question reads as its document's rank (evals/RESULTS.md)
DEFINITION_LIFT = 0.03  # cosine added to a sentence defining the term a "what is X?" question asks about (evals/RESULTS.md)
DURATION_OTHER_TYPE = 0.5  # type match of a sentence whose amounts are no span of time, for a "how long" question (evals/RESULTS.md)


def assess(question: str, language: str, passages: list[Passage], items: list[Evidence], mentioned: Mentioned | None = None) -> Assessment:
    q = Question.of(question)
    judged = judge(q, items)
    why = missing(q, judged, passages, mentioned, language)
    probability = 0.0 if why else answerability(q, judged)
    return Assessment(question=q, language=language, passages=passages, items=items, judged=judged, answerability=probability, missing=why)
