"""Issue 12, tried as a new instructor would, by keyboard alone: a course instructor who is
not staff picks the reading an admin uploaded, makes a lesson, builds a quiz with one
question of every type (an evidence question picked on the text, an open response with a
3 x 3 rubric), previews it and publishes it; a student takes it and gets the grades the keys
imply. axe passes on every authoring page on the way."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Course, CourseReading, Enrollment, Lesson, Role
from courses.services import PassageInput, reading_create
from quizzes.models import Attempt, Question, Quiz
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Form controls an assistant could still use on an authoring page (none: forms are disabled).
ENABLED_CONTROLS = (
    "Array.from(document.querySelectorAll('main form button, main form input, "
    "main form select, main form textarea')).filter(e => !e.matches(':disabled')"
    " && e.type !== 'hidden' && e.name !== 'csrfmiddlewaretoken').length")

PASSAGES = [
    "Ships pass the strait at night, and nobody counts them any more.",
    "The harbour master says the traffic doubled after the new canal opened.",
    "Fishermen complain that the big ships scare the fish away.",
    "The town council wants a lighthouse, but the money never comes.",
]


@pytest.fixture
def reading(db):
    """The demo site, and a reading a site admin uploaded and made available to its
    course (the upload pages have their own browser tests)."""
    call_command("load_demo")
    reading = reading_create(
        title="The Quiet Strait", content_hash="strait-hash", word_count=60,
        reading_minutes=1, authors=["Jo March"], source="The Review",
        passages=[PassageInput("paragraph", text) for text in PASSAGES])
    CourseReading.objects.create(course=Course.objects.get(slug="demo"), reading=reading)
    return reading


def _press(page, role: str, name: str, *, scope=None) -> None:
    target = (scope or page).get_by_role(role, name=name, exact=True)
    target.focus()
    page.keyboard.press("Enter")


def _press_and_load(page, role: str, name: str, *, scope=None) -> None:
    """Press a button that reloads the page it is on (the URL may not change)."""
    with page.expect_navigation():
        _press(page, role, name, scope=scope)


def _type(page, selector: str, text: str) -> None:
    field = page.locator(selector)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _tick(page, locator) -> None:
    locator.focus()
    page.keyboard.press("Space")


def _choose(page, selector: str, value: str) -> None:
    field = page.locator(selector)
    field.focus()
    field.select_option(value)  # sets the value as the keyboard would; no pointer


def _save(page) -> None:
    assert_accessible(page)  # every type's form, filled in
    _press(page, "button", "Save the question")
    page.wait_for_url("**/questions/?focus=*")
    expect(page.get_by_text(re.compile(r"^Added question \d+\.$"))).to_be_visible()


def _new_question(page, label: str, title: str, prompt: str, points: str) -> None:
    _press(page, "link", "Add a question")
    page.wait_for_url("**/questions/new/")
    if label == "Multiple choice":  # the first time: the type chooser
        assert_accessible(page)
    _tick(page, page.get_by_label(label, exact=True))
    _press(page, "button", "Write the question")
    page.wait_for_url("**/questions/new/?type=*")
    _type(page, "#id_title", title)
    _type(page, "#id_prompt", prompt)
    _type(page, "#id_points", points)


def _rows(page, prefix: str, rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        for field, value in row.items():
            selector = f"#id_type-{prefix}-{index}-{field}"
            if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                _choose(page, selector, value)
            else:
                _type(page, selector, value)


def _build_questions(page) -> None:
    """One question of every type, each through its own editor."""
    _new_question(page, "Multiple choice", "Counting", "Who counts the ships **now**?", "2")
    # The live preview shows the Markdown as students will see it, through the server.
    expect(page.locator("#prompt-preview strong")).to_have_text("now")
    _tick(page, page.get_by_label(re.compile(r"^¶1 Ships pass")))
    _rows(page, "choices", [{"text": "Nobody", "credit": "1", "feedback": "Yes."},
                            {"text": "The harbour master", "credit": "0"}])
    _save(page)
    assert_accessible(page)

    _new_question(page, "Multiple response", "Complaints", "Who is unhappy?", "2")
    _rows(page, "choices", [{"text": "Fishermen", "credit": "0.5"},
                            {"text": "The town council", "credit": "0.5"},
                            {"text": "The canal", "credit": "-1"}])
    _save(page)

    _new_question(page, "True/false", "Doubled", "Traffic doubled after the canal.", "1")
    _tick(page, page.get_by_label("True", exact=True))
    _type(page, "#id_type-feedback_false", "See passage 2.")
    _save(page)

    _new_question(page, "Short answer", "Building", "What does the council want?", "1")
    _rows(page, "answers", [{"text": "*lighthouse"}])
    _save(page)

    _new_question(page, "Numeric", "Factor", "By what factor did traffic grow?", "1")
    _rows(page, "answers", [{"value": "2"}])
    _save(page)

    _new_question(page, "Matching", "Who says", "Match each person to what they say.", "3")
    _rows(page, "pairs", [{"prompt": "Harbour master", "answer": "Traffic doubled"},
                          {"prompt": "Fishermen", "answer": "The fish go away"},
                          {"prompt": "Council", "answer": "We need a lighthouse"}])
    _save(page)

    _new_question(page, "Ordering", "Order", "Put the passages' subjects in order.", "2")
    _rows(page, "items", [{"text": "Night ships"}, {"text": "The canal"},
                          {"text": "Fish"}, {"text": "Lighthouse"}])
    _save(page)

    _new_question(page, "Evidence", "Evidence", "Which passage shows the canal mattered?", "2")
    _type(page, "#id_type-claim", "The canal changed the strait.")
    # Picked on the text itself: each passage shows in full with its checkboxes.
    expect(page.locator("#type-passage-2")).to_contain_text(PASSAGES[1])
    _tick(page, page.get_by_label("In the key (passage 2)"))
    _save(page)

    _new_question(page, "Two-part (evidence-based)", "Two-part",
                  "Why might the fish go away?", "2")
    _rows(page, "choices", [{"text": "The big ships", "credit": "1"},
                            {"text": "The lighthouse", "credit": "0"}])
    _tick(page, page.get_by_label("In the key (passage 3)"))
    _save(page)

    _new_question(page, "Open response", "Essay", "Should the town build the lighthouse?", "6")
    _type(page, "#id_type-rubric_title", "Argument")
    for c, name in enumerate(("Claim", "Evidence", "Reasoning")):
        _type(page, f"#id_type-criteria-{c}-name", name)
        for lv, (label, points) in enumerate((("Missing", "0"), ("Partial", "1"),
                                              ("Strong", "2"))):
            _type(page, f"#id_type-criteria-{c}-levels-{lv}-label", label)
            _type(page, f"#id_type-criteria-{c}-levels-{lv}-points", points)
    _save(page)

    _new_question(page, "Description (text only)", "Note", "Read passage 4 again.", "0")
    _save(page)


def _answer(page, question: Question) -> None:
    """The right answer to `question`, by keyboard."""
    scope = page.locator(f"#question-{question.pk}")
    kind = question.type
    if kind == "single":
        _tick(page, scope.get_by_label("Nobody", exact=True))
    elif kind == "multiple":
        _tick(page, scope.get_by_label("Fishermen", exact=True))
        _tick(page, scope.get_by_label("The town council", exact=True))
    elif kind == "truefalse":
        _tick(page, scope.get_by_label("True", exact=True))
    elif kind in ("short", "numeric", "open"):
        field = scope.locator("input[type=text], textarea").first
        field.focus()
        page.keyboard.type({"short": "a lighthouse", "numeric": "2"}.get(
            kind, "Yes: a lighthouse keeps the ships apart and the fishermen safe."))
    elif kind == "matching":
        for prompt, answer in (("Harbour master", "Traffic doubled"),
                               ("Fishermen", "The fish go away"),
                               ("Council", "We need a lighthouse")):
            select = scope.get_by_label(prompt, exact=True)
            select.focus()
            select.select_option(answer)
    elif kind == "ordering":
        for rank, text in enumerate(("Night ships", "The canal", "Fish", "Lighthouse"), 1):
            select = scope.get_by_label(f"Position of “{text}”")
            select.focus()
            select.select_option(str(rank))
    elif kind == "evidence":
        _tick(page, scope.get_by_label(re.compile(r"^Passage 2:")))
    elif kind == "twopart":
        _tick(page, scope.get_by_label("The big ships", exact=True))
        _tick(page, scope.get_by_label(re.compile(r"^Passage 3:")))


def test_an_instructor_builds_a_quiz_of_every_type_and_a_student_takes_it(page, reading):
    # A page that comes back with a button focused starts Bootstrap's 0.15 s colour
    # transition; axe would measure the colours halfway. Users who ask for less motion get
    # none, and the end state is what counts.
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "instructor", "lectio-instructor")
    page.goto("/courses/demo/lessons/")
    _press(page, "link", "New lesson")
    page.wait_for_url("**/courses/demo/lessons/new/")
    _choose(page, "#id_reading", str(reading.pk))
    _type(page, "#id_title", "Night Traffic")
    _tick(page, page.get_by_label("Published"))
    _press(page, "button", "Create the lesson")
    page.wait_for_url("**/courses/demo/lessons/?focus=*")
    lesson = Lesson.objects.get(slug="night-traffic")
    _press(page, "link", "Build and change quizzes", scope=page.locator(f"#lesson-{lesson.pk}"))
    page.wait_for_url("**/lessons/night-traffic/quizzes/")
    assert_accessible(page)

    _press(page, "link", "New quiz")
    page.wait_for_url("**/quizzes/new/")
    assert_accessible(page)
    _choose(page, "#id_kind", "comprehension")
    _type(page, "#id_title", "The strait")
    _type(page, "#id_attempts_allowed", "2")
    _press(page, "button", "Create the quiz")
    page.wait_for_url("**/questions/")
    expect(page.get_by_text("Quiz “The strait” created, not published yet.")).to_be_visible()
    assert_accessible(page)
    quiz = Quiz.objects.get(title="The strait")
    assert (quiz.lesson, quiz.attempts_allowed, quiz.is_published) == (lesson, 2, False)

    _press_and_load(page, "button", "Publish the quiz")
    expect(page.get_by_text("The quiz cannot be published yet: Add at least one question "
                            "first.")).to_be_visible()

    _build_questions(page)
    questions = list(quiz.questions.order_by("position"))
    assert [q.type for q in questions] == ["single", "multiple", "truefalse", "short",
                                           "numeric", "matching", "ordering", "evidence",
                                           "twopart", "open", "description"]
    essay = questions[9]
    assert [(c.name, [(lv.label, lv.points) for lv in c.levels.order_by("position")])
            for c in essay.rubric.criteria.order_by("position")] == [
        (name, [("Missing", 0), ("Partial", 1), ("Strong", 2)])
        for name in ("Claim", "Evidence", "Reasoning")]
    assert questions[7].config["key"] == [2]
    assert list(questions[0].cites.values_list("order", flat=True)) == [1]

    # Reorder by keyboard: the moved question's button keeps the focus after the reload.
    first = page.locator(f"#question-{questions[0].pk}")
    _press_and_load(page, "button", "Move down", scope=first)
    assert page.evaluate("document.activeElement.value") == "down"
    assert page.evaluate("document.activeElement.closest('li').id") == \
        f"question-{questions[0].pk}"
    assert_accessible(page)
    _press_and_load(page, "button", "Move up",
                    scope=page.locator(f"#question-{questions[0].pk}"))
    assert list(quiz.questions.order_by("position").values_list("pk", flat=True)) == [
        q.pk for q in questions]

    # The other authoring pages, read and checked on the way.
    for url in (f"/quizzes/{quiz.pk}/settings/", f"/quizzes/questions/{essay.pk}/",
                f"/quizzes/questions/{questions[7].pk}/", f"/quizzes/{quiz.pk}/questions/copy/",
                f"/quizzes/{quiz.pk}/delete/", f"/quizzes/questions/{essay.pk}/delete/"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/quizzes/{quiz.pk}/questions/")

    # Preview as a student, then publish.
    _press(page, "link", "Preview as a student")
    page.wait_for_url(f"**/quizzes/{quiz.pk}/")
    _press(page, "button", "Preview as a student")
    page.wait_for_url("**/attempts/**")
    assert_accessible(page)
    assert page.locator("fieldset.question").count() == 10
    expect(page.locator("section.question-description")).to_contain_text("Read passage 4")
    page.goto(f"/quizzes/{quiz.pk}/questions/")
    _press_and_load(page, "button", "Publish the quiz")
    expect(page.get_by_text("“The strait” is now published.")).to_be_visible()
    assert Quiz.objects.get(pk=quiz.pk).is_published
    page.context.clear_cookies()

    # A student takes it and gets what the keys imply.
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    _press(page, "button", "Start or continue")
    page.wait_for_url("**/attempts/**")
    for question in questions:
        _answer(page, question)
    page.wait_for_timeout(1200)  # longer than the autosave debounce
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    page.locator("button[value=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/")
    page.locator("form button[type=submit].btn-primary").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/")
    assert_accessible(page)
    attempt = Attempt.objects.get(quiz=quiz, user__username="student")
    scores = {r.question.type: (r.score, r.state)
              for r in attempt.responses.select_related("question")}
    for question in questions:
        if question.type in ("open", "description"):
            continue
        assert scores[question.type] == (question.points, "correct"), question.type
    assert scores["open"][1] == "pending"  # waits for a grader and the rubric
    assert attempt.status == "needs_grading"
    assert attempt.max_score == sum((q.points for q in questions), Decimal(0))

    # An assistant reads the same pages, with nothing to press that would change them.
    page.context.clear_cookies()
    Enrollment.objects.filter(user__username="student2").update(role=Role.ASSISTANT)
    log_in(page, "student2", "lectio-student2")
    for url in (f"/quizzes/{quiz.pk}/questions/", f"/quizzes/{quiz.pk}/settings/",
                f"/quizzes/questions/{essay.pk}/"):
        page.goto(url)
        assert_accessible(page)
        expect(page.get_by_role("button", name="Save the question")).to_have_count(0)
        expect(page.get_by_role("button", name="Publish the quiz")).to_have_count(0)
        assert page.evaluate(ENABLED_CONTROLS) == 0
