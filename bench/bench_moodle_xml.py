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
import sys

from common import question_import_bench

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
    return question_import_bench(name="moodle_xml", data=moodle_file(args.questions),
                                 format="moodle_xml", questions=args.questions, runs=args.runs)


if __name__ == "__main__":
    sys.exit(main())
