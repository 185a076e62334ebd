"""Injection: hostile text planted wherever text enters; none of it runs on any page.

The browser context bypasses the Content Security Policy on purpose, so this checks the
escaping and the nh3 sanitiser themselves, not only the CSP that backs them up.
"""

import pytest
from django.utils import timezone

from courses.models import Role
from courses.services import annotation_create
from quizzes.models import Attempt, Choice, Response, Rubric, RubricCriterion, RubricLevel
from quizzes.taking import services
from quizzes.teaching import services as teaching
from tests.factories import (
    PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    ReadingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

MARK = "window.__xss = (window.__xss || 0) + 1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"<svg onload=\"{MARK}\"></svg>",
    f"[click](javascript:{MARK})",
    f'"><iframe src="javascript:{MARK}"></iframe>',
]
EVIL = " ".join(PAYLOADS)
# Short fields (titles, names, labels) get payloads that fit their length limits on
# PostgreSQL, which, unlike SQLite, enforces them.
SHORT = PAYLOADS[1]
SHORTER = PAYLOADS[0]


def _plant():
    course = CourseFactory(title=f"Course {SHORT}", description=EVIL, slug="evil")
    student = UserFactory(username="student", first_name=f"Eve {PAYLOADS[1]}",
                          last_name=PAYLOADS[0])
    teacher = UserFactory(username="teacher")
    EnrollmentFactory(course=course, user=student, role=Role.STUDENT)
    EnrollmentFactory(course=course, user=teacher, role=Role.INSTRUCTOR)
    reading = ReadingFactory(title=f"Reading {SHORT}", dek=EVIL, authors=[PAYLOADS[2]],
                             author_notes=[EVIL], source=PAYLOADS[0])
    passage = PassageFactory(reading=reading, order=1, text=f"Text {EVIL} fox end.")
    lesson = LessonFactory(course=course, reading=reading, slug="evil-lesson",
                           title=f"Lesson {SHORT}", objectives=[EVIL], summary=EVIL)
    annotation_create(lesson=lesson, passage=passage, quote="fox", kind="glossary",
                      title=SHORT, body=EVIL)
    annotation_create(lesson=lesson, passage=passage, quote=PAYLOADS[0], kind="context",
                      title="t", body=EVIL)
    quiz = QuizFactory(lesson=lesson, title=f"Quiz {SHORT}", instructions=EVIL)
    single = QuestionFactory(quiz=quiz, position=1, type="single", config={}, prompt=EVIL,
                             explanation=EVIL)
    Choice.objects.create(question=single, position=1, text=EVIL, fraction=1, feedback=EVIL)
    Choice.objects.create(question=single, position=2, text=f"B {EVIL}", fraction=0)
    essay = QuestionFactory(quiz=quiz, position=2, type="open", config={}, prompt=EVIL,
                            points=1)
    criterion = RubricCriterion.objects.create(rubric=Rubric.objects.create(question=essay),
                                               name=SHORT, description=EVIL)
    level = RubricLevel.objects.create(criterion=criterion, label=SHORTER, points=1,
                                       description=EVIL)
    short = QuestionFactory(quiz=quiz, position=3, prompt=EVIL,
                            config={"answers": [{"text": "x", "fraction": 1.0}]})
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    choice = single.choices.first()
    for question, answer in ((single, str(choice.pk)), (essay, f"Answer {EVIL}"),
                             (short, PAYLOADS[0])):
        services.response_save(attempt=attempt, question_id=question.pk, raw_answer=answer,
                               version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    response = Response.objects.get(attempt=attempt, question=essay)
    return {"course": course, "lesson": lesson, "quiz": quiz, "attempt": attempt,
            "response": response, "level": level, "criterion": criterion,
            "teacher": teacher, "student": student}


def _assert_nothing_ran(page, url: str) -> None:
    page.goto(url)
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None, f"a payload ran on {url}"


def test_no_planted_payload_runs_on_any_page(browser, live_server):
    planted = _plant()
    teaching.response_grade(
        response=planted["response"], levels={planted["criterion"].pk: planted["level"].pk},
        comment=EVIL, grader=planted["teacher"], now=timezone.now(),
        span_comments=[{"quote": "Answer", "comment": EVIL}])
    planted["quiz"].grades_released_at = timezone.now()
    planted["quiz"].save()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attempt, course, lesson = planted["attempt"], planted["course"], planted["lesson"]
    pages = {
        "student": [
            "/courses/", course.get_absolute_url(), lesson.get_absolute_url(),
            planted["quiz"].get_absolute_url(), f"/quizzes/attempts/{attempt.pk}/result/",
            "/quizzes/dashboard/",
        ],
        "teacher": [
            course.get_absolute_url(), lesson.get_absolute_url(),
            f"/quizzes/attempts/{attempt.pk}/result/",
            f"/quizzes/course/{course.slug}/grading/",
            f"/quizzes/responses/{planted['response'].pk}/grade/",
            f"/quizzes/course/{course.slug}/gradebook/",
            f"/quizzes/course/{course.slug}/audit/",
            f"/quizzes/course/{course.slug}/accommodations/",
            f"/courses/{course.slug}/lessons/", "/courses/readings/",
            f"/courses/readings/{lesson.reading_id}/",
            f"/courses/{course.slug}/lessons/new/?reading={lesson.reading_id}",
            f"/courses/{course.slug}/lessons/{lesson.slug}/settings/",
            f"/courses/{course.slug}/lessons/{lesson.slug}/delete/",
        ],
    }
    for username, urls in pages.items():
        context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/courses/")
        for url in urls:
            _assert_nothing_ran(page, url)
    # A fresh attempt page shows the question, choices and saved answers while in progress.
    context.clear_cookies()
    planted["quiz"].attempts_allowed = None
    planted["quiz"].save()
    # The review above showed the right answers, which ends a student's attempts; this
    # part of the walk needs a fresh attempt page, so the record is cleared.
    Attempt.objects.update(key_shown_at=None)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("student")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/courses/")
    page.goto(planted["quiz"].get_absolute_url())
    page.get_by_role("button", name="Start or continue").click()
    page.wait_for_url("**/attempts/**")
    assert page.evaluate("window.__xss") is None
    page.locator("textarea").first.fill(f"New {EVIL}")
    page.wait_for_timeout(1500)
    page.reload()
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    context.close()


def _teacher_page(browser, live_server):
    """A CSP-bypassing page logged in as the planted teacher, and the dialogs it opens."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/courses/")
    return context, page, dialogs


def test_no_payload_in_an_imported_gift_file_runs(browser, live_server, settings, tmp_path):
    """GIFT text reaches the preview page before anything is stored, then the quiz pages:
    payloads in titles, [html] and [markdown] prompts, choices and feedback stay inert."""
    settings.MEDIA_ROOT = tmp_path
    planted = _plant()
    quiz = planted["quiz"]
    escaped = {ch: "\\" + ch for ch in "~=#{}:"}
    gift_safe = [p.translate(str.maketrans(escaped)) for p in PAYLOADS]
    bank = tmp_path / "evil.gift"
    bank.write_text("\n\n".join([
        f"::{gift_safe[1]}::[html]{gift_safe[0]} {gift_safe[2]} pick "
        f"{{=Yes {gift_safe[1]}#{gift_safe[3]} ~No {gift_safe[4]}#{gift_safe[0]}"
        f"####{gift_safe[2]}}}",
        f"::md::[markdown]{gift_safe[3]} {gift_safe[4]} name it {{={gift_safe[0]}}}",
        f"[plain]{gift_safe[0]} true? {{T}}",
    ]) + "\n", encoding="utf-8")
    _import_and_take(browser, live_server, quiz, bank, 3)


def test_no_payload_in_an_imported_aiken_file_runs(browser, live_server, settings, tmp_path):
    """Aiken text (a prompt over several lines, choices in both letter styles, one with no
    space after its parenthesis) stays inert on the preview and the quiz pages."""
    settings.MEDIA_ROOT = tmp_path
    planted = _plant()
    bank = tmp_path / "evil.txt"
    bank.write_text("\n".join([
        f"{EVIL} which one?", f"A) {PAYLOADS[0]}", f"B) {PAYLOADS[1]}", f"C. {PAYLOADS[4]}",
        "ANSWER: B", "",
        f"{PAYLOADS[2]}", f"{PAYLOADS[3]} and?", f"A){PAYLOADS[3]}", f"B) {EVIL}",
        "ANSWER: A",
    ]) + "\n", encoding="utf-8")
    _import_and_take(browser, live_server, planted["quiz"], bank, 2)


def test_no_payload_in_a_roster_runs(browser, live_server, settings, tmp_path):
    """Names, sections and emails from a CSV roster, on the preview, People and gradebook."""
    settings.MEDIA_ROOT = tmp_path
    planted = _plant()
    course = planted["course"]
    roster = tmp_path / "roster.csv"
    import csv

    with roster.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "email", "name", "section"])
        writer.writerow(["evil1", "evil1@example.org", f"Eve {PAYLOADS[0]}", SHORTER[:50]])
        writer.writerow(["evil2", "evil2@example.org", PAYLOADS[1], PAYLOADS[4][:50]])
        writer.writerow(["bad name", f"{PAYLOADS[2]}@x", PAYLOADS[3], ""])
    context, page, dialogs = _teacher_page(browser, live_server)
    people = f"/courses/{course.slug}/people/"
    page.goto(people)
    page.get_by_label("Roster (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the roster").click()
    page.wait_for_url("**/people/roster/")
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None
    assert page.get_by_text("Line 4:").first.is_visible()
    # Without the bad line the roster goes in; its text then shows on other pages.
    lines = roster.read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    page.goto(people)
    page.get_by_label("Roster (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the roster").click()
    page.wait_for_url("**/people/roster/")
    page.get_by_role("button", name="Enrol 2").click()
    page.wait_for_url("**/people/")
    for url in (people, f"/quizzes/course/{course.slug}/gradebook/",
                f"/quizzes/course/{course.slug}/accommodations/"):
        _assert_nothing_ran(page, url)
    assert dialogs == []
    context.close()


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _import_and_take(browser, live_server, quiz, upload, count: int) -> None:
    """Upload a question file as the teacher, check the preview, import it, preview the quiz
    as a student and submit: no payload may run on any of those pages."""
    context, page, dialogs = _teacher_page(browser, live_server)
    page.goto(f"/quizzes/{quiz.pk}/import/")
    page.get_by_label("Question file").set_input_files(str(upload))
    page.get_by_role("button", name="Read and preview").click()
    page.wait_for_url("**/import/preview/")
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None
    before = quiz.questions.count()
    page.get_by_role("button", name=f"Import {count} questions").click()
    page.wait_for_url(f"**{quiz.get_absolute_url()}")
    assert quiz.questions.count() == before + count
    page.get_by_role("button", name="Preview as a student").click()
    page.wait_for_url("**/attempts/**")
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None
    page.goto(page.url.rstrip("/") + "/submit/")
    page.get_by_role("button", name="Submit").last.click()
    page.wait_for_url("**/result/")
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    context.close()


# An SVG that runs script if it is ever shown as a document, and a data: link to HTML.
SVG = "PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"
SNEAKY = (f'<img src="@@PLUGINFILE@@/evil.svg" onerror="{MARK}">'
          f'<a href="data:text/html,<script>{MARK}</script>">x</a>')


def test_no_payload_in_an_imported_moodle_xml_file_runs(browser, live_server, settings,
                                                        tmp_path):
    """Moodle XML: HTML question texts (with an embedded SVG), plain text, names, answers,
    feedback and matching sides stay inert on the preview and the quiz pages."""
    settings.MEDIA_ROOT = tmp_path
    planted = _plant()
    from xml.sax.saxutils import escape

    def question(kind: str, body: str) -> str:
        return (f'<question type="{kind}"><name><text>{escape(SHORT)}</text></name>'
                f'<questiontext format="html"><text>{_cdata(EVIL + SNEAKY)}</text>'
                f'<file name="evil.svg" path="/" encoding="base64">{SVG}</file></questiontext>'
                f'<generalfeedback format="plain_text"><text>{escape(EVIL)}</text>'
                f"</generalfeedback><defaultgrade>1</defaultgrade>{body}</question>")

    bank = tmp_path / "evil.xml"
    bank.write_text('<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join([
        question("multichoice", "<single>true</single>"
                 f'<answer fraction="100" format="html"><text>{_cdata("Yes " + EVIL)}</text>'
                 f'<feedback format="html"><text>{_cdata(EVIL)}</text></feedback></answer>'
                 f'<answer fraction="0" format="plain_text"><text>{escape(EVIL)}</text>'
                 "</answer>"),
        question("match", "".join(
            f'<subquestion format="html"><text>{_cdata(p + str(n))}</text><answer><text>'
            f"{escape(p)} {n}</text></answer></subquestion>" for n, p in enumerate(PAYLOADS))),
        question("description", ""),
    ]) + "</quiz>", encoding="utf-8")
    _import_and_take(browser, live_server, planted["quiz"], bank, 3)


def test_no_payload_in_an_imported_qti_package_runs(browser, live_server, settings, tmp_path):
    """QTI: HTML item texts, choice texts, feedback and titles from a Canvas-shaped zip."""
    import zipfile
    from xml.sax.saxutils import escape

    settings.MEDIA_ROOT = tmp_path
    planted = _plant()
    html = escape(EVIL + SNEAKY.replace("@@PLUGINFILE@@", "$IMS-CC-FILEBASE$"))
    item = f"""<item ident="i1" title="{escape(SHORT, {'"': '&quot;'})}">
      <itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type</fieldlabel>
      <fieldentry>multiple_choice_question</fieldentry></qtimetadatafield></qtimetadata>
      </itemmetadata>
      <presentation><material><mattext texttype="text/html">{html}</mattext></material>
        <response_lid ident="response1" rcardinality="Single"><render_choice>
          <response_label ident="a"><material><mattext texttype="text/html">{html}</mattext>
          </material></response_label>
          <response_label ident="b"><material><mattext>{escape(EVIL)}</mattext></material>
          </response_label></render_choice></response_lid></presentation>
      <resprocessing><respcondition continue="Yes"><conditionvar><other/></conditionvar>
        <displayfeedback linkrefid="general_fb"/></respcondition>
        <respcondition continue="Yes"><conditionvar><varequal respident="response1">b
        </varequal></conditionvar><displayfeedback linkrefid="b_fb"/></respcondition>
        <respcondition continue="No"><conditionvar><varequal respident="response1">a</varequal>
        </conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>
      </resprocessing>
      <itemfeedback ident="general_fb"><flow_mat><material><mattext texttype="text/html">{html}
      </mattext></material></flow_mat></itemfeedback>
      <itemfeedback ident="b_fb"><flow_mat><material><mattext texttype="text/html">{html}
      </mattext></material></flow_mat></itemfeedback>
    </item>"""
    second = item.replace('ident="i1"', 'ident="i2"')
    assessment = ('<questestinterop><assessment ident="q" title="Q"><section ident="s">'
                  f"{item}{second}</section></assessment></questestinterop>")
    package = tmp_path / "evil.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("imsmanifest.xml", '<manifest><resources><resource identifier="q" '
                         'type="imsqti_xmlv1p2" href="q/q.xml"/></resources></manifest>')
        archive.writestr("q/q.xml", assessment)
        archive.writestr("evil.svg", '<svg onload="alert(1)"/>')
    _import_and_take(browser, live_server, planted["quiz"], package, 2)
