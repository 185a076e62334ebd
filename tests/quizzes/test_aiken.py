"""Aiken import and export (quizzes.interop.aiken): pure, no database."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.markdown import render_markdown
from quizzes.interop.aiken import (
    MAX_BYTES,
    export_aiken,
    markdown_to_plain,
    parse_aiken,
    parse_aiken_bytes,
    plain_to_markdown,
)
from quizzes.interop.drafts import ChoiceDraft, ParseResult, Problem, QuestionDraft

MOODLE_EXAMPLE = """\
What is the correct answer to this question?
A. Is it this one?
B. Maybe this answer?
C. Possibly this one?
D. Must be this one!
ANSWER: D

Which LMS has the most quiz import formats?
A) Moodle
B) ATutor
C) Claroline
D) Blackboard
E) WebCT
F) Ilias
ANSWER: A
"""


def single(prompt: str, texts: list[str], right: int, line: int = 0) -> QuestionDraft:
    return QuestionDraft(
        type="single", prompt=prompt, points=1.0, line=line,
        choices=tuple(ChoiceDraft(t, 1.0 if n == right else 0.0) for n, t in enumerate(texts)),
    )


# --- reading -----------------------------------------------------------------------------------


def test_parse_reads_moodles_example_with_both_letter_styles():
    result = parse_aiken(MOODLE_EXAMPLE)
    assert result.ok
    assert result.questions == [
        single("What is the correct answer to this question?",
               ["Is it this one?", "Maybe this answer?", "Possibly this one?",
                "Must be this one!"], 3),
        single("Which LMS has the most quiz import formats?",
               ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"], 0),
    ]
    assert [q.line for q in result.questions] == [1, 8]


def test_parse_gives_drafts_worth_one_point_with_default_settings():
    draft = parse_aiken(MOODLE_EXAMPLE).questions[0]
    assert (draft.type, draft.points, draft.title, draft.explanation, draft.config) == (
        "single", 1.0, "", "", {})
    assert [c.feedback for c in draft.choices] == ["", "", "", ""]


def test_question_text_over_several_lines_keeps_its_line_breaks():
    text = "Read the line below.\nTo be, or not to be?\nA. Hamlet\nB. Lear\nANSWER: A\n"
    [draft] = parse_aiken(text).questions
    assert draft.prompt == "Read the line below.  \nTo be, or not to be?"
    assert "<br" in render_markdown(draft.prompt)


def test_blank_lines_between_text_choices_and_answer_are_allowed():
    text = "Capital of France?\n\nA) Lyon\n\nB) Paris\n\nANSWER: B\n"
    assert parse_aiken(text).questions == [single("Capital of France?", ["Lyon", "Paris"], 1, 1)]


def test_a_text_line_after_an_answer_line_starts_the_next_question():
    text = "One?\nA. a\nB. b\nANSWER: A\nTwo?\nA. c\nB. d\nANSWER: B"
    result = parse_aiken(text)
    assert result.ok
    assert [(q.prompt, q.line) for q in result.questions] == [("One?", 1), ("Two?", 5)]


def test_the_answer_letter_picks_its_choice_even_when_letters_skip():
    [draft] = parse_aiken("Pick C.\nA. a\nC. c\nANSWER: c\n").questions
    assert [c.fraction for c in draft.choices] == [0.0, 1.0]


def test_the_answer_line_may_be_written_in_lower_case():
    [draft] = parse_aiken("Pick B.\nA. a\nB. b\nAnswer : b\n").questions
    assert [c.fraction for c in draft.choices] == [0.0, 1.0]


def test_prompt_escapes_markdown_so_it_shows_literally():
    text = "# 1. Is 2*3 < 7 & is _x_ a [link](http://x)?\nA. yes\nB. no\nANSWER: A\n"
    [draft] = parse_aiken(text).questions
    assert draft.prompt == r"\# 1. Is 2\*3 &lt; 7 & is \_x\_ a \[link\](http://x)?"
    assert _shown(draft.prompt) == "# 1. Is 2*3 < 7 & is _x_ a [link](http://x)?"


def test_choice_texts_are_kept_as_written_since_choices_show_as_plain_text():
    [draft] = parse_aiken("Q?\nA. *starred*\nB.  <b>  \nANSWER: A\n").questions
    assert [c.text for c in draft.choices] == ["*starred*", "<b>"]


def test_control_characters_are_dropped():
    [draft] = parse_aiken("Q\x00uestion?\x07\nA. o\x00ne\nB. two\nANSWER: A\n").questions
    assert draft.prompt == "Question?"
    assert draft.choices[0].text == "one"


def test_bytes_with_bom_and_crlf_read_like_plain_text():
    data = ("\ufeff" + MOODLE_EXAMPLE.replace("\n", "\r\n")).encode("utf-8")
    assert parse_aiken_bytes(data) == parse_aiken(MOODLE_EXAMPLE)
    assert parse_aiken_bytes(MOODLE_EXAMPLE.replace("\n", "\r").encode()) == parse_aiken(
        MOODLE_EXAMPLE)


def test_bytes_that_are_not_utf8_give_one_problem_at_their_line():
    data = "Café?\r\nA. ok\r\nB. caf".encode() + b"\xe9\r\nANSWER: A\r\n"
    result = parse_aiken_bytes(data)
    assert result.questions == []
    assert result.problems == [Problem(3, "This file is not UTF-8 text. Save it with the UTF-8 "
                                       "encoding and try again.")]


def test_files_over_five_megabytes_are_refused_whole():
    too_big = b"Q?\nA. a\nB. b\nANSWER: A\n\n" * (MAX_BYTES // 24 + 1)
    message = "The file is larger than 5 MB; split it into smaller files."
    assert parse_aiken_bytes(too_big).problems == [Problem(0, message)]
    assert parse_aiken(too_big.decode()).problems == [Problem(0, message)]
    assert parse_aiken_bytes(too_big).questions == []


# --- problems ----------------------------------------------------------------------------------

ERRORS = """\
A question with too few answers
A) Only answer
ANSWER: A

