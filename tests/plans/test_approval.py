"""A plan is a draft until its director approves it; figures are entered only on approved plans."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from plans.approval import AlreadyApproved, do_approve_plan
from plans.entry import MonthClosed, SubmittedRow, do_save_month
from plans.locks import MonthState, month_state
from plans.models import Actual, Indicator, Plan
from plans.selectors import month_state_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(plan_2024) -> Plan:
    Plan.objects.filter(pk=plan_2024.pk).update(approved_at=None, approved_by=None)
    plan_2024.refresh_from_db()
    return plan_2024


def entry_url(demo, month=4):
    service = demo.service("abonement")
    return reverse("plans:entry", kwargs={"year": 2024, "month": month, "service": service.pk})


def visitors(plan) -> Indicator:
    return Indicator.objects.get(item__plan=plan, item__number="15")


def test_a_draft_plan_opens_no_month_whatever_was_decided():
    on = datetime.date(2024, 4, 3)
    assert month_state(2024, 4, today=on, lock_day=5, approved=False) == MonthState.DRAFT
    assert month_state(2024, 1, today=on, lock_day=5, decision="reopened", approved=False) == MonthState.DRAFT
    assert month_state(2024, 4, today=on, lock_day=5, approved=True) == MonthState.OPEN


def test_the_demo_plan_is_loaded_approved(plan_2024):
    assert plan_2024.is_approved
    assert month_state_of(plan_2024, 4) == MonthState.OPEN


def test_the_migration_approves_the_plans_already_in_use(draft):
    migration = importlib.import_module("plans.migrations.0009_plan_approval")
    migration.approve_existing_plans(apps, None)
    draft.refresh_from_db()
    assert draft.is_approved
    assert draft.approved_by is None


def test_saving_a_month_of_a_draft_is_refused(demo, draft):
    row = SubmittedRow(visitors(draft).pk, 5, "", None, "")
    with pytest.raises(MonthClosed):
        do_save_month(draft, 4, demo.service("abonement"), [row], acting_user=demo.users["direktor"])
    assert not Actual.objects.filter(indicator=visitors(draft), month=4).exists()


def test_the_entry_page_of_a_draft_says_why_nothing_can_be_entered(client, demo, draft):
    client.force_login(demo.users["xodim-abonement"])
    response = client.get(entry_url(demo))
    assert response.status_code == 200
    assert response.context["state"] == MonthState.DRAFT
    assert not response.context["editable"]
    assert "direktori tasdiqlagach" in response.content.decode()


def test_posting_figures_to_a_draft_is_refused_with_the_reason(client, demo, draft):
    client.force_login(demo.users["xodim-abonement"])
    indicator = visitors(draft)
    response = client.post(entry_url(demo), {f"value-{indicator.pk}": "5", f"was-{indicator.pk}": ""})
    assert response.status_code == 403
    assert "direktori tasdiqlagach" in response.content.decode()
    assert not Actual.objects.filter(indicator=indicator, month=4).exists()


def test_a_manager_cannot_reopen_a_month_of_a_draft(client, demo, draft):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 3})
    response = client.post(url, {"centre": demo.district.pk, "action": "reopen", "reason": "Tuzatish"})
    assert response.status_code == 403
    assert not draft.month_locks.exists()


def test_the_director_approves_after_a_confirmation_page(client, demo, draft):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:plan-approve", kwargs={"plan": draft.pk})
    confirm = client.get(url)
    assert confirm.status_code == 200
    draft.refresh_from_db()
    assert not draft.is_approved  # the page only asks

    response = client.post(url)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.approved_by == demo.users["direktor"]
    assert draft.approved_at.date() == datetime.date(2024, 4, 3)  # the demo's clock
    assert month_state_of(draft, 4) == MonthState.OPEN


def test_the_plan_page_offers_approval_to_the_director_only(client, demo, draft):
    url = reverse("plans:plan", kwargs={"plan": draft.pk})
    approve = reverse("plans:plan-approve", kwargs={"plan": draft.pk})
    client.force_login(demo.users["direktor"])
    assert approve in client.get(url).content.decode()
    client.force_login(demo.users["viloyat"])
    page = client.get(url)
    assert page.status_code == 200
    assert approve not in page.content.decode()


@pytest.mark.parametrize("username", ["xodim-abonement", "boshliq-abonement", "viloyat"])
def test_only_the_centres_manager_may_approve(client, demo, draft, username):
    client.force_login(demo.users[username])
    response = client.post(reverse("plans:plan-approve", kwargs={"plan": draft.pk}))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert not draft.is_approved


def test_approving_twice_keeps_the_first_approval(demo, draft):
    do_approve_plan(draft, acting_user=demo.users["direktor"])
    first = Plan.objects.get(pk=draft.pk).approved_at
    with pytest.raises(AlreadyApproved):
        do_approve_plan(draft, acting_user=demo.users["admin"])
    stored = Plan.objects.get(pk=draft.pk)
    assert (stored.approved_at, stored.approved_by) == (first, demo.users["direktor"])


def test_the_plan_page_says_when_the_plan_was_approved_and_by_whom(client, demo, draft):
    do_approve_plan(draft, acting_user=demo.users["direktor"])
    client.force_login(demo.users["direktor"])
    page = client.get(reverse("plans:plan", kwargs={"plan": draft.pk})).content.decode()
    assert "Direktor (demo)" in page
    assert reverse("plans:plan-approve", kwargs={"plan": draft.pk}) not in page
