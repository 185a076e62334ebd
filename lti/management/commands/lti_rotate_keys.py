"""Generate a new LTI signing key and retire old ones (run it e.g. every three months)."""

from django.core.management.base import BaseCommand

from lti.keys import key_rotate


class Command(BaseCommand):
    help = ("Generate a new LTI signing key; active keys older than --retire-after days "
            "leave the published key set.")

    def add_arguments(self, parser):
        parser.add_argument("--retire-after", type=int, default=7,
                            help="Age in days past which older keys are retired (default 7).")

    def handle(self, *args, retire_after: int, **options):
        new_key, retired = key_rotate(retire_after_days=retire_after)
        self.stdout.write(f"New key {new_key} signs from now on; {retired} older key"
                          f"{'s' if retired != 1 else ''} retired.")
