"""A manager watches the centre dashboard in Chromium while a figure is entered."""

import pytest

from plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_an_item_turn_from_behind_to_on_track(page, log_in, demo):
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")  # 480 of 1278 by March
    log_in("direktor")
    assert "/plan/dashboard/" in page.url  # a manager lands on the centre dashboard

    behind = page.locator("#attention tbody tr", has=page.locator("td:first-child a", has_text="15"))
    assert behind.count() == 1
    assert "status-behind" in behind.locator(".status").get_attribute("class")

    # The row's link to its responsible service's entry page, for the dashboard's month.
    behind.locator("a.entry-link").first.click()
    page.wait_for_load_state()
    assert f"/plan/entry/2024/3/{demo.service('abonement').pk}/" in page.url
    page.locator(f"#row-{visitors.pk} td.input input:visible").first.fill("1300")
    page.click("button[name=save]")
    page.wait_for_load_state()

    page.goto("/plan/dashboard/?month=3")
    assert behind.count() == 0
    listed = page.locator(f"#indicators a[href^='/plan/indicator/{visitors.pk}/']").first.locator(
        "xpath=ancestor::tr"
    )
    assert "status-on_track" in listed.locator(".status").get_attribute("class")