A) Question not started
B) Still not started

ANSWER: A

A good question
A) Correct
B) Incorrect
ANSWER: A

A question started but not finished
A) Correct-ish
B) Incorrect-ish

A question with no choices at all

Duplicate letters
A) one
B) two
B) three
ANSWER: A

Answer out of range
A) one
B) two
ANSWER: E

Squashed
A) one
B)two
ANSWER: A

No letter
A) one
B) two
ANSWER:

Two letters
A) one
B) two
ANSWER: A, B

An empty choice
A) one
B)
ANSWER: A

Last good question
A. yes
B. no
ANSWER: B

Unfinished at the end of the file
A. yes
B. no
"""


def test_each_malformed_question_is_reported_at_its_line_and_left_out():
    result = parse_aiken(ERRORS)
    assert [(q.prompt, q.line) for q in result.questions] == [
        ("A good question", 10), ("Squashed", 32), ("Last good question", 52)]
    assert result.problems == [
        Problem(1, "Only one choice (A, line 2) found after the question on line 1: a "
                   "question needs at least two.", "A question with too few answers"),
        Problem(5, "This choice comes before any question text (question not started)."),
        Problem(15, "The “ANSWER:” line is missing after this question's last choice (line "
                    "17): add one such as “ANSWER: A”.", "A question started but not finished"),
        Problem(19, "No choices and no “ANSWER:” line found after the question on line 19: "
                    "write each choice on its own line as “A) text”, then “ANSWER:” and the "
                    "right letter.", "A question with no choices at all"),
        Problem(24, "The letter B is used twice in this question (first on line 23).",
                "Duplicate letters"),
        Problem(30, "The answer E is not one of this question's choices (A, B).",
                "Answer out of range"),
        Problem(40, "“ANSWER:” must be followed by one choice letter, as in “ANSWER: B”; it "
                "is followed by nothing.", "No letter"),
        Problem(45, "“ANSWER:” must be followed by one choice letter, as in “ANSWER: B”; it "
                "is followed by “A, B”.", "Two letters"),
        Problem(47, "Choice 2 has no text.", "An empty choice"),
        Problem(57, "The “ANSWER:” line is missing after this question's last choice (line "
                    "59): add one such as “ANSWER: A”.", "Unfinished at the end of the file"),
    ]


def test_an_answer_line_with_no_question_is_not_started():
    result = parse_aiken("One?\nA. a\nB. b\nANSWER: A\nANSWER: B\n")
    assert len(result.questions) == 1
    assert result.problems == [Problem(
        5, "This “ANSWER:” line comes before any question text (question not started).")]


def test_problems_read_with_their_line_and_question():
    [problem] = parse_aiken("Alone\nA. a\nANSWER: A").problems
    assert str(problem) == ("Line 1 (question “Alone”): Only one choice (A, line 2) found "
                            "after the question on line 1: a question needs at least two.")


def test_a_choice_written_without_a_space_after_its_parenthesis_is_read_as_moodle_does():
    result = parse_aiken("Capital of France?\nA)Lyon\nB)Paris\nANSWER: B")
    assert result.problems == []
    assert [(c.text, c.fraction) for c in result.questions[0].choices] == [
        ("Lyon", 0.0), ("Paris", 1.0)]


def test_a_choice_squashed_after_a_full_stop_is_reported_not_guessed():
    assert [str(p) for p in parse_aiken("U.S. troops left in?\nA. 2020\nB.2021\nANSWER: B"
                                        ).problems] == [
        "Line 3 (question “U.S. troops left in?”): Put a space after “B.” to make this line a "
        "choice, as in “B. Paris”."]


def test_a_question_without_choices_says_where_it_starts():
    [problem] = parse_aiken("\n\n\n\nWhat is missing?\nANSWER: A").problems
    assert problem.line == 5
    assert problem.message.startswith("No choices found after the question on line 5")


def test_long_question_texts_are_shortened_in_problems():
    [problem] = parse_aiken("x" * 100 + "\nA. a\nANSWER: A").problems
    assert problem.title == "x" * 59 + "…"


# --- writing -----------------------------------------------------------------------------------


def test_export_writes_single_choice_questions_that_read_back_the_same():
    drafts = parse_aiken(MOODLE_EXAMPLE).questions
    text, problems = export_aiken(drafts)
    assert problems == []
    assert text.startswith("What is the correct answer to this question?\nA) Is it this one?\n")
    assert "D) Must be this one!\nANSWER: D\n\nWhich LMS" in text
    assert parse_aiken(text).questions == drafts


def test_export_reports_what_aiken_cannot_hold_and_writes_the_rest():
    draft = QuestionDraft(
        type="single", prompt="**Which** one?\n\nThink.", points=2.5, title="Pick",
        explanation="Because.", config={"shuffle": False},
        choices=(ChoiceDraft("Half", 0.5), ChoiceDraft("Right", 1.0, "Yes!"),
                 ChoiceDraft("Also right", 1.0), ChoiceDraft("Two\nlines", 0.0)),
    )
    text, problems = export_aiken([draft])
    assert text == ("**Which** one?\nThink.\nA) Half\nB) Right\nC) Also right\nD) Two lines\n"
                    "ANSWER: B\n")
    assert problems == [Problem(1, message, "Pick") for message in [
        "Its title is not written: Aiken has no titles.",
        "Its blank lines are not written: a blank line ends an Aiken question.",
        "Its explanation is not written: Aiken has no explanations.",
        "Its points (2.5) are not written: Aiken questions are worth 1 point.",
        "Its “do not shuffle the choices” setting is not written.",
        "Choice A earns credit here but will read back as wrong: Aiken marks exactly one "
        "choice right.",
        "The feedback on choice B is not written: Aiken has no feedback.",
        "Choice C earns credit here but will read back as wrong: Aiken marks exactly one "
        "choice right.",
        "Choice D is written on one line: Aiken choices cannot span lines.",
    ]]


def test_export_leaves_out_what_aiken_cannot_write_at_all():
    ok = single("Fine?", ["yes", "no"], 0)
    drafts = [
        QuestionDraft(type="truefalse", prompt="The sky is blue.", config={"answer": True}),
        ok,
        single("Too many?", [f"choice {n}" for n in range(27)], 0),
        single("Which?\nA. looks like a choice", ["yes", "no"], 0),
        QuestionDraft(type="single", prompt="No right answer", choices=(
            ChoiceDraft("a", 0.0), ChoiceDraft("b", 0.0))),
        ok,
    ]
    text, problems = export_aiken(drafts)
    assert text == "Fine?\nA) yes\nB) no\nANSWER: A\n\nFine?\nA) yes\nB) no\nANSWER: A\n"
    assert problems == [
        Problem(0, "Question 1 was left out: Aiken holds only multiple-choice questions with "
                "one right answer.", "The sky is blue."),
        Problem(0, "Question 3 was left out: Aiken letters its choices A to Z, so it holds at "
                "most 26.", "Too many?"),
        Problem(0, "Question 4 was left out: a line of its text starts like a choice or an "
                "“ANSWER:” line, so it would be read back as one.", "Which?"),
        Problem(0, "Question 5 was left out: Mark one choice as fully correct (credit 1).",
                "No right answer"),
    ]


def test_export_problems_point_at_the_line_the_question_starts_on():
    plain = single("One?", ["a", "b"], 0)
    worth_two = QuestionDraft(type="single", prompt="Two?", points=2.0,
                              choices=plain.choices)
    _, problems = export_aiken([plain, worth_two])
    assert [p.line for p in problems] == [6]


def test_export_of_nothing_is_empty():
    assert export_aiken([]) == ("", [])


# --- properties --------------------------------------------------------------------------------

# Printable text on one line, trimmed: what an Aiken line can hold. Tabs are left out because
# Markdown expands them to spaces.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
_LINE = st.text(_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)


def _shown(markdown: str) -> str:
    """The text a reader sees when `markdown` is rendered as one paragraph."""
    rendered = str(render_markdown(markdown))
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4].replace("<br>\n", "\n").replace("<br />\n", "\n")
    assert "<" not in inner, rendered
    return html.unescape(inner)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=3))
def test_plain_text_renders_literally_and_converts_back(lines):
    text = "\n".join(lines)
    markdown = plain_to_markdown(text)
    assert _shown(markdown) == text
    assert markdown_to_plain(markdown) == text


def _not_markup(line: str) -> bool:
    return not parse_aiken(f"{line}\nA. a\nB. b\nANSWER: A").problems


@st.composite
def _aiken_drafts(draw) -> QuestionDraft:
    # What Aiken can say exactly: one-line text that does not read as a choice or answer
    # line, 2 to 26 one-line choices, one of them right, 1 point, no feedback or extras.
    prompt = draw(_LINE.filter(_not_markup))
    texts = draw(st.lists(_LINE, min_size=2, max_size=26))
    right = draw(st.integers(0, len(texts) - 1))
    return single(plain_to_markdown(prompt), texts, right)


@settings(max_examples=100, deadline=None)
@given(st.lists(_aiken_drafts(), max_size=4))
def test_export_then_parse_is_identity_for_what_aiken_can_say(drafts):
    text, problems = export_aiken(drafts)
    assert problems == []
    assert parse_aiken(text) == ParseResult(questions=drafts)


@pytest.mark.parametrize("text", ["&#0", "&#x41", "&copy 2024", "AT&notes", "&amp;", "&lt;b&gt;",
                                  "AT&T", "R&D", "& alone"])
def test_ampersands_a_browser_would_decode_are_kept_literal(text):
    """Found by the property below: "&#0" without a semicolon still shows as U+FFFD."""
    markdown = plain_to_markdown(text)
    assert _shown(markdown) == text
    assert markdown_to_plain(markdown) == text


def test_a_harmless_ampersand_stays_as_typed():
    assert plain_to_markdown("AT&T and R&D") == "AT&T and R&D"
