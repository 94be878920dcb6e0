"""Where a person lands after logging in: their own work."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_land_on_their_service_this_month(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    response = client.get(reverse("home"))
    service = demo.service("abonement").pk
    assert response["Location"] == reverse(
        "plans:entry", kwargs={"year": 2024, "month": 4, "service": service}
    )


def test_head_lands_on_their_service_this_month(client, demo):
    client.force_login(demo.users["boshliq-kadrlar"])
    service = demo.service("kadrlar").pk
    expected = reverse("plans:entry", kwargs={"year": 2024, "month": 4, "service": service})
    assert client.get(reverse("home"))["Location"] == expected


def test_staff_land_on_the_latest_plan_when_this_year_has_none(client, demo, settings):
    settings.AKM_TODAY = datetime.date(2025, 2, 1)
    client.force_login(demo.users["xodim-abonement"])
    service = demo.service("abonement").pk
    expected = reverse("plans:entry", kwargs={"year": 2024, "month": 12, "service": service})
    assert client.get(reverse("home"))["Location"] == expected


def test_manager_lands_on_the_dashboard_or_the_month_overview(client, demo):
    client.force_login(demo.users["direktor"])
    # The month overview until the dashboards point managers to the centre dashboard.
    landings = {
        reverse("plans:centre-dashboard"),
        reverse("plans:entry-overview", kwargs={"year": 2024, "month": 4}),
    }
    assert client.get(reverse("home"))["Location"] in landings


def test_reviewer_lands_on_the_reports(client, demo):
    client.force_login(demo.users["viloyat"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:list")


def test_superuser_without_a_role_is_pointed_to_the_admin(client, demo):
    client.force_login(demo.users["admin"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()
    assert "rol biriktirilmagan" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
