"""The report's workflow in Chromium, as a director and a regional reviewer use it: notes typed and
sent in one go, the confirmation before sending and accepting, a returned report's comment where
the centre works, an accepted quarter sealed until the reviewer takes the acceptance back."""

import re

import pytest

from plans.locks import MonthState
from plans.selectors import month_states
from reports.models import Report
from reports.tables import build_table
from reports.workflow import do_save_notes, do_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Sabab: mablag‘ kechikdi"
COMMENT = "12.1 bandini qayta tekshiring"


def _switch_to(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def _send_q1(demo) -> None:
    manager = demo.users["direktor"]
    notes = {row.indicator_id: NOTE for row in build_table(demo.plan, 1).missing_notes()}
    do_save_notes(demo.plan, 1, notes, acting_user=manager)
    do_submit(demo.plan, 1, acting_user=manager)


def test_the_send_button_keeps_the_notes_links_the_missing_ones_and_asks_to_confirm(page, log_in, demo):
    url = f"/reports/{demo.plan.pk}/1/"
    log_in("direktor")
    page.goto(url)
    notes = page.locator("tr.needs-note textarea")
    assert notes.count() > 3
    # The first note left empty (clearing what the months' notes proposed), the others typed.
    notes.all()[0].fill("")
    for note in notes.all()[1:]:
        note.fill(NOTE)
    # The director presses "send" without saving the notes first.
    page.get_by_role("button", name="Viloyat markaziga yuborish…").click()
    page.wait_for_load_state()
    refusal = page.locator("#refusal")
    assert "Hisobot yuborilmadi" in refusal.inner_text()
    assert [note.input_value() for note in notes.all()[1:]] == [NOTE] * (notes.count() - 1)
    assert page.locator("tr.note-missing").count() == 1
    link = refusal.get_by_role("link").first
    row_id = link.get_attribute("href").removeprefix("#")
    link.click()
    assert page.url.endswith(f"#{row_id}")
    assert "note-missing" in page.locator(f"tr#{row_id}").get_attribute("class")

    page.locator(f"tr#{row_id} textarea").fill("Sabab: kitoblar kech keldi")
    page.get_by_role("button", name="Viloyat markaziga yuborish…").click()
    page.wait_for_load_state()
    assert re.search(r"/send/$", page.url)
    # 3 April: March is open until its lock day, and no service has completed it.
    assert "05.04.2024" in page.locator("#before-lock-day").inner_text()
    march = page.locator("#month-3")
    assert "Abonement va foydalanuvchilarga xizmat ko‘rsatish xizmati" in march.inner_text()
    assert "Yakunlanmagan" in march.inner_text()
    assert not Report.objects.filter(state="submitted").exists()
    page.get_by_role("button", name="Viloyat markaziga yuborish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Yuborilgan"
    version = Report.objects.get(plan=demo.plan, quarter=1).versions.get()
    sent_notes = {row["note"] for row in version.table["rows"] if row["indicator_id"] and row["note"]}
    # With the notes proposed from the months' notes on the other rows, sent as they stood.
    assert {NOTE, "Sabab: kitoblar kech keldi"} <= sent_notes


def test_returned_then_accepted_then_the_acceptance_taken_back(page, log_in, demo):
    url = f"/reports/{demo.plan.pk}/1/"
    _send_q1(demo)

    log_in("viloyat")
    page.goto(url)
    page.fill("#return-comment", COMMENT)
    page.get_by_role("button", name="Tuzatish uchun qaytarish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Tuzatish uchun qaytarilgan"

    # The comment is where the centre works: at the top of the report, on the dashboard, and on
    # the entry pages of the months it reopened.
    _switch_to(page, log_in, "direktor")
    page.goto(url)
    banner = page.locator("#sent-back")
    assert COMMENT in banner.inner_text() and "Viloyat" in banner.inner_text()
    assert banner.bounding_box()["y"] < page.locator(".report-table").bounding_box()["y"]
    assert banner.bounding_box()["y"] < 600
    page.goto("/plan/dashboard/")
    assert COMMENT in page.locator(".returned-banner").inner_text()
    _switch_to(page, log_in, "xodim-abonement")
    page.goto(f"/plan/entry/2024/3/{demo.service('abonement').pk}/")
    assert COMMENT in page.locator(".returned-banner").inner_text()

    _switch_to(page, log_in, "direktor")
    page.goto(url)
    page.get_by_role("button", name="Viloyat markaziga yuborish…").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Viloyat markaziga yuborish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Yuborilgan"

    _switch_to(page, log_in, "viloyat")
    page.goto(url)
    page.get_by_role("link", name="Qabul qilish…").click()
    page.wait_for_load_state()
    assert "2-versiya" in page.locator("main").inner_text()
    assert Report.objects.get(plan=demo.plan, quarter=1).state == "submitted"
    page.get_by_role("button", name="Qabul qilish", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Qabul qilingan"

    # The accepted quarter's months are sealed: the director cannot reopen March, and is told why.
    _switch_to(page, log_in, "direktor")
    page.goto("/plan/entry/2024/3/")
    assert "qabul qilgan" in page.locator("#reopen-sealed").inner_text()
    assert page.get_by_role("button", name="Oyni qayta ochish").count() == 0

    _switch_to(page, log_in, "viloyat")
    page.goto(url)
    page.fill("#withdraw-reason", "15-band raqami xato")
    page.get_by_role("button", name="Qabul qilishni bekor qilish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Tuzatish uchun qaytarilgan"
    assert month_states(demo.plan)[3] == MonthState.CLOSED

    _switch_to(page, log_in, "direktor")
    page.goto(url)
    assert "15-band raqami xato" in page.locator("#sent-back").inner_text()
    page.goto("/plan/entry/2024/3/")
    page.fill("#reopen-reason", "15-bandni tuzatish")
    page.get_by_role("button", name="Oyni qayta ochish").click()
    page.wait_for_load_state()
    assert month_states(demo.plan)[3] == MonthState.OPEN
    report = Report.objects.get(plan=demo.plan, quarter=1)
    assert (report.state, report.versions.count()) == ("returned", 2)
