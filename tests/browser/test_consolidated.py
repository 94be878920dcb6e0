"""The consolidated report in Chromium: the regional manager sends it to the National Library, whose
reviewer returns it; a district's report returned after sending marks it out of date."""

import pytest

from reports.models import Report
from reports.workflow import do_return
from tests.reports.consolidated_world import build_region, send_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_as(page, log_in, user) -> None:
    user.set_password("demo-password")
    user.save()
    page.context.clear_cookies()
    log_in(user.username)


def test_the_region_sends_it_and_the_national_library_returns_it(page, log_in):
    region = build_region(3)
    send_district(region, 0)
    send_district(region, 1)
    _log_in_as(page, log_in, region.users["region_manager"])
    page.goto("/reports/consolidated/")
    page.get_by_role("link", name="I chorak").first.click()
    assert region.districts[2].name in page.locator(".districts-missing").inner_text()
    page.screenshot(path="/tmp/consolidated-draft.png", full_page=True)
    page.get_by_role("button", name="Milliy kutubxonaga yuborish").click()
    assert "Yig‘ma hisobot Milliy kutubxonaga yuborildi." in page.content()

    do_return(
        region.plans[1].reports.get(quarter=1),
        acting_user=region.users["region_reviewer"],
        comment="Tuzating",
    )
    _log_in_as(page, log_in, region.users["national_reviewer"])
    page.goto(f"/reports/consolidated/{region.template.pk}/1/")
    banner = page.locator("#out-of-date")
    assert region.districts[1].name in banner.inner_text()
    page.screenshot(path="/tmp/consolidated-out-of-date.png", full_page=True)
    page.fill("#return-comment", "2-tuman hisobotini qayta yuboring")
    page.get_by_role("button", name="Tuzatish uchun qaytarish").click()
    assert Report.objects.get(plan=region.template, quarter=1).state == "returned"
