"""The dashboards' selector: status and expected-by-now for each deadline kind, grouping, what falls due."""

import pytest

from plans.dashboards import build_dashboard, checkpoints, due_until, summarize
from plans.figures import indicator_figures
from plans.models import Actual, Indicator
from plans.pacing import DeadlineKind, Status, Window

S = Status


@pytest.fixture
def empty_plan(plan_2024):
    """The 2024 plan with no figures entered, so that expected-by-now alone decides."""
    Actual.objects.filter(indicator__item__plan=plan_2024).delete()
    return plan_2024


def first_indicator(plan, number):
    return Indicator.objects.select_related("item__deadline").get(
        item__plan=plan, item__number=number, order=1
    )


def figures_of(plan, number, month):
    (figures,) = indicator_figures(plan, month, indicators=[first_indicator(plan, number)])
    return figures


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "kind", "month", "expected", "status"),
    [
        ("15", "2024-yil davomida", 3, 1278, S.BEHIND),  # 5114 × 3/12
        ("5", "2024-yil I–III chorak", 3, 3, S.BEHIND),  # 10 × 1/3
        ("8", "2024-yil I–II chorak", 3, 0, S.NOT_STARTED),  # 1 × 1/2, rounded down
        ("8", "2024-yil I–II chorak", 6, 1, S.OVERDUE),
        ("10", "2024-yil II chorak", 3, 0, S.NOT_STARTED),
        ("10", "2024-yil II chorak", 6, 1, S.OVERDUE),
        ("11", "2024-yil IV chorak", 9, 0, S.NOT_STARTED),
        ("11", "2024-yil IV chorak", 12, 1, S.OVERDUE),
        ("13", "2024-yilning har oyida", 3, 1328, S.BEHIND),  # 5312 × 3/12
        ("29", "2024-yil har chorakda", 2, 0, S.NOT_STARTED),
        ("29", "2024-yil har chorakda", 3, 1, S.BEHIND),
        ("29", "2024-yil har chorakda", 8, 2, S.BEHIND),
        ("24", "2024-yil sentyabr–dekabr", 8, 0, S.NOT_STARTED),
        ("24", "2024-yil sentyabr–dekabr", 10, 1, S.BEHIND),
        ("26", "2024-yil har haftada", 6, 72, S.BEHIND),
        ("32", "2024-yilda ikki marotaba", 5, 0, S.NOT_STARTED),
        ("32", "2024-yilda ikki marotaba", 6, 2, S.BEHIND),
        ("32", "2024-yilda ikki marotaba", 12, 4, S.OVERDUE),
    ],
)
def test_expected_and_status_for_each_deadline_kind(empty_plan, number, kind, month, expected, status):
    figures = figures_of(empty_plan, number, month)
    assert figures.item.deadline.text == kind
    assert (figures.expected, figures.status) == (expected, status)


@pytest.mark.django_db
def test_meeting_the_pace_is_on_track_and_the_target_done(empty_plan, demo):
    visitors = first_indicator(empty_plan, "15")
    Actual.objects.create(indicator=visitors, month=2, service=demo.service("abonement"), value=1300)
    assert figures_of(empty_plan, "15", 3).status == S.ON_TRACK
    Actual.objects.create(indicator=visitors, month=3, service=demo.service("bibliografiya"), value=3814)
    assert figures_of(empty_plan, "15", 3).status == S.DONE


def test_checkpoints_of_each_rhythm():
    assert checkpoints(Window(DeadlineKind.YEAR)) == [12]
    assert checkpoints(Window(DeadlineKind.QUARTERS, 4, 6)) == [6]
    assert checkpoints(Window(DeadlineKind.EACH_QUARTER)) == [3, 6, 9, 12]
    assert checkpoints(Window(DeadlineKind.TWICE_A_YEAR)) == [6, 12]
    assert checkpoints(Window(DeadlineKind.MONTHS, 9, 12)) == [12]


@pytest.mark.parametrize(("month", "until"), [(1, 3), (2, 3), (3, 6), (5, 6), (6, 9), (11, 12), (12, 12)])
def test_due_looks_to_the_end_of_the_quarter_holding_the_next_month(month, until):
    assert due_until(month) == until


@pytest.mark.django_db
def test_due_after_march_lists_second_quarter_windows_still_short(empty_plan):
    due = {row.figures.item.number for row in build_dashboard(empty_plan, 3).due}
    assert {"8", "10", "29", "32"} <= due  # I–II chorak, II chorak, each quarter, twice a year
    assert "15" not in due  # throughout the year: its window closes in December
    assert "11" not in due  # IV chorak


@pytest.mark.django_db
def test_due_leaves_out_what_is_already_enough(empty_plan, demo):
    Actual.objects.create(
        indicator=first_indicator(empty_plan, "10"), month=3, service=demo.service("bibliografiya"), value=1
    )
    due = {row.figures.item.number for row in build_dashboard(empty_plan, 3).due}
    assert "10" not in due


@pytest.mark.django_db
def test_due_in_the_autumn_lists_year_long_items(empty_plan):
    due = {row.figures.item.number for row in build_dashboard(empty_plan, 9).due}
    assert {"15", "11", "24"} <= due


@pytest.mark.django_db
def test_summary_counts_each_status_worst_first(plan_2024):
    figures = indicator_figures(plan_2024, 3)
    summary = summarize(figures)
    assert summary.total == len(figures)
    assert summary.counts[S.DONE] == sum(1 for f in figures if f.status == S.DONE)
    assert summary.attention == sum(1 for f in figures if f.status in (S.BEHIND, S.OVERDUE))
    order = [status for status, _count in summary.in_order()]
    assert order == [S.BEHIND, S.OVERDUE, S.ON_TRACK, S.DONE, S.NOT_STARTED, S.NO_TARGET]
    assert sum(count for _status, count in summary.in_order()) == len(figures)


@pytest.mark.django_db
def test_shared_items_count_for_every_service(plan_2024):
    dashboard = build_dashboard(plan_2024, 3)
    shared = sum(1 for row in dashboard.rows if row.figures.item.all_services)
    assert shared
    assert all(group.summary.total >= shared for group in dashboard.services)
    assert len(dashboard.services) == 6


@pytest.mark.django_db
def test_service_dashboard_is_limited_to_the_service(plan_2024, demo):
    service = demo.service("kadrlar")
    dashboard = build_dashboard(plan_2024, 3, service=service)
    assert [group.key for group in dashboard.services] == [service.pk]
    assert [c.service for c in dashboard.completions] == [service]
    assert all(row.figures.item.all_services or service in row.services for row in dashboard.rows)
