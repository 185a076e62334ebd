"""Reads for the reading library: which texts a person may see and build lessons from,
with their versions and the lessons that use each version.

Who sees what: site admins see every reading. Other teaching staff see the texts that a
lesson of a course they teach (as instructor or assistant) uses, and the texts a site admin
made available to such a course; of the lessons built on a text they see only those of
their own courses, and a count of the others. A text is all its versions together: seeing
one version means seeing them all, because a correction makes a new version of a reading
that attempts have used, and the course's lessons move to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast, Coalesce, Lower

from . import access
from .models import Course, CourseReading, Enrollment, Lesson, Reading, Role

# The id every version of a text shares: its first version's.
FAMILY = Coalesce(F("first_version_id"), F("pk"))
SORTS = {
    "title": (Lower("title"), "-created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "published": (F("published_on").desc(nulls_last=True), Lower("title"), "pk"),
}
TEACHING_ROLES = (Role.INSTRUCTOR, Role.ASSISTANT)


@dataclass
class LibraryScope:
    """The courses that decide what one person sees and does in the library."""

    role: str
    courses: list[Course]     # courses whose lessons and links the person sees
    authoring: list[Course]   # courses the person may build lessons in

    @property
    def sees_everything(self) -> bool:
        return self.role == access.ADMIN

    @property
    def course_ids(self) -> set[int]:
        return {course.pk for course in self.courses}


def library_scope(user, role: str) -> LibraryScope:
    """The courses `user` teaches (every course for site admins), and those they may build
    lessons in: one query."""
    if role == access.ADMIN:
        courses = list(Course.objects.order_by("title", "pk"))
        return LibraryScope(role, courses, courses)
    courses = list(Course.objects.filter(enrollments__user=user,
                                         enrollments__role__in=TEACHING_ROLES)
                   .annotate(my_role=F("enrollments__role")).order_by("title", "pk"))
    return LibraryScope(role, courses, [c for c in courses if c.my_role == Role.INSTRUCTOR])


def _families_in(course_ids) -> QuerySet:
    """The texts that a lesson of these courses uses or that were made available to them."""
    return (Reading.objects.filter(Q(lessons__course_id__in=course_ids)
                                   | Q(course_links__course_id__in=course_ids))
            .annotate(family=FAMILY).values("family"))


def _taught_course_ids(user) -> QuerySet:
    return Enrollment.objects.filter(user=user, role__in=TEACHING_ROLES).values("course_id")


def current_readings(user) -> QuerySet[Reading]:
    """The current version of every text `user` may see in the library, each annotated with
    `family` (a lazy queryset: filter, order and paginate it)."""
    readings = (Reading.objects
                .filter(~Exists(Reading.objects.filter(previous_version=OuterRef("pk"))))
                .annotate(family=FAMILY))
    if not user.is_staff:
        readings = readings.filter(family__in=_families_in(_taught_course_ids(user)))
    return readings


def visible_reading(user, pk: int) -> Reading | None:
    """The reading `pk` (any version) if `user` may see it in the library, else None; with
    `family` and `is_current`. One query."""
    readings = Reading.objects.filter(pk=pk).annotate(
        family=FAMILY,
        is_current=~Exists(Reading.objects.filter(previous_version=OuterRef("pk"))))
    if not user.is_staff:
        readings = readings.filter(family__in=_families_in(_taught_course_ids(user)))
    return readings.first()


def library_search(user, scope: LibraryScope, *, q: str = "", course: Course | None = None,
                   use: str = "", sort: str = "title") -> QuerySet[Reading]:
    """The current readings `user` may see, matching `q` (title, standfirst, source or
    author), used in or made available to `course`, used by a lesson of the person's
    courses or not yet (`use` = "used" / "unused"), in the order `sort` names."""
    readings = current_readings(user)
    if q:
        readings = readings.annotate(authors_text=Cast("authors", TextField())).filter(
            Q(title__icontains=q) | Q(dek__icontains=q) | Q(source__icontains=q)
            | Q(authors_text__icontains=q))
    if course is not None:
        readings = readings.filter(family__in=_families_in([course.pk]))
    if use in ("used", "unused"):
        lessons = Lesson.objects.all()
        if not scope.sees_everything:
            lessons = lessons.filter(course_id__in=_taught_course_ids(user))
        used = (Reading.objects.filter(lessons__in=lessons).annotate(family=FAMILY)
                .values("family"))
        readings = (readings.filter(family__in=used) if use == "used"
                    else readings.exclude(family__in=used))
    return readings.order_by(*SORTS.get(sort, SORTS["title"]))


@dataclass
class LibraryVersion:
    reading: Reading
    number: int                                    # 1 for the first version
    lessons: list[Lesson] = field(default_factory=list)  # those the person may see
    other_lessons: int = 0                         # lessons of courses they do not teach


@dataclass
class LibraryEntry:
    """One text in the library: its current version, every version newest first, and the
    courses it was made available to."""

    reading: Reading
    versions: list[LibraryVersion]
    available_in: list[CourseReading]

    @property
    def lesson_count(self) -> int:
        return sum(len(v.lessons) + v.other_lessons for v in self.versions)

    @property
    def available_course_ids(self) -> set[int]:
        return {link.course_id for link in self.available_in}


def library_entries(scope: LibraryScope, readings: list[Reading]) -> list[LibraryEntry]:
    """The library entries for these current readings (each annotated with `family`): every
    version with its lessons and the courses each text was made available to, in three
    queries whatever the number of readings, versions and lessons."""
    if not readings:
        return []
    versions = (Reading.objects.annotate(family=FAMILY)
                .filter(family__in={r.family for r in readings})
                .order_by("created_at", "pk")
                .prefetch_related(
                    Prefetch("lessons", queryset=Lesson.objects.select_related("course")
                             .order_by("course__title", "position", "pk")),
                    Prefetch("course_links", queryset=CourseReading.objects
                             .select_related("course").order_by("course__title", "pk"))))
    mine = scope.course_ids
    by_family: dict[int, list[LibraryVersion]] = {}
    links: dict[int, list[CourseReading]] = {}
    for version in versions:
        family = by_family.setdefault(version.family, [])
        shown = [lsn for lsn in version.lessons.all()
                 if scope.sees_everything or lsn.course_id in mine]
        family.append(LibraryVersion(version, len(family) + 1, shown,
                                     len(version.lessons.all()) - len(shown)))
        links.setdefault(version.family, []).extend(
            link for link in version.course_links.all()
            if scope.sees_everything or link.course_id in mine)
    return [LibraryEntry(r, list(reversed(by_family.get(r.family, []))),
                         links.get(r.family, []))
            for r in readings]
