"""`python manage.py import_aiken PATH --quiz ID [--only-valid]`: an Aiken file."""

from ._question_files import QuestionFileCommand


class Command(QuestionFileCommand):
    help = "Import the questions of an Aiken file into a quiz (all or nothing)."
    format = "aiken"
