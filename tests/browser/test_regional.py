"""The regional reviewer reads the region at a glance in Chromium and drills into a district."""

import datetime

import pytest

from demo.district import load_demo
from demo.region import GENERATED

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


def test_regional_reviewer_returns_a_late_district_s_report_and_the_consolidated_one_goes_out_of_date(
    page, log_in, region, settings
):
    """Forish sent its first-quarter report late (after the 5th of April) and the region has sent its
    consolidated report; the region's reviewer finds Forish late on the region's dashboard, drills
    into it, returns its report with a comment, and the consolidated report says it is out of date."""
    from django.contrib.auth import get_user_model

    from plans.models import Plan
    from reports.models import Report
    from reports.tables import build_table
    from reports.workflow import do_save_notes, do_submit, do_submit_consolidated

    settings.AKM_TODAY = datetime.date(2024, 4, 10)
    users = {user.username: user for user in get_user_model().objects.all()}
    forish = GENERATED[2]
    plan = Plan.objects.own().get(organization__name=forish.name, year=2024)
    director = users[forish.username]
    missing = build_table(plan, 1).missing_notes()
    do_save_notes(
        plan, 1, {row.indicator_id: "Sabab: kutubxonachi kasal" for row in missing}, acting_user=director
    )
    do_submit(plan, 1, acting_user=director)
    template = Plan.objects.templates().get(organization=plan.organization.parent, year=2024)
    do_submit_consolidated(template, 1, acting_user=users["viloyat-direktor"])

    log_in("viloyat")
    page.click("nav.mainnav a[href='/plan/region/']")
    page.wait_for_load_state()
    row = page.locator("#centres tbody tr", has=page.locator(f"a[title='{forish.name}']"))
    assert row.locator(".punctuality-late").count() == 1
    page.screenshot(path="/tmp/region-return-1-dashboard.png", full_page=True)

    # Into the district's own dashboard, and back up.
    row.locator(f"a[title='{forish.name}']").click()
    page.wait_for_load_state()
    assert forish.name in page.locator("h1").inner_text()
    page.screenshot(path="/tmp/region-return-2-district.png", full_page=True)
    page.click("p.crumbs a[href^='/plan/region/']")
    page.wait_for_load_state()

    # Its report, from the report column, returned with a comment.
    row.locator("a[href^='/reports/'] .report-state").click()
    page.wait_for_load_state()
    assert f"/reports/{plan.pk}/1/" in page.url
    page.fill("#return-comment", "31-band: davomat varaqalarini ilova qiling")
    page.click("button[name=return]")
    page.wait_for_load_state()
    assert Report.objects.get(plan=plan, quarter=1).state == Report.State.RETURNED
    assert "31-band: davomat varaqalarini ilova qiling" in page.locator("#sent-back").inner_text()
    page.screenshot(path="/tmp/region-return-3-returned.png", full_page=True)

    # The consolidated report the region sent no longer stands for Forish.
    page.goto(f"/reports/consolidated/{template.pk}/1/")
    banner = page.locator("#out-of-date")
    assert forish.name in banner.inner_text()
    page.screenshot(path="/tmp/region-return-4-consolidated.png", full_page=True)
