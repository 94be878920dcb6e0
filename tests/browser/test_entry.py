"""A staff member enters a month in Chromium: saves, sees totals change, meets an error, a closed month."""

import re

import pytest
from playwright.sync_api import expect

from plans.entry import do_close_quarter
from plans.models import Actual, Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visitors(demo):
    return Indicator.objects.get(item__plan=demo.plan, item__number="15")


def row(page, indicator):
    return page.locator(f"#row-{indicator.pk}")


def test_staff_member_enters_a_month_and_sees_the_total_change(page, log_in, demo):
    indicator = visitors(demo)
    log_in("xodim-abonement")
    page.goto(f"/plan/entry/2024/4/{demo.service('abonement').pk}/")
    assert row(page, indicator).locator("td.total").inner_text().strip() == "480"
    row(page, indicator).locator("input.value").fill("120")
    row(page, indicator).locator("input.note").fill("Kitobxonlar kuni")
    page.get_by_role("button", name="Oyni saqlash").click()
    page.wait_for_load_state()
    assert row(page, indicator).locator("td.total").inner_text().strip() == "600"
    assert "Saqlandi" in page.locator(".messages").inner_text()
    assert Actual.objects.get(indicator=indicator, month=4).value == 120


def test_enter_in_a_field_does_not_submit(page, log_in, demo):
    indicator = visitors(demo)
    log_in("xodim-abonement")
    page.goto(f"/plan/entry/2024/4/{demo.service('abonement').pk}/")
    field = row(page, indicator).locator("input.value")
    field.fill("5")
    field.press("Enter")
    # Enter moves on to the row's note instead of submitting.
    expect(row(page, indicator).locator("input.note")).to_be_focused()
    assert row(page, indicator).locator("input.value").input_value() == "5"
    assert not Actual.objects.filter(month=4).exists()


def test_bad_value_gets_a_message_and_the_rest_of_the_form_is_kept(page, log_in, demo):
    indicator = visitors(demo)
    loans = Indicator.objects.get(item__plan=demo.plan, item__number="16")
    log_in("xodim-abonement")
    page.goto(f"/plan/entry/2024/4/{demo.service('abonement').pk}/")
    row(page, indicator).locator("input.value").fill("-4")
    row(page, loans).locator("input.value").fill("77")
    row(page, loans).locator("input.note").fill("aprel")
    page.get_by_role("button", name="Oyni saqlash").click()
    page.wait_for_load_state()
    assert "manfiy" in row(page, indicator).inner_text()
    assert row(page, indicator).locator("input.value").input_value() == "-4"
    assert row(page, loans).locator("input.value").input_value() == "77"
    assert row(page, loans).locator("input.note").input_value() == "aprel"
    assert not Actual.objects.filter(month=4).exists()


def test_closed_month_cannot_be_edited(page, log_in, demo):
    do_close_quarter(demo.plan, 1, acting_user=demo.users["direktor"])
    log_in("xodim-abonement")  # March is closed: they land on April
    assert "/2024/4/" in page.url
    page.get_by_role("link", name=re.compile("Oldingi oy")).click()
    page.wait_for_load_state()
    assert "/2024/3/" in page.url
    assert page.locator("input.value").count() == 0
    assert page.get_by_role("button", name="Oyni saqlash").count() == 0
    assert "yopilgan" in page.locator(".notice.closed").inner_text()


def test_page_fits_a_phone_screen(page, log_in, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in("xodim-abonement")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert row(page, visitors(demo)).locator("input.value").is_visible()
