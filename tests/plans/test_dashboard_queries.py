"""The dashboards make a fixed number of queries, whatever the number of months and services entered."""

import pytest
from django.urls import reverse

from plans.models import Actual, Indicator, MonthCompletion

pytestmark = pytest.mark.django_db

# Session, user, memberships, the bell's unread count; then each page's own reads (see
# plans.dashboards.build_dashboard).
# The centre's: with the quarters a returned report reopened, and the tree of centres (the centres a
# manager or reviewer may switch to).
CENTRE_QUERIES = 15
SERVICE_QUERIES = 14
INDICATOR_QUERIES = 13


@pytest.fixture(params=["printed", "full year"])
def data(request, demo):
    """The demo as loaded (one month of printed figures), or a full year from three services
    with every change kept in history and every service's month completed."""
    if request.param == "full year":
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
    return demo


def test_centre_dashboard_query_count(client, data, django_assert_num_queries):
    client.force_login(data.users["direktor"])
    with django_assert_num_queries(CENTRE_QUERIES):
        assert client.get(reverse("plans:centre-dashboard")).status_code == 200
    with django_assert_num_queries(CENTRE_QUERIES):
        assert client.get(reverse("plans:centre-dashboard")).status_code == 200


def test_service_dashboard_query_count(client, data, django_assert_num_queries):
    client.force_login(data.users["xodim-abonement"])
    url = reverse("plans:service-dashboard", kwargs={"service": data.service("abonement").pk})
    with django_assert_num_queries(SERVICE_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(SERVICE_QUERIES):
        assert client.get(url).status_code == 200


def test_indicator_page_query_count(client, data, django_assert_num_queries):
    client.force_login(data.users["direktor"])
    indicator = Indicator.objects.get(item__plan=data.plan, item__number="15")
    url = reverse("plans:indicator", kwargs={"indicator": indicator.pk})
    with django_assert_num_queries(INDICATOR_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(INDICATOR_QUERIES):
        assert client.get(url).status_code == 200
