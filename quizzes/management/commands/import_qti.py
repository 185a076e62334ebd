"""`python manage.py import_qti PATH --quiz ID [--only-valid]`: a QTI 1.2 package (Canvas)."""

from ._question_files import QuestionFileCommand


class Command(QuestionFileCommand):
    help = "Import the questions of a QTI 1.2 package or file into a quiz (all or nothing)."
    format = "qti"
