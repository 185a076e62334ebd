"""Reads for the class review pages: item analysis per quiz and the passage heatmap.

Both run a fixed number of queries whatever the number of students; the arithmetic lives in
the pure `item_stats.py`, the drawing in the pure `chart_layout.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from courses.models import Lesson, Passage, ReadingProgress

from .. import grading
from ..models import Attempt, AttemptStatus, Question, Quiz, Response
from . import item_stats as stats
from .chart_layout import BarChart, bar_chart

CLOSED = (AttemptStatus.GRADED, AttemptStatus.NEEDS_GRADING, AttemptStatus.SUBMITTED)


@dataclass
class ItemRow:
    question: Question
    stats: stats.ItemStats | None
    choices: list[tuple[Any, int]]   # (choice, times picked)


@dataclass
class QuizAnalysis:
    quiz: Quiz
    items: list[ItemRow]
    distribution: list[tuple[str, int]]
    distribution_chart: BarChart
    facility_chart: BarChart
    attempts: int


def quiz_item_analysis(quiz: Quiz) -> QuizAnalysis:
    """Facility, discrimination and choice counts per question, the score distribution and
    their charts, for the submitted, non-preview attempts of `quiz`: four queries."""
    # A description asks nothing, so it has no statistics to show.
    questions = [q for q in quiz.questions.prefetch_related("choices").order_by("position")
                 if grading.get_type(q.type).scored]
    rows = (Response.objects.filter(attempt__quiz=quiz, attempt__is_preview=False,
                                    attempt__status__in=CLOSED)
            .values_list("attempt_id", "question_id", "score", "question__points", "answer"))
    by_question = {s.question_id: s for s in stats.item_statistics(
        (a, q, None if score is None else float(score), float(points), answer)
        for a, q, score, points, answer in rows.iterator(chunk_size=5000)
    )}
    attempts = list(Attempt.objects.filter(quiz=quiz, is_preview=False,
                                           status=AttemptStatus.GRADED)
                    .values_list("score", "max_score"))
    percents = [100 * float(s) / float(m) for s, m in attempts if m]
    distribution = stats.score_distribution(percents)
    items = []
    for question in questions:
        item = by_question.get(question.pk)
        counts = item.choice_counts if item else {}
        items.append(ItemRow(question, item,
                             [(c, counts.get(str(c.pk), 0)) for c in question.choices.all()]))
    facility = [(f"Q{row.question.position}", round(100 * row.stats.facility, 1))
                for row in items if row.stats and row.stats.facility is not None]
    return QuizAnalysis(
        quiz, items, distribution,
        bar_chart(distribution, title=f"Score distribution: {quiz.title}",
                  value_label="students", chart_id="distribution"),
        bar_chart(facility, title=f"Facility per question: {quiz.title}",
                  value_label="mean score", max_value=100, percent=True,
                  chart_id="facility"),
        len(attempts),
    )


@dataclass
class HeatRow:
    passage: Passage
    heat: stats.PassageHeat
    level: int
    students: int

    @property
    def facility_percent(self) -> int | None:
        f = self.heat.facility
        return None if f is None else round(100 * f)


def lesson_heatmap(lesson: Lesson) -> list[HeatRow]:
    """Each passage of the lesson with how the class did on the questions citing it and
    where students stopped reading: five queries for any class size."""
    passages = list(Passage.objects.filter(reading_id=lesson.reading_id).order_by("order"))
    cites: dict[int, list[int]] = {}
    for question_id, order in (Question.cites.through.objects
                               .filter(question__quiz__lesson=lesson)
                               .values_list("question_id", "passage__order")):
        cites.setdefault(question_id, []).append(order)
    # Counted per question and score by the database: a class's responses take a few
    # distinct scores, so the rows read stay few whatever its size (bench/bench_scale.py).
    scores = (Response.objects.filter(question_id__in=list(cites), attempt__is_preview=False,
                                      attempt__status__in=CLOSED, score__isnull=False)
              .values_list("question_id", "score", "question__points")
              .annotate(n=Count("id")).order_by())
    progress = list(ReadingProgress.objects.filter(lesson=lesson)
                    .values_list("furthest_passage", "passages_seen", "completed_at"))
    heat = stats.passage_heatmap(
        [p.order for p in passages], cites,
        ((q, float(s), float(m), n) for q, s, m, n in scores),
        [furthest for furthest, _, done in progress if done is None and furthest],
        [seen for _, seen, _ in progress],
    )
    by_order = {h.order: h for h in heat}
    return [HeatRow(p, by_order[p.order], stats.heat_level(by_order[p.order].facility),
                    len(progress)) for p in passages]
