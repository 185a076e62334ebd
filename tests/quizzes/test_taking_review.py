"""The results page shows the student's own answer to every type of question, beside what
the review policy releases, and nothing the policy hides."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Rubric, RubricCriterion, RubricLevel
from quizzes.taking import services
from quizzes.teaching.services import quiz_release_grades, response_grade
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def _q(quiz, type_, config, **kwargs):
    return QuestionFactory(quiz=quiz, type=type_, config=config, points=2, **kwargs)


@pytest.fixture
def every_type(lesson):
    """A quiz with one question of each of the ten types, each with markers to find."""
    quiz = QuizFactory(lesson=lesson, review_when="after_submission")
    qs = {}
    qs["single"] = _q(quiz, "single", {"shuffle": False}, explanation="EXPL-single")
    ChoiceFactory(question=qs["single"], text="Moscow", fraction=1, feedback="FB-moscow")
    ChoiceFactory(question=qs["single"], text="Minsk", fraction=0, feedback="FB-minsk")
    qs["multiple"] = _q(quiz, "multiple", {"shuffle": False})
    ChoiceFactory(question=qs["multiple"], text="Oil", fraction=Decimal("0.5"),
                  feedback="FB-oil")
    ChoiceFactory(question=qs["multiple"], text="Gas", fraction=Decimal("0.5"))
    ChoiceFactory(question=qs["multiple"], text="Tea", fraction=-1, feedback="FB-tea")
    qs["truefalse"] = _q(quiz, "truefalse", {"answer": True, "feedback_true": "FB-true",
                                             "feedback_false": "FB-false"})
    qs["short"] = _q(quiz, "short", {"answers": [
        {"text": "ZQX-fox", "fraction": 1}, {"text": "*ZQX*vixen", "fraction": 1}]})
    qs["numeric"] = _q(quiz, "numeric", {"answers": [{"value": 2007, "fraction": 1}]})
    qs["matching"] = _q(quiz, "matching", {"pairs": [
        {"prompt": "Kremlin", "answer": "Russia"}, {"prompt": "Zhongnanhai", "answer": "China"}]})
    qs["ordering"] = _q(quiz, "ordering", {"items": ["ORD-first", "ORD-second", "ORD-third"]})
    qs["evidence"] = _q(quiz, "evidence", {"claim": "The fox runs.", "key": [2]})
    qs["twopart"] = _q(quiz, "twopart", {"shuffle": False, "part_b": {
        "prompt": "Which **passage** says so?", "key": [3]}})
    ChoiceFactory(question=qs["twopart"], text="PARTA-right", fraction=1, feedback="FB-parta")
    ChoiceFactory(question=qs["twopart"], text="PARTA-wrong", fraction=0)
    qs["open"] = _q(quiz, "open", {"max_words": 50})
    rubric = Rubric.objects.create(question=qs["open"], title="Essay rubric")
    criterion = RubricCriterion.objects.create(rubric=rubric, name="CRIT-evidence")
    RubricLevel.objects.create(criterion=criterion, position=1, label="LEVEL-weak", points=0)
    RubricLevel.objects.create(criterion=criterion, position=2, label="LEVEL-strong", points=2)
    return quiz, qs


ANSWERS = {
    "truefalse": False, "short": "zqx-fox", "numeric": "2007",
    "matching": {"0": "Russia", "1": "Russia"}, "ordering": ["ORD-first", "ORD-third",
                                                             "ORD-second"],
    "evidence": [2, 1], "open": "MY-ESSAY words about the fox",
}


def _take(student, quiz, qs, now=None):
    now = now or timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    answers = dict(ANSWERS)
    answers["single"] = str(qs["single"].choices.get(text="Minsk").pk)
    answers["multiple"] = [str(c.pk) for c in qs["multiple"].choices.filter(
        text__in=["Oil", "Tea"])]
    answers["twopart"] = {"a": str(qs["twopart"].choices.get(text="PARTA-right").pk),
                          "b": [3]}
    for kind, answer in answers.items():
        services.response_save(attempt=attempt, question_id=qs[kind].pk, raw_answer=answer,
                               version=1, now=now)
    return services.attempt_submit(attempt=attempt, now=now)


def _page(client, attempt) -> str:
    response = client.get(reverse("quizzes:attempt-result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_results_show_the_students_own_answer_for_every_type(client, student, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    for shown in ("Minsk", "Oil", "Tea", "False", "“zqx-fox”", "“2007”", "Kremlin",
                  "Zhongnanhai", "MY-ESSAY words about the fox", "PARTA-right"):
        assert shown in html, shown
    # Ordering in the student's order; evidence and Part B picks with their excerpts.
    assert html.index("ORD-first") < html.index("ORD-third") < html.index("ORD-second")
    assert "<strong>Passage 2</strong>" in html and "Passage 2: the fox runs." in html
    assert "<strong>Passage 3</strong>" in html and "Passage 3: the fox runs." in html


def test_choice_feedback_names_the_option_it_belongs_to(client, student, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    assert "On your choice “Minsk”" in html and "FB-minsk" in html
    assert "On your choice “Tea”" in html and "FB-tea" in html
    assert "On your answer “False”" in html and "FB-false" in html
    assert "On your choice “PARTA-right”" in html
    # Feedback on options the student did not choose stays back.
    assert "FB-moscow" not in html and "FB-true" not in html


def test_accepted_answers_are_words_never_wildcard_patterns(client, student, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    assert "ZQX-fox (also accepted: ZQX…vixen)" in html
    assert "*ZQX" not in html and "\\*" not in html


@pytest.mark.parametrize("hidden, absent", [
    ("review_correctness", ["FB-minsk", "FB-tea", "text-bg-danger", "On your choice"]),
    ("review_answers", ["Right answer", "ZQX…vixen", ">right<", ">wrong<"]),
    ("review_explanations", ["EXPL-single"]),
    ("review_score", ["Score", " / 2 point"]),
])
def test_what_the_policy_hides_never_reaches_the_page(client, student, every_type, hidden,
                                                      absent):
    quiz, qs = every_type
    setattr(quiz, hidden, False)
    quiz.save()
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    for text in absent:
        assert text not in html, text
    assert "Minsk" in html  # the student's own answer is still theirs to see


def test_nothing_at_all_when_the_policy_shows_nothing(client, student, every_type):
    quiz, qs = every_type
    quiz.review_when = "never"
    quiz.save()
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    for text in ("FB-minsk", "Right answer", "EXPL-single", "Score", "Minsk"):
        assert text not in html, text


def test_pending_scores_are_not_a_percentage_of_ungraded_points(client, student, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    html = _page(client, attempt)
    assert "Score so far:" in html
    assert "of the 18 points marked. 2 more points await grading" in html
    assert "%" not in html.split('id="score"')[1].split("</p>")[0]
    assert "pass mark" not in html.split('id="score"')[1].split("</p>")[0] or \
        "no percentage or pass mark yet" in html


def test_rubric_levels_and_comment_appear_once_grades_are_released(
        client, student, instructor, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    essay = attempt.responses.get(question=qs["open"])
    criterion = qs["open"].rubric.criteria.get()
    strong = criterion.levels.get(label="LEVEL-strong")
    response_grade(response=essay, levels={criterion.pk: strong.pk}, comment="COMMENT-good",
                   grader=instructor, now=timezone.now())
    client.force_login(student)
    draft = _page(client, attempt)
    assert "LEVEL-strong" not in draft and "COMMENT-good" not in draft  # a draft grade
    quiz_release_grades(quiz=quiz, now=timezone.now())
    html = _page(client, attempt)
    assert "CRIT-evidence" in html and "LEVEL-strong" in html and "2 of 2" in html
    assert "COMMENT-good" in html
    assert "Score so far" not in html and "Score:" in html


def test_the_rubric_is_shown_while_writing(client, student, every_type):
    quiz, qs = every_type
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client.force_login(student)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "How this answer is graded: Essay rubric" in html
    assert "CRIT-evidence" in html and "LEVEL-strong" in html


def test_part_b_label_renders_markdown_not_raw_asterisks(client, student, every_type):
    quiz, qs = every_type
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client.force_login(student)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "Which <strong>passage</strong> says so?" in html
    assert "**passage**" not in html


@pytest.mark.parametrize("extra", [0, 30])
def test_the_results_page_reads_in_a_fixed_number_of_queries(
        client, student, every_type, extra, django_assert_max_num_queries):
    quiz, qs = every_type
    for n in range(extra):
        single = _q(quiz, "single", {})
        ChoiceFactory(question=single, text=f"extra {n}", fraction=1, feedback="fb")
        ChoiceFactory(question=single, text=f"other {n}", fraction=0)
        _q(quiz, "evidence", {"key": [1]})
    attempt = _take(student, quiz, qs)
    client.force_login(student)
    with django_assert_max_num_queries(16):
        _page(client, attempt)


def test_the_result_page_is_where_submitting_lands(client, student, every_type):
    quiz, qs = every_type
    client.force_login(student)
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz, user=student)
    response = client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt-result", args=[attempt.pk])


@pytest.mark.parametrize("extra", [0, 30])
def test_the_attempt_page_reads_in_a_fixed_number_of_queries(
        client, student, every_type, extra, django_assert_max_num_queries):
    quiz, qs = every_type
    for n in range(extra):
        single = _q(quiz, "single", {})
        ChoiceFactory(question=single, text=f"extra {n}", fraction=1)
        ChoiceFactory(question=single, text=f"other {n}", fraction=0)
        essay = _q(quiz, "open", {})
        rubric = Rubric.objects.create(question=essay)
        criterion = RubricCriterion.objects.create(rubric=rubric, name=f"C{n}")
        RubricLevel.objects.create(criterion=criterion, label="L", points=1)
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client.force_login(student)
    with django_assert_max_num_queries(14):
        html = client.get(attempt.get_absolute_url()).content.decode()
    assert "How this answer is graded" in html


def test_student_report_shows_each_answer_as_the_results_page_does(client, student,
                                                                   instructor, every_type):
    quiz, qs = every_type
    attempt = _take(student, quiz, qs)
    client.force_login(instructor)
    response = client.get(reverse("quizzes:student-report",
                                  args=[quiz.lesson.course.slug, student.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Minsk", "Oil", "Tea", "False", "“zqx-fox”", "“2007”", "Kremlin",
                  "Zhongnanhai", "MY-ESSAY words about the fox", "PARTA-right"):
        assert shown in html, shown
    assert html.index("ORD-first") < html.index("ORD-third") < html.index("ORD-second")
    assert "<strong>Passage 2</strong>" in html and "Passage 2: the fox runs." in html
    assert "<strong>Passage 3</strong>" in html
    # Staff see what a machine marked: Minsk was wrong, the Part A choice right.
    assert 'Minsk <span class="badge text-bg-danger">wrong</span>' in html
    assert 'PARTA-right <span class="badge text-bg-success">right</span>' in html
    # Never the stored form: choice ids, index lists, the matching dict.
    minsk = str(qs["single"].choices.get(text="Minsk").pk)
    assert f"<td>{minsk}</td>" not in html and "{&#x27;" not in html and "[&#x27;" not in html
    assert "Your answer" not in html
    assert attempt.responses.count() == 10


@pytest.mark.parametrize("attempts", [1, 4])
def test_student_report_answers_cost_the_same_queries_for_1_and_4_attempts(
        client, student, instructor, every_type, attempts, django_assert_max_num_queries):
    quiz, qs = every_type
    quiz.attempts_allowed = None
    quiz.save()
    for _ in range(attempts):
        _take(student, quiz, qs)
    client.force_login(instructor)
    url = reverse("quizzes:student-report", args=[quiz.lesson.course.slug, student.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count("PARTA-right") == attempts
