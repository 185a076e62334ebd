"""The lesson page: header, anchored passages, notes, glossary, and a fixed query count."""

import pytest

from courses.models import Annotation, Passage
from tests.factories import AnnotationFactory, LessonFactory, ReadingFactory

pytestmark = pytest.mark.django_db


def _lesson_with_notes(course, passages: int, notes: int):
    reading = ReadingFactory(title=f"Reading with {notes} notes")
    Passage.objects.bulk_create(
        Passage(reading=reading, order=i, text=f"Paragraph {i} tells of the fox and the hound.")
        for i in range(1, passages + 1)
    )
    rows = list(reading.passages.all())
    quote = "fox"
    lesson = LessonFactory(course=course, reading=reading, slug=f"l-{notes}")
    Annotation.objects.bulk_create(
        Annotation(
            lesson=lesson, passage=rows[i % passages],
            kind=["glossary", "context", "commentary", "prompt"][i % 4],
            title=f"Note {i}", body=f"Body **{i}**", quote=quote,
            start=rows[i % passages].text.find(quote),
            end=rows[i % passages].text.find(quote) + len(quote),
        )
        for i in range(notes)
    )
    return lesson


@pytest.mark.parametrize(("passages", "notes"), [(5, 5), (100, 500)])
def test_lesson_page_query_count_does_not_grow(
    client, student, course, django_assert_max_num_queries, passages, notes
):
    lesson = _lesson_with_notes(course, passages, notes)
    client.force_login(student)
    with django_assert_max_num_queries(10):
        response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="note note-') == notes


def test_passages_have_stable_anchors_in_order(client, student, lesson):
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    positions = [page.index(f'id="p-{i}"') for i in (1, 2, 3)]
    assert positions == sorted(positions)


def test_annotated_span_links_to_its_footnote_with_a_back_link(client, student, lesson):
    passage = lesson.reading.passages.get(order=2)
    note = AnnotationFactory(passage=passage, quote="fox", kind="glossary", title="Fox")
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert f'<a href="#note-{note.pk}" id="ref-{note.pk}" class="anno anno-glossary"' in page
    assert f'<li id="note-{note.pk}" class="note note-glossary">' in page
    assert f'href="#ref-{note.pk}"' in page
    # Kind is said in words for screen readers, not only shown by colour.
    assert "(glossary note 1)" in page
    # The glossary lists the term.
    assert 'id="glossary-' in page


def test_instructor_only_notes_never_reach_a_student(client, student, instructor, lesson):
    passage = lesson.reading.passages.get(order=1)
    AnnotationFactory(passage=passage, quote="fox", body="SECRET-TEACHING-NOTE",
                      audience="instructors")
    client.force_login(student)
    assert b"SECRET-TEACHING-NOTE" not in client.get(lesson.get_absolute_url()).content
    client.force_login(instructor)
    assert b"SECRET-TEACHING-NOTE" in client.get(lesson.get_absolute_url()).content


def test_note_markdown_is_rendered_and_sanitised(client, student, lesson):
    passage = lesson.reading.passages.get(order=1)
    AnnotationFactory(
        passage=passage, quote="fox",
        body="**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>",
    )
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "onerror" not in page


def test_passage_text_is_escaped(client, student, course):
    reading = ReadingFactory()
    Passage.objects.create(reading=reading, order=1, text="<b>not bold</b> & <script>x</script>")
    lesson = LessonFactory(course=course, reading=reading)
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;script&gt;" in page


def test_header_shows_reading_facts_and_objectives(client, student, lesson):
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "A story about a fox." in page
    assert "Understand the text." in page
    assert "Reading time" in page
    assert "Ann Author" in page


def test_edited_note_and_passage_show_at_once_despite_the_cache(client, student, lesson):
    passage = lesson.reading.passages.get(order=1)
    note = AnnotationFactory(passage=passage, quote="fox", body="First version")
    client.force_login(student)
    assert "First version" in client.get(lesson.get_absolute_url()).content.decode()
    note.body = "Second version"
    note.save()
    passage.text = "Passage 1: the fox now walks."
    passage.save()
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Second version" in page and "First version" not in page
    assert "now walks" in page
    note.delete()
    assert "Second version" not in client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("passages", "notes"), [(5, 5), (100, 500)])
def test_a_cached_lesson_page_takes_four_queries(
    client, student, course, django_assert_max_num_queries, passages, notes
):
    """Once its shared parts are cached: session, user, the page's own read, the quiz links."""
    lesson = _lesson_with_notes(course, passages, notes)
    client.force_login(student)
    client.get(lesson.get_absolute_url())
    with django_assert_max_num_queries(4):
        assert client.get(lesson.get_absolute_url()).status_code == 200


