"""The server error page a crash answers (templates/500.html) passes axe and leads back by
keyboard. It renders without context processors, so it is checked on its own."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.urls("tests.accounts.crash_urls")
def test_the_server_error_page_passes_axe_and_leads_back_by_keyboard(page):
    response = page.goto("/crash/")
    assert response.status == 500
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    assert_accessible(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Back to Lectio"
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
