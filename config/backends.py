"""Django's model authentication backend, taking the signed-in user from the session read.

`ModelBackend.get_user` runs on every signed-in request. config/sessions.py reads the user's
row in the same statement as the session; this backend takes that row when it is the user
asked for, and reads it by itself otherwise. Authentication, permissions, the `is_active`
rule and Django's session-hash check (in `django.contrib.auth.get_user`) stay Django's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .rows import fetch_one
from .sessions import take_user_read_with_session


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        """The active user with primary key `user_id`, every field loaded, or None."""
        model = get_user_model()
        user_pk = model._meta.pk.to_python(user_id)
        user = take_user_read_with_session(user_pk)
        if user is None:
            user = fetch_one(model, [(model._meta.pk.name, "=", user_pk)])
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
