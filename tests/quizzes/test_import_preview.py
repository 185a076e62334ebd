"""The preview of a large question bank: a summary of the whole file and every problem on
every page, the questions 50 to a page, and a confirm that imports the whole file whichever
page it was sent from."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from quizzes.interop import services
from tests.quizzes.test_import_jobs import media  # noqa: F401 (autouse fixture)
from tests.quizzes.test_import_jobs import quiz as quiz  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

TYPES = [
    "::Q{n}:: Which number is {n}? {{={n} ~{m} ~{k}}}",
    "::Q{n}:: Statement {n} is true. {{T}}",
    "::Q{n}:: Explain claim {n} in your own words. {{}}",
]


def bank(count: int, broken: tuple[int, ...] = ()) -> str:
    """`count` questions cycling through single choice, true/false and essay; the questions
    numbered in `broken` never close their answers."""
    parts = []
    for n in range(1, count + 1):
        if n in broken:
            parts.append(f"::Q{n}:: Question {n} never closes its answers {{=yes ~no\n")
        else:
            parts.append(TYPES[n % 3].format(n=n, m=n + 1, k=n + 2) + "\n")
    return "\n".join(parts)


def _upload(client, quiz, text: str) -> str:
    response = client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile("bank.gift", text.encode("utf-8")), "format": "gift"})
    assert response.status_code == 302
    return reverse("quizzes:question-import-preview", args=[quiz.pk])


def _shown(html: str) -> list[str]:
    """The question titles in the preview's table, in order."""
    table = html[html.index("<table"):html.index("</table>")]
    return re.findall(r"<td>(Q\d+)</td>", table)


def _nav(html: str) -> str:
    start = html.index('<nav aria-label="Pages of the questions">')
    return html[start:html.index("</nav>", start)]


def test_a_large_bank_shows_its_summary_every_problem_and_50_questions_a_page(
        client, instructor, quiz):
    client.force_login(instructor)
    # Broken questions are not in the table: the parser drops them and lists their problem.
    preview = _upload(client, quiz, bank(123, broken=(2, 118)))
    first = client.get(preview).content.decode()
    assert "121 questions read · 2 problems" in first
    # The summary counts the whole file: 41 of each type, less the two broken ones.
    assert ("<li>41 Multiple choice</li><li>40 True/false</li><li>40 Open response</li>"
            in first)
    assert "the quiz “<a" in first and "Bank</a>” of the lesson" in first
    assert "Line 3 (question “Q2”)" in first and "(question “Q118”)" in first
    assert _shown(first) == [f"Q{n}" for n in range(1, 52) if n != 2]
    assert "The questions: 1 to 50 of 121" in first
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in _nav(first)
    last = client.get(preview + "?page=3").content.decode()
    # Every problem is on every page, the last one's question included.
    assert "(question “Q2”)" in last and "(question “Q118”)" in last
    assert _shown(last) == [f"Q{n}" for n in range(102, 124) if n != 118]
    assert "Previous page" in _nav(last) and "Next page" not in _nav(last)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3</a>' in _nav(last)
    assert "Import 121 questions" in last and "Import only the 121 valid questions" in last


@pytest.mark.parametrize(("page", "first_shown"), [
    ("abc", "Q1"), ("", "Q1"), ("2.5", "Q1"), ("99", "Q101"), ("0", "Q101"), ("-1", "Q101"),
])
def test_a_page_that_does_not_exist_shows_the_first_or_the_last(client, instructor, quiz,
                                                                 page, first_shown):
    client.force_login(instructor)
    preview = _upload(client, quiz, bank(120))
    response = client.get(preview, {"page": page})
    assert response.status_code == 200
    assert _shown(response.content.decode())[0] == first_shown


def test_a_bank_of_one_page_has_no_page_links(client, instructor, quiz):
    client.force_login(instructor)
    html = client.get(_upload(client, quiz, bank(50))).content.decode()
    assert len(_shown(html)) == 50 and "Pages of the questions" not in html


def test_a_confirm_sent_from_a_later_page_imports_every_question(client, instructor, quiz):
    client.force_login(instructor)
    preview = _upload(client, quiz, bank(120))
    client.get(preview + "?page=2")
    response = client.post(preview + "?page=2", {"action": "confirm"})
    assert response["Location"] == quiz.get_absolute_url()
    titles = list(quiz.questions.order_by("position").values_list("title", flat=True))
    assert titles == ["", *(f"Q{n}" for n in range(1, 121))]


def test_a_bank_past_the_threshold_previews_by_page_and_still_goes_to_the_worker(
        client, instructor, quiz, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(instructor)
    preview = _upload(client, quiz, bank(250))
    html = client.get(preview + "?page=5").content.decode()
    assert _shown(html) == [f"Q{n}" for n in range(201, 251)]
    assert "imported in the background" in html
    response = client.post(preview + "?page=5", {"action": "confirm"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == "question-import" and job.status == "queued"
    assert quiz.questions.count() == 1  # the worker has not run yet


def test_a_small_bank_does_not_say_it_goes_to_the_background(client, instructor, quiz):
    client.force_login(instructor)
    assert "imported in the background" not in client.get(
        _upload(client, quiz, bank(20))).content.decode()


@pytest.mark.parametrize("count", [60, 600])
def test_the_preview_costs_the_same_queries_for_60_and_600_questions(
        client, instructor, quiz, count, django_assert_max_num_queries):
    client.force_login(instructor)
    preview = _upload(client, quiz, bank(count))
    client.get(preview)  # the first preview also records the counts in the session
    with django_assert_max_num_queries(5):
        response = client.get(preview + "?page=2")
    assert len(_shown(response.content.decode())) == 10 if count == 60 else 50


def test_the_pages_and_the_confirm_parse_the_file_once(client, instructor, quiz,
                                                       monkeypatch):
    calls = []
    real = services.question_file_parse

    def counted(**kwargs):
        calls.append(kwargs["format"])
        return real(**kwargs)

    monkeypatch.setattr(services, "question_file_parse", counted)
    client.force_login(instructor)
    preview = _upload(client, quiz, bank(120))
    for page in ("1", "2", "3", "2"):
        assert client.get(preview, {"page": page}).status_code == 200
    client.post(preview, {"action": "confirm"})
    assert calls == ["gift"] and quiz.questions.count() == 121
    # Another upload of the same file is another upload: read afresh.
    client.get(_upload(client, quiz, bank(120)))
    assert calls == ["gift", "gift"]
