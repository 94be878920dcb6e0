"""Notices in Chromium: a reviewer returns a report, and the director sees the bell and the comment."""

import pytest

from reports.tables import build_table
from reports.workflow import do_save_notes, do_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_report_rings_the_directors_bell_with_the_reviewers_comment(page, log_in, demo):
    director = demo.users["direktor"]
    table = build_table(demo.plan, 1)
    do_save_notes(
        demo.plan,
        1,
        {row.indicator_id: "Sabab: kech keldi" for row in table.missing_notes()},
        acting_user=director,
    )
    do_submit(demo.plan, 1, acting_user=director)

    log_in("viloyat")
    page.goto(f"/reports/{demo.plan.pk}/1/")
    page.fill("#return-comment", "12.1 bandini qayta tekshiring")
    page.get_by_role("button", name="Tuzatish uchun qaytarish").click()
    page.wait_for_load_state()

    page.context.clear_cookies()
    log_in("direktor")
    assert page.locator("header .bell-count").inner_text() == "1"
    page.locator("header a.bell").click()
    page.wait_for_load_state()
    notice = page.locator(".notice-item.unread")
    assert notice.count() == 1
    assert "12.1 bandini qayta tekshiring" in notice.inner_text()

    notice.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reports/{demo.plan.pk}/1/")
    assert page.locator("header .bell-count").inner_text() == ""
