"""`python manage.py load_demo`: the demo users, course, seed lesson and quizzes. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from courses.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Create the demo users, course, seed lesson and quizzes (safe to run again)."

    def handle(self, *args, **options):
        # Each app contributes its own part (settings.LECTIO_DEMO_LOADERS), so `courses`
        # never imports `quizzes`; all parts land together or not at all.
        with transaction.atomic():
            lines: list[str] = []
            for dotted in settings.LECTIO_DEMO_LOADERS:
                lines.extend(import_string(dotted)())
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo loaded. Log in at http://127.0.0.1:8000/ as:"))
        for demo in DEMO_USERS:
            role = "site admin" if demo.superuser else demo.role
            self.stdout.write(f"  {demo.username:<11} password {demo.password:<18} ({role})")
