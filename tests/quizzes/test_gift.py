"""Moodle GIFT import and export (quizzes.interop.gift), written from Moodle's GIFT documentation
and its importer (question/format/gift/format.php).  Pure: no database."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.markdown import render_markdown
from quizzes.grading.match import compile_pattern, pattern_can_match_something
from quizzes.interop.drafts import ChoiceDraft, Problem, QuestionDraft, draft_problems
from quizzes.interop.gift import BLANK, MAX_BYTES, export_gift, parse_gift, parse_gift_bytes


def only(text: str) -> QuestionDraft:
    """The one question in ``text``; fails on any problem."""
    result = parse_gift(text)
    assert result.problems == []
    assert len(result.questions) == 1
    return result.questions[0]


def problems(text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem, and no questions."""
    result = parse_gift(text)
    assert result.questions == []
    return [(p.line, p.message) for p in result.problems]


# --- multiple choice ------------------------------------------------------------------------


def test_multiple_choice_with_one_right_answer_and_feedback():
    draft = only(
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }"
    )
    assert draft == QuestionDraft(
        type="single",
        prompt="What's between orange and green in the spectrum?",
        title="Q2",
        choices=(
            ChoiceDraft("yellow", 1.0, "right; good!"),
            ChoiceDraft("red", 0.0, "wrong, it's yellow"),
            ChoiceDraft("blue", 0.0, "wrong, it's yellow"),
        ),
    )
    assert draft.line == 1


def test_multiple_choice_answers_on_separate_lines():
    draft = only(
        "Japanese characters originally came from what country? {\n"
        "    ~India\n    =China\n    ~Korea\n    ~Egypt}"
    )
    assert draft.type == "single"
    assert [c.text for c in draft.choices] == ["India", "China", "Korea", "Egypt"]
    assert [c.fraction for c in draft.choices] == [0.0, 1.0, 0.0, 0.0]


def test_partial_credit_choice_in_a_single_answer_question():
    draft = only(
        "Difficult multiple choice question.{\n"
        "~wrong answer #comment on wrong answer\n"
        "~%50%half credit answer #comment on answer\n"
        "=full credit answer #well done!}"
    )
    assert draft == QuestionDraft(
        type="single",
        prompt="Difficult multiple choice question.",
        choices=(
            ChoiceDraft("wrong answer", 0.0, "comment on wrong answer"),
            ChoiceDraft("half credit answer", 0.5, "comment on answer"),
            ChoiceDraft("full credit answer", 1.0, "well done!"),
        ),
    )


def test_weights_without_an_equals_sign_make_a_multiple_response_question():
    draft = only("Which are even? {~%50%two ~%50%four ~%-100%three}")
    assert draft == QuestionDraft(
        type="multiple",
        prompt="Which are even?",
        choices=(
            ChoiceDraft("two", 0.5),
            ChoiceDraft("four", 0.5),
            ChoiceDraft("three", -1.0),
        ),
    )


def test_fractional_and_negative_weights_are_rounded_to_seven_decimals():
    draft = only(
        "What two people are entombed in Grant's tomb? {\n"
        "~%-100%No one\n~%33.33333%Grant\n~%33.33333%Grant's wife\n~%33.33333%Grant's father\n}"
    )
    assert draft.type == "multiple"
    assert [c.fraction for c in draft.choices] == [-1.0, 0.3333333, 0.3333333, 0.3333333]


def test_after_an_equals_sign_a_weight_is_part_of_the_text_as_in_moodle():
    draft = only("Pick {=%50% off ~full price}")
    assert draft.choices == (ChoiceDraft("%50% off", 1.0), ChoiceDraft("full price", 0.0))


# --- true/false -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "answer"),
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False), ("{ true }", True)],
)
def test_true_false(block, answer):
    draft = only(f"Grant was buried in Grant's tomb.{block}")
    assert draft == QuestionDraft(
        type="truefalse",
        prompt="Grant was buried in Grant's tomb.",
        config={"answer": answer},
    )


def test_true_false_feedback_first_for_a_wrong_answer_then_for_a_right_one():
    # Moodle: {T#wrong#right}; Lectio's feedback_true is shown to whoever answered True.
    true = only("The sun rises in the east.{T#No, it rises in the east.#Yes, it does.}")
    assert true.config == {
        "answer": True,
        "feedback_true": "Yes, it does.",
        "feedback_false": "No, it rises in the east.",
    }
    false = only("The sun rises in the west.{FALSE#No, in the east.#Right, not the west.}")
    assert false.config == {
        "answer": False,
        "feedback_true": "No, in the east.",
        "feedback_false": "Right, not the west.",
    }


