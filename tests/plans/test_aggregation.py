"""Stocks and states are not summed over months; the figures selector and the monthly series agree."""

import pytest

from plans.aggregation import Aggregation, over_centres, over_months
from plans.figures import indicator_figures, monthly_series
from plans.models import Actual, Indicator

MONTHS = {1: 100, 2: 130, 4: 120}


@pytest.mark.parametrize(
    ("how", "first", "last", "expected"),
    [
        (Aggregation.SUM, 1, 12, 350),
        (Aggregation.SUM, 2, 3, 130),
        (Aggregation.LATEST, 1, 12, 120),
        (Aggregation.LATEST, 1, 3, 130),
        (Aggregation.LATEST, 3, 3, 0),
        (Aggregation.MAX, 1, 12, 130),
        (Aggregation.MAX, 4, 6, 120),
    ],
)
def test_over_months(how, first, last, expected):
    assert over_months(how, MONTHS, first, last) == expected


def test_over_centres_adds_flows_and_stocks_and_takes_the_highest_state():
    assert over_centres(Aggregation.SUM, [3, 4]) == 7
    assert over_centres(Aggregation.LATEST, [3, 4]) == 7
    assert over_centres(Aggregation.MAX, [3, 4]) == 4
    assert over_centres(Aggregation.MAX, []) == 0


@pytest.fixture
def registered(plan_2024, demo):
    """Item 14's new users, read as a stock: users registered to date, entered by two services."""
    indicator = Indicator.objects.get(item__plan=plan_2024, item__number="14", label__startswith="Yangi")
    Actual.objects.filter(indicator=indicator).delete()
    indicator.aggregation = Aggregation.LATEST
    indicator.save()
    lending, ict = demo.service("abonement"), demo.service("akt")
    for service, months in ((lending, {1: 500, 2: 650, 4: 700}), (ict, {2: 40, 3: 45})):
        for month, value in months.items():
            Actual.objects.create(indicator=indicator, service=service, month=month, value=value)
    return indicator


def test_a_stocks_figures_are_the_latest_per_service_added_up(plan_2024, registered):
    (march,) = [f for f in indicator_figures(plan_2024, 3) if f.indicator.pk == registered.pk]
    assert march.done_to_date == 650 + 45
    assert march.done_in_quarter == 650 + 45
    assert march.done_in_month == 45  # lending entered nothing in March
    (april,) = [f for f in indicator_figures(plan_2024, 4) if f.indicator.pk == registered.pk]
    assert (april.done_to_date, april.done_in_quarter, april.done_in_month) == (745, 700, 700)


def test_the_monthly_series_of_a_stock_agrees_with_the_selector(plan_2024, registered):
    series = monthly_series(registered)
    assert series.cumulative()[:4] == [500, 690, 695, 745]
    assert series.done[:4] == [500, 690, 45, 700]
    (april,) = [f for f in indicator_figures(plan_2024, 4) if f.indicator.pk == registered.pk]
    assert series.cumulative()[3] == april.done_to_date


def test_a_flows_series_is_unchanged(plan_2024):
    indicator = Indicator.objects.get(item__plan=plan_2024, item__number="15")
    series = monthly_series(indicator)
    assert series.cumulative()[2] == sum(series.done[:3])
