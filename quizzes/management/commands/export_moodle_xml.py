"""`python manage.py export_moodle_xml --quiz ID [-o PATH]`: a quiz's questions as Moodle XML."""

from quizzes.interop import services as interop

from .export_gift import Command as ExportCommand


class Command(ExportCommand):
    help = "Write a quiz's questions as a Moodle XML file (stdout unless -o is given)."
    export = staticmethod(interop.quiz_export_moodle_xml)
