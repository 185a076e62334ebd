"""`python manage.py export_qti --quiz ID -o PATH`: a quiz's questions as a QTI 1.2 zip."""

from quizzes.interop import services as interop

from .export_gift import Command as ExportCommand


class Command(ExportCommand):
    help = "Write a quiz's questions as a QTI 1.2 package for Canvas (a zip: give -o PATH)."
    export = staticmethod(interop.quiz_export_qti)
