"""Instructors import GIFT and Aiken files through a preview, export GIFT, and the commands
do the same from a shell: all or nothing unless the instructor chooses otherwise."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import PendingUpload
from quizzes.interop.services import format_guess
from quizzes.interop.sniff import looks_like
from quizzes.models import Choice, Question
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

GOOD_GIFT = """// A small bank
::Capital:: What is the capital of Russia? {=Moscow ~Beijing#No, that is China's. ~Kyiv}

::Alliance:: The authors call the relationship a formal alliance. {F}

::Year:: In what year did Putin speak at the Munich Security Conference? {#2007}
"""
BROKEN_GIFT = GOOD_GIFT + """
::Open brace:: This question never closes its answers {=yes ~no
"""
AIKEN = """Which initiative did China launch in 2013?
A. The Eurasian Economic Union
B. The Belt and Road Initiative
C. The Greater Eurasian Partnership
ANSWER: B
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def quiz(lesson):
    quiz = QuizFactory(lesson=lesson, title="Bank")
    QuestionFactory(quiz=quiz, position=1, prompt="Already here")
    return quiz


def _upload(client, quiz, name: str, text: str, fmt: str = "auto"):
    return client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile(name, text.encode("utf-8")), "format": fmt,
    })


def _confirm(client, quiz, **extra):
    return client.post(reverse("quizzes:question-import-preview", args=[quiz.pk]),
                       {"action": "confirm", **extra})


def test_gift_upload_previews_then_imports_after_the_existing_questions(client, instructor,
                                                                        quiz):
    client.force_login(instructor)
    response = _upload(client, quiz, "bank.gift", GOOD_GIFT)
    assert response["Location"] == reverse("quizzes:question-import-preview", args=[quiz.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "3 questions read" in preview
    assert "What is the capital of Russia?" in preview and "Moscow" in preview
    assert quiz.questions.count() == 1  # nothing stored before the confirm
    done = _confirm(client, quiz)
    assert done["Location"] == quiz.get_absolute_url()
    questions = list(quiz.questions.order_by("position"))
    assert [(q.position, q.type, q.title) for q in questions] == [
        (1, "short", ""), (2, "single", "Capital"), (3, "truefalse", "Alliance"),
        (4, "numeric", "Year")]
    choices = list(questions[1].choices.order_by("position").values_list("text", "fraction",
                                                                          "feedback"))
    assert [(t, float(f), fb) for t, f, fb in choices] == [
        ("Moscow", 1.0, ""), ("Beijing", 0.0, "No, that is China's."), ("Kyiv", 0.0, "")]
    assert questions[2].config["answer"] is False
    assert questions[3].config["answers"][0]["value"] == 2007


def test_a_file_with_problems_imports_nothing_and_names_the_line(client, instructor, quiz):
    client.force_login(instructor)
    _upload(client, quiz, "bank.gift", BROKEN_GIFT)
    page = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    text = page.content.decode()
    assert "Problems in the file" in text and "Line 8" in text
    refused = _confirm(client, quiz)
    assert refused.status_code == 302
    assert quiz.questions.count() == 1 and Choice.objects.filter(question__quiz=quiz).count() == 0


def test_the_instructor_may_choose_to_import_only_the_valid_questions(client, instructor,
                                                                      quiz):
    client.force_login(instructor)
    _upload(client, quiz, "bank.gift", BROKEN_GIFT)
    _confirm(client, quiz, only_valid="on")
    assert quiz.questions.count() == 4


def test_cancel_stores_nothing_and_the_staged_file_is_gone(client, instructor, quiz, media):
    client.force_login(instructor)
    _upload(client, quiz, "bank.gift", GOOD_GIFT)
    assert PendingUpload.objects.exists()
    client.post(reverse("quizzes:question-import-preview", args=[quiz.pk]),
                {"action": "cancel"})
    assert quiz.questions.count() == 1
    assert not PendingUpload.objects.exists()
    # Confirming afterwards (a second tab, a replayed form) finds nothing to import.
    again = _confirm(client, quiz)
    assert again["Location"] == reverse("quizzes:question-import", args=[quiz.pk])
    assert quiz.questions.count() == 1


def test_aiken_is_recognised_and_imported(client, instructor, quiz):
    client.force_login(instructor)
    _upload(client, quiz, "bank.txt", AIKEN)
    assert "Aiken file" in client.get(
        reverse("quizzes:question-import-preview", args=[quiz.pk])).content.decode()
    _confirm(client, quiz)
    question = quiz.questions.get(position=2)
    assert question.type == "single"
    right = question.choices.get(fraction=1)
    assert right.text == "The Belt and Road Initiative"


def test_format_guess():
    assert format_guess(AIKEN.encode(), "bank.txt") == "aiken"
    assert format_guess(GOOD_GIFT.encode(), "bank.txt") == "gift"
    # What the bytes show wins over the name: GIFT would read Aiken as descriptions.
    assert format_guess(AIKEN.encode(), "bank.gift") == "aiken"
    assert format_guess(b'<?xml version="1.0"?>\n<quiz></quiz>', "bank.txt") == "moodle_xml"
    assert format_guess(b"Some text only", "bank.xml") == "moodle_xml"


@pytest.mark.parametrize(("data", "found"), [
    (b"<b>Which</b> initiative?\nA. One\nB) Two\nANSWER: B\n", "aiken"),
    (b"<p>What is the capital of Russia?</p> {=Moscow ~Kyiv}\n", "gift"),
    (b"<!DOCTYPE html><html><style>a{color:#fff}</style>{=x}</html>", "xml"),
    (b"<html><body>ANSWER: B</body></html>", "xml"),
    (b'<?xml version="1.0"?><bank><q>{=x}</q></bank>', "xml"),
    (b"<p>No question markers at all</p>", "xml"),
])
def test_a_question_that_opens_with_html_keeps_its_format(data, found):
    """GIFT and Aiken questions may start with HTML: the file is not taken for XML (and
    refused) unless it declares itself an XML or HTML document."""
    assert looks_like(data) == found


def test_an_oversized_file_is_refused_with_a_message(client, instructor, quiz, settings):
    settings.LECTIO_IMPORT_MAX_BYTES = 1000
    client.force_login(instructor)
    response = _upload(client, quiz, "big.gift", GOOD_GIFT * 10)
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert quiz.questions.count() == 1


def test_html_in_an_imported_question_is_sanitised(client, instructor, quiz):
    client.force_login(instructor)
    gift = "[html]Pick <b>one</b><script>alert(1)</script><img src=x onerror=alert(2)> " \
           "{=yes ~no}\n"
    _upload(client, quiz, "bank.gift", gift)
    _confirm(client, quiz)
    prompt = quiz.questions.get(position=2).prompt
    assert "<b>one</b>" in prompt
    assert "<script" not in prompt and "onerror" not in prompt


def test_gift_export_downloads_the_quiz_and_names_what_it_left_out(client, instructor, lesson):
    quiz = QuizFactory(lesson=lesson, title="Exported quiz")
    single = QuestionFactory(quiz=quiz, position=1, type="single", config={},
                             prompt="Which is right?")
    ChoiceFactory(question=single, text="This", fraction=1)
    ChoiceFactory(question=single, text="That", fraction=0)
    QuestionFactory(quiz=quiz, position=2, type="ordering", prompt="Put in order",
                    config={"items": ["a", "b", "c"]})
    client.force_login(instructor)
    response = client.get(reverse("quizzes:quiz-export-gift", args=[quiz.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="exported-quiz.gift"'
    text = response.content.decode()
    assert "Which is right?" in text and "=This" in text and "~That" in text
    assert "// Not exported:" in text and "Put in order" not in text


def test_gift_export_says_in_its_header_what_moodle_does_with_points(client, instructor,
                                                                     lesson):
    quiz = QuizFactory(lesson=lesson, title="Points")
    QuestionFactory(quiz=quiz, position=1, type="truefalse", config={"answer": True},
                    prompt="True?", points=3)
    client.force_login(instructor)
    text = client.get(reverse("quizzes:quiz-export-gift", args=[quiz.pk])).content.decode()
    assert "// Points: GIFT has none." in text and "// points: 3\n" in text


def test_the_commands_import_all_or_nothing_and_export(tmp_path, quiz):
    good, broken = tmp_path / "good.gift", tmp_path / "broken.gift"
    good.write_text(GOOD_GIFT, encoding="utf-8")
    broken.write_text(BROKEN_GIFT, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_gift", str(broken), quiz=quiz.pk)
    assert quiz.questions.count() == 1
    call_command("import_gift", str(good), quiz=quiz.pk)
    assert quiz.questions.count() == 4
    call_command("import_gift", str(broken), quiz=quiz.pk, only_valid=True)
    assert quiz.questions.count() == 7
    aiken = tmp_path / "bank.txt"
    aiken.write_text(AIKEN, encoding="utf-8")
    call_command("import_aiken", str(aiken), quiz=quiz.pk)
    assert quiz.questions.count() == 8
    out = tmp_path / "out.gift"
    call_command("export_gift", quiz=quiz.pk, output=str(out))
    assert "What is the capital of Russia?" in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="no quiz with id"):
        call_command("import_gift", str(good), quiz=999_999)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gift", str(tmp_path / "missing.gift"), quiz=quiz.pk)
    assert Question.objects.filter(quiz=quiz).count() == 8


def test_a_stored_quiz_exported_and_imported_again_has_the_same_questions(lesson):
    """Through the database: every type GIFT expresses, with titles, points, feedback."""
    from quizzes.interop import gift
    from quizzes.interop.services import questions_import, quiz_drafts

    source = QuizFactory(lesson=lesson, title="Source")
    text = """// points: 2
::Pick one:: Which? {=Right#Yes. ~%50%Half#Partly. ~Wrong#No.####Because.}

::Pick many:: Which ones? {~%50%A ~%50%B ~%-100%C#Never C.}

::TF:: The sky is green. {F#Look again.#Indeed.}

::Short:: Name the author. {=Kuhrt =%50%Kaczmarski#Co-author.}

::Number:: What year? {#=2007:0#Munich. =%50%2000..2010 ~#Too far.}

::Read first:: [html]<p>The map:</p><img src="https://example.org/m.png" alt="Map">

::Bare:: Capital of Russia? {Moscow}

::Match:: Match them. {=Moscow -> Russia =Beijing -> China = -> Japan}

::Gap:: The treaty of {~1990 =2001} was signed.

// points: 5
::Essay:: Explain the authors' claim. {}
"""
    parsed = gift.parse_gift(text)
    assert parsed.problems == []
    questions_import(quiz=source, drafts=parsed.questions)
    stored = quiz_drafts(source)
    assert stored == parsed.questions
    exported, problems = gift.export_gift(stored)
    assert problems == []
    copy = QuizFactory(lesson=lesson, title="Copy")
    questions_import(quiz=copy, drafts=gift.parse_gift(exported).questions)
    assert quiz_drafts(copy) == stored
    assert [q.type for q in copy.questions.order_by("position")] == [
        "single", "multiple", "truefalse", "short", "numeric", "description", "short",
        "matching", "single", "open"]


DESCRIPTION_GIFT = """::Map:: [html]<p>Read the map before you answer.</p>
<img src="https://example.org/map.png" alt="A map of Central Asia">

::Capital:: What is the capital of Kazakhstan? {=Astana ~Almaty}
"""


def test_a_gift_description_is_shown_in_the_quiz_but_asks_and_counts_nothing(
        client, instructor, student, lesson):
    quiz = QuizFactory(lesson=lesson, title="Map quiz")
    client.force_login(instructor)
    _upload(client, quiz, "map.gift", DESCRIPTION_GIFT)
    preview = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    assert "Description (text only)" in preview.content.decode()
    _confirm(client, quiz)
    description, capital = quiz.questions.order_by("position")
    assert (description.type, float(description.points)) == ("description", 0.0)

    client.force_login(student)
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    attempt = quiz.attempts.get(user=student)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert '<img src="https://example.org/map.png" alt="A map of Central Asia">' in page
    assert "Question 1 " in page and "Question 2" not in page  # the description has no number
    confirm = client.get(reverse("quizzes:attempt-submit", args=[attempt.pk])).content.decode()
    assert "1 of 1 question unanswered" in confirm
    right = capital.choices.get(text="Astana")
    client.post(reverse("quizzes:response-save", args=[attempt.pk]),
                {"question": capital.pk, "answer": str(right.pk), "version": 1},
                content_type="application/json")
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert (float(attempt.score), float(attempt.max_score)) == (1.0, 1.0)
    result = client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()
    assert "Read the map before you answer." in result
    assert "Not_applicable" not in result and "Question 2" not in result


def test_preview_lists_what_is_worth_knowing_without_blocking_the_import(client, instructor,
                                                                         quiz):
    client.force_login(instructor)
    _upload(client, quiz, "two.gift", "::Two:: Pick {=a ~b} and {=c ~d}\n")
    preview = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    text = preview.content.decode()
    assert "Worth knowing before you import" in text
    assert "uses the first and keeps the others as text" in text
    _confirm(client, quiz)
    assert quiz.questions.filter(title="Two", type="single").exists()


MOODLE_XML = (Path(__file__).parent / "files" / "moodle_bank.xml").read_bytes()


def test_a_moodle_xml_file_goes_through_the_same_preview_and_imports_on_confirm(
        client, instructor, quiz):
    client.force_login(instructor)
    client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile("bank.xml", MOODLE_XML), "format": "auto"})
    preview = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    text = preview.content.decode()
    assert "Moodle XML file · 9 questions read · 2 problems" in text
    assert "Cloze (embedded answers) questions cannot be imported" in text
    assert "Category “Sino-Russian relations”" in text
    assert quiz.questions.count() == 1
    _confirm(client, quiz)
    assert quiz.questions.count() == 1  # problems: nothing unless the valid ones are chosen
    _confirm(client, quiz, only_valid="on")
    assert quiz.questions.count() == 10
    capital = quiz.questions.get(title="Capital")
    assert float(capital.points) == 2.0 and "data:image/png;base64," in capital.prompt


def test_moodle_xml_export_downloads_the_quiz_in_a_category_named_after_it(client, instructor,
                                                                          lesson):
    quiz = QuizFactory(lesson=lesson, title="Exported quiz")
    single = QuestionFactory(quiz=quiz, position=1, type="single", config={},
                             prompt="Which is right?", points=3)
    ChoiceFactory(question=single, text="This", fraction=1)
    ChoiceFactory(question=single, text="That", fraction=0)
    QuestionFactory(quiz=quiz, position=2, type="evidence", prompt="Find it",
                    config={"claim": "x", "key": [1]})
    client.force_login(instructor)
    response = client.get(reverse("quizzes:quiz-export-moodle-xml", args=[quiz.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="exported-quiz.moodle.xml"')
    text = response.content.decode()
    assert "<text>$course$/top/Exported quiz</text>" in text
    assert "<defaultgrade>3</defaultgrade>" in text
    assert "<!-- Not exported: Line 2" in text and "Find it" not in text


@pytest.mark.parametrize(("name", "data", "chosen", "named"), [
    ("bank.gift", MOODLE_XML, "gift",
     "This looks like Moodle XML, not Moodle GIFT: choose “Moodle XML”"),
    ("bank.txt", GOOD_GIFT.encode(), "aiken", "This looks like Moodle GIFT, not Aiken"),
    ("bank.txt", AIKEN.encode(), "gift", "This looks like Aiken, not Moodle GIFT"),
    ("bank.xml", GOOD_GIFT.encode(), "moodle_xml", "This looks like Moodle GIFT, not "
                                                   "Moodle XML"),
    ("bank.zip", b"PK\x03\x04rest", "moodle_xml", "This looks like a QTI package"),
    ("bank.xml", MOODLE_XML, "qti", "This looks like Moodle XML, not QTI 1.2"),
])
def test_a_file_of_another_format_is_refused_by_that_formats_name(client, instructor, quiz,
                                                                  name, data, chosen, named):
    client.force_login(instructor)
    client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile(name, data), "format": chosen})
    text = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk])).content
    assert named in text.decode()


def test_a_quiz_exported_as_qti_imports_again_through_the_preview(client, instructor, lesson):
    from quizzes.interop import gift
    from quizzes.interop.services import questions_import

    source = QuizFactory(lesson=lesson, title="To Canvas")
    questions_import(quiz=source, drafts=gift.parse_gift(
        "// points: 3\n::Cap:: Capital? {=Moscow ~Kyiv#No.}\n\n::Y:: Year? {#2007}\n").questions)
    client.force_login(instructor)
    response = client.get(reverse("quizzes:quiz-export-qti", args=[source.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="to-canvas.qti.zip"'
    target = QuizFactory(lesson=lesson, title="From Canvas")
    client.post(reverse("quizzes:question-import", args=[target.pk]), {
        "file": SimpleUploadedFile("quiz.zip", response.content), "format": "auto"})
    preview = client.get(reverse("quizzes:question-import-preview", args=[target.pk]))
    assert "QTI 1.2 (Canvas, Blackboard, D2L) file · 2 questions read" in (
        preview.content.decode())
    _confirm(client, target)
    assert [(q.type, q.title, float(q.points)) for q in target.questions.order_by("position")] == [
        ("single", "Cap", 3.0), ("numeric", "Y", 1.0)]


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("name", ["quizzes:quiz-export-moodle-xml", "quizzes:quiz-export-qti",
                                  "quizzes:quiz-export-gift"])
def test_exports_run_the_same_queries_for_any_number_of_questions(
        client, instructor, lesson, count, name, django_assert_max_num_queries):
    quiz = QuizFactory(lesson=lesson)
    for n in range(count):
        single = QuestionFactory(quiz=quiz, position=n, type="single", config={})
        ChoiceFactory(question=single, text=f"Right {n}", fraction=1)
        ChoiceFactory(question=single, text=f"Wrong {n}", fraction=0)
    client.force_login(instructor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse(name, args=[quiz.pk]))
    assert response.status_code == 200
    content = response.content
    if name.endswith("qti"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = archive.read(f"lectio_quiz_{quiz.pk}/lectio_quiz_{quiz.pk}.xml")
    assert f"Right {count - 1}".encode() in content


def test_the_commands_move_moodle_xml_and_qti_in_and_out(tmp_path, quiz):
    bank = tmp_path / "bank.xml"
    bank.write_bytes(MOODLE_XML)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_moodle_xml", str(bank), quiz=quiz.pk)
    call_command("import_moodle_xml", str(bank), quiz=quiz.pk, only_valid=True)
    assert quiz.questions.count() == 10
    xml, package = tmp_path / "out.xml", tmp_path / "out.zip"
    call_command("export_moodle_xml", quiz=quiz.pk, output=str(xml))
    call_command("export_qti", quiz=quiz.pk, output=str(package))
    assert "<text>Capital</text>" in xml.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="give -o PATH"):
        call_command("export_qti", quiz=quiz.pk)
    copy = QuizFactory(lesson=quiz.lesson)
    call_command("import_qti", str(package), quiz=copy.pk)
    # QTI has no ordering questions: the export leaves the one out.
    assert copy.questions.count() == 9


def _canonical(draft, lost: bool = False):
    """A draft with settings that mean their default written out as the default (absent),
    and, with `lost`, without what Moodle XML cannot hold (model and anchor answers)."""
    from dataclasses import replace

    config = {k: v for k, v in draft.config.items()
              if not (k == "case_sensitive" and v is False) and not (k == "shuffle" and v)
              and not (lost and k in ("model_answer", "anchors"))}
    return replace(draft, config=config)


def test_the_seed_quizzes_survive_moodle_xml_and_qti(db):
    """Real questions (the seed lesson's): Moodle XML gives back every question it writes
    exactly; QTI gives back the same types, points and keys."""
    from django.conf import settings as django_settings
    from django.utils.module_loading import import_string

    from quizzes.interop import moodle_xml, qti
    from quizzes.interop.services import quiz_drafts
    from quizzes.models import Quiz

    for dotted in django_settings.LECTIO_DEMO_LOADERS:
        import_string(dotted)()
    for quiz in Quiz.objects.filter(lesson__course__slug="demo"):
        drafts = quiz_drafts(quiz)
        text, left_out = moodle_xml.export_moodle_xml(drafts, category=quiz.title)
        kept = [d for n, d in enumerate(drafts, start=1) if n not in {p.line for p in left_out}]
        assert {d.type for d in drafts} - {d.type for d in kept} <= {"evidence", "twopart"}
        again = moodle_xml.parse_moodle_xml(text.encode())
        assert again.problems == []
        # What Moodle has no place for (named in the file) is left out of the comparison.
        assert [_canonical(d, lost=True) for d in again.questions] == [
            _canonical(d, lost=True) for d in kept]
        assert [_canonical(d) for d in again.questions if d.type != "open"] == [
            _canonical(d) for d in kept if d.type != "open"]
        data, skipped = qti.export_qti(drafts, title=quiz.title)
        back = qti.parse_qti(data)
        assert back.problems == []
        written = [d for n, d in enumerate(drafts, start=1) if n not in {p.line for p in skipped}]
        assert [(d.type, d.points, [c.fraction for c in d.choices]) for d in back.questions] == [
            (d.type, d.points, [c.fraction for c in d.choices]) for d in written]


def test_item_analysis_leaves_descriptions_out(client, instructor, lesson):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz, position=1, type="description", config={}, points=0,
                    prompt="ZQX-description")
    QuestionFactory(quiz=quiz, position=2, prompt="ZQX-question")
    client.force_login(instructor)
    page = client.get(reverse("quizzes:item-analysis", args=[quiz.pk])).content.decode()
    assert "<td>Short answer</td>" in page and "Description (text only)" not in page


def test_a_gift_file_past_its_readers_bound_is_refused_in_the_preview(client, instructor, quiz):
    client.force_login(instructor)
    _upload(client, quiz, "big.gift", GOOD_GIFT + "// " + "x" * (6 * 1024 * 1024) + "\n")
    preview = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    assert "The file is larger than 5 MB (it is 6.0 MB)" in preview.content.decode()
    assert quiz.questions.count() == 1
