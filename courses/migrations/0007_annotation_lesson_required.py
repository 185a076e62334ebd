# A separate migration: PostgreSQL refuses to alter a table with row changes pending in the
# same transaction, and 0006 has just written every note. Now every note has its lesson: the
# column becomes a required foreign key, with its constraint and index.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0006_annotation_lesson"),
    ]

    operations = [
        migrations.AlterField(
            model_name="annotation",
            name="lesson",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="annotations",
                to="courses.lesson", verbose_name="lesson"),
        ),
    ]
