"""An admin uploads the seed file, reads the preview and confirms; axe on both pages."""

from pathlib import Path

import pytest

from courses.models import Reading
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"


def test_admin_uploads_previews_and_publishes(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(page, "boss", PASSWORD)
    page.get_by_role("link", name="Upload a reading").click()
    assert_accessible(page)
    page.get_by_label("File").set_input_files(str(SEED))
    page.get_by_label("Title (optional)").fill("Uploaded seed")
    page.get_by_role("button", name="Clean and preview").click()
    page.wait_for_url("**/preview/")
    assert_accessible(page)
    assert page.get_by_text("10 passages").is_visible()
    assert page.get_by_text("Source link").is_visible()
    page.get_by_role("button", name="Confirm and store").click()
    page.wait_for_url("**/readings/upload/")
    assert page.get_by_text("with 10 passages").is_visible()
    assert Reading.objects.get().title == "Uploaded seed"
