"""Lesson packages: lesson_export / lesson_import, their checks, and the two commands."""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.demo import DEMO_COURSE_SLUG
from courses.models import Annotation, Lesson, Passage, Reading
from quizzes import grading
from quizzes.interop import package_services
from quizzes.interop.package import PACKAGE_FORMAT, PACKAGE_VERSION, package_problems
from quizzes.interop.package_services import lesson_export, lesson_import
from quizzes.models import Choice, Question, Quiz, Rubric, RubricCriterion, RubricLevel
from quizzes.taking.services import question_spec
from tests.factories import (
    AnnotationFactory,
    ChoiceFactory,
    CourseFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
)

pytestmark = pytest.mark.django_db

MODELS = (Reading, Passage, Annotation, Lesson, Quiz, Question, Choice, Rubric, RubricCriterion,
          RubricLevel, Question.cites.through)
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _without_time(doc: dict) -> dict:
    return {key: value for key, value in doc.items() if key != "exported_at"}


def _keys(value) -> set[str]:
    """Every key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


@pytest.fixture
def seed_lesson(db):
    for dotted in django_settings.LECTIO_DEMO_LOADERS:
        import_string(dotted)()
    return Lesson.objects.get(course__slug=DEMO_COURSE_SLUG)


@pytest.fixture
def full_lesson(lesson):
    """The conftest lesson (three passages “Passage n: the fox runs.”) with notes of every
    audience, a note awaiting review, dated quiz settings and questions citing passages."""
    reading = lesson.reading
    Reading.objects.filter(pk=reading.pk).update(
        published_on=date(2021, 2, 1), source="The Fox Times", source_url="https://example.com/fox",
        licence="CC BY 4.0", readability_grade=7.5, author_notes=["Ann writes about foxes."],
        date_note="1 February 2021", copy_note="Scraped: the links were lost.")
    first, second, _ = reading.passages.order_by("order")
    AnnotationFactory(passage=first, quote="fox", kind="glossary", audience="instructors")
    AnnotationFactory(passage=second, quote="runs", kind="commentary", title="", depth="deeper")
    # The passage changed after this note was written: its quote is no longer there.
    Annotation.objects.create(lesson=lesson, passage=second, kind="context", body="Old note.",
                              quote="walks", start=16, end=21, needs_review=True)
    Lesson.objects.filter(pk=lesson.pk).update(
        summary="About a fox.", available_from=datetime(2025, 1, 6, 8, tzinfo=UTC),
        before_reading="What do foxes eat?", discussion=["Is the fox *fast*?", "Why run?"])
    quiz = QuizFactory(lesson=lesson, title="Fox quiz", instructions="Read *first*.",
                       opens_at=datetime(2025, 1, 6, 9, tzinfo=UTC),
                       closes_at=datetime(2025, 1, 20, 17, 30, tzinfo=UTC),
                       time_limit_minutes=20, attempts_allowed=2, grading_method="latest",
                       review_when="after_close", pass_mark=70, is_published=False)
    short = QuestionFactory(quiz=quiz, position=1, title="Animal", explanation="A **fox**.")
    short.cites.set([first])
    single = QuestionFactory(quiz=quiz, position=2, type="single", config={"shuffle": False},
                             points=Decimal("1.5"), prompt="Which?")
    ChoiceFactory(question=single, text="Fox", fraction=1, feedback="Yes.")
    ChoiceFactory(question=single, text="Dog", fraction=Decimal("0.25"))
    evidence = QuestionFactory(quiz=quiz, position=3, type="evidence", prompt="Pick.",
                               config={"claim": "The fox runs.", "key": [2], "max_picks": 2,
                                       "passages": [1, 2, 3]})
    evidence.cites.set([second, first])
    essay = QuestionFactory(quiz=quiz, position=4, type="open", prompt="Discuss.", config={
        "min_words": 10, "model_answer": "It runs."})
    rubric = Rubric.objects.create(question=essay, title="Essay")
    for position, name in enumerate(["Ideas", "Style"], start=1):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=position, name=name)
        for rank, label in enumerate(["Weak", "Strong"], start=1):
            RubricLevel.objects.create(criterion=criterion, position=rank, label=label,
                                       points=Decimal(rank) / 2, description=f"{label} {name}")
    lesson.refresh_from_db()
    return lesson


@pytest.fixture
def doc(full_lesson):
    return lesson_export(lesson=full_lesson, now=NOW)


# --- export ------------------------------------------------------------------------------------


def test_export_holds_the_lesson_reading_and_quizzes_without_ids(full_lesson, doc):
    assert list(doc) == ["format", "version", "exported_at", "lesson", "reading", "passages",
                         "annotations", "quizzes"]
    assert (doc["format"], doc["version"], doc["exported_at"]) == (
        PACKAGE_FORMAT, PACKAGE_VERSION, "2025-03-01T12:00:00+00:00")
    assert doc["lesson"] == {"title": "The Fox", "slug": "the-fox", "summary": "About a fox.",
                             "objectives": ["Understand the text."],
                             "available_from": "2025-01-06T08:00:00+00:00",
                             "before_reading": "What do foxes eat?",
                             "discussion": ["Is the fox *fast*?", "Why run?"]}
    assert doc["passages"][0] == {"order": 1, "kind": "paragraph",
                                  "text": "Passage 1: the fox runs."}
    assert doc["reading"] == {
        "title": "The Fox", "dek": "A story about a fox.", "section": "",
        "authors": ["Ann Author"], "author_notes": ["Ann writes about foxes."],
        "source": "The Fox Times", "source_url": "https://example.com/fox",
        "published_on": "2021-02-01", "date_note": "1 February 2021", "licence": "CC BY 4.0",
        "copy_note": "Scraped: the links were lost.",
        "content_hash": full_lesson.reading.content_hash, "word_count": 100,
        "reading_minutes": 1, "readability_grade": 7.5}
    assert not {"id", "pk", "course", "original_file", "author", "created_by",
                "previous_version", "grades_released_at"} & _keys(doc)
    json.dumps(doc)  # serialisable as it is


def test_export_refers_to_passages_by_order(doc):
    assert [(a["passage"], a["quote"], a["audience"], a["depth"], a["needs_review"])
            for a in doc["annotations"]] == [
        (1, "fox", "instructors", "core", False), (2, "walks", "everyone", "core", True),
        (2, "runs", "everyone", "deeper", False)]
    questions = doc["quizzes"][0]["questions"]
    assert [q["cites"] for q in questions] == [[1], [], [1, 2], []]
    assert questions[2]["config"]["key"] == [2]


def test_export_writes_numbers_choices_and_rubrics_plainly(doc):
    quiz = doc["quizzes"][0]
    assert (quiz["opens_at"], quiz["pass_mark"], quiz["is_published"]) == (
        "2025-01-06T09:00:00+00:00", 70, False)
    single = quiz["questions"][1]
    assert single["points"] == 1.5
    assert single["choices"] == [{"text": "Fox", "fraction": 1, "feedback": "Yes."},
                                 {"text": "Dog", "fraction": 0.25, "feedback": ""}]
    assert quiz["questions"][3]["rubric"] == {"title": "Essay", "criteria": [
        {"name": name, "description": "", "levels": [
            {"label": "Weak", "points": 0.5, "description": f"Weak {name}"},
            {"label": "Strong", "points": 1, "description": f"Strong {name}"}]}
        for name in ("Ideas", "Style")]}
    assert quiz["questions"][0]["rubric"] is None


def test_export_reads_in_the_same_number_of_queries_whatever_the_size(
        full_lesson, django_assert_num_queries):
    with django_assert_num_queries(9):
        lesson_export(lesson=full_lesson)
    for n in range(3):
        quiz = QuizFactory(lesson=full_lesson)
        for _ in range(4):
            question = QuestionFactory(quiz=quiz, type="single", config={})
            ChoiceFactory(question=question, fraction=1)
            question.cites.set(full_lesson.reading.passages.all()[: n + 1])
    with django_assert_num_queries(9):
        lesson_export(lesson=full_lesson)


# --- round trips -------------------------------------------------------------------------------


def test_seed_lesson_survives_export_import_export(seed_lesson, other_course):
    first = lesson_export(lesson=seed_lesson)
    types = {q["type"] for quiz in first["quizzes"] for q in quiz["questions"]}
    # The seed lesson asks a question of every type that asks something.
    assert types == {key for key, t in grading.TYPES.items() if t.scored}
    assert any(q["rubric"] for quiz in first["quizzes"] for q in quiz["questions"])

    copy_ = lesson_import(doc=json.loads(json.dumps(first)), course=other_course)

    assert _without_time(lesson_export(lesson=copy_)) == _without_time(first)
    assert copy_.course == other_course and copy_.reading_id != seed_lesson.reading_id
    assert not copy_.is_published
    for question in Question.objects.filter(quiz__lesson=copy_):
        assert grading.check_config(question_spec(question)) == []


def test_every_field_survives_a_round_trip(full_lesson, doc, other_course):
    copy_ = lesson_import(doc=copy.deepcopy(doc), course=other_course)
    assert _without_time(lesson_export(lesson=copy_)) == _without_time(doc)
    stale = Annotation.objects.get(passage__reading=copy_.reading, needs_review=True)
    assert (stale.quote, stale.start, stale.end) == ("walks", 16, 21)


def test_import_makes_a_new_reading_even_for_the_same_text(full_lesson, doc, other_course):
    copy_ = lesson_import(doc=doc, course=other_course)
    assert copy_.reading.content_hash == full_lesson.reading.content_hash
    assert Reading.objects.count() == 2
    assert Annotation.objects.filter(passage__reading=copy_.reading).count() == 3


def test_import_into_the_same_course_takes_the_next_free_slug(full_lesson, doc):
    second = lesson_import(doc=doc, course=full_lesson.course)
    third = lesson_import(doc=doc, course=full_lesson.course)
    assert [second.slug, third.slug] == ["the-fox-2", "the-fox-3"]
    assert [second.position, third.position] == [2, 3]


def test_import_credits_the_importing_user(doc, other_course, instructor):
    copy_ = lesson_import(doc=doc, course=other_course, user=instructor)
    assert copy_.reading.created_by == instructor
    assert {a.author for a in Annotation.objects.filter(passage__reading=copy_.reading)} == {
        instructor}


def test_a_slug_at_full_length_still_gets_its_suffix(doc, other_course):
    doc["lesson"]["slug"] = "s" * 80
    lesson_import(doc=doc, course=other_course)
    assert lesson_import(doc=doc, course=other_course).slug == "s" * 78 + "-2"


def test_a_hand_written_package_needs_only_the_required_fields(other_course):
    text = "The fox runs far."
    minimal = {
        "format": PACKAGE_FORMAT, "version": 1,
        "lesson": {"title": "Foxes", "slug": "foxes"},
        "reading": {"title": "Foxes"},
        "passages": [{"order": 1, "text": text}],
        "quizzes": [{"kind": "comprehension", "title": "Q", "questions": [
            {"type": "truefalse", "prompt": "Foxes run.", "config": {"answer": True}}]}],
    }
    lesson = lesson_import(doc=minimal, course=other_course)
    assert lesson.reading.word_count == 4 and lesson.reading.reading_minutes == 1
    assert len(lesson.reading.content_hash) == 64
    question = Question.objects.get(quiz__lesson=lesson)
    assert (question.points, question.position) == (Decimal("1"), 1)


# --- invalid documents -------------------------------------------------------------------------


def _put(doc: dict, where: tuple, value) -> None:
    """Set (or with _DELETE remove) the value at `where`, a path of keys and indexes."""
    *parents, last = where
    target = doc
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value


def _set(path: str, value):
    """A change to a document: `path` is dotted, as in "quizzes.0.title"."""
    where = tuple(int(key) if key.isdigit() else key for key in path.split("."))
    return lambda doc: _put(doc, where, value)


_DELETE = object()
BAD = [
    (_set("format", "moodle-backup"),
     "This is not a Lectio lesson package: its “format” is not “lectio-lesson”."),
    (_set("version", 2), "This package is format version 2, written by a newer Lectio; this "
                         "site reads version 1. Update Lectio to import it."),
    (_set("lesson.title", _DELETE), "lesson: “title” is missing."),
    (_set("quizzes.0.colour", "red"), "quizzes[0]: unknown field “colour”."),
    (_set("quizzes.0.questions.0.config", {"answers": []}),
     "quizzes[0].questions[0]: Give at least one accepted answer."),
    (_set("quizzes.0.questions.0.cites", [1, 99]),
     "quizzes[0].questions[0].cites: there is no passage 99; the reading has passages 1 to 3."),
    (_set("quizzes.0.questions.2.config.key", [7]),
     "quizzes[0].questions[2].config.key: there is no passage 7; the reading has passages 1 "
     "to 3."),
    (_set("annotations.0.start", 0),
     "annotations[0]: “end” must be “start” plus the length of the quote (0 + 3 = 3)."),
    (_set("annotations.0.quote", "dog"),
     "annotations[0]: the quote is not at characters 15 to 18 of passage 1."),
    (_set("annotations.2.passage", 9),
     "annotations[2].passage: there is no passage 9; the reading has passages 1 to 3."),
    (_set("passages.2.order", 4), "passages: the passages must be numbered 1, 2, 3, ... in order."),
    (_set("quizzes.0.kind", "quick"), "quizzes[0].kind: Value 'quick' is not a valid choice."),
    (_set("quizzes.0.questions.1.points", 1.125),
     "quizzes[0].questions[1].points: Ensure that there are no more than 2 decimal places."),
    (_set("quizzes.0.opens_at", "2025-01-06T09:00:00"),
     "quizzes[0].opens_at: must be a time with its time zone such as "
     "2025-01-31T09:00:00+00:00, or null."),
    (_set("quizzes.0.closes_at", "2025-01-01T00:00:00+00:00"),
     "quizzes[0].closes_at: must be later than “opens_at”."),
    (_set("quizzes.0.pass_mark", 120),
     "quizzes[0].pass_mark: must be a whole number from 0 to 100."),
    (_set("quizzes.0.questions.3.rubric.criteria.1.levels.0.points", -1),
     "quizzes[0].questions[3].rubric.criteria[1].levels[0].points: must be 0 or more."),
    (_set("reading.source_url", "not a url"), "reading.source_url: Enter a valid URL."),
    (_set("lesson.slug", "two words"), "lesson.slug: Enter a valid “slug” consisting of "
                                       "letters, numbers, underscores or hyphens."),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_an_invalid_package_says_why_and_stores_nothing(doc, other_course, change, message):
    change(doc)
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        lesson_import(doc=doc, course=other_course)
    assert message in raised.value.messages
    assert _counts() == before


def test_every_problem_is_listed_at_once(doc, other_course):
    for change, _ in BAD[2:8]:
        change(doc)
    with pytest.raises(ValidationError) as raised:
        lesson_import(doc=doc, course=other_course)
    assert set(raised.value.messages) >= {message for _, message in BAD[2:8]}


def test_text_no_database_can_hold_is_refused_before_anything_else():
    doc = copy.deepcopy(SMALL)
    doc["quizzes"][0]["questions"][0]["config"]["claim"] = "a\x00b"
    doc["lesson"]["title\ud800"] = "x"
    assert package_problems(doc) == [
        f"{where}: holds a NUL character or a lone surrogate, which cannot be stored."
        for where in ("lesson", "quizzes[0].questions[0].config.claim")]


def test_a_document_that_is_not_an_object_is_refused():
    assert package_problems(["lesson"]) == ["The document must be a JSON object ({...})."]


def test_checks_that_fail_on_shape_do_not_go_on_to_grading_checks(doc):
    doc["quizzes"][0]["questions"][1]["choices"][0] = "Fox"
    assert package_problems(doc) == [
        "quizzes[0].questions[1].choices[0]: must be an object ({...})."]


SMALL = {
    "format": PACKAGE_FORMAT, "version": 1, "exported_at": "2025-01-01T00:00:00+00:00",
    "lesson": {"title": "T", "slug": "t", "objectives": ["a"], "available_from": None},
    "reading": {"title": "R", "published_on": "2021-01-01", "authors": ["A"]},
    "passages": [{"order": 1, "kind": "paragraph", "text": "The fox runs."},
                 {"order": 2, "kind": "quote", "text": "It runs far."}],
    "annotations": [{"passage": 1, "kind": "glossary", "body": "b", "quote": "fox", "start": 4,
                     "end": 7}],
    "quizzes": [{"kind": "comprehension", "title": "Q", "pass_mark": 50,
                 "opens_at": "2025-01-01T00:00:00+00:00",
                 "closes_at": "2025-01-02T00:00:00+00:00", "questions": [
        {"type": "evidence", "prompt": "p", "points": 2, "cites": [1],
         "config": {"claim": "c", "key": [1], "passages": [1, 2]}},
        {"type": "twopart", "prompt": "p", "config": {"part_b": {"prompt": "b", "key": [2]}},
         "choices": [{"text": "a", "fraction": 1}, {"text": "b", "fraction": 0}]},
        {"type": "open", "prompt": "p", "rubric": {"title": "r", "criteria": [
            {"name": "n", "levels": [{"label": "l", "points": 1}]}]}},
    ]}],
}


def _places(value, where=()):
    """The path of every value inside a JSON value."""
    yield where
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, item in items:
        yield from _places(item, (*where, key))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**12) | st.floats() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=5)


def test_the_small_package_is_valid():
    assert package_problems(SMALL) == []


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(list(_places(SMALL))[1:]), _JSON), max_size=2))
def test_any_package_is_imported_whole_or_refused_with_reasons(other_course, changes):
    doc = copy.deepcopy(SMALL)
    for where, value in changes:
        with contextlib.suppress(LookupError, TypeError):  # an earlier change moved it
            _put(doc, where, value)
    before = _counts()
    try:
        lesson = lesson_import(doc=doc, course=other_course)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) for m in error.messages)
        assert _counts() == before
    else:
        assert lesson.reading.passages.count() == len(doc["passages"])


def test_a_failure_while_writing_leaves_nothing_behind(doc, other_course, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(package_services, "_quizzes_create", fail)
    before = _counts()
    with pytest.raises(RuntimeError):
        lesson_import(doc=doc, course=other_course)
    assert _counts() == before


# --- commands ----------------------------------------------------------------------------------


def test_export_command_writes_json_to_standard_output(full_lesson):
    out = StringIO()
    call_command("export_lesson", "the-fox", stdout=out)
    assert _without_time(json.loads(out.getvalue())) == _without_time(
        lesson_export(lesson=full_lesson))


def test_export_then_import_commands_copy_a_lesson(full_lesson, other_course, tmp_path):
    path = tmp_path / "fox.json"
    out = StringIO()
    call_command("export_lesson", "the-fox", "--course", "politics", "-o", str(path), stdout=out)
    assert out.getvalue() == f"Wrote “The Fox” from “Politics 101” to {path}.\n"
    out = StringIO()
    call_command("import_lesson", str(path), "--course", "chemistry", stdout=out)
    reading = Reading.objects.latest("pk")
    assert out.getvalue().splitlines() == [
        "Created lesson “The Fox” (the-fox, unpublished) in “Chemistry”.",
        f"Created reading “The Fox” (reading {reading.pk}) with 3 passages and 3 annotations.",
        "Created quiz “Fox quiz” with 4 questions.",
    ]


def test_export_command_needs_a_course_when_the_slug_is_ambiguous(full_lesson):
    LessonFactory(course=CourseFactory(slug="zoology"), slug="the-fox")
    with pytest.raises(CommandError, match=r"Several courses .* \(politics, zoology\)"):
        call_command("export_lesson", "the-fox")
    call_command("export_lesson", "the-fox", "--course", "zoology", stdout=StringIO())


def test_export_command_refuses_an_unknown_lesson(full_lesson):
    with pytest.raises(CommandError, match="No lesson with the slug “nope” in the course"):
        call_command("export_lesson", "nope", "--course", "politics")


def test_import_command_refuses_a_file_that_is_not_json(tmp_path, other_course, full_lesson):
    path = tmp_path / "lesson.json"
    path.write_text("{'format': 'lectio-lesson'}")
    before = _counts()
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column 2: Expecting "
                                           r"property name enclosed in double quotes\)"):
        call_command("import_lesson", str(path), "--course", "chemistry")
    assert _counts() == before


def test_import_command_lists_the_problems_and_stores_nothing(doc, tmp_path, other_course):
    doc["quizzes"][0]["kind"] = "quick"
    doc["quizzes"][0]["grading_method"] = "best"
    path = tmp_path / "lesson.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_lesson", str(path), "--course", "chemistry")
    assert str(raised.value) == (f"Nothing was imported from {path}:\n"
                                 "- quizzes[0].kind: Value 'quick' is not a valid choice.\n"
                                 "- quizzes[0].grading_method: Value 'best' is not a valid "
                                 "choice.")
    assert _counts() == before


def test_import_command_refuses_an_unknown_course_or_missing_file(tmp_path, other_course):
    with pytest.raises(CommandError, match="No course with the slug “history”"):
        call_command("import_lesson", str(tmp_path / "x.json"), "--course", "history")
    with pytest.raises(CommandError, match="Cannot read .*x.json: No such file or directory"):
        call_command("import_lesson", str(tmp_path / "x.json"), "--course", "chemistry")


def test_import_command_exits_non_zero_on_bad_input(tmp_path, other_course, capsys):
    path = tmp_path / "lesson.json"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_lesson", str(path), "--course",
                           "chemistry"]).execute()
    assert exited.value.code == 1
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_an_export_holds_only_this_lessons_notes_and_an_import_gives_them_to_the_new_lesson(
        lesson, other_course):
    from tests.factories import CourseFactory, LessonFactory

    passage = lesson.reading.passages.get(order=1)
    AnnotationFactory(lesson=lesson, passage=passage, quote="fox", body="ZQX-ours")
    theirs = LessonFactory(course=other_course, reading=lesson.reading, slug="theirs")
    AnnotationFactory(lesson=theirs, passage=passage, quote="runs", body="ZQX-theirs",
                      audience="instructors")
    doc = lesson_export(lesson=lesson)
    assert [n["body"] for n in doc["annotations"]] == ["ZQX-ours"]
    copy_ = lesson_import(doc=doc, course=CourseFactory(slug="third"))
    assert list(copy_.annotations.values_list("body", "passage__reading")) == [
        ("ZQX-ours", copy_.reading_id)]


def test_a_description_travels_in_a_package_worth_nothing(full_lesson, other_course):
    quiz = full_lesson.quizzes.get()
    QuestionFactory(quiz=quiz, position=9, type="description", config={}, points=0,
                    prompt="Read passage 2 first.")
    document = lesson_export(lesson=full_lesson, now=NOW)
    copy_ = lesson_import(doc=copy.deepcopy(document), course=other_course)
    moved = Question.objects.get(quiz__lesson=copy_, type="description")
    assert (moved.prompt, float(moved.points)) == ("Read passage 2 first.", 0.0)
    assert _without_time(lesson_export(lesson=copy_)) == _without_time(document)
