"""The one source of the plan's numbers: targets, what was done, what is expected, and status.

Dashboards, the entry page and the quarterly report all read their figures from
`indicator_figures`, in a fixed number of queries whatever the plan's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum

from services.models import Service

from .aggregation import Aggregation, over_centres, over_months
from .models import Actual, Deadline, Indicator, Plan, PlanItem, Section, Target
from .pacing import Status, Window, expected_amount, status


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


@dataclass(frozen=True)
class Figures:
    """An indicator's figures at the end of `month` of its plan's year (all services together)."""

    indicator: Indicator
    month: int
    annual_target: int | None
    quarter_target: int | None
    done_in_month: int
    done_in_quarter: int
    done_to_date: int
    expected: int | None
    status: Status
    last_entry_at: datetime.datetime | None
    # What each service did since January, by service id (services that entered nothing absent).
    done_by_service: dict[int, int] = field(default_factory=dict)
    # Whether any service has a figure (0 included) for `month` itself.
    entered_in_month: bool = False

    @property
    def item(self) -> PlanItem:
        return self.indicator.item

    @property
    def quarter(self) -> int:
        return quarter_of(self.month)

    @property
    def done_before_month(self) -> int:
        return self.done_to_date - self.done_in_month

    @property
    def percent(self) -> float | None:
        """Done since January as a percentage of the annual target (None without a target)."""
        if not self.annual_target:
            return None
        return 100 * self.done_to_date / self.annual_target

    @property
    def expected_percent(self) -> float | None:
        if not self.annual_target or self.expected is None:
            return None
        return 100 * self.expected / self.annual_target


def plan_indicators(plan: Plan, *, services: Iterable[Service] | None = None) -> QuerySet[Indicator]:
    """The plan's indicators in the plan's order, with what their rows show; optionally only
    those of items the given services are responsible for (including "all services" items)."""
    indicators = Indicator.objects.filter(item__plan=plan)
    if services is not None:
        responsible = PlanItem.services.through.objects.filter(
            planitem_id=OuterRef("item_id"), service__in=list(services)
        )
        indicators = indicators.filter(Q(item__all_services=True) | Exists(responsible))
    return indicators.select_related(
        "item__section", "item__unit", "item__deadline", "item__parent__unit"
    ).order_by("item__section__order", "item__order", "order")


def indicator_figures(
    plan: Plan,
    month: int,
    *,
    services: Iterable[Service] | None = None,
    indicators: Sequence[Indicator] | QuerySet[Indicator] | None = None,
) -> list[Figures]:
    """Figures for the plan's indicators (or the given ones, or those of `services`) at `month`.

    Four queries: indicators, their responsible services, the quarter's targets, and the
    actuals summed in SQL.
    """
    if indicators is None:
        indicators = plan_indicators(plan, services=services).prefetch_related("item__services")
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    return _figures(indicators, month, Q(indicator_id__in=ids))


# What figures_of_plans loads of each item and indicator: what figures, dashboards and the
# consolidated report read of them (not the steps, notes or responsible services). A region's or
# the nation's dashboard reads thousands; loading them whole was most of its time.
ITEM_FIELDS = (
    "id", "plan_id", "section_id", "parent_id", "number", "title", "unit_id", "deadline_id",
    "all_services", "order", "template_item_id",
)  # fmt: skip
INDICATOR_FIELDS = (
    "id",
    "item_id",
    "label",
    "annual_target",
    "order",
    "aggregation",
    "template_indicator_id",
)


def figures_of_plans(plans: Sequence[Plan], month: int) -> dict[int, list[Figures]]:
    """Figures of every indicator of several plans (a region's districts, the nation's) at the same
    month of their year, by plan id, each plan's in its order. Six queries, however many plans:
    the sections, deadlines, items (ITEM_FIELDS, each read once and shared by its indicators) and
    indicators (INDICATOR_FIELDS), the targets and the actuals. An item's unit and responsible
    services are not loaded."""
    plan_ids = [plan.pk for plan in plans]
    sections = Section.objects.filter(plan_id__in=plan_ids).in_bulk()
    deadlines = (
        Deadline.objects.filter(plan_id__in=plan_ids)
        .only("id", "plan_id", "kind", "first_month", "last_month")
        .in_bulk()
    )
    items = PlanItem.objects.filter(plan_id__in=plan_ids).only(*ITEM_FIELDS).in_bulk()
    for item in items.values():
        item.section = sections[item.section_id]
        item.deadline = deadlines[item.deadline_id]
        item.parent = items[item.parent_id] if item.parent_id is not None else None
    indicators = list(
        Indicator.objects.filter(item__plan_id__in=plan_ids)
        .only(*INDICATOR_FIELDS)
        .order_by("item__plan_id", "item__section__order", "item__order", "order")
    )
    for indicator in indicators:
        indicator.item = items[indicator.item_id]
    by_plan: dict[int, list[Figures]] = {plan.pk: [] for plan in plans}
    for figure in _figures(indicators, month, Q(indicator__item__plan__in=plan_ids)):
        by_plan[figure.item.plan_id].append(figure)
    return by_plan


@dataclass(frozen=True)
class YearFigures:
    """A plan's year as the annual report reads it: every indicator's figures at the end of each
    quarter (its last month), quarters I–IV, each list in the plan's order; the fourth is the
    year's end (done in the year, the year's status)."""

    by_quarter: list[list[Figures]]

    @property
    def at_year_end(self) -> list[Figures]:
        return self.by_quarter[-1]

    def done_by_quarter(self) -> dict[int, list[int]]:
        """What each indicator did in each quarter I–IV, by indicator id."""
        done: dict[int, list[int]] = defaultdict(list)
        for figures in self.by_quarter:
            for figure in figures:
                done[figure.indicator.pk].append(figure.done_in_quarter)
        return dict(done)


def year_figures(plan: Plan) -> YearFigures:
    """The plan's figures at the end of each quarter, read by indicator_figures itself. Ten queries
    (the year's end four, each earlier quarter two: targets and actuals), one more per quarter
    for plans with stock indicators."""
    year_end = indicator_figures(plan, 12)
    indicators = [figure.indicator for figure in year_end]
    earlier = [indicator_figures(plan, 3 * quarter, indicators=indicators) for quarter in (1, 2, 3)]
    return YearFigures(by_quarter=[*earlier, year_end])


def year_figures_of_plans(plans: Sequence[Plan]) -> dict[int, YearFigures]:
    """year_figures of several plans (a region's districts), by plan id, in sixteen queries however
    many plans (figures_of_plans at each quarter's end)."""
    by_month = [figures_of_plans(plans, 3 * quarter) for quarter in range(1, 5)]
    return {plan.pk: YearFigures(by_quarter=[figures[plan.pk] for figures in by_month]) for plan in plans}


def _figures(indicators: list[Indicator], month: int, scope: Q) -> list[Figures]:
    """The figures of `indicators` at `month`; `scope` selects their targets and actuals."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    quarter = quarter_of(month)
    quarter_start = quarter * 3 - 2

    targets = dict(Target.objects.filter(scope, quarter=quarter).values_list("indicator_id", "value"))
    done: dict[int, dict[str, int]] = defaultdict(lambda: {"month": 0, "quarter": 0, "year": 0})
    by_service: dict[int, dict[int, int]] = defaultdict(dict)
    last_entry: dict[int, datetime.datetime] = {}
    entered_in_month: set[int] = set()
    rows = (
        Actual.objects.filter(scope, month__lte=month)
        .values("indicator_id", "service_id")
        .annotate(
            year=Sum("value"),
            quarter=Sum("value", filter=Q(month__gte=quarter_start)),
            month=Sum("value", filter=Q(month=month)),
            last=Max("entered_at"),
        )
        .order_by()
    )
    for row in rows:
        totals = done[row["indicator_id"]]
        totals["year"] += row["year"]
        totals["quarter"] += row["quarter"] or 0
        totals["month"] += row["month"] or 0
        by_service[row["indicator_id"]][row["service_id"]] = row["year"]
        if row["month"] is not None:  # a sum over no figure of the month is NULL, a 0 is a figure
            entered_in_month.add(row["indicator_id"])
        if row["indicator_id"] not in last_entry or row["last"] > last_entry[row["indicator_id"]]:
            last_entry[row["indicator_id"]] = row["last"]
    stocks = {i.pk: i.aggregation for i in indicators if i.aggregation != Aggregation.SUM}
    if stocks:
        # Stocks and states are not summed over months (plans.aggregation): their months are read
        # one by one, one more query, only for plans that have such indicators.
        done.update(_stock_figures(stocks, month, quarter_start, by_service))

    figures = []
    for indicator in indicators:
        totals = done[indicator.pk]
        window = indicator.item.deadline.window
        figures.append(
            Figures(
                indicator=indicator,
                month=month,
                annual_target=indicator.annual_target,
                quarter_target=targets.get(indicator.pk),
                done_in_month=totals["month"],
                done_in_quarter=totals["quarter"],
                done_to_date=totals["year"],
                expected=_expected(indicator.annual_target, window, month),
                status=status(indicator.annual_target, totals["year"], window, month),
                last_entry_at=last_entry.get(indicator.pk),
                done_by_service=by_service.get(indicator.pk, {}),
                entered_in_month=indicator.pk in entered_in_month,
            )
        )
    return figures


def _stock_figures(
    stocks: dict[int, str], month: int, quarter_start: int, by_service: dict[int, dict[int, int]]
) -> dict[int, dict[str, int]]:
    """The month, quarter and year figures of indicators that do not add up over months, by id;
    fills in each service's figure to date in `by_service`."""
    months: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    values = Actual.objects.filter(indicator_id__in=list(stocks), month__lte=month).values_list(
        "indicator_id", "service_id", "month", "value"
    )
    for indicator_id, service_id, in_month, value in values:
        months[indicator_id][service_id][in_month] = value
    result = {}
    for indicator_id, services in months.items():
        how = stocks[indicator_id]
        by_service[indicator_id] = {
            service: over_months(how, by_month, 1, month) for service, by_month in services.items()
        }
        in_quarter = (over_months(how, by_month, quarter_start, month) for by_month in services.values())
        result[indicator_id] = {
            "month": over_centres(how, (by_month.get(month, 0) for by_month in services.values())),
            "quarter": over_centres(how, in_quarter),
            "year": over_centres(how, by_service[indicator_id].values()),
        }
    return result


def _expected(annual_target: int | None, window: Window, month: int) -> int | None:
    return None if annual_target is None else expected_amount(annual_target, window, month)


@dataclass(frozen=True)
class ParentTotals:
    """A parent item's figures: the sums of its sub-items' (item 12 sums 12.1–12.4)."""

    item: PlanItem
    annual_target: int | None
    quarter_target: int | None
    done_in_quarter: int
    done_to_date: int
    expected: int | None
    status: Status

    @property
    def percent(self) -> float | None:
        if not self.annual_target:
            return None
        return 100 * self.done_to_date / self.annual_target


def parent_totals(figures: Sequence[Figures]) -> dict[int, ParentTotals]:
    """Totals per parent item, by the parent's id, from its sub-items' figures in `figures`.

    Sums only figures in the parent's own unit: different units are never added up.
    """
    children: dict[int, list[Figures]] = defaultdict(list)
    parents: dict[int, PlanItem] = {}
    for figure in figures:
        parent = figure.item.parent
        if parent is not None and figure.item.unit_id == parent.unit_id:
            children[parent.pk].append(figure)
            parents[parent.pk] = parent
    result = {}
    for parent_id, members in children.items():
        parent = parents[parent_id]
        targets = [f.annual_target for f in members if f.annual_target is not None]
        annual = sum(targets) if targets else None
        quarter_targets = [f.quarter_target for f in members if f.quarter_target is not None]
        done_to_date = sum(f.done_to_date for f in members)
        result[parent_id] = ParentTotals(
            item=parent,
            annual_target=annual,
            quarter_target=sum(quarter_targets) if quarter_targets else None,
            done_in_quarter=sum(f.done_in_quarter for f in members),
            done_to_date=done_to_date,
            expected=sum(f.expected for f in members if f.expected is not None) if targets else None,
            status=_parent_status(annual, done_to_date, members),
        )
    return result


def _parent_status(annual: int | None, done_to_date: int, members: list[Figures]) -> Status:
    """Done when the sum meets the sum of targets; otherwise the worst of the sub-items."""
    if annual is None:
        return Status.NO_TARGET
    if done_to_date >= annual:
        return Status.DONE
    statuses = {f.status for f in members}
    for worst in (Status.OVERDUE, Status.BEHIND):
        if worst in statuses:
            return worst
    if statuses <= {Status.NOT_STARTED, Status.NO_TARGET, Status.DONE} and done_to_date == 0:
        return Status.NOT_STARTED
    return Status.ON_TRACK


@dataclass(frozen=True)
class MonthlySeries:
    """One indicator month by month through its year: done in each month (all services), what is
    done by the end of each month (a running sum; for a stock the latest figure, for a state the
    highest: plans.aggregation), and the amount the pace expects by then (None without a target)."""

    done: list[int]
    to_date: list[int]
    expected: list[int | None]

    def cumulative(self) -> list[int]:
        return list(self.to_date)

    def pace(self) -> list[int | None]:
        """What the pace asks for in each month alone (the step between month ends)."""
        previous, result = 0, []
        for value in self.expected:
            if value is None:
                result.append(None)
                continue
            result.append(value - previous)
            previous = value
        return result


def monthly_series(indicator: Indicator) -> MonthlySeries:
    """The indicator's twelve months, in one query; needs `item__deadline` loaded."""
    rows = Actual.objects.filter(indicator=indicator).values_list("service_id", "month", "value")
    return _series(indicator, rows)


def plan_monthly_series(indicators: Sequence[Indicator]) -> dict[int, MonthlySeries]:
    """The twelve months of each of `indicators` (of one plan or several), by indicator id, in one
    query whatever their number; they need `item__deadline` loaded."""
    rows: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for indicator_id, service_id, month, value in Actual.objects.filter(
        indicator__in=[indicator.pk for indicator in indicators]
    ).values_list("indicator_id", "service_id", "month", "value"):
        rows[indicator_id].append((service_id, month, value))
    return {indicator.pk: _series(indicator, rows.get(indicator.pk, [])) for indicator in indicators}


def _series(indicator: Indicator, rows: Iterable[tuple[int, int, int]]) -> MonthlySeries:
    """The series from the indicator's actuals as (service id, month, value)."""
    how = indicator.aggregation
    by_service: dict[int, dict[int, int]] = defaultdict(dict)
    for service_id, month, value in rows:
        by_service[service_id][month] = value
    services = list(by_service.values())
    done = [over_centres(how, (months.get(m, 0) for months in services)) for m in range(1, 13)]
    to_date = [
        over_centres(how, (over_months(how, months, 1, m) for months in services)) for m in range(1, 13)
    ]
    window = indicator.item.deadline.window
    expected = [_expected(indicator.annual_target, window, month) for month in range(1, 13)]
    return MonthlySeries(done=done, to_date=to_date, expected=expected)
