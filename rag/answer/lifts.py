"""Cosine lifts that a question's wording gives the sentences answering it, read once per question by :func:`judge.judge`:

- a default, maximum or minimum asked for («The default weight value is 50, and the maximum is 100.»);
- a function, file or package asked for by name: a sentence naming one written as code that the question does not give;
- the option a "what does -h do?" question writes: the item documenting it, in the named tool's manual when retrieved;
- a question asking two things ("Wann und wie viel Kaution …?"): a sentence holding both kinds of answer.

Each was measured on reference manuals, help texts and the tech docs, and XQuAD (evals/RESULTS.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import attributes, codenames, credentials, options
from .asked import Question
from .evidence import Evidence
from .kinds import qualifiers, second_part
from .quantities import calendar_words
from .signals import Term, Vocabulary

QUALIFIER_LIFT = 0.08  # a sentence stating the default, maximum or minimum a question asks for, in any language
CODE_NAME_LIFT = 0.03  # a sentence holding a name shaped as code (ffi_call, /etc/mailname, asn1Coding) the question does not give
GIVEN_FLAG_LIFT = 0.15  # the item documenting an option a "what does -h do?" question writes
BOTH_PARTS_LIFT = 0.03  # a sentence answering both parts of a two-part question (evals/RESULTS.md)
CALENDAR_LIFT = 0.03  # a sentence naming a weekday or month the question names, in any language: «| Четверг | … |» for "am Donnerstag"
CREDENTIAL_LIFT = 0.06  # a sentence giving a password or code and naming a word that says which ("für Gäste" ~ «Guest Wi-Fi …»)
ROLE_LIFT = 0.1  # a sentence naming the office a "who is the CEO of …?" question asks about, in any language (evals/RESULTS.md)
_TYPED_KINDS = ("amount", "date", "person", "place", "phone")


@dataclass(frozen=True)
class WordingLifts:
    qualifiers: frozenset[str]  # "the default weight", "le poids maximal"
    code: frozenset[str] | None  # the code names of a question asking for one ("Quelle fonction de libffi …"), else None
    flags: frozenset[str]  # "What does the -h flag of df do?", "Что делает ключ -n у sort?"
    subject: frozenset[str]  # the files of the retrieved passages on the named tool ("head" -> head.1.gz), if any
    parts: tuple[Question, ...] = ()  # the parts of a two-part question that ask a kind of thing ("Wann und wie viel …")
    calendar: frozenset[str] = frozenset()  # the weekdays and months the question names ("am Donnerstag" -> {"~d4"})
    role: str = ""  # the office a "who" question asks about ("Кто генеральный директор OpenAI?" -> "CEO")
    of: tuple[Term, ...] = ()  # the organisation it is asked of ("OpenAI")
    which: tuple[Term, ...] = ()  # for a password or code question: the words saying which one ("Gäste"), names across languages

    @classmethod
    def of(cls, question: Question, items: list[Evidence]) -> "WordingLifts":
        asked = qualifiers(question.text) if QUALIFIER_LIFT else frozenset()
        code = frozenset(codenames.code_names(question.text)) if CODE_NAME_LIFT and codenames.asks_code_name(question.text) else None
        flags = frozenset(options.asks_what_option_does(question.text)) if GIVEN_FLAG_LIFT and not asked else frozenset()
        clause = second_part(question.text) if BOTH_PARTS_LIFT else ""
        second = Question.of(clause) if clause else None
        asks_two = second is not None and second.kind in _TYPED_KINDS and (second.kind, second.unit) != (question.kind, question.unit)
        parts = tuple(p for p in (question, second) if p.kind in _TYPED_KINDS) if asks_two else ()  # "Para qué …": the second only
        subject = frozenset(it.passage.source for it in items if it.passage.on_subject)
        role = attributes.role_asked(question.text) if ROLE_LIFT and question.kind == "person" else ""
        of = tuple(attributes.org_terms(question.text, role, question.terms))
        calendar = frozenset(calendar_words(question.text)) if CALENDAR_LIFT else frozenset()
        which = tuple(Term(text=t.text, entity=True) for t in credentials.qualifiers(question.text)) if CREDENTIAL_LIFT and question.kind == "secret" else ()
        return cls(qualifiers=asked, code=code, flags=flags, subject=subject, parts=parts, calendar=calendar, role=role, of=of, which=which)

    def lift(self, it: Evidence) -> float:
        """The cosine added to sentence ``it``."""
        text, lift = it.text, 0.0
        on_subject = not self.subject or it.passage.source in self.subject  # in the named tool's manual, when one was retrieved
        if self.qualifiers and on_subject and self.qualifiers & qualifiers(text, sentence=True):
            lift += QUALIFIER_LIFT  # not wget's «With the "default" style …» for "the default number of lines head prints"
        if self.flags and on_subject and options.documents(text, self.flags):
            lift += GIVEN_FLAG_LIFT
        if self.code is not None and codenames.names_new_code(text, self.code):
            lift += CODE_NAME_LIFT  # «Function: … ffi_get_struct_offsets (…) ¶ Compute the offset of each element …»
        if self.parts and all(part.type_match(text, it.passage.language) == 1.0 for part in self.parts):
            lift += BOTH_PARTS_LIFT  # «Dépôt de garantie versé le 1er septembre 2022 : 780 €» for "Wann und wie viel Kaution …?"
        if self.which and credentials.given(text) and any(Vocabulary.of(text).has(t) for t in self.which):
            lift += CREDENTIAL_LIFT
        if self.calendar and self.calendar & calendar_words(text):
            lift += CALENDAR_LIFT
        if self.role and any(all(Vocabulary.of(near).has(t) for t in self.of) for near in attributes.role_windows(text, self.role)):
            lift += ROLE_LIFT  # «Sam Altman, CEO von OpenAI …» for "Кто генеральный директор OpenAI?"
        return lift
