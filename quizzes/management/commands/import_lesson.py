"""`python manage.py import_lesson PATH --course SLUG`: add a lesson package to a course."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from config.jsoninput import JSONInputError
from courses.models import Annotation, Course
from quizzes.interop.package import package_loads
from quizzes.interop.package_services import lesson_import


class Command(BaseCommand):
    help = ("Add a lesson package (from export_lesson) to a course as a new, unpublished "
            "lesson with its own copy of the reading. Nothing is stored if anything is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package's JSON file")
        parser.add_argument("--course", required=True, help="slug of the course to add it to")

    def handle(self, *args, **options):
        course = Course.objects.filter(slug=options["course"]).first()
        if course is None:
            raise CommandError(f"No course with the slug “{options['course']}”.")
        path = Path(options["path"])
        try:
            doc = package_loads(path.read_bytes(), max_bytes=settings.LECTIO_IMPORT_MAX_BYTES)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except JSONInputError as error:
            raise CommandError(f"{path}: {error} It is not a lesson package Lectio can "
                               "import.") from error
        try:
            lesson = lesson_import(doc=doc, course=course)
        except ValidationError as error:
            problems = "\n".join(f"- {message}" for message in error.messages)
            raise CommandError(f"Nothing was imported from {path}:\n{problems}") from error
        self._report(lesson)

    def _report(self, lesson):
        reading = lesson.reading
        notes = Annotation.objects.filter(lesson=lesson).count()
        self.stdout.write(f"Created lesson “{lesson.title}” ({lesson.slug}, unpublished) in "
                          f"“{lesson.course.title}”.")
        self.stdout.write(f"Created reading “{reading.title}” (reading {reading.pk}) with "
                          f"{reading.passages.count()} passages and {notes} annotations.")
        for quiz in lesson.quizzes.annotate(size=Count("questions")).order_by("position", "pk"):
            self.stdout.write(f"Created quiz “{quiz.title}” with {quiz.size} questions.")
