"""`python manage.py export_lesson SLUG [--course COURSE_SLUG] [-o PATH]`: a lesson package."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import Lesson
from quizzes.interop.package_services import lesson_export


class Command(BaseCommand):
    help = "Write a lesson, its reading and its quizzes as a portable JSON lesson package."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the lesson's slug")
        parser.add_argument("--course", help="slug of the lesson's course, when several "
                                             "courses have a lesson with this slug")
        parser.add_argument("-o", "--output", help="write to this file, not standard output")

    def handle(self, *args, **options):
        lessons = Lesson.objects.filter(slug=options["slug"]).select_related("course")
        if options["course"]:
            lessons = lessons.filter(course__slug=options["course"])
        found = list(lessons.order_by("course__slug")[:10])
        if not found:
            where = f" in the course “{options['course']}”" if options["course"] else ""
            raise CommandError(f"No lesson with the slug “{options['slug']}”{where}.")
        if len(found) > 1:
            courses = ", ".join(lesson.course.slug for lesson in found)
            raise CommandError(f"Several courses have a lesson “{options['slug']}” ({courses}); "
                               "choose one with --course.")
        lesson = found[0]
        text = json.dumps(lesson_export(lesson=lesson), ensure_ascii=False, indent=2)
        if not options["output"]:
            self.stdout.write(text)
            return
        path = Path(options["output"])
        try:
            path.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        self.stdout.write(f"Wrote “{lesson.title}” from “{lesson.course.title}” to {path}.")
