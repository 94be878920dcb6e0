"""Where a person lands after logging in: their own work."""

import datetime

import pytest
from django.urls import reverse

from plans.entry import do_close_quarter
from plans.models import MonthCompletion, Plan

pytestmark = pytest.mark.django_db


def entry(year, month, service):
    return reverse("plans:entry", kwargs={"year": year, "month": month, "service": service.pk})


def test_staff_land_on_last_month_while_it_is_open_and_not_complete(client, demo):
    # 3 April: March is open until the 5th and is the month to report.
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 3, demo.service("abonement"))


def test_head_lands_on_last_month_while_it_is_open_and_not_complete(client, demo):
    client.force_login(demo.users["boshliq-kadrlar"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 3, demo.service("kadrlar"))


def test_staff_land_on_this_month_once_their_service_completed_the_last(client, demo):
    service = demo.service("abonement")
    MonthCompletion.objects.create(plan=demo.plan, month=3, service=service)
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 4, service)
    # Another service's mark changes nothing for this one.
    client.force_login(demo.users["xodim-kadrlar"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 3, demo.service("kadrlar"))


def test_staff_land_on_this_month_after_the_lock_day(client, demo, settings):
    settings.AKM_TODAY = datetime.date(2024, 4, 6)
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 4, demo.service("abonement"))


def test_staff_land_on_this_month_when_the_last_was_closed_early(client, demo):
    do_close_quarter(demo.plan, 1, acting_user=demo.users["direktor"])
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 4, demo.service("abonement"))


def test_in_early_january_staff_land_on_december_of_last_years_plan(client, demo, settings):
    settings.AKM_TODAY = datetime.date(2025, 1, 3)
    Plan.objects.create(organization=demo.district, year=2025)
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(reverse("home"))["Location"] == entry(2024, 12, demo.service("abonement"))


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
