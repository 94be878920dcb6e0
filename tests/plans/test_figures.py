"""The figures selector: sums, quarter, expected and status, in a fixed number of queries."""

import pytest

from plans.figures import figures_of_plans, indicator_figures, parent_totals
from plans.models import Actual, Indicator
from plans.pacing import Status

pytestmark = pytest.mark.django_db


def by_number(figures):
    return {(f.item.number, f.indicator.label): f for f in figures}


def test_march_figures_of_the_2024_plan(plan_2024):
    figures = by_number(indicator_figures(plan_2024, 3))
    visitors = figures[("15", "")]
    assert visitors.annual_target == 5114
    assert visitors.done_in_month == visitors.done_in_quarter == visitors.done_to_date == 480
    assert visitors.expected == 1278
    assert visitors.status == Status.BEHIND
    assert visitors.quarter_target == 1278
    assert figures[("4", "")].status == Status.DONE


def test_figures_sum_services_and_months(plan_2024, demo):
    indicator = Indicator.objects.get(item__plan=plan_2024, item__number="4")
    Actual.objects.create(indicator=indicator, month=4, service=demo.service("abonement"), value=2)
    Actual.objects.create(indicator=indicator, month=5, service=demo.service("bibliografiya"), value=3)
    april = by_number(indicator_figures(plan_2024, 4))[("4", "")]
    assert (april.done_in_month, april.done_in_quarter, april.done_to_date) == (2, 2, 12)
    may = by_number(indicator_figures(plan_2024, 5))[("4", "")]
    assert (may.done_in_month, may.done_in_quarter, may.done_to_date) == (3, 5, 15)
    assert may.done_by_service == {demo.service("bibliografiya").pk: 13, demo.service("abonement").pk: 2}
    assert may.done_before_month == 12


def test_figures_for_a_service_are_its_items_and_shared_ones(plan_2024, demo):
    numbers = {f.item.number for f in indicator_figures(plan_2024, 3, services=[demo.service("kadrlar")])}
    assert "32" in numbers  # named
    assert "4" in numbers  # "barcha xizmatlar"
    assert "15" not in numbers


def test_parent_item_12_sums_its_sub_items(plan_2024):
    figures = indicator_figures(plan_2024, 3)
    totals = parent_totals(figures)
    item_12 = plan_2024.items.get(number="12")
    assert totals[item_12.pk].annual_target == 1170
    assert totals[item_12.pk].done_to_date == 3 + 70 + 0 + 50


@pytest.mark.parametrize("extra_months", [0, 11])
def test_query_count_does_not_grow_with_data(plan_2024, demo, django_assert_num_queries, extra_months):
    service = demo.service("bibliografiya")
    Actual.objects.bulk_create(
        Actual(indicator=indicator, month=month, service=service, value=1)
        for indicator in Indicator.objects.filter(item__plan=plan_2024)
        for month in range(1, 1 + extra_months)
        if month != 3
    )
    with django_assert_num_queries(4):
        indicator_figures(plan_2024, 12)


def test_figures_of_several_plans_are_each_plans_own_in_six_queries(
    plan_2024, demo, django_assert_num_queries
):
    import json

    from demo.district import PLAN_FILE
    from plans.exchange import import_plan
    from services.models import Organization

    plans = [plan_2024]
    for n in range(3):
        centre = Organization.objects.create(name=f"Tuman {n}", kind="district", parent=demo.regional)
        plans.append(import_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")), organization=centre))
        indicator = Indicator.objects.get(item__plan=plans[-1], item__number="15")
        Actual.objects.create(indicator=indicator, month=2, service=centre.services.first(), value=10 + n)
    with django_assert_num_queries(6):
        together = figures_of_plans(plans, 3)
    for plan in plans:
        alone = indicator_figures(plan, 3)
        assert [(f.indicator.pk, f.done_to_date, f.quarter_target, f.status) for f in together[plan.pk]] == [
            (f.indicator.pk, f.done_to_date, f.quarter_target, f.status) for f in alone
        ]