def test_true_false_leaves_out_empty_feedback():
    assert only("Two is even.{T##Well done.}").config == {
        "answer": True,
        "feedback_true": "Well done.",
    }
    assert only("Two is even.{T#Think again.}").config == {
        "answer": True,
        "feedback_false": "Think again.",
    }


# --- short answer ---------------------------------------------------------------------------


def test_short_answer_with_several_right_answers():
    draft = only("Name a pet. {=cat =dog}")
    assert draft == QuestionDraft(
        type="short",
        prompt="Name a pet.",
        config={"answers": [{"text": "cat", "fraction": 1.0}, {"text": "dog", "fraction": 1.0}]},
    )


def test_short_answer_with_weights_and_feedback():
    draft = only(
        "::Jesus' hometown:: Jesus Christ was from {\n"
        "=Nazareth#Yes! That's right!\n"
        "=%75%Nazereth#Right, but misspelled.\n"
        "=%25%Bethlehem#He was born here, but not raised here.\n"
        "}."
    )
    assert draft == QuestionDraft(
        type="short",
        title="Jesus' hometown",
        prompt=f"Jesus Christ was from {BLANK}.",
        config={
            "answers": [
                {"text": "Nazareth", "fraction": 1.0, "feedback": "Yes! That's right!"},
                {"text": "Nazereth", "fraction": 0.75, "feedback": "Right, but misspelled."},
                {
                    "text": "Bethlehem",
                    "fraction": 0.25,
                    "feedback": "He was born here, but not raised here.",
                },
            ]
        },
    )


def test_short_answer_partial_credit_only_is_reported():
    # A lone =%50%kitten is partial credit; Lectio needs one answer worth full credit.
    assert problems("Young cat? {=%50%kitten#Nearly}") == [
        (1, "At least one accepted answer must be worth full credit (1).")
    ]
    draft = only("Young cat? {=kitten =%50%kitty#Nearly}")
    assert draft.config == {
        "answers": [
            {"text": "kitten", "fraction": 1.0},
            {"text": "kitty", "fraction": 0.5, "feedback": "Nearly"},
        ]
    }


# --- matching -------------------------------------------------------------------------------


def test_matching():
    draft = only(
        "Match the following countries with their corresponding capitals. {\n"
        "=Canada -> Ottawa\n=Italy  -> Rome\n=Japan  -> Tokyo\n=India  -> New Delhi\n}"
    )
    assert draft == QuestionDraft(
        type="matching",
        prompt="Match the following countries with their corresponding capitals.",
        config={
            "pairs": [
                {"prompt": "Canada", "answer": "Ottawa"},
                {"prompt": "Italy", "answer": "Rome"},
                {"prompt": "Japan", "answer": "Tokyo"},
                {"prompt": "India", "answer": "New Delhi"},
            ]
        },
    )


def test_matching_with_an_empty_left_side_adds_a_distractor():
    draft = only("Which animal eats which food? { =cat -> cat food =dog -> dog food = -> fish }")
    assert draft.config == {
        "pairs": [
            {"prompt": "cat", "answer": "cat food"},
            {"prompt": "dog", "answer": "dog food"},
        ],
        "distractors": ["fish"],
    }


def test_matching_needs_two_pairs_as_lectio_does():
    assert problems("Match. {=a -> b}") == [(1, "Give at least two pairs to match.")]


# --- missing word ---------------------------------------------------------------------------


def test_missing_word_choice():
    draft = only("Moodle costs {~lots of money =nothing ~a small amount} to download.")
    assert draft == QuestionDraft(
        type="single",
        prompt=f"Moodle costs {BLANK} to download.",
        choices=(
            ChoiceDraft("lots of money", 0.0),
            ChoiceDraft("nothing", 1.0),
            ChoiceDraft("a small amount", 0.0),
        ),
    )


def test_missing_word_short_answer_and_block_at_the_start():
    assert only("Two plus {=two =2} equals four.").prompt == f"Two plus {BLANK} equals four."
    assert only("{=Paris} is the capital of France.").prompt == (
        f"{BLANK} is the capital of France."
    )


def test_answers_before_closing_punctuation_only_get_no_blank_at_the_very_end():
    assert only("Who's buried in Grant's tomb?{=no one =nobody}").prompt == (
        "Who's buried in Grant's tomb?"
    )
    assert only("Grant is buried in {=Grant's tomb}.").prompt == f"Grant is buried in {BLANK}."


# --- numerical ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{#2}", [{"value": 2, "fraction": 1.0}]),
        ("{#2:0.5}", [{"value": 2, "tolerance": 0.5, "fraction": 1.0}]),
        ("{#1..5}", [{"min": 1, "max": 5, "fraction": 1.0}]),
        ("{#-2.5..1e3}", [{"min": -2.5, "max": 1000.0, "fraction": 1.0}]),
        ("{#3.14159:0.0005}", [{"value": 3.14159, "tolerance": 0.0005, "fraction": 1.0}]),
        (
            "{#=%100%2:0 =%50%2:1}",
            [
                {"value": 2, "tolerance": 0, "fraction": 1.0},
                {"value": 2, "tolerance": 1, "fraction": 0.5},
            ],
        ),
    ],
)
def test_numerical(block, answers):
    draft = only(f"Pick a number. {block}")
    assert draft == QuestionDraft(
        type="numeric", prompt="Pick a number.", config={"answers": answers}
    )


