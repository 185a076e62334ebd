"""Moodle XML import and export (quizzes.interop.moodle_xml), on a file written in the shape
Moodle 4.1 exports (tests/quizzes/files/moodle_bank.xml). Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.markdown import render_markdown
from quizzes.interop.drafts import ChoiceDraft, QuestionDraft
from quizzes.interop.gift import parse_gift
from quizzes.interop.moodle_xml import export_moodle_xml, parse_moodle_xml
from quizzes.interop.moodle_xml.read import MAX_QUESTIONS

BANK = (Path(__file__).parent / "files" / "moodle_bank.xml").read_bytes()
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSu"
       "QmCC")


@pytest.fixture(scope="module")
def bank():
    return parse_moodle_xml(BANK)


def _by_title(result, title: str) -> QuestionDraft:
    return next(q for q in result.questions if q.title == title)


def test_every_type_lectio_has_is_read_with_marks_and_titles(bank):
    assert [(q.type, q.title, q.points) for q in bank.questions] == [
        ("single", "Capital", 2.0), ("multiple", "Members", 3.0),
        ("truefalse", "Alliance", 1.0), ("short", "Initiative", 1.0),
        ("numeric", "Munich", 1.0), ("matching", "Systems", 3.0), ("open", "Argument", 5.0),
        ("ordering", "Timeline", 1.0), ("description", "Before you start", 0)]
    assert [q.line for q in bank.questions] == [16, 60, 91, 113, 136, 173, 198, 218, 237]


def test_html_images_in_moodles_file_store_are_inlined_and_shown(bank):
    capital = _by_title(bank, "Capital")
    shown = str(render_markdown(capital.prompt))
    assert f'<img src="data:image/png;base64,{PNG}" alt="A map with one city marked"' in shown
    assert "@@PLUGINFILE@@" not in shown


def test_choices_credit_feedback_and_shuffle(bank):
    capital = _by_title(bank, "Capital")
    assert capital.choices == (ChoiceDraft("Moscow", 1.0, "<p>Yes.</p>"),
                               ChoiceDraft("Beijing & Shanghai", 0.0))
    assert capital.config == {"shuffle": False}
    assert capital.explanation == "<p>Moscow is the capital.</p>"
    members = _by_title(bank, "Members")
    assert [(c.text, c.fraction) for c in members.choices] == [
        ("Russia", 0.5), ("China", 0.5), ("France", -1.0)]
    assert members.config == {}


def test_true_false_short_numeric_matching_essay_ordering(bank):
    assert _by_title(bank, "Alliance").config == {
        "answer": False, "feedback_true": "They call it a partnership.",
        "feedback_false": "Right."}
    # plain_text is shown as typed: its Markdown characters are escaped.
    assert _by_title(bank, "Alliance").prompt == (
        "The authors call the relationship a \\*formal\\* alliance.")
    assert _by_title(bank, "Initiative").config == {
        "answers": [{"text": "Belt and Road", "fraction": 1.0, "feedback": "Exactly."},
                    {"text": "BRI", "fraction": 0.5}], "case_sensitive": True}
    assert _by_title(bank, "Initiative").prompt == "Name the **2013** initiative."
    assert _by_title(bank, "Munich").config == {
        "answers": [{"value": 2007, "tolerance": 0, "fraction": 1.0, "feedback": "Yes, 2007."},
                    {"value": 2006.5, "tolerance": 1.5, "fraction": 0.5}],
        "feedback_other": "Further off than that."}
    assert _by_title(bank, "Systems").config == {
        "pairs": [{"prompt": "S-400", "answer": "Russia"}, {"prompt": "J-20", "answer": "China"}],
        "distractors": ["United States"]}
    assert _by_title(bank, "Argument").config == {"min_words": 50, "max_words": 300}
    assert _by_title(bank, "Timeline").config == {
        "items": ["SCO founded", "Munich speech", "Crimea annexed"]}


def test_cloze_and_other_types_are_refused_per_question_by_line(bank):
    assert [(p.line, p.title) for p in bank.problems] == [(249, "Gaps"), (260, "Formula")]
    assert bank.problems[0].message.startswith("Cloze (embedded answers) questions cannot be "
                                               "imported")
    assert bank.problems[1].message.startswith("Moodle's “calculated” questions cannot be "
                                               "imported")


def test_what_lectio_leaves_out_is_named_in_the_notices(bank):
    messages = [str(n) for n in bank.notices]
    assert messages[0].startswith("The file: Moodle's penalties for each extra try")
    assert any("Category “Sino-Russian relations”" in m for m in messages)
    assert any(m.startswith("Line 136 (question “Munich”): Its units") for m in messages)
    assert any(m.startswith("Line 198 (question “Argument”): Its information for graders")
               for m in messages)


@pytest.mark.parametrize(("data", "message"), [
    (b"<?xml version='1.0'?>\n<quiz>\n<question type='truefalse'>\n</quiz>",
     "This is not well-formed XML (mismatched tag)."),
    (b"<?xml version='1.0'?><!DOCTYPE quiz [<!ENTITY big 'x'>]><quiz>&big;</quiz>",
     "The file declares a document type or entities"),
    (b"<?xml version='1.0'?><lom/>", "This XML file starts with <lom>, not <quiz>"),
    (b"<quiz></quiz>", "The file holds no questions."),
    (b"<quiz>" + b"<a>" * 40 + b"</a>" * 40 + b"</quiz>", "The file nests its elements too"),
])
def test_files_that_are_not_moodle_xml_are_refused_with_a_reason(data, message):
    result = parse_moodle_xml(data)
    assert result.questions == []
    assert result.problems[0].message.startswith(message)


def test_a_billion_laughs_is_refused_before_any_expansion():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b"<quiz>&lol2;</quiz>")
    assert "document type" in parse_moodle_xml(bomb).problems[0].message


def test_bad_marks_and_answers_are_reported_at_their_question():
    data = (b"<quiz>\n<question type='truefalse'><name><text>T</text></name>"
            b"<questiontext format='html'><text>Sky?</text></questiontext>"
            b"<defaultgrade>lots</defaultgrade>"
            b"<answer fraction='100'><text>true</text></answer></question>\n"
            b"<question type='truefalse'><name><text>U</text></name>"
            b"<questiontext format='html'><text>Sea?</text></questiontext>"
            b"<answer fraction='0'><text>true</text></answer></question>\n</quiz>")
    assert [(p.line, p.title, p.message) for p in parse_moodle_xml(data).problems] == [
        (2, "T", "The mark “lots” is not a number."),
        (3, "U", "Neither “true” nor “false” is marked right (fraction 100).")]


def test_a_question_with_too_many_answers_or_pairs_is_refused():
    answers = b"<answer fraction='0'><text>x</text></answer>" * 101
    pairs = b"<subquestion><text>a</text><answer><text>b</text></answer></subquestion>" * 101
    data = (b"<quiz>\n<question type='shortanswer'><name><text>S</text></name>" + answers
            + b"</question>\n<question type='match'><name><text>M</text></name>" + pairs
            + b"</question>\n</quiz>")
    assert [(p.line, p.message) for p in parse_moodle_xml(data).problems] == [
        (2, "This question has more than 100 answers."),
        (3, "This question has more than 100 pairs.")]


def test_too_many_questions_stop_the_reading_with_a_message():
    one = (b"<question type='truefalse'><name><text>T</text></name><questiontext "
           b"format='html'><text>Sky?</text></questiontext><answer fraction='100'><text>true"
           b"</text></answer></question>\n")
    result = parse_moodle_xml(b"<quiz>\n" + one * (MAX_QUESTIONS + 2) + b"</quiz>")
    assert len(result.questions) == MAX_QUESTIONS
    assert result.problems[0].message.startswith("The file holds more than 5,000 questions")


# --- export and round trips ------------------------------------------------------------------


def test_a_moodle_file_read_written_and_read_again_gives_the_same_questions(bank):
    text, left_out = export_moodle_xml(bank.questions, category="Bank")
    assert left_out == []
    again = parse_moodle_xml(text.encode())
    assert again.problems == []
    assert again.questions == bank.questions
    assert "<file name=\"image1.png\" path=\"/\" encoding=\"base64\">" in text
    assert "@@PLUGINFILE@@/image1.png" in text


ROUND_TRIP_GIFT = """// points: 2
::Pick one:: Which? {=Right#Yes. ~%50%Half#Partly. ~Wrong#No.####Because.}

::Pick many:: Which ones? {~%33.33333%A ~%33.33333%B ~%33.33334%D ~%-100%C#Never C.}

::TF:: The sky is green. {F#Look again.#Indeed.}

::Short:: Name the author. {=Kuhrt =%50%Kaczmarski#Co-author.}

::Number:: What year? {#=2007:0#Munich. =%50%2003:5 =2010 ~#Too far.}

::Read first:: [html]<p>The map:</p><img src="data:image/png;base64,PNG" alt="Map">

What is bare? {Moscow}

::Match:: Match them. {=Moscow -> Russia =Beijing -> China = -> Japan}

::Gap:: The treaty of {~1990 =2001} was signed.

// points: 5
::Essay:: [plain]Explain *the* authors' claim. {}
""".replace("PNG", PNG)


def test_lectio_questions_exported_and_imported_again_keep_questions_points_and_keys():
    drafts = parse_gift(ROUND_TRIP_GIFT).questions
    drafts += [QuestionDraft(type="ordering", title="Order", prompt="Order them.",
                             config={"items": ["a", "b", "c"]}, points=1.5),
               QuestionDraft(type="open", prompt="Write.", config={"max_words": 100}),
               QuestionDraft(type="single", prompt="Fixed order?", config={"shuffle": False},
                             choices=(ChoiceDraft("x", 1.0), ChoiceDraft("y", 0.0)))]
    text, left_out = export_moodle_xml(drafts, category="Quiz")
    assert left_out == []
    again = parse_moodle_xml(text.encode())
    assert again.problems == []
    assert again.questions == drafts


def test_export_names_what_it_cannot_hold_in_a_comment():
    drafts = [
        QuestionDraft(type="evidence", title="Find", prompt="Find it.",
                      config={"claim": "x", "key": [1]}),
        QuestionDraft(type="numeric", prompt="Range?",
                      config={"answers": [{"min": 1, "max": 5, "fraction": 1.0}]}),
        QuestionDraft(type="open", prompt="Essay.", config={
            "model_answer": "Two reasons.",
            "anchors": [{"label": "Good", "answer": "Both reasons, in order."}]}),
    ]
    text, left_out = export_moodle_xml(drafts)
    assert [(p.line, p.title) for p in left_out] == [(1, "Find")]
    assert "<!-- Not exported: Line 1 (question “Find”): Moodle has no evidence" in text
    assert "<!-- Question 2: the range 1 to 5 is written as 3 ± 2. -->" in text
    assert "<!-- Question 3: its model answer is written as information for graders" in text
    assert "<!-- Question 3: its anchor answers are not written" in text
    again = parse_moodle_xml(text.encode()).questions
    assert again[0].config == {"answers": [{"value": 3, "tolerance": 2, "fraction": 1.0}]}


def test_a_comment_never_breaks_the_xml():
    text, _ = export_moodle_xml([QuestionDraft(type="evidence", title="a -- b",
                                               prompt="x", config={"claim": "x", "key": [1]})])
    assert "a - - b" in text
    assert parse_moodle_xml(text.encode()).problems[0].message == "The file holds no questions."


def test_size_and_element_bounds_refuse_a_file_before_reading_on(monkeypatch):
    from quizzes.interop import xmlsafe
    from quizzes.interop.moodle_xml import read

    monkeypatch.setattr(read, "MAX_BYTES", 100)
    assert parse_moodle_xml(b" " * 101).problems[0].message.startswith(
        "The file is larger than 0 MB")
    monkeypatch.setattr(read, "MAX_BYTES", 10**6)
    monkeypatch.setattr(xmlsafe, "MAX_ELEMENTS", 50)
    many = b"<quiz>" + b"<question type='description'/>" * 60 + b"</quiz>"
    assert parse_moodle_xml(many).problems[0].message.startswith(
        "The file nests its elements too deeply or has too many")
