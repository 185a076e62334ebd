"""`python manage.py import_moodle_xml PATH --quiz ID [--only-valid]`: a Moodle XML file."""

from ._question_files import QuestionFileCommand


class Command(QuestionFileCommand):
    help = "Import the questions of a Moodle XML file into a quiz (all or nothing)."
    format = "moodle_xml"
