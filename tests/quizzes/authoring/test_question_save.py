"""The question form and its save service: editor -> grading -> one atomic write, and bad
input re-rendered with its messages and nothing changed."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from quizzes.authoring.editors.choice import SingleChoiceEditor
from quizzes.authoring.forms import QuestionForm
from quizzes.authoring.services_questions import question_save
from quizzes.models import Choice, Question
from quizzes.taking import services as taking
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(lesson):
    return QuizFactory(lesson=lesson, is_published=False)


def _post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    base = {"title": "Capital", "prompt": "Which city is the **capital**?", "points": "2",
            "explanation": "See ¶2.", "type-shuffle": "on",
            "type-choices-TOTAL_FORMS": "3", "type-choices-INITIAL_FORMS": "0",
            "type-choices-MIN_NUM_FORMS": "0", "type-choices-MAX_NUM_FORMS": "50",
            "type-choices-0-text": "Moscow", "type-choices-0-credit": "1",
            "type-choices-0-feedback": "Yes.",
            "type-choices-1-text": "Kyiv", "type-choices-1-credit": "0",
            "type-choices-1-feedback": "",
            "type-choices-2-text": "", "type-choices-2-credit": "0",
            "type-choices-2-feedback": ""}
    base.update(fields)
    for name, value in base.items():
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = value
    return data


def _save(quiz, data, question=None):
    passages = list(quiz.lesson.reading.passages.order_by("order"))
    form = QuestionForm(data, passages=passages)
    editor = SingleChoiceEditor(data, question=question, passages=passages)
    return question_save(quiz=quiz, form=form, editor=editor, question=question), form, editor


def test_a_valid_question_is_saved_whole(quiz, lesson):
    cited = lesson.reading.passages.get(order=2)
    question, _form, _editor = _save(quiz, _post(cites=[str(cited.pk)]))
    question = Question.objects.get(pk=question.pk)
    assert (question.type, question.title, question.points, question.position) == (
        "single", "Capital", 2, 1)
    assert question.config == {"shuffle": True}
    assert list(question.choices.values_list("position", "text", "fraction", "feedback")) == [
        (1, "Moscow", 1, "Yes."), (2, "Kyiv", 0, "")]
    assert list(question.cites.all()) == [cited]


@pytest.mark.parametrize(("fields", "where", "message"), [
    ({"prompt": "  "}, "prompt", "Write the question."),
    ({"points": "0"}, "points", "Points must be more than 0."),
    ({"points": "-1"}, "points", "Points cannot be negative."),
    ({"points": "many"}, "points", "Points are a number, like 1 or 2.5."),
    ({"points": "1.234"}, "points", "Use at most two decimal places."),
    ({"cites": ["999999"]}, "cites", "Choose passages of this lesson's reading."),
    ({"type-choices-0-credit": "0.5"}, "rows", "Mark one choice as fully correct (credit 1)."),
    ({"type-choices-1-text": "", "type-choices-1-feedback": "Why"}, "row1",
     "Type the choice, or empty the whole row."),
])
def test_bad_input_gives_its_message_and_writes_nothing(quiz, fields, where, message):
    question, form, editor = _save(quiz, _post(**fields))
    assert question is None
    if where == "rows":
        found = editor.rowsets["choices"].messages()
    elif where == "row1":
        found = editor.rowsets["choices"].rows[1].form.errors["text"]
    else:
        found = form.errors[where]
    assert message in found
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_editing_keeps_the_choice_rows_answers_refer_to(quiz):
    question, _f, _e = _save(quiz, _post())
    moscow, kyiv = question.choices.order_by("position")
    # Swapped: each choice keeps its row, by its text.
    question, _f, _e = _save(quiz, _post(**{
        "type-choices-0-text": "Kyiv", "type-choices-0-credit": "0",
        "type-choices-1-text": "Moscow", "type-choices-1-credit": "1"}), question=question)
    assert list(question.choices.order_by("position").values_list("pk", "text")) == [
        (kyiv.pk, "Kyiv"), (moscow.pk, "Moscow")]
    # Reworded, with a choice added: the reworded one keeps the row it replaces.
    question, _f, _e = _save(quiz, _post(**{
        "type-choices-0-text": "Kyiv", "type-choices-0-credit": "0",
        "type-choices-1-text": "Moscow, Russia", "type-choices-1-credit": "1",
        "type-choices-2-text": "Minsk"}), question=question)
    rows = list(question.choices.order_by("position").values_list("pk", "text"))
    assert rows[:2] == [(kyiv.pk, "Kyiv"), (moscow.pk, "Moscow, Russia")]
    assert rows[2][1] == "Minsk" and rows[2][0] not in (moscow.pk, kyiv.pk)


def test_saving_a_question_deleted_meanwhile_does_not_bring_it_back(quiz):
    question, _f, _e = _save(quiz, _post())
    Question.objects.filter(pk=question.pk).delete()
    saved, _form, editor = _save(quiz, _post(), question=question)
    assert saved is None
    assert editor.problems == ["This question was deleted meanwhile; nothing was saved."]
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_a_removed_choice_is_deleted(quiz):
    question, _f, _e = _save(quiz, _post(**{"type-choices-2-text": "Minsk"}))
    assert question.choices.count() == 3
    question, _f, _e = _save(quiz, _post(), question=question)
    assert list(question.choices.values_list("text", flat=True)) == ["Moscow", "Kyiv"]


def test_add_question_through_the_pages(client, instructor, quiz):
    client.force_login(instructor)
    add = reverse("quizzes:question-add", args=[quiz.pk])
    chooser = client.get(add)
    assert b'name="type" value="truefalse"' in chooser.content
    assert b"Pick the passages of the reading that support a claim." in chooser.content
    form = client.get(add, {"type": "single"})
    assert b'name="type-choices-add"' in form.content
    assert b"Cited passages" in form.content and b"Passage 2: the fox runs." in form.content
    data = _post(type="single")
    response = client.post(add, data)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("quizzes:quiz-questions", args=[quiz.pk]))
    assert question.choices.count() == 2


def test_add_choice_button_re_renders_without_saving(client, instructor, quiz):
    client.force_login(instructor)
    data = _post(type="single", **{"type-choices-add": "1"})
    response = client.post(reverse("quizzes:question-add", args=[quiz.pk]), data)
    assert response.status_code == 200 and not Question.objects.exists()
    assert b'name="type-choices-3-text"' in response.content


def test_preview_button_renders_the_markdown_without_saving(client, instructor, quiz):
    client.force_login(instructor)
    data = _post(type="single", preview="1", prompt="Is it *so*? <script>x()</script>")
    response = client.post(reverse("quizzes:question-add", args=[quiz.pk]), data)
    assert response.status_code == 200 and not Question.objects.exists()
    html = response.content.decode()
    preview = html[html.index('id="prompt-preview"'):]
    assert preview.index("<em>so</em>") < preview.index("</div>")
    assert "<script>x()" not in html


def test_invalid_post_re_renders_with_messages(client, instructor, quiz):
    client.force_login(instructor)
    data = _post(type="single", points="0", **{"type-choices-0-credit": "0"})
    response = client.post(reverse("quizzes:question-add", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert b"Points must be more than 0." in response.content
    assert not Question.objects.exists()


def test_every_type_is_explained_on_the_chooser():
    from quizzes import grading
    from quizzes.authoring.forms import TYPE_HELP

    assert set(TYPE_HELP) == set(grading.TYPE_KEYS)


def test_unknown_type_goes_back_to_the_chooser(client, instructor, quiz):
    client.force_login(instructor)
    response = client.get(reverse("quizzes:question-add", args=[quiz.pk]), {"type": "essay"})
    assert response.status_code == 400 and b"Choose one of the types listed." in response.content


def test_editing_an_answered_question_warns_and_offers_the_regrade(client, instructor,
                                                                   student, quiz):
    question = QuestionFactory(quiz=quiz, type="single", config={"shuffle": False}, points=1,
                               prompt="Which?")
    right = ChoiceFactory(question=question, text="Moscow", fraction=1)
    wrong = ChoiceFactory(question=question, text="Kyiv", fraction=0)
    quiz.is_published = True
    quiz.save()
    attempt = taking.attempt_start(quiz=quiz, user=student, now=timezone.now())
    taking.response_save(attempt=attempt, question_id=question.pk, raw_answer=str(wrong.pk),
                         version=1, now=timezone.now())
    taking.attempt_submit(attempt=attempt, now=timezone.now())
    client.force_login(instructor)
    url = reverse("quizzes:question-edit", args=[question.pk])
    page = client.get(url)
    assert b"Students have already answered this question (1 answer)" in page.content
    # The key changes: Kyiv is now right too (partial credit for a near miss).
    data = _post(prompt="Which?", points="1", **{
        "type-choices-0-text": "Moscow", "type-choices-1-text": "Kyiv",
        "type-choices-1-credit": "0.5"})
    response = client.post(url, data, follow=True)
    assert b"Regrade 1 answer" in response.content
    assert reverse("quizzes:question-regrade", args=[question.pk]).encode() in response.content
    assert list(question.choices.values_list("pk", flat=True)) == [right.pk, wrong.pk]
    client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    assert attempt.responses.get().score == 0.5
