"""Citation markers, "I don't know" detection and the LLM prompt."""
from __future__ import annotations

import pytest

from rag.answer import citations as answering
from rag.answer import generative, prompts
from rag.types import Passage


def parse(text: str, n: int) -> tuple[str, list[int], list[str]]:
    p = answering.parse_citations(text, n)
    return p.text, p.valid, p.dropped


# --- parse_citations -------------------------------------------------------------------------
def test_valid_markers_in_order_of_first_appearance():
    text = "Microsoft builds its own AI [3]. Benioff laughed [1][3]. Stargate costs 500 billion [2]."
    cleaned, valid, dropped = parse(text, 5)
    assert valid == [3, 1, 2]
    assert dropped == []
    assert cleaned == text


def test_out_of_range_marker_is_dropped_and_removed():
    cleaned, valid, dropped = parse("See [7] and [2].", 5)
    assert valid == [2]
    assert dropped == ["[7]"]
    assert "[7]" not in cleaned and "7" not in cleaned
    assert cleaned.startswith("See ") and cleaned.endswith("and [2].")


def test_upper_bound_is_inclusive():
    _, valid, dropped = parse("A [5]. B [6].", 5)
    assert valid == [5] and dropped == ["[6]"]


def test_grouped_markers_with_comma_and_semicolon():
    cleaned, valid, dropped = parse("X [1, 3] and Y [2;9].", 5)
    assert valid == [1, 3, 2]
    assert dropped == ["[9]"]
    assert cleaned == "X [1][3] and Y [2]."


def test_group_with_only_invalid_numbers_disappears():
    cleaned, valid, dropped = parse("Claim [8, 9]. Other [1].", 5)
    assert valid == [1]
    assert dropped == ["[8]", "[9]"]
    assert "[" not in cleaned.split("Other")[0]
    assert cleaned.endswith("Other [1].")


def test_text_without_markers_is_unchanged():
    text = "Sam Altman and Satya Nadella disagree about computing power."
    assert parse(text, 5) == (text, [], [])


def test_zero_is_not_a_valid_passage_number():
    cleaned, valid, dropped = parse("Zero [0] one [1]", 5)
    assert valid == [1]
    assert dropped == ["[0]"]
    assert "[0]" not in cleaned and "[1]" in cleaned


def test_repeated_marker_counted_once():
    _, valid, dropped = parse("A [2]. B [2]. C [2, 2].", 3)
    assert valid == [2] and dropped == []


def test_no_passages_drops_every_marker():
    cleaned, valid, dropped = parse("A [1]. B [2].", 0)
    assert valid == [] and dropped == ["[1]", "[2]"]
    assert "[" not in cleaned


def test_non_numeric_brackets_are_left_alone():
    text = "The array a[i] and the note [see below] stay."
    assert parse(text, 5) == (text, [], [])


# --- is_dont_know ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "I don't know: the documents do not answer this question.",
        "I do not know.",
        "Ich weiß es nicht: Die Dokumente beantworten diese Frage nicht.",
        "Ich weiss nicht.",
        "Je ne sais pas : les documents ne répondent pas à cette question.",
        "Non lo so: i documenti non rispondono a questa domanda.",
        "Я не знаю: в документах нет ответа на этот вопрос.",
        "я не знаю.",
    ],
)
def test_dont_know_detected(text):
    assert answering.is_dont_know(text)


@pytest.mark.parametrize("code", sorted(prompts.DONT_KNOW))
def test_every_localized_dont_know_is_detected(code):
    assert answering.is_dont_know(prompts.DONT_KNOW[code])


@pytest.mark.parametrize(
    "text",
    [
        "Benioff said Microsoft builds its own AI and will not use OpenAI in the future [1].",
        "Microsoft hat 13 Milliarden US-Dollar in OpenAI investiert [2].",
        "Бениофф считает, что Microsoft создаёт свой собственный AI [1].",
        "",
    ],
)
def test_normal_answer_is_not_dont_know(text):
    assert not answering.is_dont_know(text)


def test_dont_know_with_typographic_apostrophe():
    assert answering.is_dont_know("I don\u2019t know: the documents do not answer this question.")


# --- build_messages ----------------------------------------------------------------------------
PASSAGES = [
    Passage(passage_id="notes/a.txt#0-40", source="notes/a.txt", score=0.9, text="Der Kuchen braucht drei Eier und Mehl.", language="de"),
    Passage(passage_id="c.txt#10-60", source="c.txt", score=0.8, text="  Поезд отправляется в восемь утра.\n", language="ru"),
    Passage(passage_id="b.md#0-30", source="b.md", score=0.7, text="The cat sat on the mat.", language="en"),
]


def test_build_messages_structure():
    messages = generative.build_messages("Warum braucht der Kuchen Eier?", "de", PASSAGES)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert all(isinstance(m["content"], str) and m["content"] for m in messages)


def test_system_prompt_names_the_question_language():
    system = generative.build_messages("Warum braucht der Kuchen Eier?", "de", PASSAGES)[0]["content"]
    assert "German" in system
    assert prompts.DONT_KNOW["de"] in system
    assert "${" not in system
    system_fr = generative.build_messages("Pourquoi?", "fr", PASSAGES)[0]["content"]
    assert "French" in system_fr and "German" not in system_fr
    assert prompts.DONT_KNOW["fr"] in system_fr


def test_passages_are_numbered_with_their_source():
    user = generative.build_messages("Warum braucht der Kuchen Eier?", "de", PASSAGES)[1]["content"]
    positions = []
    for n, p in enumerate(PASSAGES, 1):
        header = f"[{n}] source: {p.source} (language: {p.language})"
        assert header in user
        positions.append(user.index(header))
        assert p.text.strip() in user
    assert positions == sorted(positions), "passages appear in retrieval order"
    assert "[4]" not in user and "[0]" not in user
    assert "${" not in user


def test_question_is_in_the_user_message():
    question = "Warum braucht der Kuchen Eier?"
    user = generative.build_messages(question, "de", PASSAGES)[1]["content"]
    assert question in user
    assert "German" in user
    assert user.index(question) > user.index("[3] source: b.md"), "the question comes after the passages"


def test_unknown_language_code_still_renders():
    messages = generative.build_messages("Kysymys?", "fi", PASSAGES[:1])
    assert "${" not in messages[0]["content"] + messages[1]["content"]
    assert prompts.DONT_KNOW["en"] in messages[0]["content"]


def test_a_quote_is_located_in_its_own_section_of_the_chunk():
    from rag.answer.evidence import section_at

    text = "## NAME\n\nls - list\n\n## OPTIONS\n\n  -a, --all\n      do not ignore\n\n```\n# not a heading\n```\nmore\n"
    assert section_at(text, text.index("-a, --all"), "LS(1) › NAME") == "LS(1) › OPTIONS"
    assert section_at(text, text.index("ls - list"), "LS(1) › NAME") == "LS(1) › NAME"
    assert section_at(text, text.index("more"), "LS(1) › NAME") == "LS(1) › OPTIONS"  # a '#' line in a code fence is code
    assert section_at("# Title\n\nText", 12, None) is None  # a document without sections keeps none
    # a chunk that starts inside a code block: its "# command" line is the block's, not a heading
    cut = "# dpkg-reconfigure locales\n```\n\nDieser Prozess besteht aus zwei Schritten."
    assert section_at(cut, cut.index("Dieser"), "8.1. Locale") == "8.1. Locale"
    assert section_at("# Setup\n\nText\n```\n$ ls", 9, "Guide") == "Setup"  # a chunk that ends inside one keeps its heading

