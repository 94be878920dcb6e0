"""What keeps a librarian from tripping on the entry page, in Chromium: the month to report, typed
figures kept from loss, the rows a save refused, the confirmation of a month with empty rows."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Actual, Indicator, MonthCompletion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def indicator(demo, number):
    return Indicator.objects.get(item__plan=demo.plan, item__number=number, label="")


def row(page, indicator):
    return page.locator(f"#row-{indicator.pk}")


def test_staff_land_on_the_month_to_report_and_see_until_when_it_is_open(page, log_in, demo):
    log_in("xodim-abonement")  # on 3 April
    assert page.url.endswith(f"/plan/entry/2024/3/{demo.service('abonement').pk}/")
    expect(page.locator(".notice.window")).to_have_text(
        "Kiritish uchun 5-Aprel, 2024-yil sanasigacha (shu kun ham) ochiq."
    )


def test_leaving_with_typed_figures_asks_first_and_saving_does_not(page, log_in, demo):
    visitors = indicator(demo, "15")
    log_in("xodim-abonement")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    # Nothing typed: leaving asks nothing.
    page.get_by_role("link", name=re.compile("Keyingi oy")).click()
    page.wait_for_url("**/2024/4/*/")
    assert dialogs == []
    page.go_back()
    page.wait_for_url("**/2024/3/*/")

    field = row(page, visitors).locator("input.value")
    field.fill("999")
    expect(page.locator(".entry-actions .unsaved")).to_be_visible()
    page.get_by_role("link", name=re.compile("Keyingi oy")).click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/2024/3/" in page.url  # stayed, with the figure still typed
    assert field.input_value() == "999"

    # Typing the saved value back is no change: leaving asks nothing.
    field.fill("480")
    expect(page.locator(".entry-actions .unsaved")).to_be_hidden()

    field.fill("500")
    page.get_by_role("button", name="Oyni saqlash").click()
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]
    assert Actual.objects.get(indicator=visitors, month=3).value == 500


def test_history_opens_beside_the_form_which_keeps_what_was_typed(page, log_in, demo):
    visitors = indicator(demo, "15")
    log_in("xodim-abonement")
    row(page, visitors).locator("input.value").fill("777")
    with page.context.expect_page() as opened:
        row(page, visitors).get_by_role("link", name=re.compile("Tarix")).click()
    history = opened.value
    history.wait_for_load_state()
    assert f"/plan/entry/history/{visitors.pk}/" in history.url
    assert "Tarix" in history.locator("h1").inner_text()
    assert row(page, visitors).locator("input.value").input_value() == "777"


def test_a_refused_save_counts_the_wrong_rows_links_them_and_focuses_the_first(page, log_in, demo):
    visitors, loans = indicator(demo, "15"), indicator(demo, "16")
    log_in("xodim-abonement")
    row(page, loans).locator("input.value").fill("-2")
    row(page, visitors).locator("input.value").fill("bir")
    page.get_by_role("button", name="Oyni saqlash").click()
    page.wait_for_load_state()
    summary = page.locator(".notice.refused")
    expect(summary).to_contain_text("2 ta qator noto‘g‘ri")
    expect(row(page, visitors).locator("input.value")).to_be_focused()
    summary.locator(f'a[href="#row-{loans.pk}"]').click()
    assert page.url.endswith(f"#row-{loans.pk}")
    expect(row(page, loans)).to_be_in_viewport()


def test_a_month_with_empty_rows_is_completed_only_once_they_are_confirmed(page, log_in, demo):
    service = demo.service("abonement")
    log_in("boshliq-abonement")  # March: 10 of the service's 25 rows have no figure
    expect(page.locator("form.completion")).to_contain_text("25 ta qatordan 10 tasida hali raqam yo‘q")
    page.get_by_role("button", name="Oyni yakunlangan deb belgilash").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("yakunlangan deb belgilansinmi?")
    expect(page.locator(".empty-rows li")).to_have_count(10)
    # The box must be ticked: the browser keeps the form until it is.
    page.get_by_role("button", name="Oyni yakunlangan deb belgilash").click()
    assert not MonthCompletion.objects.exists()
    page.get_by_label(re.compile("Ha, 10 ta qator bo‘sh")).check()
    page.get_by_role("button", name="Oyni yakunlangan deb belgilash").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/plan/entry/2024/3/{service.pk}/")
    expect(page.locator(".notice.done")).to_be_visible()
    assert MonthCompletion.objects.filter(month=3, service=service).exists()