def test_numerical_with_weights_and_feedback_over_several_lines():
    draft = only(
        "When was Ulysses S. Grant born? {#\n"
        "    =1822:0      # Correct! Full credit.\n"
        "    =%50%1822:2  # He was born in 1822. Half credit for being close.\n"
        "}"
    )
    assert draft.config == {
        "answers": [
            {"value": 1822, "tolerance": 0, "fraction": 1.0, "feedback": "Correct! Full credit."},
            {
                "value": 1822,
                "tolerance": 2,
                "fraction": 0.5,
                "feedback": "He was born in 1822. Half credit for being close.",
            },
        ]
    }


def test_numerical_numbers_keep_int_or_float_as_written():
    (answer,) = only("n? {#2.0:1}").config["answers"]
    assert type(answer["value"]) is float and type(answer["tolerance"]) is int


# --- essay and description ------------------------------------------------------------------


def test_essay():
    assert only("Write a short biography of Dag Hammarskjöld. {}") == QuestionDraft(
        type="open", prompt="Write a short biography of Dag Hammarskjöld."
    )


def test_text_without_an_answer_block_is_a_description_worth_nothing():
    result = parse_gift("// points: 3\n::Intro:: You can use your pencil and paper for these "
                        "next math questions.\n\n::Q:: 1 + 1? {#2}")
    assert result.problems == [] and result.notices == []
    description, question = result.questions
    assert description == QuestionDraft(
        type="description", title="Intro", points=0,
        prompt="You can use your pencil and paper for these next math questions.")
    assert draft_problems(description) == []
    assert question.type == "numeric"


def test_html_description_keeps_its_picture():
    draft = only('[html]<p>Look at the map.</p><img src="https://example.org/map.png" '
                 'alt="A map" onerror="alert(1)">')
    assert draft.type == "description"
    shown = str(render_markdown(draft.prompt))
    assert '<img src="https://example.org/map.png" alt="A map">' in shown
    assert "onerror" not in shown


# --- titles, comments, categories, points ---------------------------------------------------


def test_title_with_escaped_colons():
    draft = only("::Time\\: 10\\:30:: When is lunch? {=noon}")
    assert draft.title == "Time: 10:30"
    assert draft.prompt == "When is lunch?"


def test_comments_are_ignored_wherever_they_are():
    draft = only(
        "// question: 1 name: Capitals\n"
        "::Capital:: What is the capital\n"
        "// a note for the teacher\n"
        "of France? {=Paris}"
    )
    assert draft.prompt == "What is the capital  \nof France?"
    assert draft.line == 2


def test_category_lines_are_skipped_and_named_in_the_notices():
    result = parse_gift(
        "$CATEGORY: $course$/top/Geography\n\nCapital of France? {=Paris}\n\n"
        "$CATEGORY: $course$/top/History\nYear of the storming of the Bastille? {#1789}\n"
    )
    assert result.problems == []
    assert [(q.prompt, q.line) for q in result.questions] == [
        ("Capital of France?", 3),
        ("Year of the storming of the Bastille?", 6),
    ]
    assert [(n.line, n.message.split(":")[0]) for n in result.notices] == [
        (1, "Category “Geography”"), (5, "Category “History”")]


def test_points_comment_before_a_question_sets_its_points():
    result = parse_gift(
        "// points: 2.5\n::A:: One? {T}\n\n"
        "// points: 3\n\nTwo? {T}\n\n"  # not in the question's paragraph: ignored
        "Three? {T}\n// points: 4\n"  # after the question's text: ignored
    )
    assert result.problems == []
    assert [q.points for q in result.questions] == [2.5, 1.0, 1.0]
    assert result.questions[0].line == 2


def test_bad_points_comment_is_reported_and_the_question_left_out():
    result = parse_gift("// points: lots\n::A:: One? {T}\n\nTwo? {T}")
    assert [q.prompt for q in result.questions] == ["Two?"]
    assert result.problems == [
        Problem(
            1,
            "“// points: lots” should give the question's points as a number, "
            "e.g. // points: 2.",
            "A",
        )
    ]
    assert problems("// points: 0\nZero? {T}") == [(2, "Points must be more than 0.")]


# --- text formats ---------------------------------------------------------------------------


