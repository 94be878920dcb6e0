"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls. (Processes that tests start must
# not inherit this: see tests/deploy, which removes it from their environment.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_missing() -> str | None:
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return None
    return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.exit(f"{reason}; REQUIRE_BROWSER is set, so the run fails.", returncode=1)
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=f"{reason}: browser tests skipped."))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) in Uzbek, with its base URL at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="uz-UZ")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    """Log in through the login form, as a person would."""

    def log_in(username: str, password: str = "demo-password") -> None:
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()

    return log_in
