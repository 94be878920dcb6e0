"""Reads that feed the plan's own pages: its amendments, the preview of next year's plan, and the
year view (every indicator across the twelve months). The writes are in plans.approval and
plans.next_year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .figures import MonthlySeries, plan_indicators, plan_monthly_series
from .models import Amendment, Indicator, Plan, PlanItem, Section
from .next_year import mentions_year, move_year_words, refusal

# The region's list shows the latest amendments; older ones stay in the admin.
AMENDMENT_ROWS = 200


def plan_amendments(plan: Plan) -> list[Amendment]:
    """The plan's amendments, newest first, with who made them. One query."""
    return list(plan.amendments.select_related("acting_user").order_by("-created_at", "-pk"))


def quarter_amendments(plan: Plan, quarter: int) -> list[Amendment]:
    """The plan's amendments made up to the end of `quarter` (local time), oldest first: the
    quarterly report's annex. One query."""
    if quarter == 4:
        end = datetime.datetime(plan.year + 1, 1, 1)
    else:
        end = datetime.datetime(plan.year, 3 * quarter + 1, 1)
    return list(plan.amendments.filter(created_at__lt=timezone.make_aware(end)).order_by("created_at", "pk"))


def amendments_of(scope: Q) -> list[Amendment]:
    """The latest amendments `scope` keeps (services.access.Access.amendments_filter), newest
    first, with their plans' centres. One query."""
    return list(
        Amendment.objects.filter(scope)
        .select_related("plan__organization", "acting_user")
        .order_by("-created_at", "-pk")[:AMENDMENT_ROWS]
    )


@dataclass(frozen=True)
class DeadlineMove:
    before: str
    after: str

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class NextYearPreview:
    """What next year's plan would hold, and why it cannot be made if it cannot."""

    plan: Plan
    year: int
    sections: int
    items: int
    indicators: int
    with_targets: int
    deadlines: list[DeadlineMove]
    # Items whose title names this year: copied as written, for the person to check.
    titles_naming_year: list[PlanItem]
    refused: str | None


def next_year_preview(plan: Plan) -> NextYearPreview:
    """Six queries (five when the year is taken). Reads `plan.organization`."""
    counts = Indicator.objects.filter(item__plan=plan).aggregate(
        indicators=Count("pk"), with_targets=Count("pk", filter=Q(annual_target__isnull=False))
    )
    # plan_id too: the related manager reads it on every item (a query each when deferred).
    items = list(plan.items.only("plan_id", "number", "title", "order").order_by("order", "pk"))
    return NextYearPreview(
        plan=plan,
        year=plan.year + 1,
        sections=Section.objects.filter(plan=plan).count(),
        items=len(items),
        indicators=counts["indicators"],
        with_targets=counts["with_targets"],
        deadlines=[
            DeadlineMove(text, move_year_words(text, plan.year))
            for text in plan.deadlines.order_by("text").values_list("text", flat=True)
        ],
        titles_naming_year=[item for item in items if mentions_year(item.title, plan.year)],
        refused=refusal(plan),
    )


@dataclass(frozen=True)
class YearViewRow:
    """One indicator of the year view: what all services did in each month, and in the year."""

    indicator: Indicator
    series: MonthlySeries
    # The first indicator of its section: the section's heading goes above it.
    opens_section: bool

    @property
    def item(self) -> PlanItem:
        return self.indicator.item

    @property
    def year_done(self) -> int:
        return self.series.to_date[-1]

    @property
    def percent(self) -> int | None:
        """Done in the year as a percentage of the annual target, rounded (None without one)."""
        target = self.indicator.annual_target
        if not target:
            return None
        return round(100 * self.year_done / target)


def year_view_rows(plan: Plan) -> list[YearViewRow]:
    """Every indicator of the plan in its order, with its twelve months (plans.figures). Two
    queries, whatever the plan's size."""
    indicators = list(plan_indicators(plan))
    series = plan_monthly_series(indicators)
    rows, section_id = [], None
    for indicator in indicators:
        rows.append(YearViewRow(indicator, series[indicator.pk], indicator.item.section_id != section_id))
        section_id = indicator.item.section_id
    return rows
