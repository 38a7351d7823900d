"""The extractive answerer: no language model; leads with the short answer when there is one, then
quotes the sentences that hold it, verbatim and located."""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .. import chunk
from . import prompts, signals
from .base import Reply
from .evidence import MAX_QUOTES, Evidence, SentenceVectors
from .judge import Assessment, Judged
from .quantities import months


# A further quote must score within this much of the first on the selection model's scale (a softmax over the
# candidates: 3 means at least 1/20 as likely to hold the answer); measured 2, 3 and none (evals/RESULTS.md)
QUOTE_MARGIN = 3.0
# question kinds whose further quotes must hold a span of the asked kind when the first does (evals/RESULTS.md)
TYPED_FURTHER = ("amount", "date")
# an amount question naming a year: a further quote naming only other years is left out (evals/RESULTS.md)
FURTHER_SAME_YEAR = True
CROSS_FILE_MARGIN = 2.0  # the same, for a quote from another file than the first (measured 1, 1.5, 2, 3: evals/RESULTS.md)
# question kinds whose first quote, when it holds no number or code of the asked kind, gives way to a further quote holding one
TYPED_FIRST = ("phone", "secret")  # not amount: 1-2 first quotes fewer per XQuAD language (evals/RESULTS.md)


def pick(judged: list[Judged], vectors: SentenceVectors, limit: int = MAX_QUOTES, slack: float = 0.05, kind: str = "") -> list[Judged]:
    """The best sentences by selection score, without noise (headings, boilerplate), near-duplicates
    (the same fact in another language), a weak tail (evidence more than ``slack`` below the best) or
    quotes far less likely than the first to answer. For an option question ("which option of cp …")
    only passages about the named tool are quoted when any was retrieved (another tool's option is no answer),
    option items before prose."""
    chosen: list[Judged] = []
    chosen_vecs: list[np.ndarray] = []
    usable = [j for j in judged if not j.noise]
    if kind == "option" and any(j.item.passage.on_subject for j in usable):
        usable = [j for j in usable if j.item.passage.on_subject]
    if kind == "option":
        usable = _items_first(usable)
    if not usable:
        return chosen
    floor = max(j.lifted for j in usable) - slack
    wanted = max(limit, MAX_QUOTES) if kind in TYPED_FIRST else limit
    for j in usable[: wanted * 8]:
        if len(chosen) >= wanted:
            break
        margin = QUOTE_MARGIN if not chosen or j.item.passage.source == chosen[0].item.passage.source else CROSS_FILE_MARGIN
        if j.lifted < floor or (chosen and j.score < chosen[0].score - margin):
            continue
        if chosen and kind in TYPED_FURTHER and chosen[0].type_ok == 1.0 and j.type_ok == 0.0:
            continue  # the first quote holds a span of the asked kind, this one none: context, not an answer
        if chosen and FURTHER_SAME_YEAR and j.other_year:
            continue  # "how much by November 2023": a further figure given for 2019 answers another question
        vec = vectors([j.item.text])[0]
        if any(float(vec @ other) > 0.93 for other in chosen_vecs):
            continue
        chosen.append(j)
        chosen_vecs.append(vec)
    return _typed_first(chosen, kind)[:limit]


def _typed_first(chosen: list[Judged], kind: str) -> list[Judged]:
    """The first quote that holds a span of the asked kind goes first when the best one holds none ("Mme Aubertin … a un
    double de nos clés." then "Portable : 06 39 98 27 41." for her mobile number); the quotes stay the same."""
    if kind not in TYPED_FIRST or not chosen or chosen[0].type_ok == 1.0:
        return chosen
    typed = next((j for j in chosen if j.type_ok == 1.0), None)
    return chosen if typed is None else [typed, *(j for j in chosen if j is not typed)]


# a sentence that adds more of the same to the one before ("Auch Nvidia, MGX und Microsoft haben investiert.")
_ADDITIVE = re.compile(
    r"^[\W_]*(?:also|as well|auch(?! wenn)|außerdem|ebenfalls|zudem|aussi|également|de même|anche|inoltre|también|además|asimismo|также|тоже|кроме того)\b",
    re.IGNORECASE,
)
ADDITIONS = True


def with_additions(quotes: list[Judged], judged: list[Judged], limit: int = MAX_QUOTES) -> list[Judged]:
    """The sentence right after the first quote joins the quotes, second, when it adds more of the asked kind to it
    ("Anfang Oktober 2024 … Thrive Capital …" then "Auch Nvidia, MGX und Microsoft haben investiert.")."""
    if not ADDITIONS or not quotes or quotes[0].type_ok != 1.0:
        return quotes
    first = quotes[0].item
    for j in judged:
        it = j.item
        if it.passage.passage_id != first.passage.passage_id or it.start < first.end or it.passage.text[first.end : it.start].strip():
            continue
        if j.type_ok == 1.0 and not j.noise and _ADDITIVE.match(it.text) and j not in quotes:
            return [quotes[0], j, *quotes[1:]][:limit]
        return quotes
    return quotes


