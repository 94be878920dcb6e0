"""The dashboards make a fixed number of queries, whatever the number of months and services entered."""

import pytest
from django.urls import reverse

from plans.models import Actual, Indicator, MonthCompletion
from tests.queries import assert_fixed_queries, queries_of

pytestmark = pytest.mark.django_db

# Session, user, memberships, the bell's unread count; then each page's own reads (see
# plans.dashboards.build_dashboard).
# The centre's: with the quarters a returned report reopened, and the tree of centres (the centres a
# manager or reviewer may switch to).
CENTRE_QUERIES = 15
SERVICE_QUERIES = 14
# The indicator page: with the lookup of the same indicator in last year's plan, and the figures
# that have evidence files.
INDICATOR_QUERIES = 14


def add_a_full_year(demo):
    """A full year from three services with every change kept in history and every service's month
    completed, on top of the demo as loaded (one month of printed figures)."""
    services = [demo.service(short) for short in ("bibliografiya", "abonement", "akt")]
    for indicator in Indicator.objects.filter(item__plan=demo.plan):
        for month in range(1, 13):
            for service in services:
                Actual.objects.update_or_create(
                    indicator=indicator, month=month, service=service, defaults={"value": month}
                )
    MonthCompletion.objects.bulk_create(
        MonthCompletion(plan=demo.plan, month=month, service=service)
        for month in range(1, 13)
        for service in demo.district.services.all()
    )


def counts_before_and_after_a_year(client, demo, url):
    def visit():
        assert client.get(url).status_code == 200

    before = queries_of(visit)
    add_a_full_year(demo)
    return [before, queries_of(visit)]


def test_centre_dashboard_query_count(client, demo):
    client.force_login(demo.users["direktor"])
    counts = counts_before_and_after_a_year(client, demo, reverse("plans:centre-dashboard"))
    assert_fixed_queries(counts, CENTRE_QUERIES)


def test_service_dashboard_query_count(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    url = reverse("plans:service-dashboard", kwargs={"service": demo.service("abonement").pk})
    assert_fixed_queries(counts_before_and_after_a_year(client, demo, url), SERVICE_QUERIES)


def test_indicator_page_query_count(client, demo):
    client.force_login(demo.users["direktor"])
    indicator = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    url = reverse("plans:indicator", kwargs={"indicator": indicator.pk})
    assert_fixed_queries(counts_before_and_after_a_year(client, demo, url), INDICATOR_QUERIES)