def test_html_is_sanitised():
    draft = only(
        '[html]<p onclick="steal()">Is <b>this</b> bold?</p><script>bad()</script>{T'
        "#[html]<i>No</i>}"
    )
    assert draft.prompt == "<p>Is <b>this</b> bold?</p>"
    assert draft.config == {"answer": True, "feedback_false": "<i>No</i>"}


def test_html_choices_become_plain_text():
    draft = only("[html]Pick one.{=<b>A &amp; B</b> ~<i>C</i>}")
    assert [c.text for c in draft.choices] == ["A & B", "C"]


def test_markdown_is_kept_as_is():
    draft = only("[markdown]Is **2 * 3** = 6?{T####See *the* table.}")
    assert draft.prompt == "Is **2 * 3** = 6?"
    assert draft.explanation == "See *the* table."


@pytest.mark.parametrize("tag", ["", "[plain]", "[moodle]"])
def test_plain_and_moodle_text_shows_as_typed(tag):
    draft = only(f"{tag}Is 2*3 = 6 and a_b <c> & [d]?{{T}}")
    assert draft.prompt == "Is 2\\*3 = 6 and a\\_b &lt;c> &amp; \\[d\\]?"


def _gift_escape(text: str) -> str:
    text = "".join("\\" + ch if ch in "\\~=#{}:" else ch for ch in text)
    return text.replace("\n", "\\n")


def _shown(markdown: str) -> str:
    """The words a reader sees once Lectio renders ``markdown``."""
    rendered = re.sub(r"<[^>]+>", " ", str(render_markdown(markdown)))
    return " ".join(html.unescape(rendered).split())


def test_plain_text_renders_as_typed():
    text = "# not a heading\n- not a list\n1. not a list\n> not a quote\n`code` *em* <b>"
    draft = only(f"[plain]{_gift_escape(text)}{{T}}")
    assert _shown(draft.prompt) == " ".join(text.split())
    assert "<br" in str(render_markdown(draft.prompt))  # line breaks are kept


_MARKDOWN_BITS = st.sampled_from(
    [*"ab1 .-+#>*_[](){}!`|<&=:~\\\n\t", "1.", "---", "&amp;", "<b>", "![x](y)", "[^1]",
     "*[HTML]: x", "    ", ": ", "~~~", "{: .x}"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MARKDOWN_BITS, max_size=15).map("".join).filter(str.strip))
def test_any_plain_text_renders_as_typed(text):
    draft = only(f"[plain]{_gift_escape(text)}{{}}")
    assert _shown(draft.prompt) == " ".join(text.split())


def test_answer_texts_may_have_their_own_format():
    draft = only("[markdown]Pick.{=[html]<b>A</b>#[plain]*yes* ~B#*no*}")
    assert draft.choices == (ChoiceDraft("A", 1.0, "\\*yes\\*"), ChoiceDraft("B", 0.0, "*no*"))


# --- escapes, feedback, layout, encodings ---------------------------------------------------


def test_escaped_special_characters_and_newlines():
    draft = only(
        "[markdown]Which is 1\\:1 \\{a\\} \\~ \\= \\# \\\\ ?\\nNew line.{"
        "=a \\= b#It's \\#1 ~c\\~d \\{e\\}}"
    )
    assert draft.prompt == "Which is 1:1 {a} ~ = # \\ ?\nNew line."
    assert draft.choices == (ChoiceDraft("a = b", 1.0, "It's #1"), ChoiceDraft("c~d {e}", 0.0))


def test_backslash_before_other_characters_is_kept():
    assert only("[markdown]C:\\\\temp \\d {T}").prompt == "C:\\temp \\d"


def test_general_feedback():
    draft = only("::Q:: 1+1? {=2 #right ~3 ####Count on your fingers.}")
    assert draft.explanation == "Count on your fingers."
    assert draft.choices == (ChoiceDraft("2", 1.0, "right"), ChoiceDraft("3", 0.0))
    assert only("Essay? {####A model essay would ...}").explanation == "A model essay would ..."


def test_questions_are_separated_by_blank_lines_and_numbered_by_first_line():
    text = "// a comment\n::A::\nOne?\n{T}\n\n\n   \n::B:: Two? {\n=2\n~3\n}\n"
    result = parse_gift(text)
    assert result.problems == []
    assert [(q.title, q.line) for q in result.questions] == [("A", 2), ("B", 8)]
    assert result.questions[0].prompt == "One?"


def test_crlf_line_ends_and_byte_order_mark():
    text = "::A:: One? {T}\r\n\r\n::B:: Two?\r\n{F}\r\n"
    expected = [
        QuestionDraft(type="truefalse", prompt="One?", title="A", config={"answer": True}),
        QuestionDraft(type="truefalse", prompt="Two?", title="B", config={"answer": False}),
    ]
    for result in (
        parse_gift(text),
        parse_gift("\ufeff" + text),
        parse_gift(text.replace("\r\n", "\r")),
        parse_gift_bytes(text.encode()),
        parse_gift_bytes(b"\xef\xbb\xbf" + text.encode()),
    ):
        assert result.problems == []
        assert result.questions == expected
        assert [q.line for q in result.questions] == [1, 3]


