"""`python manage.py close_overdue_attempts [--enqueue]`: for a periodic job (cron, timer).

Pages also close overdue attempts lazily on the next request; this catches the attempts of
students who never come back. With --enqueue the command only hands the work to the task
worker (`manage.py db_worker`), so the cron job ends at once whatever the number of attempts.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.taking.services import attempt_close_overdue
from quizzes.taking.tasks import attempts_close_overdue_task


class Command(BaseCommand):
    help = "Submit every attempt whose deadline and grace period have passed."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Let the task worker do it instead of this process.")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = attempts_close_overdue_task.enqueue()
            self.stdout.write(f"Queued task {result.id} to close overdue attempts.")
            return
        closed = attempt_close_overdue(now=timezone.now())
        self.stdout.write(f"Closed {closed} overdue attempt{'s' if closed != 1 else ''}.")
