"""Imports bound their work by counts, depth and size before building anything, and the
peak memory of refusing the worst files the probe sent is measured (tracemalloc)."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from config.jsoninput import JSONInputError
from courses.models import Annotation, Lesson, Reading
from quizzes.interop import gift, package
from quizzes.interop.package_services import lesson_export

MB = 1024 * 1024


def _peak(function, *args, **kwargs):
    """(result or raised error, peak bytes Python allocated while `function` ran)."""
    tracemalloc.start()
    try:
        try:
            result = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the error is the result here
            result = error
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _deep_package(levels: int) -> bytes:
    return ('{"format": "lectio-lesson", "version": 1, "lesson": {"title": '
            + "[" * levels + "]" * levels + "}}").encode()


def _many_notes(count: int) -> bytes:
    return ('{"format": "lectio-lesson", "version": 1, "annotations": ['
            + ",".join(["{}"] * count) + "]}").encode()


# --- lesson packages, pure -----------------------------------------------------------------

def test_a_package_nested_5000_levels_is_refused_with_a_message_in_little_memory():
    data = _deep_package(5000)
    error, peak = _peak(package.package_loads, data, max_bytes=5 * MB)
    assert isinstance(error, JSONInputError)
    assert "nested more than 20 levels" in str(error)
    assert peak < 2 * MB


def test_a_package_holding_a_million_notes_is_refused_before_it_is_parsed():
    data = _many_notes(1_000_000)
    assert len(data) < 5 * MB  # within the upload limit: the count is what stops it
    error, peak = _peak(package.package_loads, data, max_bytes=5 * MB)
    assert isinstance(error, JSONInputError)
    assert "more than 200,000 JSON objects" in str(error)
    # Parsing would have built a million dicts (over 60 MB); counting allocates nothing.
    assert peak < 1 * MB


def test_a_package_under_the_container_bound_but_over_the_item_counts_is_refused():
    doc = json.loads(_many_notes(20_000))
    problems, peak = _peak(package.package_problems, doc)
    assert problems == ["“annotations” holds 20,000 items; a package holds at most 10,000."]
    assert peak < 2 * MB


def test_a_package_built_in_python_too_deep_is_refused_without_recursing():
    deep: list = []
    for _ in range(50_000):
        deep = [deep]
    doc = {"format": "lectio-lesson", "version": 1, "lesson": {"title": deep}}
    assert package.package_problems(doc) == [
        "The document is nested more than 20 levels deep; a lesson package is not."]


def test_too_many_choices_in_one_question_is_refused():
    doc = {"format": "lectio-lesson", "version": 1,
           "quizzes": [{"questions": [{"choices": [{}] * 101}]}]}
    assert package.package_problems(doc) == [
        "A question holds more than 100 choices, rubric criteria or levels."]


@pytest.mark.django_db
def test_the_seed_lesson_is_well_inside_the_bounds():
    call_command("load_demo", verbosity=0)
    doc = lesson_export(lesson=Lesson.objects.get())
    data = json.dumps(doc).encode()
    assert package.package_loads(data, max_bytes=5 * MB) == json.loads(data)
    assert package.package_problems(doc) == []


# --- lesson packages, through the page and the command --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    (_deep_package(5000), "nested more than 20 levels"),
    (_many_notes(1_000_000), "more than 200,000 JSON objects"),
    (b"\xff\xfe not utf-8", "not UTF-8"),
    (b'{"format": ', "not valid JSON (line 1"),
    (b'{"format": "lectio-lesson", "version": 1e400}', "too large"),
])
def test_the_lesson_import_page_names_the_problem_and_stores_nothing(client, instructor,
                                                                    course, data, message):
    client.force_login(instructor)
    before = (Lesson.objects.count(), Reading.objects.count(), Annotation.objects.count())
    response = client.post(reverse("quizzes:lesson-import", args=[course.slug]),
                           {"file": SimpleUploadedFile("lesson.json", data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Lesson.objects.count(), Reading.objects.count(),
            Annotation.objects.count()) == before


@pytest.mark.django_db
def test_the_import_command_refuses_a_deep_package_with_a_message(tmp_path, course):
    path = tmp_path / "deep.json"
    path.write_bytes(_deep_package(5000))
    with pytest.raises(CommandError, match="nested more than 20 levels"):
        call_command("import_lesson", str(path), course=course.slug)
    assert not Lesson.objects.exists()


# --- GIFT --------------------------------------------------------------------------------

GIFT_5MB = {
    "tiny questions": "Q? {=a ~b}\n\n" * (5 * MB // 12),
    "one question, 400,000 answers": "Q? {" + "~w\n" * (5 * MB // 3 - 10) + "=r}\n",
    "one question of 5 MB text": "Q " + "x" * (5 * MB - 20) + " {T}\n",
    "true/false on every line": "Q? {T}\n\n" * (5 * MB // 9),
    "many answers in a few questions": ("Q? {" + "~w " * 150 + "=r}\n\n") * (5 * MB // 460),
}


@pytest.mark.parametrize("name", list(GIFT_5MB))
def test_a_5_mb_gift_file_is_refused_by_its_counts_in_bounded_memory(name):
    text = GIFT_5MB[name]
    assert 4 * MB < len(text) <= 5 * MB
    result, peak = _peak(gift.parse_gift, text)
    assert not result.questions and result.problems
    assert any(word in result.problems[0].message for word in ("more than", "longer than"))
    # The file itself is 5 MB; refusing it holds at most a small multiple of that.
    assert peak < 12 * MB, f"{peak / MB:.1f} MB"


def test_the_largest_gift_file_within_the_counts_parses_in_bounded_memory():
    # 5,000 questions with nine answers and 800 characters of text each: 4.2 MB.
    text = "".join(f"::Q{i}:: Question {i}: {'word ' * 160} {{=a ~b ~c ~d ~e ~f ~g ~h ~i}}\n\n"
                   for i in range(gift.read.MAX_QUESTIONS))
    result, peak = _peak(gift.parse_gift, text)
    assert len(result.questions) == 5000 and not result.problems
    assert peak < 40 * MB, f"{peak / MB:.1f} MB"


def test_a_question_past_the_answer_bound_is_reported_at_its_line():
    text = "First? {=a ~b}\n\nSecond? {" + "~w " * 101 + "=r}\n"
    result = gift.parse_gift(text)
    assert [q.prompt for q in result.questions] == ["First?"]
    assert result.problems[0].line == 3
    assert "more than 100 answers" in result.problems[0].message


def test_reading_stops_after_the_question_bound(monkeypatch):
    monkeypatch.setattr(gift.read, "MAX_QUESTIONS", 3)
    result = gift.parse_gift("A {T}\n\nB {T}\n\n// a comment\n\nC {T}\n\nD {T}\n\nE {T}\n")
    assert len(result.questions) == 3
    assert result.problems[0].line == 9 and "more than 3 questions" in result.problems[0].message


@pytest.mark.django_db
def test_the_gift_preview_of_a_5_mb_file_answers_with_the_problem(client, instructor, lesson):
    from tests.factories import QuizFactory

    quiz = QuizFactory(lesson=lesson)
    client.force_login(instructor)
    response = client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile("bank.gift", GIFT_5MB["tiny questions"].encode()),
        "format": "gift"}, follow=True)
    assert response.status_code == 200
    assert "Too many lines (more than 200,000)" in response.content.decode()
    assert not quiz.questions.exists()