# a further quote from another file than the first's must give the short answer the first gives (evals/RESULTS.md)
CORROBORATE = True
CORROBORATE_KINDS = ("amount", "date", "option", "phone", "person", "secret", "colour")  # not name: its spans are right too seldom
NAMED_CORROBORATE = True  # a name question's first quote that introduces a name ("called MAI-1") is judged by that name
OUTRANK = True  # an LLM's person answer taken from a sentence judged far below the best gives way (evals/RESULTS.md)
CORROBORATE_MONTH = True  # a date's month must be repeated too, in any language
CORROBORATE_GAP = 0.75  # unless it scores within this of the first (selection units; measured 0.5, 0.75, 1)


def corroborating(q, quotes: list[Judged]) -> list[Judged]:
    """The quotes, less a further quote from another file than the first quote's that does not repeat the short answer the
    first quote gives (by value for a figure, word by word across scripts for a name): "Im März 2024 …" answers "When …?",
    "début 2024, Nadella …" from another article tells something else."""
    if not CORROBORATE or q.kind not in CORROBORATE_KINDS + ("name",) or len(quotes) < 2:
        return quotes
    first = quotes[0].item
    span = q.span(first.text, first.passage.language) if q.kind != "name" else _called(q, first)
    if not span:
        return quotes
    values = signals.numbers(span) if q.kind in ("amount", "date", "phone") else set()  # "MAI-1" is a name, not the number 1
    if values:
        terms = []
    elif q.kind == "person":
        terms = [_surname(span)]
    else:
        terms = [signals.Term(text=w, entity=True) for w in signals._WORD.findall(span)]
    named = months(span) if q.kind == "date" and CORROBORATE_MONTH else set()  # "im März 2024", not "début 2024"

    def repeats(text: str) -> bool:
        if values:
            return values <= signals.numbers(text) and named <= months(text)
        return all(signals.Vocabulary.of(text).has(t) for t in terms)

    # as likely to answer as the first, near enough: a rival answer, kept (not against a name the first quote introduces)
    near = quotes[0].score - CORROBORATE_GAP if q.kind != "name" else float("inf")
    return [quotes[0]] + [j for j in quotes[1:] if j.item.passage.source == first.passage.source or j.score > near or repeats(j.item.text)]


def outranked(q, judged: list[Judged], draft: str, cited: list[tuple[str, str]]) -> bool:
    """For a person question: a draft (an LLM's) that does not name the person the best-judged sentence gives and cites only
    sentences judged more than ``CORROBORATE_GAP`` below it took a weaker sentence's person ("Wer leitet die neue KI-Gruppe
    …?" answered with the Suleyman of "… leitet nun ein neues Team" over "… unter der Leitung von Jay Parikh, die
    KI-Agenten und -Apps entwickeln wird"). ``cited``: each citation's passage id and quote."""
    best = next((j for j in judged if not j.noise), None)
    if not OUTRANK or q.kind != "person" or best is None or not cited:
        return False
    span = q.span(best.item.text, best.item.passage.language)
    if not span or signals.Vocabulary.of(draft).has(_surname(span)):
        return False
    scores = [j.score for j in judged for pid, quote in cited if j.item.passage.passage_id == pid and j.item.text.strip() in quote]
    return bool(scores) and max(scores) < best.score - CORROBORATE_GAP


def _surname(person: str) -> signals.Term:
    """A person's name as the term another text must hold: its last word ("Jay Parikh" is named by "Джея Париха", whose
    first name does not match across scripts)."""
    return signals.Term(text=signals._WORD.findall(person)[-1], entity=True)


def _called(q, item: Evidence) -> str:
    """For a name question: the name a naming word introduces in ``item`` ("… son propre LLM appelé MAI-1"), else ""."""
    said = signals.names_something(item.text) if NAMED_CORROBORATE else None
    if not said:
        return ""
    after = item.text[said.end() :]
    return next((c for c in q.candidates(item.text, item.passage.language) if after.find(c) in (0, 1, 2)), "")


