"""`python manage.py export_gift --quiz ID [-o PATH]`: a quiz's questions as GIFT."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.interop import services as interop
from quizzes.models import Quiz


class Command(BaseCommand):
    help = "Write a quiz's questions as a Moodle GIFT file (stdout unless -o is given)."
    # export_moodle_xml and export_qti are this command with another writer.
    export = staticmethod(interop.quiz_export_gift)

    def add_arguments(self, parser):
        parser.add_argument("--quiz", type=int, required=True, help="the quiz's id")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args, **options):
        quiz = Quiz.objects.filter(pk=options["quiz"]).first()
        if quiz is None:
            raise CommandError(f"There is no quiz with id {options['quiz']}.")
        text, problems = self.export(quiz)
        for problem in problems:
            self.stderr.write(f"Not exported: {problem}")
        if options["output"]:
            if isinstance(text, bytes):
                Path(options["output"]).write_bytes(text)
            else:
                Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}.")
        elif isinstance(text, bytes):
            raise CommandError("A zip cannot go to the terminal: give -o PATH.")
        else:
            self.stdout.write(text, ending="")
