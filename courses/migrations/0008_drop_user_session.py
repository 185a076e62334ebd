"""Sessions move from courses.UserSession to Django's own django_session table (read through
the shared cache by the cached_db engine). Unexpired sessions are copied, so nobody is signed
out by the upgrade; reversing copies them back (without the user column, which only the old
one-statement read used)."""

from django.db import migrations
from django.utils import timezone


def copy_to_django_sessions(apps, schema_editor):
    UserSession = apps.get_model("courses", "UserSession")
    Session = apps.get_model("sessions", "Session")
    alive = UserSession.objects.filter(expire_date__gt=timezone.now())
    Session.objects.bulk_create(
        (Session(session_key=row.session_key, session_data=row.session_data,
                 expire_date=row.expire_date) for row in alive.iterator()),
        batch_size=1000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    UserSession = apps.get_model("courses", "UserSession")
    Session = apps.get_model("sessions", "Session")
    alive = Session.objects.filter(expire_date__gt=timezone.now())
    UserSession.objects.bulk_create(
        (UserSession(session_key=row.session_key, session_data=row.session_data,
                     expire_date=row.expire_date) for row in alive.iterator()),
        batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0007_annotation_lesson_required"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_django_sessions, copy_back),
        migrations.DeleteModel(name="UserSession"),
    ]