def _items_first(usable: list[Judged]) -> list[Judged]:
    """For an option question: a manual's option items ("-E, --expiredate EXPIRE_DATE  Setzt das Datum …": the sentence
    opens with the options it documents) before the prose that mentions an option ("… except for the -l option, which …");
    each group in selection order."""
    from .options import option_item

    flags = [option_item(j.item.text) for j in usable]
    items = [j for j, flag in zip(usable, flags) if flag]
    return items + [j for j, flag in zip(usable, flags) if not flag] if items else usable


def with_reason(item: Evidence) -> Evidence:
    """For "why" questions: a quote starting "That's why…" gets the sentence before it, which holds the reason."""
    if not signals.points_back(item.text):
        return item
    before = [s for s, e in chunk.sentences(item.passage.text) if e <= item.start]
    if not before:
        return item
    return replace(item, start=before[-1])


# the line that documents a function, macro, type or variable in a reference manual, its description below it: texinfo's
# "Function: void ffi_closure_free (void *writable) ¶", "void asn1_perror (int error) [Function]" and "ffi_type_sint16 ¶",
# Sphinx's "os.path.join(path, *paths)¶"
_SIGNATURE = re.compile(
    r"(?=[^\n]{0,240}\Z)[ \t]*(?=[^\s$#>%-])(?:(?:Function|Macro|Variable|Data Type|Method|Constructor|Special Form|Command|Instance Variable|Deffn):\s*)?"
    # a name with a "_", "." or "::" inside ("ffi_closure_free (", "os.path.join(") or a bare name right before its "(", not a
    # manual page's section ("pam_unix(8)"); no path or "label: " before it ("Identity added: /home/…/id_rsa (…)")
    r"(?:(?!:\s)[^\n/]){0,160}?(?:[A-Za-z_]\w*(?:(?:[.:]+|_)\w+)+\s?|[A-Za-z_]\w*)\((?!\d\w{0,3}\))[^\n]*\)[ \t]*"
    r"(?:¶|\[(?:Function|Macro|Variable|Method)\])?[ \t]*"
    # or a variable, type or constant a manual defines, marked by its permalink: "ffi_type_sint16 ¶", "Data type: ffi_type ¶"
    r"|[ \t]*(?:(?:Data [Tt]ype|Variable|Constant|Macro|Instance Variable|User Option):\s*)?(?:[\w*]+\s+){0,2}[A-Za-z_]\w*(?:(?:[.:]+|_)\w+)+[ \t]*¶[ \t]*"
)
_PARAMETER = re.compile(r"[ \t]*[A-Za-z_][\w.]*\s?:\s\S[^\n]*")  # "error: is an error returned by a libtasn1 function."
SIGNATURES = True
PARAMETER_LINES = 4


def with_signature(item: Evidence) -> Evidence:
    """A quote that opens the description of a function or macro in a reference manual gets the signature line above
    it (and the parameter lines between), which names what it describes: «Free memory allocated using
    ffi_closure_alloc.» alone does not say that ffi_closure_free is the function that frees."""
    text = item.passage.text
    if not SIGNATURES or (item.start and text[item.start - 1] != "\n"):
        return item  # the quote does not open a line
    lines = text[: item.start].split("\n")[:-1]
    at, params = item.start - 1, 0
    for line in reversed(lines):
        at -= len(line) + 1
        if not line.strip():
            continue
        if _SIGNATURE.fullmatch(line):
            return replace(item, start=at + 1 + len(line) - len(line.lstrip()))
        params += 1
        if params > PARAMETER_LINES or not _PARAMETER.fullmatch(line):
            return item
    return item


# A sentence that points to what follows ("… contiene righe come le seguenti.", "Per esempio, quanto segue scopre …") with a
# code block or a command line right after it introduces that block as a colon does (measured: evals/RESULTS.md)
_FORWARD = re.compile(
    r"\b(?:the following|as follows|below|folgende[nsr]?|nachstehende[nsr]?|unten|suivante?s?|ci-dessous|ci-après|seguent[ei]|segue|"
    r"di seguito|qui sotto|siguientes?|a continuación|следующ\w*|ниже)\b",
    re.IGNORECASE,
)
_BLOCK_NEXT = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*(?:```|~~~|[$%#] )")
_FENCE_NEXT = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*(?:```|~~~)[^\n]*\n")  # the opening fence line of a block right after
FORWARD_RUNS_ON = True


def introduces(item: Evidence) -> bool:
    """The quote introduces the line after it: it ends with a colon, or points forward with a code block right after it."""
    if item.text.rstrip().endswith(":"):
        return True
    return FORWARD_RUNS_ON and bool(_FORWARD.search(item.text)) and bool(_BLOCK_NEXT.match(item.passage.text, item.end))


