"""What the report's workflow means on plans' pages: sealed months refuse reopening and say why, and
a returned report's comment shows where the centre corrects it (entry pages, dashboard)."""

import pytest
from django.urls import reverse

from plans.locks import MonthState
from plans.models import MonthEvent
from plans.selectors import month_states
from reports.models import Report
from reports.workflow import do_accept, do_return, do_submit

from .conftest import note_everything_behind


@pytest.fixture(autouse=True)
def quick_submission(monkeypatch):
    """A stand-in PDF: these tests are about the months, the PDF is tested in test_pdf."""
    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, **kwargs: b"%PDF-1.7 stand-in")


def _send(world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    do_submit(world.plan, 1, acting_user=world.users["manager"])
    return Report.objects.get(plan=world.plan, quarter=1)


def _accept(world):
    do_accept(_send(world), acting_user=world.users["reviewer"])


def _return(world, comment="12.1 bandini hujjat bilan tekshiring"):
    do_return(_send(world), acting_user=world.users["reviewer"], comment=comment)


def _overview(month):
    return reverse("plans:entry-overview", kwargs={"year": 2024, "month": month})


def _entry(world, month):
    service = world.demo.service("abonement").pk
    return reverse("plans:entry", kwargs={"year": 2024, "month": month, "service": service})


def test_a_manager_reopening_a_month_of_an_accepted_quarter_is_refused_with_the_reason(client, world):
    _accept(world)
    client.force_login(world.users["manager"])
    events = MonthEvent.objects.count()
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 3})
    response = client.post(url, {"action": "reopen", "reason": "tuzatish"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Muhrlangan oyni qayta ochib bo‘lmaydi" in response.content.decode()
    assert month_states(world.plan)[3] == MonthState.SEALED
    assert MonthEvent.objects.count() == events


@pytest.mark.parametrize("page", ["overview", "entry"])
def test_the_month_lock_form_of_a_sealed_month_says_why_it_cannot_reopen(client, world, page):
    _accept(world)
    client.force_login(world.users["manager"])
    url = _overview(3) if page == "overview" else _entry(world, 3)
    text = client.get(url).content.decode()
    assert 'id="reopen-sealed"' in text and "qabul qilgan" in text
    assert 'name="action" value="reopen"' not in text
    assert "Bu oy muhrlangan" in text


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_the_entry_page_of_a_returned_month_shows_the_reviewers_comment(client, world, role):
    _return(world)
    client.force_login(world.users[role])
    text = client.get(_entry(world, 2)).content.decode()
    assert 'class="returned-banner"' in text
    assert "12.1 bandini hujjat bilan tekshiring" in text
    reviewer = world.users["reviewer"]
    assert (reviewer.get_full_name() or reviewer.username) in text


def test_the_entry_page_of_a_month_outside_the_returned_quarter_shows_no_comment(client, world):
    _return(world)
    client.force_login(world.users["staff"])
    assert "returned-banner" not in client.get(_entry(world, 4)).content.decode()


def test_the_overview_of_a_returned_month_shows_the_comment_to_the_reviewer(client, world):
    _return(world)
    client.force_login(world.users["reviewer"])
    response = client.get(_overview(1), {"centre": world.demo.district.pk})
    assert "12.1 bandini hujjat bilan tekshiring" in response.content.decode()


def test_the_centre_dashboard_shows_a_returned_report_until_it_is_sent_again(client, world):
    _return(world)
    client.force_login(world.users["manager"])
    text = client.get(reverse("plans:centre-dashboard")).content.decode()
    assert "12.1 bandini hujjat bilan tekshiring" in text
    report_url = reverse("reports:detail", kwargs={"plan_id": world.plan.pk, "quarter": 1})
    assert f'href="{report_url}"' in text
    do_submit(world.plan, 1, acting_user=world.users["manager"])
    assert "returned-banner" not in client.get(reverse("plans:centre-dashboard")).content.decode()


def test_a_month_a_manager_reopened_shows_no_return_banner(client, world):
    from plans.entry import do_reopen_month

    do_reopen_month(world.plan, 2, acting_user=world.users["manager"], reason="tuzatish")
    client.force_login(world.users["staff"])
    assert "returned-banner" not in client.get(_entry(world, 2)).content.decode()
