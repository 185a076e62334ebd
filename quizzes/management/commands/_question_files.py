"""What import_gift and import_aiken share: read the file, report problems, store or not."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from quizzes.interop import services as interop
from quizzes.models import Quiz


class QuestionFileCommand(BaseCommand):
    """Import a question file into a quiz: all or nothing unless --only-valid."""

    format = ""  # a key of interop.FORMATS

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import (UTF-8, with or without BOM)")
        parser.add_argument("--quiz", type=int, required=True, help="the quiz's id")
        parser.add_argument("--only-valid", action="store_true",
                            help="import the valid questions even if others have problems")

    def handle(self, *args, **options):
        quiz = Quiz.objects.filter(pk=options["quiz"]).first()
        if quiz is None:
            raise CommandError(f"There is no quiz with id {options['quiz']}.")
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        parsed = interop.question_file_parse(data=data, format=self.format)
        for problem in parsed.problems:
            self.stderr.write(str(problem))
        if parsed.problems and not options["only_valid"]:
            raise CommandError(
                f"{len(parsed.problems)} problem(s) in {path.name}; nothing was imported. "
                "Fix the file, or pass --only-valid to import the valid questions.")
        try:
            created = interop.questions_import(quiz=quiz, drafts=parsed.questions)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Imported {len(created)} question(s) into “{quiz.title}” "
                          f"(quiz {quiz.pk}).")