def test_utf8_text_is_read():
    draft = parse_gift_bytes("Größte Stadt? {=Zürich =東京}".encode()).questions[0]
    assert [a["text"] for a in draft.config["answers"]] == ["Zürich", "東京"]


# --- errors ---------------------------------------------------------------------------------


def test_unclosed_brace_is_reported_at_its_line():
    text = "Fine? {T}\n\n::Broken::\nWhat is\n2+2? {=4\n~5\n\nAlso fine? {F}"
    result = parse_gift(text)
    assert [q.prompt for q in result.questions] == ["Fine?", "Also fine?"]
    assert result.problems == [
        Problem(
            5,
            "The answer block opened here with { is never closed with }. (Write \\{ for a "
            "brace that is part of the text.)",
            "Broken",
        )
    ]


def test_closing_brace_without_opening_brace():
    assert problems("What is\n2+2? =4 ~5}") == [
        (2, "There is a } here without a { before it. (Write \\} for a brace that is part "
            "of the text.)")
    ]


def test_brace_inside_answer_block():
    assert problems("What? {=a\n~{b}") == [
        (2, "There is a { inside the answer block: close the block with } first, or write "
            "\\{ for a brace that is part of an answer.")
    ]


def test_two_answer_blocks_use_the_first_and_say_so():
    result = parse_gift("What? {=a ~b}\nand {=c ~d}")
    assert result.problems == []
    (draft,) = result.questions
    assert [c.text for c in draft.choices] == ["a", "b"]
    assert draft.prompt.startswith("What? " + BLANK)
    assert "c ~d" in html.unescape(draft.prompt.replace("\\", ""))
    assert [n.line for n in result.notices] == [2]
    assert result.notices[0].message.startswith(
        "This question has 2 answer blocks {…}. As Moodle does, Lectio uses the first")


def test_an_image_in_moodles_file_store_is_reported_and_not_shown():
    result = parse_gift('::Map:: [html]Which city is marked? <img src="@@PLUGINFILE@@/map.png" '
                        'alt="Map"> {=Paris ~Lyon}')
    (draft,) = result.questions
    assert [(n.line, n.title) for n in result.notices] == [(1, "Map")]
    assert "@@PLUGINFILE@@" in result.notices[0].message
    assert "@@PLUGINFILE@@" not in str(render_markdown(draft.prompt))


def test_empty_answers_are_reported():
    assert problems("Capital? {=}") == [(1, "Accepted answer 1 has no text.")]
    assert problems("Capital? {=Paris ~}") == [(1, "Choice 2 has no text.")]
    assert problems("Number? {#}") == [
        (1, "The numerical answer is missing: write it after #, e.g. {#2}.")
    ]


def test_choices_without_a_right_answer():
    assert problems("Capital? {~Lyon ~Nice}") == [
        (1, "None of the answers is marked right: put = before the right answer, or give the "
            "right answers weights such as ~%50%.")
    ]


def test_a_bare_answer_is_the_one_right_short_answer():
    draft = only("Capital? {Paris#Yes.}")
    assert draft.type == "short"
    assert draft.config == {"answers": [{"text": "Paris", "fraction": 1.0, "feedback": "Yes."}]}
    assert only("Arrow? {a->b}").config == {"answers": [{"text": "a->b", "fraction": 1.0}]}


def test_text_before_the_first_answer_is_reported():
    assert problems("Capital?\n{Paris\n=Lyon ~Nice}") == [
        (2, "“Paris” is not an answer: start each answer with ~ or =.")
    ]


def test_matching_mixed_with_plain_answers():
    assert problems("Match. {\n=a -> b\n=c -> d\n=e\n}") == [
        (4, "“e” has no “->”. In a matching question every answer is a pair written "
            "=left -> right (= -> text adds a wrong option).")
    ]


def test_numerical_errors():
    assert problems("n? {#two}") == [
        (1, "“two” is not a number. Write numerical answers like {#2}, {#2:0.5} (2 give or "
            "take 0.5) or {#1..5} (from 1 to 5).")
    ]
    for wrong in ("n? {#2 ~3}", "n? {#2 ~#a ~#b}"):
        assert problems(wrong) == [
            (1, "After ~ a numerical answer takes only the feedback for any other number, "
                "written ~#feedback, once, after the right answers.")
        ]
    assert problems("n? {#5..1}") == [(1, "Accepted answer 1: min is larger than max.")]