def with_continuation(item: Evidence) -> Evidence:
    """A quote that introduces what follows ("…, führen Sie folgendes aus:") gets the line it introduces (the command); a
    quote that is only a signature line ("ffi_type_complex_longdouble ¶") gets the first sentence of its description."""
    if SIGNATURES and _SIGNATURE.fullmatch(item.text.strip()) and "\n" not in item.text.strip():
        after = [e for s, e in chunk.sentences(item.passage.text) if s >= item.end]
        return replace(item, end=after[0]) if after else item
    if not introduces(item):
        return item
    text = item.passage.text
    block = _block_after(text, item.end)
    if block:
        return replace(item, end=block)
    after = [e for s, e in chunk.sentences(text) if s >= item.end and any(ch.isalnum() for ch in text[s:e])]  # past a ``` fence
    if not after:
        return item
    return replace(item, end=after[0])


BLOCK_LINES = 4  # lines of an introduced code block a quote runs on to (measured 1 and 4: evals/RESULTS.md)


def _block_after(text: str, end: int) -> int:
    """Where the first lines of the fenced code block right after ``end`` end (up to ``BLOCK_LINES``, before a blank line or
    the closing fence); 0 when no fenced block follows."""
    m = _FENCE_NEXT.match(text, end)
    if not m or BLOCK_LINES <= 1:
        return 0
    at, taken = m.end(), 0
    for line in re.finditer(r"[^\n]*(?:\n|$)", text[at:]):
        body = line.group(0).strip()
        if not body or body.startswith(("```", "~~~")) or taken >= BLOCK_LINES:
            break
        taken += 1
        last = at + line.start() + len(line.group(0).rstrip("\n"))
    return last if taken else 0


SAME_LANGUAGE_LEAD = True  # measured on the seeds, tech docs, notes, clihelp and mixed-language XQuAD (evals/RESULTS.md)


def in_language(q, quotes: list[Judged], language: str) -> str:
    """The short answer the first quote gives ("1 миллиард долларов"), written as a further quote in the question's
    language gives the same value when one does ("$ 1 miliardo" for "Quanto ha investito Microsoft …?"): the reader
    sees the answer in their language."""
    lead = q.lead(quotes[0].item.text, quotes[0].item.passage.language)
    if not lead or not SAME_LANGUAGE_LEAD or quotes[0].item.passage.language == language:
        return lead
    values = signals.numbers(lead)
    for j in quotes[1:]:
        if j.item.passage.language != language:
            continue
        other = q.lead(j.item.text, language)
        if other and ((values and signals.numbers(other) == values) or _same_name(other, lead)):
            return other
    return lead


def _same_name(a: str, b: str) -> bool:
    """The same name in two scripts or inflections ("Мустафу Сулеймана", "Mustafa Suleyman"): word by word, the same
    consonant skeleton."""
    wa, wb = [signals.skeleton(w) for w in a.split()], [signals.skeleton(w) for w in b.split()]
    return len(wa) == len(wb) and all(x and x == y for x, y in zip(wa, wb))


class ExtractiveAnswerer:
    """Quotes up to three evidence sentences; says so when the evidence is only just above the abstention bar
    or the answerability is low."""

    name = "extractive"

    def __init__(self, vectors: SentenceVectors, min_evidence: float):
        self.vectors = vectors
        self.weak_below = min_evidence + prompts.WEAK_EVIDENCE_MARGIN

    def answer(self, assessment: Assessment) -> Reply:
        q = assessment.question
        quotes = with_additions(corroborating(q, pick(assessment.judged, self.vectors, kind=q.kind)), assessment.judged)
        # hedge when the evidence is only just above the bar or the answerability is low (what "Confidence: low" says)
        weak = assessment.best < self.weak_below or assessment.answerability < prompts.LOW_ANSWERABILITY
        lines = [prompts.localized(prompts.WEAK_EVIDENCE_INTRO if weak else prompts.EXTRACTIVE_INTRO, assessment.language)]
        citations: list = []
        shown: list[Evidence] = []
        for chosen in quotes:
            item = with_continuation(with_signature(with_reason(chosen.item) if q.kind == "reason" else chosen.item))
            if any(o.passage.passage_id == item.passage.passage_id and o.start <= item.start and item.end <= o.end for o in shown):
                continue  # already quoted as the line an earlier quote introduced or explained: each quote once
            shown.append(item)
            lines.append(f"[{len(shown)}] «{item.text}» ({item.passage.source})")
            citations.append(item.cite(len(shown)))
        # the short answer, from the sentence itself; none when the reply hedges (a bold "→ 2" under "may not answer" misleads)
        lead = in_language(q, quotes, assessment.language) if quotes and not weak else ""
        return Reply(text="\n".join(lines), citations=citations, answered_by=self.name, lead=lead)
