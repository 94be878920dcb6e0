"""A director approves a draft plan in Chromium, after which its months open for entry, and makes
next year's plan from it."""

import pytest

from plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_approves_the_draft_then_its_month_opens(page, log_in, demo):
    Plan.objects.filter(pk=demo.plan.pk).update(approved_at=None)
    entry = f"/plan/entry/2024/4/{demo.service('abonement').pk}/"
    log_in("direktor")

    page.goto(entry)
    assert "direktori tasdiqlagach" in page.locator(".notice.window").inner_text()

    page.goto("/plan/dashboard/")
    page.click(f"a[href='/plan/{demo.plan.pk}/']")
    page.click("a.button")  # "Rejani tasdiqlash": the confirmation page
    assert not Plan.objects.get(pk=demo.plan.pk).is_approved
    page.click("button.primary")
    page.wait_for_load_state()
    assert "Reja tasdiqlandi" in page.locator(".messages").inner_text()
    assert "Direktor (demo) tomonidan tasdiqlangan" in page.locator(".plan-state").inner_text()

    page.goto(entry)
    assert "ochiq" in page.locator(".notice.window").inner_text()


def test_director_makes_next_years_plan_with_empty_targets(page, log_in, demo):
    log_in("direktor")
    page.goto(f"/plan/{demo.plan.pk}/")
    page.click(f"a[href='/plan/{demo.plan.pk}/next-year/']")
    assert "2025-yilning har oyida" in page.content()
    page.check("input[value=empty]")
    page.click("button.primary")
    page.wait_for_load_state()

    new = Plan.objects.get(organization=demo.district, year=2025)
    assert page.url.endswith(f"/plan/{new.pk}/")
    assert not new.is_approved
    assert not new.items.filter(indicators__annual_target__isnull=False).exists()
    assert new.items.filter(previous_item__plan=demo.plan).count() == demo.plan.items.count()