def test_numerical_feedback_for_any_other_number_is_kept():
    draft = only("n? {#=2:0.5#Close enough. =%50%3 ~#Count the sides again.}")
    assert draft.config == {
        "answers": [{"value": 2, "tolerance": 0.5, "fraction": 1.0, "feedback": "Close enough."},
                    {"value": 3, "fraction": 0.5}],
        "feedback_other": "Count the sides again.",
    }
    assert only("n? {#2 ~}").config == {"answers": [{"value": 2, "fraction": 1.0}]}


def test_unclosed_title():
    assert problems("::Title What? {T}") == [
        (1, "The title is not closed: write it as ::title:: before the question.")
    ]


def test_problems_name_the_question_title():
    result = parse_gift("::Capitals:: Capital? {~Lyon ~Nice}")
    assert result.problems[0].title == "Capitals"
    assert str(result.problems[0]).startswith("Line 1 (question “Capitals”): None of")


def test_mixed_encodings_give_one_problem_at_the_first_bad_byte():
    data = "Größe? {T}\n\n".encode() + "Straße? {F}\n".encode("latin-1")
    result = parse_gift_bytes(data)
    assert result.questions == []
    assert result.problems == [
        Problem(
            3,
            "This line is not valid UTF-8 text, so the file may mix text encodings. Save the "
            "file as UTF-8 and import it again.",
        )
    ]


