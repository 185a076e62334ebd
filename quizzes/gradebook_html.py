"""The gradebook table's body, built as one string.

A 1,000-student, 20-quiz gradebook has 20,000 cells; Django's template engine spent over
half a second on them (bench/bench_gradebook.py), so the rows are written here instead.
Every text that comes from people (names, usernames, sections) goes through `escape`; every
other value is a number, a fixed word or a URL built from numbers. This is the one place
besides courses/markdown.py that marks HTML safe, for that reason and under that rule; the
XSS browser suite plants payloads in every name and section it shows.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors_teaching import Row

_ID = 987654321  # a stand-in id, replaced in reversed URLs so each cell needs no reverse()


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value}%"


def gradebook_body(course_slug: str, rows: list[Row], columns: int) -> SafeString:
    """The <tr> rows of the gradebook: the student (linked to their report), one cell per
    quiz (linked to the attempt behind the grade, with its marker), and their average."""
    report = reverse("quizzes:student-report", args=[course_slug, _ID]).split(str(_ID))
    result = reverse("quizzes:attempt-result", args=[_ID]).split(str(_ID))
    out = [] if rows else [f'<tr><td colspan="{columns + 2}">No students match.</td></tr>']
    for row in rows:
        enrollment = row.enrollment
        user = enrollment.user
        username = escape(user.username)
        name = escape(user.get_full_name() or user.username)
        section = f", {escape(enrollment.section)}" if enrollment.section else ""
        out.append(f'<tr><th scope="row"><a href="{report[0]}{user.pk}{report[1]}">{name}</a>'
                   f' <span class="small">({username}{section})</span></th>')
        for cell in row.cells:
            if cell.attempt_id:
                out.append(f'<td><a href="{result[0]}{cell.attempt_id}{result[1]}">'
                           f"{_percent(cell.percent)}</a>")
            else:
                out.append("<td>–")
            if cell.marker:  # one of three fixed words, never user text
                out.append(f' <span class="badge text-bg-light border">{cell.marker}</span>')
            out.append("</td>")
        out.append(f"<td>{_percent(row.average)}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 - every text value is escaped above
