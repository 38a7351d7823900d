"""How-to and option questions over manuals and help texts: the quote selection's lifts and drops for their sentences
(an option item the question names by a word, another tool's item, an option the question already gives, a NAME line,
an item that turns something off) and the two refusals that read the tool a question names (no passage documents it;
only another tool's option answers)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import options, signals
from .asked import Question
from .kinds import HOW_KINDS, asks_command
from ..types import Passage

if TYPE_CHECKING:  # pragma: no cover
    from .evidence import Evidence

ELSEWHERE = True  # refuse a how-to or option question whose best option item is another tool's (evals/RESULTS.md)
SUBJECT_TOOLS = True  # a tool is also a word of the question naming a retrieved manual (evals/RESULTS.md)
NAME_LINE_DROP = 0.05  # cosine a manual's NAME line loses for a how-to or option question naming its tool (evals/RESULTS.md)
POLARITY_DROP = 0.05  # cosine an option item turning something off loses when the question asks to turn nothing off (evals/RESULTS.md)
GIVEN_OPTION_DROP = 0.05  # cosine taken from an option item documenting an option the question already gives (evals/RESULTS.md)
UNDOCUMENTED_KINDS = HOW_KINDS  # question kinds refused when no passage documents the tool they name (evals/RESULTS.md)
OFF_SUBJECT_DROP = 0.05  # cosine taken from another tool's option item when the asked tool's manual was retrieved (evals/RESULTS.md)
OPTION_NAME_LIFT = 0.03  # cosine added to an option item whose long option the question names (evals/RESULTS.md)
ASKED_ITEM_LIFT = 0.03  # cosine added to the option item retrieval found closest to what the question asks it to do (evals/RESULTS.md)
OTHER_TOOL_NAMES = True  # a tool the question names besides the asked one may name an option ("with gzip"; evals/RESULTS.md)


@dataclass(frozen=True)
class HowRules:
    """The quote selection's rules for an option or how-to question, read once per question."""

    question: Question
    on_subject: bool  # the asked tool's manual was retrieved: another manual's option items do not answer
    given: frozenset[str]  # options the question writes ("How do I keep rm -r from …")
    tools: tuple[str, ...]  # the tools it names, unless it asks which command: their NAME line answers no how
    positive: bool  # it asks to turn nothing off
    asked: tuple[str, int] | None = None  # the option item closest to what the question asks it to do: (passage id, start)

    @classmethod
    def of(cls, question: Question, items: list[Evidence]) -> "HowRules":
        named = bool(NAME_LINE_DROP) and not asks_command(question.text)
        tools = question.commands + question.identifiers if named else ()
        if named and SUBJECT_TOOLS:  # "mit chfn", "à grep": a word of the question that a retrieved manual is about
            words = {w.lower() for w in re.findall(r"[\w.+-]+", question.text)}
            subjects = (source_tool(it.passage.source) for it in items if it.passage.on_subject)
            tools += tuple(dict.fromkeys(stem for stem in subjects if stem.lower() in words and stem not in tools))
        return cls(
            question=question, on_subject=any(it.passage.on_subject for it in items), given=frozenset(options.flags(question.text)),
            tools=tools, positive=bool(POLARITY_DROP) and not options.asks_off(question.text), asked=_asked_item(items),
        )

    def lift(self, it: Evidence) -> float:
        """The cosine added to (or taken from) sentence ``it``."""
        text, lift = it.text, 0.0
        if OPTION_NAME_LIFT and names_asked_word(self.question, text):
            lift += OPTION_NAME_LIFT  # "-r, --raw" for "Which prtstat option prints raw information?"
        if self.asked == (it.passage.passage_id, it.start):
            lift += ASKED_ITEM_LIFT  # "-n, --line-number … Prefix each line of output with the 1-based line number" for "affiche les numéros de ligne"
        if OFF_SUBJECT_DROP and self.on_subject and not it.passage.on_subject and options.option_item(text):
            lift -= OFF_SUBJECT_DROP  # mv's "-t, --target-directory" for "How do I get mkdir to create a nested path?"
        if GIVEN_OPTION_DROP and self.given and options.item_flags(text) & self.given:
            lift -= GIVEN_OPTION_DROP  # "-r, -R, --recursive" does not answer "How do I keep rm -r from descending into …?"
        if self.tools and ((options.name_shaped(text) and options.name_section(it.section)) or any(options.about_tool(text, tool) for tool in self.tools)):
            lift -= NAME_LINE_DROP  # "pmap - Afficher …", "La commande pmap affiche …" for "How do I … with pmap?"
        if self.positive and options.turns_off(text):
            lift -= POLARITY_DROP  # "--no-ignore-case" does not answer "Comment faire ignorer la casse à grep ?"
        return lift


def _asked_item(items: list[Evidence]) -> tuple[str, int] | None:
    """The option item retrieval scored closest to what the question asks the option to do (``Passage.asked_items``), when
    it is among ``items``; None without such scores."""
    if not ASKED_ITEM_LIFT:
        return None
    scored = {(p.passage_id, start): z for p in {id(it.passage): it.passage for it in items}.values() for start, z in p.asked_items.items()}
    best = max(scored, key=lambda k: scored[k], default=None)
    return best if best is not None and scored[best] > 0 else None


def source_tool(source: str) -> str:
    """The tool a file documents, by its name: "man/zip.1.gz" -> "zip", "tar.ru.txt" -> "tar"."""
    return Path(source).name.split(".")[0]


def names_asked_word(question: Question, sentence: str) -> bool:
    """An option item whose long option is named by a word of the question other than the tool's ("--raw" for "prints raw
    information"): option names are English words, so this helps questions in English."""
    # the asked tool's name names none of its options ("sort" and "--sort"); another tool's may ("with gzip": "--gzip")
    tools = {c.lower() for c in (question.commands if OTHER_TOOL_NAMES and question.commands else question.commands + question.identifiers)}
    return options.names_an_option(options.long_names(sentence), [t for t in question.terms if t.text.lower() not in tools])


def elsewhere(question: Question, judged: list) -> str:
    """For a how-to or option question whose tool's manual was retrieved: the tool whose option item would be quoted
    first when that is another tool ("How do I make gzip encrypt the file with a password?" -> zip's "--password"), else "".
    The asked tool's manual has no such option; another tool's is no answer about it. ``judged``: the judge's sentences,
    best first."""
    if not ELSEWHERE or question.kind not in HOW_KINDS or asks_command(question.text):
        return ""
    best = next((j for j in judged if not j.noise), None)
    if best is None or best.item.passage.on_subject or not any(j.item.passage.on_subject for j in judged) or not options.option_item(best.item.text):
        return ""
    return source_tool(best.item.passage.source)


def undocumented(question: Question, passages: list[Passage]) -> list[str]:
    """For an option question about a tool ("which option of rsync …"): the tools no retrieved passage documents —
    none is from a document or section about it (its title, section or file name names it) and none gives it with an
    option ("rsync -a"). A manual that only refers to it ("… con rsync(1)", SEE ALSO) does not tell its options."""
    if question.kind not in UNDOCUMENTED_KINDS or not passages:
        return []
    out = []
    for tool in dict.fromkeys(question.commands):
        named = signals.word_pattern((tool,), hyphen=True)
        with_option = re.compile(named.pattern + r"[^\n]{0,40}?\s--?\w")  # "rsync -a", case-sensitive like a command
        if not any(p.on_subject or named.search(source_tool(p.source)) or with_option.search(p.text) for p in passages):
            out.append(tool)
    return out