def test_a_file_over_five_megabytes_is_refused_unread():
    data = b"Big? {T}\n\n" * (10 * 1024 * 1024 // 10)
    assert len(data) > MAX_BYTES
    result = parse_gift_bytes(data)
    assert result.questions == []
    assert result.problems == [
        Problem(
            0,
            "The file is larger than 5 MB (it is 10.0 MB). Split it into smaller files and "
            "import them one by one.",
        )
    ]


# --- export ---------------------------------------------------------------------------------


def test_export_writes_markdown_escapes_points_and_blank_lines_between_questions():
    questions = [
        QuestionDraft(
            type="single",
            title="Q: 1",
            prompt="Which is {right}?\nPick one.",
            points=2.5,
            explanation="Because.",
            choices=(ChoiceDraft("a = b", 1.0, "Yes #1"), ChoiceDraft("c~d", 0.0)),
        ),
        QuestionDraft(type="truefalse", prompt="Moodle costs _____ to download.",
                      config={"answer": False, "feedback_false": "Free!"}),
        QuestionDraft(type="multiple", prompt="Even?",
                      choices=(ChoiceDraft("2", 0.5), ChoiceDraft("4", 0.5),
                               ChoiceDraft("3", -0.3333333))),
    ]
    text, skipped = export_gift(questions)
    assert skipped == []
    assert text == (
        "// points: 2.5\n"
        "::Q\\: 1::[markdown]Which is \\{right\\}?\\nPick one.{\n"
        "\t=a \\= b#Yes \\#1\n"
        "\t~c\\~d\n"
        "\t####Because.\n"
        "}\n"
        "\n"
        "[markdown]Moodle costs {FALSE##Free!} to download.\n"
        "\n"
        "[markdown]Even?{\n"
        "\t~%50%2\n"
        "\t~%50%4\n"
        "\t~%-33.33333%3\n"
        "}\n"
    )
    assert parse_gift(text).questions == questions


def test_export_reports_what_gift_cannot_hold_and_skips_it():
    questions = [
        QuestionDraft(type="ordering", title="Order", prompt="Order these.",
                      config={"items": ["a", "b"]}),
        QuestionDraft(type="evidence", title="Evidence", prompt="Find it.",
                      config={"claim": "x", "key": [1]}),
        QuestionDraft(type="twopart", title="Two", prompt="Pick.",
                      choices=(ChoiceDraft("a", 1.0), ChoiceDraft("b", 0.0)),
                      config={"part_b": {"prompt": "Where?", "key": [2]}}),
        QuestionDraft(type="truefalse", title="Kept", prompt="True?", config={"answer": True}),
        QuestionDraft(type="single", title="Fixed", prompt="Pick.", config={"shuffle": False},
                      choices=(ChoiceDraft("a", 1.0), ChoiceDraft("b", 0.0))),
        QuestionDraft(type="short", title="Case", prompt="Symbol?",
                      config={"answers": [{"text": "Na", "fraction": 1}],
                              "case_sensitive": True}),
        QuestionDraft(type="short", title="Arrows", prompt="Arrow?",
                      config={"answers": [{"text": "a->b", "fraction": 1},
                                          {"text": "a-->b", "fraction": 1}]}),
        QuestionDraft(type="open", title="Long", prompt="Write.", config={"max_words": 50}),
        QuestionDraft(type="single", title="Broken", prompt="Pick.",
                      choices=(ChoiceDraft("a", 1.0),)),
    ]
    text, skipped = export_gift(questions)
    assert text == "::Kept::[markdown]True?{TRUE}\n"
    assert [(p.line, p.title, p.message) for p in skipped] == [
        (1, "Order", "GIFT has no ordering questions, so this question was not exported."),
        (2, "Evidence", "GIFT has no evidence (pick the passages) questions, so this question "
            "was not exported."),
        (3, "Two", "GIFT has no two-part questions, so this question was not exported."),
        (5, "Fixed", "GIFT cannot say that the choices must stay in order, so this question "
            "was not exported."),
        (6, "Case", "GIFT cannot mark a short answer as case-sensitive, so this question was "
            "not exported."),
        (7, "Arrows", "GIFT cannot hold “->” in a short answer or its feedback (Moodle would "
            "read a matching question), so this question was not exported."),
        (8, "Long", "GIFT essays cannot carry a word limit, a model answer or anchor answers, "
            "so this question was not exported."),
        (9, "Broken", "Give at least two choices."),
    ]


def test_export_writes_one_right_answer_with_an_arrow_bare_so_it_reads_as_short_answer():
    draft = QuestionDraft(type="short", title="Arrow", prompt="Which arrow?",
                          config={"answers": [{"text": "a->b", "fraction": 1.0,
                                               "feedback": "Yes."}]})
    text, skipped = export_gift([draft])
    assert skipped == []
    assert text == "::Arrow::[markdown]Which arrow?{\n\ta->b#Yes.\n}\n"
    assert parse_gift(text).questions == [draft]


def test_export_keeps_the_format_the_text_came_in():
    source = ("::H:: [html]<p>Look: <img src=\"https://example.org/m.png\" alt=\"map\"></p>"
              "{=Paris#[html]<em>Yes</em> ~Lyon}\n\n"
              "::P:: [plain]Is 2 * 3 = 6 _really_? {T#[plain]*no*}\n\n"
              "::M:: [markdown]Is **this** bold? {T}\n")
    questions = parse_gift(source).questions
    text, skipped = export_gift(questions)
    assert skipped == []
    first, second, third = text.split("\n\n")
    assert first.startswith("::H::[html]<p>Look\\: <img src\\=")
    assert "#<em>Yes</em>" in first  # same format as the question: no tag needed
    assert second.startswith("::P::[plain]Is 2 * 3 \\= 6 _really_?{TRUE#*no*}")
    assert third.startswith("::M::[markdown]Is **this** bold?")
    assert parse_gift(text).questions == questions


def test_a_prompt_that_starts_with_its_blank_is_written_without_a_lone_format_tag():
    draft = QuestionDraft(type="short", prompt=BLANK + " is the capital of France.",
                          config={"answers": [{"text": "Paris", "fraction": 1.0}]})
    text, _ = export_gift([draft])
    assert text == "{\n\t=Paris\n} is the capital of France.\n"
    assert parse_gift(text).questions == [draft]
    styled = QuestionDraft(type="short", prompt=BLANK + " is **the** capital.",
                           config={"answers": [{"text": "Paris", "fraction": 1.0}]})
    text, _ = export_gift([styled])
    assert parse_gift(text).questions == [styled]


def test_export_writes_descriptions_and_feedback_for_any_other_number():
    questions = [
        QuestionDraft(type="description", title="Intro", prompt="Read *this* first.", points=0),
        QuestionDraft(type="numeric", prompt="Sides of a square?",
                      config={"answers": [{"value": 4, "fraction": 1.0}],
                              "feedback_other": "Count them."}),
    ]
    text, skipped = export_gift(questions)
    assert skipped == []
    assert text == ("::Intro::[markdown]Read *this* first.\n\n"
                    "[markdown]Sides of a square?{#\n\t=4\n\t~#Count them.\n}\n")
    assert parse_gift(text).questions == questions


def test_export_writes_equivalent_non_canonical_drafts_canonically():
    draft = QuestionDraft(
        type="single", prompt=" Pick. ", config={"shuffle": True},
        choices=(ChoiceDraft(" a ", 1, ""), ChoiceDraft("b", 0)),
    )
    text, skipped = export_gift([draft])
    assert skipped == []
    assert parse_gift(text).questions == [
        QuestionDraft(type="single", prompt="Pick.",
                      choices=(ChoiceDraft("a", 1.0), ChoiceDraft("b", 0.0)))
    ]


# --- round trip -----------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,?!'\"%[]()-><_*`|&$/\\~=#{}:\n\té中\u00a0") + ["->", "//", "[html]",
                                                                   BLANK, "####", ".."]
)


