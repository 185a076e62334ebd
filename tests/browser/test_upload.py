"""An admin uploads the seed file, reads the preview and confirms; axe on both pages."""

from pathlib import Path

import pytest

from courses.models import Reading
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
# The first cleaning in a server process imports trafilatura and loads textstat's
# pronunciation dictionary: several seconds on a busy machine, before the page answers.
FIRST_CLEANING_MS = 45_000

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"


def test_admin_uploads_previews_and_publishes(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(page, "boss", PASSWORD)
    page.get_by_role("link", name="Upload a reading").click()
    assert_accessible(page)
    page.get_by_label("File").set_input_files(str(SEED))
    page.get_by_label("Title (optional)").fill("Uploaded seed")
    page.get_by_role("button", name="Clean and preview").click(timeout=FIRST_CLEANING_MS)
    page.wait_for_url("**/preview/")
    assert_accessible(page)
    assert page.get_by_text("10 passages").is_visible()
    assert page.get_by_text("Source link").is_visible()
    page.get_by_role("button", name="Confirm and store").click()
    page.wait_for_url("**/readings/upload/")
    assert page.get_by_text("with 10 passages").is_visible()
    assert Reading.objects.get().title == "Uploaded seed"


def test_admin_imports_from_a_url_and_corrects_the_details_by_keyboard(page, settings,
                                                                       tmp_path):
    """The URL field, then the preview's corrections: a bad date is refused with a message
    (axe on that page too), a good one is stored."""
    from tests.courses.reading_server import ReadingServer

    settings.MEDIA_ROOT = tmp_path
    settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS = ("127.0.0.1/32",)
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(page, "boss", PASSWORD)
    page.get_by_role("link", name="Upload a reading").click()
    with ReadingServer() as server:
        page.get_by_label("Or import from a web address").fill(server.url("/article"))
        page.get_by_role("button", name="Clean and preview").click(timeout=FIRST_CLEANING_MS)
        page.wait_for_url("**/preview/")
    assert_accessible(page)
    title = page.get_by_role("textbox", name="Title")
    assert title.input_value() == "The Bridges That Moved the Towns"
    page.get_by_label("Source", exact=True).fill("The Example Review (print)")
    page.get_by_label("Published on").fill("2099-01-01")
    page.get_by_role("button", name="Confirm and store").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/confirm/")
    assert page.get_by_text("cannot be in the future").is_visible()
    assert_accessible(page)
    assert Reading.objects.count() == 0
    page.get_by_label("Published on").fill("2021-02-03")
    page.get_by_role("button", name="Confirm and store").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/readings/upload/")
    reading = Reading.objects.get()
    assert reading.source == "The Example Review (print)"
    assert str(reading.published_on) == "2021-02-03"
    assert reading.source_url.endswith("/article")
