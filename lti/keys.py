"""The tool's signing keys (django-lti's Key): generation and rotation."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key


@transaction.atomic
def key_rotate(*, retire_after_days: int = 7) -> tuple[Key, int]:
    """Generate a new RSA key, which signs from now on (the newest active key signs), and
    take keys older than `retire_after_days` out of the key set. Returns the new key and
    how many were retired. Keys younger than that stay published, so a platform that cached
    the key set can still check messages signed just before the rotation."""
    now = timezone.now()
    new_key = Key.objects.generate()
    retired = (Key.objects.active().exclude(pk=new_key.pk)
               .filter(datetime_created__lt=now - timedelta(days=retire_after_days))
               .update(is_active=False))
    return new_key, retired


def key_ensure() -> Key:
    """The signing key, generated when there is none yet."""
    key = Key.objects.active().order_by("-datetime_created").first()
    return key or key_rotate(retire_after_days=10_000)[0]
