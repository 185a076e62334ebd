"""Send the quiz grades waiting for the LMS (run every minute from cron)."""

from django.core.management.base import BaseCommand

from lti.services_passback import passback_send_due


class Command(BaseCommand):
    help = "Send pending LTI grade passbacks that are due, retrying failures with backoff."

    def handle(self, *args, **options):
        counts = passback_send_due()
        total = sum(counts.values())
        detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"
        self.stdout.write(f"{total} grade{'s' if total != 1 else ''} tried: {detail}.")
