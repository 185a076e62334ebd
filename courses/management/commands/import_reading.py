"""`python manage.py import_reading PATH [--course SLUG] [--title TEXT] [--publish]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses import uploads
from courses.ingest import IngestError
from courses.models import Course


class Command(BaseCommand):
    help = ("Clean a reading file (.txt, .md, .html, .docx, .pdf) and store it, optionally "
            "as a lesson.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--course", help="slug of the course to add a lesson to")
        parser.add_argument("--title", default="")
        parser.add_argument("--publish", action="store_true",
                            help="publish the lesson to students")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        course = None
        if options["course"]:
            course = Course.objects.filter(slug=options["course"]).first()
            if course is None:
                raise CommandError(f"No course with the slug “{options['course']}”.")
        try:
            cleaned = uploads.upload_clean(data=data, filename=path.name)
        except IngestError as error:
            raise CommandError(str(error)) from error
        existing = uploads.reading_find_duplicate(cleaned.content_hash)
        if existing is not None:
            raise CommandError(f"This text is already in Lectio as “{existing.title}” "
                               f"(reading {existing.pk}). Nothing was stored.")
        reading = uploads.reading_publish_upload(
            cleaned=cleaned, data=data, title=options["title"], course=course,
            publish=options["publish"])
        self.stdout.write(f"Stored reading {reading.pk} “{reading.title}” with "
                          f"{len(cleaned.passages)} passages.")
