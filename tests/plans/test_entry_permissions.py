"""Who may do what on the entry pages: every entry URL × every role × GET and POST.

A forbidden page answers 403 (anonymous people are sent to log in); a forbidden POST changes nothing.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Actual, Indicator, MonthCompletion, MonthEvent
from services.models import Membership, Organization

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "other_staff", "head", "manager", "reviewer", "other_manager"]


@pytest.fixture
def people(demo):
    other = Organization.objects.create(name="Zafarobod tuman AKM", kind="district", parent=demo.regional)
    other_manager = get_user_model().objects.create(username="zafarobod-direktor")
    Membership.objects.create(user=other_manager, organization=other, role="manager")
    return {
        "anonymous": None,
        "staff": demo.users["xodim-abonement"],
        "other_staff": demo.users["xodim-kadrlar"],
        "head": demo.users["boshliq-abonement"],
        "manager": demo.users["direktor"],
        "reviewer": demo.users["viloyat"],
        "other_manager": other_manager,
    }


def as_role(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


@pytest.fixture
def visitors(plan_2024):
    return Indicator.objects.get(item__plan=plan_2024, item__number="15")


def entry_url(demo, month=4):
    return reverse(
        "plans:entry", kwargs={"year": 2024, "month": month, "service": demo.service("abonement").pk}
    )


# What a GET answers for the demo's own roles is in the URL walk's table (tests/faults/
# test_url_walk.py, one table for every URL); here only the roles it has no account for.
ENTRY_GET = {
    "other_staff": 403,
    "other_manager": 403,
}


@pytest.mark.parametrize("role", ENTRY_GET)
def test_entry_page_get(client, demo, people, role):
    response = as_role(client, people, role).get(entry_url(demo))
    assert response.status_code == ENTRY_GET[role]


ENTRY_POST = {
    "anonymous": 302,
    "staff": 302,
    "other_staff": 403,
    "head": 302,
    "manager": 302,
    "reviewer": 403,
    "other_manager": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_entry_page_post(client, demo, people, role, visitors):
    data = {
        f"value-{visitors.pk}": "9",
        f"note-{visitors.pk}": "",
        f"was-{visitors.pk}": "",
        f"was_note-{visitors.pk}": "",
    }
    response = as_role(client, people, role).post(entry_url(demo), data)
    assert response.status_code == ENTRY_POST[role]
    saved = Actual.objects.filter(indicator=visitors, month=4).exists()
    assert saved == (role in {"staff", "head", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_entry_page_of_reviewer_is_read_only(client, demo, people, role):
    response = as_role(client, people, role).get(entry_url(demo))
    if response.status_code == 200:
        assert response.context["editable"] == (role in {"staff", "head", "manager"})


COMPLETE_POST = {
    "anonymous": 302,
    "staff": 403,
    "other_staff": 403,
    "head": 302,
    "manager": 302,
    "reviewer": 403,
    "other_manager": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_complete_month_post(client, demo, people, role):
    url = reverse(
        "plans:entry-complete", kwargs={"year": 2024, "month": 4, "service": demo.service("abonement").pk}
    )
    # April is still empty: the post confirms it (the confirmation step is tested in test_entry).
    response = as_role(client, people, role).post(url, {"confirm_empty": "999"})
    assert response.status_code == COMPLETE_POST[role]
    assert MonthCompletion.objects.exists() == (role in {"head", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_completion_post(client, demo, people, role):
    service = demo.service("abonement")
    MonthCompletion.objects.create(plan=demo.plan, month=4, service=service, completed_by=people["head"])
    url = reverse("plans:entry-complete", kwargs={"year": 2024, "month": 4, "service": service.pk})
    response = as_role(client, people, role).post(url, {"action": "withdraw"})
    assert response.status_code == COMPLETE_POST[role]
    assert MonthCompletion.objects.exists() == (role not in {"head", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_complete_month_get_is_not_an_action(client, demo, people, role):
    url = reverse(
        "plans:entry-complete", kwargs={"year": 2024, "month": 4, "service": demo.service("abonement").pk}
    )
    response = as_role(client, people, role).get(url)
    assert response.status_code == (302 if role == "anonymous" else 405)
    assert not MonthCompletion.objects.exists()


MANAGER_ONLY = {role: 403 for role in ROLES} | {"anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_overview_get(client, demo, people, role):
    url = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3}) + f"?centre={demo.district.pk}"
    response = as_role(client, people, role).get(url)
    assert response.status_code == (MANAGER_ONLY | {"manager": 200, "reviewer": 200})[role]
    if role in {"manager", "reviewer"}:
        # Only a manager of the centre is offered closing the month.
        lock_url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 3})
        assert (lock_url in response.content.decode()) == (role == "manager")


def test_a_reviewer_reads_the_overview_of_the_centres_under_them_only(client, demo, people):
    client.force_login(people["reviewer"])
    url = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})
    assert client.get(url).status_code == 200  # the first centre they review
    national = demo.regional.parent
    elsewhere = Organization.objects.create(name="Boshqa viloyat", kind="regional", parent=national)
    other = Organization.objects.create(name="Boshqa viloyat tumani", kind="district", parent=elsewhere)
    assert client.get(url, {"centre": other.pk}).status_code == 403
    assert client.get(url, {"centre": "x"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_overview_post_is_refused(client, demo, people, role):
    url = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})
    response = as_role(client, people, role).post(url, {"centre": demo.district.pk})
    assert response.status_code == (302 if role == "anonymous" else 405)


@pytest.mark.parametrize("role", ROLES)
def test_reopen_month_post(client, demo, people, role):
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 2})
    data = {"centre": demo.district.pk, "action": "reopen", "reason": "tuzatish"}
    response = as_role(client, people, role).post(url, data)
    assert response.status_code == (MANAGER_ONLY | {"manager": 302})[role]
    assert MonthEvent.objects.exists() == (role == "manager")


@pytest.mark.parametrize("role", ROLES)
def test_lock_get_is_not_an_action(client, demo, people, role):
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 2})
    response = as_role(client, people, role).get(url, {"centre": demo.district.pk, "action": "close"})
    assert response.status_code == (302 if role == "anonymous" else 405)
    assert not MonthEvent.objects.exists()


HISTORY_GET = {
    "anonymous": 302,
    "staff": 200,
    "other_staff": 403,
    "head": 200,
    "manager": 200,
    "reviewer": 200,
    "other_manager": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_history_get(client, people, role, visitors):
    url = reverse("plans:entry-history", kwargs={"indicator": visitors.pk})
    assert as_role(client, people, role).get(url).status_code == HISTORY_GET[role]


@pytest.mark.parametrize("role", ROLES)
def test_history_post_is_refused(client, people, role, visitors):
    url = reverse("plans:entry-history", kwargs={"indicator": visitors.pk})
    assert as_role(client, people, role).post(url).status_code == (302 if role == "anonymous" else 405)


def test_another_centres_manager_cannot_name_this_centre(client, demo, people):
    client.force_login(people["other_manager"])
    url = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})
    assert client.get(url, {"centre": demo.district.pk}).status_code == 403
    assert client.get(url).status_code == 404  # their own centre has no 2024 plan


def test_unknown_service_or_month_is_not_found(client, demo):
    client.force_login(demo.users["direktor"])
    assert (
        client.get(reverse("plans:entry", kwargs={"year": 2024, "month": 4, "service": 9999})).status_code
        == 404
    )
    assert client.get(entry_url(demo, month=13)).status_code == 404
    url = reverse("plans:entry", kwargs={"year": 2030, "month": 4, "service": demo.service("abonement").pk})
    assert client.get(url).status_code == 404
