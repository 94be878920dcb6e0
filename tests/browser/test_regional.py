"""The regional reviewer reads the region at a glance in Chromium and drills into a district."""

import pytest

from plans.demo import load_demo
from plans.demo_region import GENERATED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(password="demo-password", region=True)


def test_regional_reviewer_opens_the_region_and_drills_into_the_late_district(page, log_in, region):
    log_in("viloyat")
    page.click("nav.mainnav a[href='/plan/region/']")
    page.wait_for_load_state()
    rows = page.locator("#centres tbody tr")
    assert rows.count() == 4
    # Worst first by default: Forish, late with its entries, leads.
    forish = rows.first.locator("th a")
    assert forish.inner_text() == "Forish tuman"
    assert page.locator("svg.status-grid").count() == 1

    # Sorting by name on the server turns the order round when asked again.
    page.click("#centres thead a.sort >> nth=0")
    page.wait_for_load_state()
    assert rows.first.locator("th a").inner_text() == "Forish tuman"
    page.click("#centres thead a.sort >> nth=0")
    page.wait_for_load_state()
    assert rows.first.locator("th a").inner_text() == "Zomin tuman"
    assert "sort=-name" in page.url

    page.click(f"#centres a[title='{GENERATED[2].name}']")
    page.wait_for_load_state()
    assert "/plan/dashboard/" in page.url
    assert GENERATED[2].name in page.locator("h1").inner_text()
    # And back up to the region.
    page.click("p.crumbs a[href^='/plan/region/']")
    page.wait_for_load_state()
    assert page.locator("#centres tbody tr").count() == 4