def _texts(min_size: int = 1) -> st.SearchStrategy[str]:
    """Texts as Lectio keeps them: special characters and newlines inside, no surrounding
    whitespace (GIFT trims it, as Moodle does)."""
    return (
        st.lists(_ALPHABET, min_size=min_size, max_size=12)
        .map(lambda parts: "".join(parts).strip())
        .filter(lambda text: len(text) >= min_size)
    )


_feedback = _texts(0)
_full = st.just(1.0)
_credit = st.integers(0, 10**7).map(lambda n: round(n / 10**7, 7))


def _no_arrow(text: str) -> bool:
    return "->" not in text


def _choices(fractions: list[float]) -> st.SearchStrategy[tuple[ChoiceDraft, ...]]:
    return st.tuples(
        *(st.builds(ChoiceDraft, _texts(), st.just(f), _feedback) for f in fractions)
    )


@st.composite
def _single(draw):
    fractions = draw(st.lists(st.one_of(_full, _credit), min_size=1, max_size=4))
    fractions.insert(draw(st.integers(0, len(fractions))), 1.0)
    return "single", {}, draw(_choices(fractions))


@st.composite
def _multiple(draw):
    cuts = sorted(draw(st.lists(st.integers(1, 10**7 - 1), max_size=3, unique=True)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10**7], strict=True)]
    negatives = draw(st.lists(st.integers(-(10**7), 0), max_size=2))
    fractions = [round(n / 10**7, 7) for n in parts + negatives]
    if len(fractions) < 2:
        fractions.append(0.0)
    fractions = draw(st.permutations(fractions))
    return "multiple", {}, draw(_choices(fractions))


@st.composite
def _true_false(draw):
    config = {"answer": draw(st.booleans())}
    for key in ("feedback_true", "feedback_false"):
        note = draw(_feedback)
        if note:
            config[key] = note
    return "truefalse", config, ()


def _with_feedback(entry: dict, note: str) -> dict:
    return {**entry, "feedback": note} if note else entry


def _short_text(text: str) -> bool:
    return _no_arrow(text) and pattern_can_match_something(compile_pattern(text))


@st.composite
def _short(draw):
    fractions = [1.0, *draw(st.lists(_credit, max_size=3))]
    answers = [
        _with_feedback(
            {"text": draw(_texts().filter(_short_text)), "fraction": f},
            draw(_feedback.filter(_no_arrow)),
        )
        for f in draw(st.permutations(fractions))
    ]
    return "short", {"answers": answers}, ()


_numbers = st.one_of(
    st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False)
)
_non_negative = st.one_of(
    st.integers(0, 10**6), st.floats(min_value=0, allow_nan=False, allow_infinity=False)
)


@st.composite
def _numeric_answer(draw, fraction: float) -> dict:
    if draw(st.booleans()):
        entry = {"value": draw(_numbers)}
        if draw(st.booleans()):
            entry["tolerance"] = draw(_non_negative)
    else:
        low, high = sorted([draw(_numbers), draw(_numbers)])
        entry = {"min": low, "max": high}
    return _with_feedback({**entry, "fraction": fraction}, draw(_feedback))


@st.composite
def _numeric(draw):
    fractions = [1.0, *draw(st.lists(_credit, max_size=3))]
    answers = [draw(_numeric_answer(f)) for f in draw(st.permutations(fractions))]
    return "numeric", {"answers": answers}, ()


@st.composite
def _matching(draw):
    prompts = draw(
        st.lists(_texts().filter(_no_arrow), min_size=2, max_size=4, unique_by=str.strip)
    )
    config = {"pairs": [{"prompt": p, "answer": draw(_texts())} for p in prompts]}
    distractors = draw(st.lists(_texts(), max_size=2))
    if distractors:
        config["distractors"] = distractors
    return "matching", config, ()


_bodies = st.one_of(
    _single(), _multiple(), _true_false(), _short(), _numeric(), _matching(),
    st.just(("open", {}, ())),
)
_prompts = st.lists(st.one_of(_texts(), st.just(BLANK)), min_size=1, max_size=3).map(
    lambda parts: " ".join(parts).strip()
)
_points = st.one_of(st.just(1.0), st.integers(1, 10**6).map(lambda n: n / 10**4))


@st.composite
def _drafts(draw):
    kind, config, choices = draw(_bodies)
    draft = QuestionDraft(
        type=kind,
        prompt=draw(_prompts),
        points=draw(_points),
        title=draw(_texts(0)),
        explanation=draw(_feedback),
        config=config,
        choices=choices,
    )
    assert draft_problems(draft) == []
    return draft


@settings(max_examples=300, deadline=None)
@given(st.lists(_drafts(), min_size=1, max_size=4))
def test_export_then_import_gives_the_same_questions(questions):
    text, skipped = export_gift(questions)
    assert skipped == []
    result = parse_gift(text)
    assert result.problems == []
    assert result.questions == questions
    assert parse_gift_bytes(text.encode()).questions == questions
