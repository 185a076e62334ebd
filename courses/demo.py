"""The demo: four users, a demo course and the seed lesson from `fixtures/seed/`.

Every step looks for what an earlier run made before creating it, so loading twice
duplicates nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from .ingest import ingest
from .models import Course, Enrollment, Lesson, Reading, Role
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
            "is_published": True,
        },
    )
    if created:
        # Notes belong to the lesson; an existing lesson keeps the notes its staff left it.
        passages = {p.order: p for p in lesson.reading.passages.all()}
        for note in meta["annotations"]:
            annotation_create(
                lesson=lesson,
                passage=passages[note["passage"]],
                quote=note["quote"],
                occurrence=note.get("occurrence", 1),
                kind=note["kind"],
                title=note.get("title", ""),
                body=note["body"],
                audience=note.get("audience", "everyone"),
            )
    return lesson


def load() -> list[str]:
    """Load the courses part of the demo; return lines to print."""
    course = load_users_and_course()
    lesson = load_seed_lesson(course)
    return [f"Course “{course.title}” with lesson “{lesson.title}”."]
