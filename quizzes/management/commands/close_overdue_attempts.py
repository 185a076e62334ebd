"""`python manage.py close_overdue_attempts`: for a periodic job (cron, systemd timer).

Pages also close overdue attempts lazily on the next request; this catches the attempts of
students who never come back.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.taking.services import attempt_close_overdue


class Command(BaseCommand):
    help = "Submit every attempt whose deadline and grace period have passed."

    def handle(self, *args, **options):
        closed = attempt_close_overdue(now=timezone.now())
        self.stdout.write(f"Closed {closed} overdue attempt{'s' if closed != 1 else ''}.")
