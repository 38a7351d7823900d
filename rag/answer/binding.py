"""Whether a figure belongs to the names a question gives: a sum the first name shares with others ("mit SoftBank und
Oracle … 500 Milliarden", asked what SoftBank put in), a phone number on another contact's line ("… di M. Diallo"
against "Portable : 06 39 98 27 41" in Mme Aubertin's line). :func:`rag.answer.judge.kind_missing` asks."""
from __future__ import annotations

import re
from . import lexicon, signals
from .asked import Question

JOINT_ALL_NAMES = True  # the joint test reads the figure sentences naming every name of the question, when some do (evals/RESULTS.md)

_CAP = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*"
_NAMED = rf"{_CAP}(?:\s{_CAP})*"  # a name of one or more capitalised words: "Luke Kuechly"
_LIST = re.compile(rf"{_NAMED}(?:,\s*{_NAMED})*\s+(?:and|und|sowie|et|e|ed|y|и)\s+{_NAMED}")
_RUN = re.compile(_NAMED)
_AND = {"and", "und", "sowie", "et", "e", "ed", "y", "и"}


def joint(question: Question, figures: list[str]) -> str:
    """For a money question: the first name it gives ("SoftBank") when every figure sentence naming it (by any of its
    words) names it only in a list with a name the question does not give ("mit SoftBank und Oracle an einem
    500-Milliarden-Dollar-Projekt", asked what SoftBank put in): the sum belongs to them together. Money only: a list of
    places or players does not share a count ("37 Millionen Passagiere … bis zum Flughafen Newcastle, Tynemouth …").
    German questions are left alone: every noun there is capitalised."""
    from ..lang import detect

    entities = {t.text.lower() for t in question.terms if t.entity}
    names = [n for n in question_runs(question.text) if n.split()[0].lower() in entities]
    first = names[0] if names else ""
    if not first or detect(question.text) == "de":
        return ""
    parts = [w for w in first.split() if len(w) >= 3]

    def alone(sentence: str) -> bool:
        lists = [(m.start(), m.end(), {w.lower() for w in re.findall(_CAP, m.group(0))} - entities - _AND) for m in _LIST.finditer(sentence)]
        for part in parts:
            for m in signals.word_pattern((part,)).finditer(sentence):
                if not any(a <= m.start() and m.end() <= b and extra for a, b, extra in lists):
                    return True
        return False

    naming = [s for s in figures if any(has(part, s) for part in parts)]
    # of those, the ones naming the question's other names too, when some do ("Combien Oracle a-t-il investi dans
    # Stargate ?": not "… einen Deal mit Oracle im Wert von 10 Milliarden Dollar", which names no Stargate)
    others = [[w for w in name.split() if len(w) >= 3] for name in names[1:]] if JOINT_ALL_NAMES else []
    naming = [s for s in naming if all(any(has(w, s) for w in name) for name in others if name)] or naming
    return first if naming and not any(alone(s) for s in naming) else ""


def question_runs(question: str) -> list[str]:
    """The runs of capitalised words of a question, its first word left out ("Combien Oracle …" -> "Oracle")."""
    out = []
    for m in _RUN.finditer(question):
        run = m.group(0) if m.start() > 0 else m.group(0).partition(" ")[2]
        if run:
            out.append(run)
    return out


def unlisted(question: Question, judged: list, phones: list) -> list[str]:
    """For a phone question naming someone ("… von Frau Aubertin", "… di M. Diallo"): the names the passages hold but no
    line with a phone number does (a note lists one contact per line); [] when some phone line names them all.
    ``judged`` and ``phones`` are judge.Judged sentences: all of them, and those holding a number."""
    if not phones:
        return []
    words = {w for run in question_runs(question.text) for w in run.split() if len(w) >= 3 and not lexicon.ordinary(w, "")}
    texts = passages_text(judged)
    named = [w for w in sorted(words) if has(w, texts)]
    if not named:
        return []
    lines = [signals.line_at(j.item.passage.text, j.item.start, j.item.end) for j in phones]
    return min(([w for w in named if not has(w, line)] for line in lines), key=len)


def passages_text(judged: list) -> str:
    """The text of every passage the judged sentences (judge.Judged) come from, each once."""
    return "\n".join({j.item.passage.passage_id: j.item.passage.text for j in judged}.values())


def has(name: str, text: str) -> bool:
    """``text`` holds ``name`` as a word."""
    return signals.word_pattern((name,)).search(text) is not None


# A typed question whose top-ranked document (the one most about it) gives nothing of the asked kind, and whose best
# sentence comes from another document, is not answered: "What's the dentist's phone number?" ranks the note on the
# dentist first (no number in it), and the number found is the neighbour's (measured on the notes, seeds, tech docs, help
# texts, manuals and XQuAD: evals/RESULTS.md)
ASIDE = True
ASIDE_KINDS = ("amount", "date", "phone", "secret")


def aside(judged: list) -> bool:
    """Of judged sentences (:class:`rag.answer.judge.Judged`, best first): whether the best sentence (by selection score, without noise) comes from another document than the top-ranked one,
    and that document's sentences hold nothing of the asked kind."""
    said = [j for j in judged if not j.noise]
    if not said:
        return False
    top = min(judged, key=lambda j: j.item.retrieval_rank).item.passage.source
    return said[0].item.passage.source != top and not any(j.type_ok == 1 for j in said if j.item.passage.source == top)
