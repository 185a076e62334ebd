"""Import time and peak memory for a 5,000-question Moodle XML file: parsing alone (time and
tracemalloc peak), then parsing and storing the questions in one transaction on PostgreSQL.

    python bench/bench_moodle_xml.py [--questions 5000] [--runs 3] [--json]

The file is written the way Moodle exports one: a category every 50 questions, every type
Lectio reads (multiple choice with one and with several answers, true/false, short answer,
numerical with units and "any other answer", matching, essay, ordering, description), HTML
in CDATA, feedback, penalties, and a small embedded picture in one question of ten.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc

from common import ROOT, fresh_database, machine, write_result

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElF"
       "TkSuQmCC")


def _text(tag: str, body: str, fmt: str = "html", extra: str = "") -> str:
    return f'<{tag} format="{fmt}"><text><![CDATA[{body}]]></text>{extra}</{tag}>'


def _answer(fraction: str, text: str, feedback: str = "", extra: str = "") -> str:
    return (f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>'
            f'{_text("feedback", feedback)}{extra}</answer>')


def _question(n: int) -> str:
    kind = n % 9
    picture = n % 10 == 0
    prompt = f"<p>Question {n}: what does passage {n % 40 + 1} claim?</p>"
    files = ""
    if picture:
        prompt += f'<p><img src="@@PLUGINFILE@@/figure{n}.png" alt="Figure {n}"></p>'
        files = f'<file name="figure{n}.png" path="/" encoding="base64">{PNG}</file>'
    head = (f"<name><text>Q{n}</text></name>{_text('questiontext', prompt, extra=files)}"
            f"{_text('generalfeedback', f'<p>See passage {n % 40 + 1}.</p>')}"
            "<defaultgrade>{grade}</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden>")
    grade = 1 if n % 7 else 2
    if kind == 0:
        body = ("<single>true</single><shuffleanswers>true</shuffleanswers>"
                + _answer("100", f"City {n}", "Right.") + _answer("0", f"Town {n}", "No.")
                + _answer("0", f"Village {n}"))
        qtype = "multichoice"
    elif kind == 1:
        body = ("<single>false</single><shuffleanswers>true</shuffleanswers>"
                + _answer("50", f"True A {n}") + _answer("50", f"True B {n}")
                + _answer("-100", f"False {n}", "Not this one."))
        qtype = "multichoice"
    elif kind == 2:
        body = _answer("100", "true", "Right.") + _answer("0", "false", "Think again.")
        qtype = "truefalse"
    elif kind == 3:
        body = ("<usecase>0</usecase>" + _answer("100", "Kuhrt")
                + _answer("50", "Kaczmarski", "Co-author."))
        qtype = "shortanswer"
    elif kind == 4:
        body = (_answer("100", str(n), "Close enough.", "<tolerance>0.5</tolerance>")
                + _answer("0", "*", "Count again.", "<tolerance>0</tolerance>"))
        qtype = "numerical"
    elif kind == 5:
        body = "<shuffleanswers>true</shuffleanswers>" + "".join(
            f'<subquestion format="html"><text>{left} {n}</text><answer><text>{right}'
            "</text></answer></subquestion>"
            for left, right in (("Moscow", "Russia"), ("Beijing", "China"), ("", "Japan")))
        qtype = "match"
    elif kind == 6:
        body = ("<responseformat>editor</responseformat><minwordlimit>50</minwordlimit>"
                "<maxwordlimit>300</maxwordlimit>")
        qtype = "essay"
    elif kind == 7:
        body = "".join(f'<answer fraction="{i}"><text>Event {i} of {n}</text></answer>'
                       for i in (1, 2, 3))
        qtype = "ordering"
    else:
        body, qtype, grade = "", "description", 0
    return f'<question type="{qtype}">{head.format(grade=grade)}{body}</question>\n'


def moodle_file(count: int) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for n in range(1, count + 1):
        if n % 50 == 1:
            parts.append('<question type="category"><category><text>$course$/top/part-'
                         f"{n // 50}</text></category></question>\n")
        parts.append(_question(n))
    parts.append("</quiz>\n")
    return "".join(parts).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()

    env = fresh_database("lectio_bench_moodle_xml")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from courses.models import Course, Lesson, Reading
    from quizzes.interop import moodle_xml
    from quizzes.interop import services as interop
    from quizzes.models import Question, Quiz

    data = moodle_file(args.questions)
    parse_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parsed = moodle_xml.parse_moodle_xml(data)
        parse_times.append(time.perf_counter() - start)
    if parsed.problems or len(parsed.questions) != args.questions:
        print(json.dumps({"error": f"{len(parsed.questions)} questions, "
                          f"{len(parsed.problems)} problems, first: {parsed.problems[:3]}"}))
        return 1
    tracemalloc.start()
    moodle_xml.parse_moodle_xml(data)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    course = Course.objects.create(title="Bench", slug="bench")
    reading = Reading.objects.create(title="Bench reading")
    lesson = Lesson.objects.create(course=course, reading=reading, title="Bench", slug="bench")
    import_times = []
    for run in range(args.runs):
        quiz = Quiz.objects.create(lesson=lesson, title=f"Bench {run}")
        start = time.perf_counter()
        parsed = interop.question_file_parse(data=data, format="moodle_xml")
        interop.questions_import(quiz=quiz, drafts=parsed.questions)
        import_times.append(time.perf_counter() - start)
    stored = Question.objects.filter(quiz__lesson=lesson).count()
    connection.close()

    result = {
        "benchmark": "moodle_xml_import",
        "machine": machine(),
        "database": "PostgreSQL",
        "questions": args.questions,
        "file_bytes": len(data),
        "runs": args.runs,
        "parse_median_seconds": round(statistics.median(parse_times), 3),
        "parse_peak_memory_mb": round(parse_peak / 1e6, 1),
        "parse_and_store_median_seconds": round(statistics.median(import_times), 3),
        "questions_stored": stored,
    }
    write_result("moodle_xml", result)
    print(json.dumps(result, indent=2))
    return 0 if stored == args.questions * args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
