"""Questions and lessons in and out of Lectio: GIFT and Aiken files, lesson packages."""
