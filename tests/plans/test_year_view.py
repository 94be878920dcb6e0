"""The year view: every indicator across the twelve months in one table, from plans.figures, in
a fixed number of queries whatever the plan holds."""

import pytest
from django.urls import reverse

from plans.figures import monthly_series
from plans.models import Actual, Indicator
from plans.plan_pages import year_view_rows

pytestmark = pytest.mark.django_db


def test_every_indicator_has_a_row_with_its_monthly_series(plan_2024):
    rows = year_view_rows(plan_2024)
    indicators = Indicator.objects.filter(item__plan=plan_2024).select_related("item__deadline")
    assert len(rows) == indicators.count()
    for row in rows:
        assert row.series == monthly_series(row.indicator)


def test_a_section_heading_opens_each_section_once(plan_2024):
    rows = year_view_rows(plan_2024)
    opened = [row.item.section_id for row in rows if row.opens_section]
    assert opened == list(dict.fromkeys(row.item.section_id for row in rows))


def test_the_page_shows_the_months_done_and_leaves_months_not_begun_blank(client, demo, plan_2024):
    visitors = Indicator.objects.get(item__plan=plan_2024, item__number="15")
    service = demo.service("abonement")
    Actual.objects.create(indicator=visitors, month=2, service=service, value=321)
    client.force_login(demo.users["direktor"])

    response = client.get(reverse("plans:plan-year", kwargs={"plan": plan_2024.pk}))

    assert response.status_code == 200
    (done,) = [done for row, done in response.context["rows"] if row.indicator.pk == visitors.pk]
    assert done[1] == 321
    assert done[4:] == [None] * 8  # May to December 2024 have not begun on 3 April 2024
    assert "321" in response.content.decode()


def test_the_page_answers_in_the_same_number_of_queries_however_many_figures(
    client, demo, plan_2024, django_assert_num_queries
):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:plan-year", kwargs={"plan": plan_2024.pk})
    client.get(url)  # the session and the person's rights, read once per request anyway
    with django_assert_num_queries(7) as first:
        client.get(url)
    service = demo.service("abonement")
    Actual.objects.bulk_create(
        Actual(indicator=indicator, month=month, service=service, value=month)
        for indicator in Indicator.objects.filter(item__plan=plan_2024, item__children__isnull=True)
        for month in range(1, 4)
        if not Actual.objects.filter(indicator=indicator, month=month, service=service).exists()
    )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
