"""The report's round trip in Chromium: sent, returned with a comment, corrected, sent again, accepted."""

import pytest

from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def test_manager_submits_reviewer_returns_manager_resubmits_reviewer_accepts(page, log_in, demo):
    url = f"/reports/{demo.plan.pk}/1/"
    log_in("direktor")
    page.goto(url)
    for note in page.locator("tr.needs-note textarea").all():
        note.fill("Sabab: mablag‘ kechikdi")
    page.get_by_role("button", name="Izohlarni saqlash").click()
    page.wait_for_load_state()
    assert "Izohlar saqlandi." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Viloyat markaziga yuborish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Yuborilgan"

    _switch_to(page, log_in, "viloyat")
    page.goto("/reports/")
    page.get_by_role("link", name="I chorak", exact=True).click()
    page.fill("#return-comment", "12.1 bandini qayta tekshiring")
    page.get_by_role("button", name="Tuzatish uchun qaytarish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Tuzatish uchun qaytarilgan"
    assert "12.1 bandini qayta tekshiring" in page.locator(".history").inner_text()

    _switch_to(page, log_in, "direktor")
    page.goto(url)
    assert "12.1 bandini qayta tekshiring" in page.locator(".history").inner_text()
    page.locator("tr.needs-note textarea").first.fill("12.1: tekshirildi, raqam to‘g‘ri")
    page.get_by_role("button", name="Izohlarni saqlash").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Viloyat markaziga yuborish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Yuborilgan"
    assert page.locator(".report-history li").count() == 2

    _switch_to(page, log_in, "viloyat")
    page.goto(url)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").last.click()
    assert download.value.suggested_filename.endswith("-v2.pdf")
    page.get_by_role("button", name="Qabul qilish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Qabul qilingan"
    report = Report.objects.get(plan=demo.plan, quarter=1)
    assert (report.state, report.versions.count()) == ("accepted", 2)
