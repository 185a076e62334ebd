"""The demo: four users, a demo course and the seed lesson from `fixtures/seed/`.

Every step looks for what an earlier run made before creating it, so loading twice
duplicates nothing. Run on a database an earlier seed filled, it brings the demo up to date
where that undoes nobody's work: see `_fill_blanks` and `_sync_notes` here and
`quizzes.demo.load` (an attempted quiz keeps its questions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .ingest import ingest
from .models import Annotation, Course, Enrollment, Lesson, Reading, Role
from .services import PassageInput, annotation_create, reading_create

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"
DEMO_COURSE_SLUG = "demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str | None  # course role; None for the site admin
    superuser: bool = False


# Demo passwords are public by design: they are printed by load_demo and listed in the README.
DEMO_USERS = (
    DemoUser("admin", "lectio-admin", "Ada", "Admin", None, superuser=True),
    DemoUser("instructor", "lectio-instructor", "Irene", "Instructor", Role.INSTRUCTOR),
    DemoUser("student", "lectio-student", "Sam", "Student", Role.STUDENT),
    DemoUser("student2", "lectio-student2", "Tess", "Student", Role.STUDENT),
)


def load_users_and_course() -> Course:
    """Create the demo users and course and enrol them; return the course."""
    user_model = get_user_model()
    course, _ = Course.objects.get_or_create(
        slug=DEMO_COURSE_SLUG,
        defaults={
            "title": "Reading World Politics",
            "description": "Close reading of analysis and commentary on international relations.",
            "is_published": True,
        },
    )
    for demo in DEMO_USERS:
        user = user_model.objects.filter(username=demo.username).first()
        if user is None:
            user = user_model(
                username=demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=f"{demo.username}@example.com",
                is_staff=demo.superuser,
                is_superuser=demo.superuser,
            )
            user.set_password(demo.password)
            user.save()
        if demo.role:
            Enrollment.objects.get_or_create(
                course=course, user=user, defaults={"role": demo.role}
            )
    return course


def seed_metadata() -> dict:
    return json.loads((SEED_DIR / "lesson.json").read_text(encoding="utf-8"))


def load_seed_lesson(course: Course) -> Lesson:
    """Ingest the seed article, annotate it and place it in `course` as a published lesson."""
    meta = seed_metadata()
    cleaned = ingest((SEED_DIR / "article.txt").read_bytes(), filename="article.txt")
    reading = Reading.objects.filter(content_hash=cleaned.content_hash).first()
    if reading is None:
        info = meta.get("reading", {})
        published = info.get("published")
        reading = reading_create(
            title=info.get("title") or meta["lesson"]["title"],
            passages=[PassageInput(p.kind, p.text) for p in cleaned.passages],
            content_hash=cleaned.content_hash,
            word_count=cleaned.word_count,
            reading_minutes=cleaned.reading_minutes,
            readability_grade=cleaned.readability_grade,
            dek=cleaned.dek,
            section=cleaned.section,
            authors=cleaned.authors,
            author_notes=cleaned.author_notes,
            source=info.get("source") or cleaned.source,
            source_url=info.get("source_url", ""),
            published_on=date.fromisoformat(published) if published else None,
            licence=info.get("licence", ""),
            date_note=info.get("date_note", ""),
            copy_note=info.get("copy_note", ""),
        )
    info = meta["lesson"]
    lesson, created = Lesson.objects.get_or_create(
        course=course,
        slug=info["slug"],
        defaults={
            "reading": reading,
            "title": info["title"],
            "summary": info.get("summary", ""),
            "objectives": info.get("objectives", []),
            "before_reading": info.get("before_reading", ""),
            "discussion": info.get("discussion", []),
            "is_published": True,
        },
    )
    if not created:
        _fill_blanks(lesson, info)
    _sync_notes(lesson, meta["annotations"])
    return lesson


# An earlier demo is brought up to date without undoing what its staff did: fields left
# empty are filled, and a note the seed made is rewritten only while nobody has edited it.
# (Notes made here are stamped created == updated; an edit moves `updated_at` on.)
_UNTOUCHED = timedelta(seconds=1)


def _fill_blanks(lesson: Lesson, info: dict) -> None:
    """Give an earlier demo's lesson and reading the seed's newer fields where still empty."""
    lesson_fields = {k: info[k] for k in ("summary", "objectives", "before_reading", "discussion")
                     if info.get(k) and not getattr(lesson, k)}
    if lesson_fields:
        Lesson.objects.filter(pk=lesson.pk).update(**lesson_fields)
    reading_info = seed_metadata().get("reading", {})
    reading_fields = {k: reading_info[k] for k in ("date_note", "copy_note")
                      if reading_info.get(k) and not getattr(lesson.reading, k)}
    if reading_fields:
        Reading.objects.filter(pk=lesson.reading_id).update(**reading_fields)


def _sync_notes(lesson: Lesson, seed_notes: list[dict]) -> None:
    """Make the lesson's seed-made notes match the seed; notes staff wrote or edited stay.

    Seed notes are known by passage and quote. A missing one is added; an untouched one is
    rewritten to the seed's text, kind and depth; an untouched one the seed no longer has
    is removed.
    """
    passages = {p.order: p for p in lesson.reading.passages.all()}
    wanted = {(n["passage"], n["quote"]): n for n in seed_notes}
    now = timezone.now()
    for note in lesson.annotations.filter(author=None).select_related("passage"):
        if note.updated_at - note.created_at > _UNTOUCHED:
            wanted.pop((note.passage.order, note.quote), None)  # staff edited it: theirs now
            continue
        seed = wanted.pop((note.passage.order, note.quote), None)
        if seed is None:
            note.delete()
            continue
        values = {"kind": seed["kind"], "title": seed.get("title", ""), "body": seed["body"],
                  "audience": seed.get("audience", "everyone"),
                  "depth": seed.get("depth", "core")}
        if any(getattr(note, k) != v for k, v in values.items()):
            # Both stamps move together: the lesson page's cache sees the change, and the
            # note still reads as untouched next time.
            Annotation.objects.filter(pk=note.pk).update(
                **values, created_at=now, updated_at=now)
    for seed in wanted.values():
        annotation_create(
            lesson=lesson, passage=passages[seed["passage"]], quote=seed["quote"],
            occurrence=seed.get("occurrence", 1), kind=seed["kind"],
            title=seed.get("title", ""), body=seed["body"],
            audience=seed.get("audience", "everyone"), depth=seed.get("depth", "core"))


def load() -> list[str]:
    """Load the courses part of the demo; return lines to print."""
    course = load_users_and_course()
    lesson = load_seed_lesson(course)
    return [f"Course “{course.title}” with lesson “{lesson.title}”."]
