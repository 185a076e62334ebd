"""One-time tokens for forms whose POST creates something (jobs.models.SubmissionToken).

The form carries a token issued when it was shown; the view doing the work claims it in the
transaction that creates, and records there where it sent the sender. A second POST of the
same form (a double click, a reload, a second tab, even at the same moment) finds the token
used and is sent to the same place, creating nothing.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import SubmissionToken

LIFETIME = timedelta(days=1)  # how long a form may stay open, and a used token be replayed
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class SubmissionExpired(Exception):
    """The form's token is unknown, expired, or someone else's: it must be shown again."""

    def __init__(self) -> None:
        super().__init__("This form was open too long (or came from another page), so "
                         "nothing was done. Choose the file again and send the form.")


def submission_issue(*, owner, purpose: str) -> str:
    """A new token for one form of `purpose` shown to `owner`; expired tokens are deleted
    on the way."""
    now = timezone.now()
    SubmissionToken.objects.filter(expires_at__lte=now).delete()
    token = secrets.token_hex(16)
    SubmissionToken.objects.create(token=token, owner=owner, purpose=purpose,
                                   expires_at=now + LIFETIME)
    return token


def submission_claim(token: str, *, owner, purpose: str) -> SubmissionToken:
    """The token's row, locked for the caller's transaction: a concurrent claim of the same
    token waits for that transaction to end, then sees what it recorded. The row is `used`
    when an earlier POST already acted on it (its `result_url` says where that one went).
    Raises SubmissionExpired when the token is not waiting for `owner`."""
    row = None
    if TOKEN.match(token or ""):
        row = (SubmissionToken.objects.select_for_update()
               .filter(token=token, owner=owner, purpose=purpose,
                       expires_at__gt=timezone.now()).first())
    if row is None:
        raise SubmissionExpired()
    return row


def submission_record(claim: SubmissionToken, *, result_url: str) -> None:
    """Mark the claimed token used, in the caller's transaction, with the page its POST
    sent the sender to (a second POST goes there too, for LIFETIME from now)."""
    claim.result_url = result_url[:300]
    claim.expires_at = timezone.now() + LIFETIME
    claim.save(update_fields=["result_url", "expires_at"])
