"""`python manage.py import_reading PATH-OR-URL [--course SLUG] [--title TEXT] [--publish]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses import uploads
from courses.ingest import IngestError
from courses.models import Course


class Command(BaseCommand):
    help = ("Clean a reading (a .txt, .md, .html, .docx or .pdf file, or a web page's URL) "
            "and store it, optionally as a lesson.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file, or an http(s) URL to fetch")
        parser.add_argument("--course", help="slug of the course to add a lesson to")
        parser.add_argument("--title", default="")
        parser.add_argument("--publish", action="store_true",
                            help="publish the lesson to students")

    def handle(self, *args, **options):
        course = None
        if options["course"]:
            course = Course.objects.filter(slug=options["course"]).first()
            if course is None:
                raise CommandError(f"No course with the slug “{options['course']}”.")
        source_url = ""
        if options["path"].lower().startswith(("http://", "https://")):
            try:
                fetched = uploads.upload_fetch(url=options["path"])
            except IngestError as error:
                raise CommandError(str(error)) from error
            data, name, source_url = fetched.data, fetched.filename, fetched.url
        else:
            path = Path(options["path"])
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
            name = path.name
        try:
            cleaned = uploads.upload_clean(data=data, filename=name)
        except IngestError as error:
            raise CommandError(str(error)) from error
        existing = uploads.reading_find_duplicate(cleaned.content_hash)
        if existing is not None:
            raise CommandError(f"This text is already in Lectio as “{existing.title}” "
                               f"(reading {existing.pk}). Nothing was stored.")
        details = uploads.details_found(cleaned, title=options["title"], source_url=source_url)
        reading = uploads.reading_publish_upload(
            cleaned=cleaned, data=data, details=details, course=course,
            publish=options["publish"])
        self.stdout.write(f"Stored reading {reading.pk} “{reading.title}” with "
                          f"{len(cleaned.passages)} passages.")
