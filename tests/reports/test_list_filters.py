"""The reviewers' list of reports: filtered by quarter and state, who is late first."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from demo.district import load_demo
from demo.region import GENERATED
from reports.rules import Punctuality

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")


@pytest.fixture
def reviewer(client, db):
    """The regional reviewer of the demo region (four districts: one accepted, one returned, two
    not sent), logged in."""
    load_demo(password="demo-password", region=True)
    client.force_login(get_user_model().objects.get(username="viloyat"))
    return client


def test_a_quarter_s_reports_with_the_late_first(reviewer, settings):
    settings.AKM_TODAY = datetime.date(2024, 4, 10)  # the first quarter's due day (5th) has passed
    rows = reviewer.get(LIST, {"quarter": 1}).context["rows"]
    assert {row.quarter for row in rows} == {1}
    assert [row.punctuality for row in rows] == [Punctuality.OVERDUE, Punctuality.OVERDUE] + [
        Punctuality.ON_TIME
    ] * 2
    late = [row.plan.organization.name for row in rows[:2]]
    assert late == sorted(late) and GENERATED[2].name in late


def test_filtered_by_state(reviewer):
    rows = reviewer.get(LIST, {"state": "returned"}).context["rows"]
    assert [(row.plan.organization.name, row.quarter) for row in rows] == [(GENERATED[1].name, 1)]
    page = reviewer.get(LIST, {"state": "accepted", "quarter": 2})
    assert page.status_code == 200 and page.context["rows"] == []


@pytest.mark.parametrize(
    "query", [{"state": "junk"}, {"state": "Returned"}, {"quarter": "5"}, {"quarter": "x"}, {"year": "99999"}]
)
def test_junk_filters_are_a_bad_request(reviewer, query):
    assert reviewer.get(LIST, query).status_code == 400
