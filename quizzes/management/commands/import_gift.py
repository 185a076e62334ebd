"""`python manage.py import_gift PATH --quiz ID [--only-valid]`: a Moodle GIFT file."""

from ._question_files import QuestionFileCommand


class Command(QuestionFileCommand):
    help = "Import the questions of a Moodle GIFT file into a quiz (all or nothing)."
    format = "gift"
