"""A person logs in through the real login page in Chromium."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_speaks_uzbek_and_logs_in(page, log_in, demo):
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "uz"
    log_in("direktor")
    assert "/login/" not in page.url
    assert page.locator("header .who").inner_text().strip() == "Direktor (demo)"


def test_wrong_password_is_refused_with_a_message(page, log_in, demo):
    log_in("direktor", "wrong-password")
    assert "/login/" in page.url
    assert page.locator("[role=alert]").is_visible()
