"""Django's model authentication backend, fetching the signed-in user with one statement.

`ModelBackend.get_user` runs on every signed-in request; building its queryset cost about
as much CPU as the lesson page's own query (bench/bench_lesson.py). Authentication,
permissions and the `is_active` rule stay Django's; only that fetch is different.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .rows import fetch_one


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        """The active user with primary key `user_id`, every field loaded, or None."""
        model = get_user_model()
        user = fetch_one(model, [(model._meta.pk.name, "=", user_id)])
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