def test_edits_to_the_reading_course_and_lesson_show_at_once(client, student, lesson):
    client.force_login(student)
    client.get(lesson.get_absolute_url())
    reading = lesson.reading
    reading.dek = "A brand new standfirst."
    reading.save()
    lesson.objectives = ["Weigh the new evidence."]
    lesson.save()
    lesson.course.title = "Renamed course"
    lesson.course.save()
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "A brand new standfirst." in page
    assert "Weigh the new evidence." in page
    assert "Renamed course" in page


def test_the_teaching_copy_is_never_served_to_a_student(client, student, instructor, lesson):
    AnnotationFactory(passage=lesson.reading.passages.get(order=1), quote="fox",
                      body="ZQX staff only", audience="instructors")
    client.force_login(instructor)
    assert "ZQX staff only" in client.get(lesson.get_absolute_url()).content.decode()
    client.force_login(student)
    assert "ZQX staff only" not in client.get(lesson.get_absolute_url()).content.decode()


def test_quiz_links_show_each_quizs_state_for_the_reader(client, student, instructor, lesson):
    from django.utils import timezone

    from quizzes.taking import services
    from tests.factories import QuestionFactory, QuizFactory

    untouched = QuizFactory(lesson=lesson, title="Untouched", position=1)
    started = QuizFactory(lesson=lesson, title="Started", position=2)
    finished = QuizFactory(lesson=lesson, title="Finished", position=3,
                           attempts_allowed=None)
    hidden = QuizFactory(lesson=lesson, title="Hidden", position=4, is_published=False)
    for quiz in (untouched, started, finished, hidden):
        QuestionFactory(quiz=quiz)
    now = timezone.now()
    services.attempt_start(quiz=started, user=student, now=now)
    for _ in range(2):
        done = services.attempt_start(quiz=finished, user=student, now=now)
        services.attempt_submit(attempt=done, now=now)
    services.attempt_start(quiz=untouched, user=instructor, now=now, preview=True)
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert page.index("Untouched") < page.index("Started") < page.index("Finished")
    assert "Hidden" not in page
    for title, state in (("Untouched", "Not started"), ("Started", "In progress"),
                         ("Finished", "2 attempts made")):
        chunk = page[page.index(f"quiz: {title}"):]
        assert chunk[:chunk.index("</li>")].endswith(f"{state}</span>")
    client.force_login(instructor)
    staff_page = client.get(lesson.get_absolute_url()).content.decode()
    chunk = staff_page[staff_page.index("quiz: Untouched"):]
    assert "Not started" in chunk[:chunk.index("</li>")]  # previews do not count


def test_quiz_links_follow_quiz_positions_not_creation_order(client, student, lesson):
    from tests.factories import QuizFactory

    QuizFactory(lesson=lesson, title="Made first, shown last", position=3)
    QuizFactory(lesson=lesson, title="Made second, shown first", position=1)
    QuizFactory(lesson=lesson, title="Made third, shown second", position=2)
    client.force_login(student)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert (page.index("shown first") < page.index("shown second")
            < page.index("shown last"))


def test_quiz_states_read_with_the_page_equal_the_quizzes_own_query(student, lesson):
    from django.utils import timezone

    from courses.selectors import lesson_page
    from quizzes.taking import services
    from quizzes.taking.selectors import quizzes_for_lesson, quizzes_from_page_column
    from tests.factories import QuestionFactory, QuizFactory

    quizzes = [QuizFactory(lesson=lesson, position=p) for p in (2, 1, 3)]
    for quiz in quizzes:
        QuestionFactory(quiz=quiz)
    services.attempt_start(quiz=quizzes[0], user=student, now=timezone.now())
    page = lesson_page(student, lesson.course.slug, lesson.slug)
    from_page = quizzes_from_page_column(page.lesson, page.lesson.page_columns["quiz_states"])
    own = quizzes_for_lesson(page.lesson, student)
    assert [(q.pk, q.kind, q.title, q.open_now, q.attempts_done) for q in from_page] == [
        (q.pk, q.kind, q.title, q.open_now, q.attempts_done) for q in own]
    assert [q.open_now for q in from_page] == [False, True, False]


def test_a_cached_lesson_page_takes_three_statements(client, student, lesson,
                                                     django_assert_num_queries):
    """The session (from the shared cache: a table here, Redis in production), its user,
    then the page: course, role, lesson, progress, version stamps and the reader's quiz
    states."""
    from tests.factories import QuizFactory

    QuizFactory(lesson=lesson)
    client.force_login(student)
    client.get(lesson.get_absolute_url())
    with django_assert_num_queries(3):
        assert client.get(lesson.get_absolute_url()).status_code == 200
