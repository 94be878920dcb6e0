"""The region's and the nation's dashboards: every district (or every region) at a glance.

All numbers come from the one figures selector (`plans.figures.figures_of_plans`, every district's
plan at once) and the report rules (`reports.rules`); this module counts them per centre, per
section and per template indicator, in a number of queries that does not grow with the number of
districts or regions.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from plans.aggregation import over_centres
from plans.clock import today
from plans.dashboards import DashboardRow, Summary, url_for_each
from plans.figures import Figures, figures_of_plans, quarter_of
from plans.models import Indicator, MonthCompletion, Plan
from plans.pacing import Status
from reports.models import Report
from reports.rules import Punctuality, ReportState, due_date, punctuality
from services.models import Organization, Service

# The districts listed under each template indicator as furthest behind.
FURTHEST_BEHIND = 3

# The columns a dashboard's table sorts by (?sort=name, ?sort=-name…).
SORT_KEYS = ("name", "share", "behind", "overdue", "complete", "report", "entry")
SORTS = frozenset(SORT_KEYS) | frozenset(f"-{key}" for key in SORT_KEYS)
DEFAULT_SORT = "share"
# Each column's useful way round, offered where the headers cannot be tapped (phones): names A–Z,
# the lowest share first, the most behind first…
USEFUL_SORTS = ("name", "share", "-behind", "-overdue", "complete", "report", "entry")


def report_rank(state: str, on_time: Punctuality) -> int:
    """Where a report sorts in its column, what needs chasing first: not sent past its due day,
    sent late, returned, not sent yet, waiting for the region, accepted."""
    if state == ReportState.ACCEPTED:
        return 5
    if on_time == Punctuality.OVERDUE:
        return 0
    if on_time == Punctuality.LATE and state != ReportState.RETURNED:
        return 1
    return {ReportState.RETURNED: 2, ReportState.DRAFT: 3, ReportState.SUBMITTED: 4}[ReportState(state)]


# Every centre's name ends so; a table or chart of centres leaves it out.
CENTRE_SUFFIX = " axborot-kutubxona markazi"


def short_name(centre: Organization) -> str:
    """The centre's name without the words every centre's name ends with ("Zomin tuman")."""
    name = centre.name
    return name[: -len(CENTRE_SUFFIX)] if name.endswith(CENTRE_SUFFIX) and name != CENTRE_SUFFIX else name


def overall_status(summary: Summary) -> Status | None:
    """One status for a group of indicators (a grid cell): the worst that needs acting on, else
    on track; done only when everything with a target is done. None for a group with nothing."""
    counts = summary.counts
    if not summary.total:
        return None
    for worst in (Status.OVERDUE, Status.BEHIND, Status.ON_TRACK):
        if counts.get(worst):
            return worst
    if counts.get(Status.DONE) and counts.get(Status.NOT_STARTED):
        return Status.ON_TRACK
    for status in (Status.DONE, Status.NOT_STARTED):
        if counts.get(status):
            return status
    return Status.NO_TARGET


def _summary(figures: Iterable[Figures]) -> Summary:
    return Summary(counts=dict(Counter(f.status for f in figures)))


def _added(summaries: Iterable[Summary]) -> Summary:
    total: Counter = Counter()
    for summary in summaries:
        total.update(summary.counts)
    return Summary(counts=dict(total))


@dataclass(frozen=True)
class ReportCell:
    """A district's quarterly report as the region's table shows it."""

    state: str
    punctuality: Punctuality

    @property
    def state_label(self) -> str:
        return ReportState(self.state).label

    @property
    def rank(self) -> int:
        return report_rank(self.state, self.punctuality)


@dataclass(frozen=True)
class ReportTally:
    """A region's districts' reports on the quarter: how many were sent, late, returned."""

    districts: int = 0
    sent: int = 0
    late: int = 0
    returned: int = 0

    @property
    def rank(self) -> int:
        # More late first, then fewer sent.
        return -self.late * 1000 + self.sent - self.districts


@dataclass(frozen=True)
class CentreRow:
    """A district's (or a region's) line: how its indicators stand and its report on the quarter."""

    centre: Organization
    url: str
    summary: Summary
    services: int
    completed: int
    last_entry_at: datetime.datetime | None
    # One status per column of the sections grid (None: no indicator in that section).
    sections: list[Status | None]
    report: ReportCell | None = None
    tally: ReportTally | None = None
    has_plan: bool = True
    # The quarter's report page (districts only).
    report_url: str = ""

    @property
    def name(self) -> str:
        return short_name(self.centre)

    @property
    def with_target(self) -> int:
        return self.summary.total - self.summary.counts.get(Status.NO_TARGET, 0)

    @property
    def on_track_share(self) -> float | None:
        """The share (0–100) of indicators with a target that are on track or done."""
        if not self.with_target:
            return None
        counts = self.summary.counts
        return 100 * (counts.get(Status.ON_TRACK, 0) + counts.get(Status.DONE, 0)) / self.with_target

    @property
    def behind(self) -> int:
        return self.summary.counts.get(Status.BEHIND, 0)

    @property
    def overdue(self) -> int:
        return self.summary.counts.get(Status.OVERDUE, 0)

    @property
    def completeness(self) -> float | None:
        """The share (0–100) of the services that completed the month."""
        return 100 * self.completed / self.services if self.services else None


@dataclass(frozen=True)
class Column:
    """A section of the plans, as a column of the grid: its number and title."""

    number: str
    title: str


@dataclass(frozen=True)
class Behind:
    """A district behind on a template indicator: how far, and how much of its target it did."""

    centre: Organization
    shortfall: int
    percent: float | None

    @property
    def name(self) -> str:
        return short_name(self.centre)


@dataclass(frozen=True)
class TemplateLine:
    """A template indicator over the region: the districts' total against their targets."""

    indicator: Indicator
    total: int
    target: int | None
    expected: int | None
    districts: int
    behind: list[Behind] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return 100 * self.total / self.target if self.target else None


@dataclass
class Overview:
    """A region's dashboard (its districts) or the nation's (its regions)."""

    centre: Organization
    year: int
    month: int
    quarter: int
    rows: list[CentreRow]
    columns: list[Column]
    summary: Summary
    sort: str
    lines: list[TemplateLine] = field(default_factory=list)
    has_template: bool = False

    @property
    def on_track_share(self) -> float | None:
        with_target = self.summary.total - self.summary.counts.get(Status.NO_TARGET, 0)
        if not with_target:
            return None
        counts = self.summary.counts
        return 100 * (counts.get(Status.ON_TRACK, 0) + counts.get(Status.DONE, 0)) / with_target


def default_month(year: int) -> int:
    """The last month that has ended by today in `year` (January while the first has not)."""
    on = today()
    if year < on.year:
        return 12
    if year > on.year:
        return 1
    return max(on.month - 1, 1)


def sort_rows(rows: list[CentreRow], sort: str) -> list[CentreRow]:
    """The rows by `sort` (one of SORTS; "-" sorts the other way), ties by name."""
    key = sort.lstrip("-")
    missing = float("inf")

    def value(row: CentreRow) -> object:
        if key == "name":
            return row.centre.name
        if key == "share":
            return row.on_track_share if row.on_track_share is not None else missing
        if key == "behind":
            return row.behind
        if key == "overdue":
            return row.overdue
        if key == "complete":
            return row.completeness if row.completeness is not None else missing
        if key == "report":
            if row.report is not None:
                return row.report.rank
            return row.tally.rank if row.tally is not None else missing
        return row.last_entry_at.timestamp() if row.last_entry_at else 0.0

    by_name = sorted(rows, key=lambda row: row.centre.name)
    return sorted(by_name, key=value, reverse=sort.startswith("-"))


@dataclass
class _Districts:
    """Every district of some regions with its plan of the year, figures and report."""

    districts: list[Organization]
    plans: dict[int, Plan]  # by district id
    figures: dict[int, list[Figures]]  # by plan id
    reports: dict[int, Report]  # by plan id, the quarter's
    services: dict[int, int]  # how many services, by district id
    completed: dict[int, int]  # services that completed the month, by plan id


def _read_districts(districts: list[Organization], year: int, month: int) -> _Districts:
    """Ten queries (eleven with stock indicators), whatever the number of districts."""
    plans = list(
        Plan.objects.own().filter(organization__in=districts, year=year).select_related("organization")
    )
    quarter = quarter_of(month)
    services = dict(
        Service.objects.filter(organization__in=districts)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
        .order_by()
    )
    completed = dict(
        MonthCompletion.objects.filter(plan__in=plans, month=month)
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values_list("plan_id", "n")
        .order_by()
    )
    return _Districts(
        districts=districts,
        plans={plan.organization_id: plan for plan in plans},
        figures=figures_of_plans(plans, month) if plans else {},
        reports={r.plan_id: r for r in Report.objects.filter(plan__in=plans, quarter=quarter)},
        services=services,
        completed=completed,
    )


def _columns(figures: Iterable[Figures]) -> list[Column]:
    """The sections of the plans, by number, in the plans' order."""
    seen: dict[str, tuple[int, str]] = {}
    for f in figures:
        section = f.item.section
        if section.number not in seen:
            seen[section.number] = (section.order, section.title)
    ordered = sorted(seen.items(), key=lambda pair: pair[1][0])
    return [Column(number, title) for number, (_order, title) in ordered]


def _by_section(figures: Iterable[Figures], columns: Sequence[Column]) -> list[Status | None]:
    groups: dict[str, list[Figures]] = defaultdict(list)
    for f in figures:
        groups[f.item.section.number].append(f)
    return [overall_status(_summary(groups.get(column.number, []))) for column in columns]


def _last_entry(figures: Iterable[Figures]) -> datetime.datetime | None:
    return max((f.last_entry_at for f in figures if f.last_entry_at), default=None)


def _report_cell(region: Organization, report: Report | None, year: int, quarter: int) -> ReportCell:
    """The report's state, and whether it came on time (due on the region's day)."""
    due = due_date(year, quarter, region.report_due_day)
    sent_on = report.first_submitted_on if report else None
    return ReportCell(
        state=report.state if report else ReportState.DRAFT,
        punctuality=punctuality(due, sent_on=sent_on, today=today()),
    )


def region_overview(region: Organization, year: int, month: int, *, sort: str = DEFAULT_SORT) -> Overview:
    """The region's dashboard at the end of `month` of `year`: a row per district, the sections
    grid, and the region's template indicators. Twelve queries (thirteen with stock indicators)."""
    districts = list(Organization.objects.filter(parent=region).order_by("name"))
    data = _read_districts(districts, year, month)
    quarter = quarter_of(month)
    all_figures = [f for figures in data.figures.values() for f in figures]
    columns = _columns(all_figures)
    dashboard_url = reverse("plans:centre-dashboard")
    report_url = url_for_each("reports:detail", "plan_id", quarter=quarter)
    rows = []
    for district in districts:
        plan = data.plans.get(district.pk)
        figures = data.figures.get(plan.pk, []) if plan else []
        rows.append(
            CentreRow(
                centre=district,
                url=f"{dashboard_url}?centre={district.pk}&year={year}&month={month}",
                summary=_summary(figures),
                services=data.services.get(district.pk, 0),
                completed=data.completed.get(plan.pk, 0) if plan else 0,
                last_entry_at=_last_entry(figures),
                sections=_by_section(figures, columns),
                report=_report_cell(region, data.reports.get(plan.pk), year, quarter) if plan else None,
                report_url=report_url(plan.pk) if plan else "",
                has_plan=plan is not None,
            )
        )
    lines, has_template = _template_lines(region, year, data)
    return Overview(
        centre=region,
        year=year,
        month=month,
        quarter=quarter,
        rows=sort_rows(rows, sort),
        columns=columns,
        summary=_summary(all_figures),
        sort=sort,
        lines=lines,
        has_template=has_template,
    )


def _template_lines(region: Organization, year: int, data: _Districts) -> tuple[list[TemplateLine], bool]:
    """Per indicator of the region's template for `year`: the districts' total, their targets' total,
    and the districts furthest behind. One query (the template's indicators)."""
    template_indicators = _template_indicators(region, year)
    if not template_indicators:
        return [], False
    centres = {plan.pk: plan.organization for plan in data.plans.values()}
    linked: dict[int, list[Figures]] = defaultdict(list)
    for figures in data.figures.values():
        for f in figures:
            if f.indicator.template_indicator_id is not None:
                linked[f.indicator.template_indicator_id].append(f)
    lines = []
    for indicator in template_indicators:
        members = linked.get(indicator.pk, [])
        total, target, expected = _added_up(indicator, members)
        rows = [DashboardRow(f, []) for f in members]
        behind = sorted(
            (row for row in rows if row.shortfall > 0),
            key=lambda row: (-row.shortfall_share, centres[row.figures.item.plan_id].name),
        )[:FURTHEST_BEHIND]
        lines.append(
            TemplateLine(
                indicator=indicator,
                total=total,
                target=target,
                expected=expected,
                districts=len(members),
                behind=[
                    Behind(centres[row.figures.item.plan_id], row.shortfall, row.figures.percent)
                    for row in behind
                ],
            )
        )
    return lines, True


def nation_overview(nation: Organization, year: int, month: int, *, sort: str = DEFAULT_SORT) -> Overview:
    """The nation's dashboard: a row per region, over all its districts; the grid by region; and per
    indicator of the nation's template, the country's total. Fourteen queries (thirteen without a
    national template, one more with stock indicators), whatever the number of regions and districts."""
    regions = list(Organization.objects.filter(parent=nation).order_by("name"))
    districts = list(Organization.objects.filter(parent__in=regions).order_by("name"))
    data = _read_districts(districts, year, month)
    quarter = quarter_of(month)
    all_figures = [f for figures in data.figures.values() for f in figures]
    columns = _columns(all_figures)
    by_region: dict[int, list[Organization]] = defaultdict(list)
    for district in districts:
        by_region[district.parent_id].append(district)
    region_url = reverse("region:dashboard")
    rows = []
    for region in regions:
        figures: list[Figures] = []
        services = completed = sent = late = returned = 0
        members = by_region.get(region.pk, [])
        for district in members:
            services += data.services.get(district.pk, 0)
            plan = data.plans.get(district.pk)
            if plan is None:
                continue
            figures.extend(data.figures.get(plan.pk, []))
            completed += data.completed.get(plan.pk, 0)
            cell = _report_cell(region, data.reports.get(plan.pk), year, quarter)
            sent += cell.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)
            late += cell.punctuality in (Punctuality.LATE, Punctuality.OVERDUE)
            returned += cell.state == ReportState.RETURNED
        rows.append(
            CentreRow(
                centre=region,
                url=f"{region_url}?centre={region.pk}&year={year}&month={month}",
                summary=_summary(figures),
                services=services,
                completed=completed,
                last_entry_at=_last_entry(figures),
                sections=_by_section(figures, columns),
                tally=ReportTally(districts=len(members), sent=sent, late=late, returned=returned),
                has_plan=bool(figures),
            )
        )
    lines, has_template = _national_lines(nation, year, data, regions)
    return Overview(
        centre=nation,
        year=year,
        month=month,
        quarter=quarter,
        rows=sort_rows(rows, sort),
        columns=columns,
        summary=_summary(all_figures),
        sort=sort,
        lines=lines,
        has_template=has_template,
    )


def _national_lines(
    nation: Organization, year: int, data: _Districts, regions: list[Organization]
) -> tuple[list[TemplateLine], bool]:
    """Per indicator of the nation's template for `year` (region.template_send sends it into the
    regions' templates, one level up): the total of every district whose indicator links to a
    regional template indicator linked to it, their targets' total, and the regions furthest
    behind. Two queries (the template's indicators, the regions' links to them)."""
    template_indicators = _template_indicators(nation, year)
    if not template_indicators:
        return [], False
    up = dict(
        Indicator.objects.filter(
            item__plan__organization__parent=nation,
            item__plan__year=year,
            item__plan__kind=Plan.Kind.TEMPLATE,
            template_indicator__isnull=False,
        ).values_list("pk", "template_indicator_id")
    )
    region_of = {plan.pk: plan.organization.parent_id for plan in data.plans.values()}
    by_id = {region.pk: region for region in regions}
    # By national indicator, by region: the figures of the region's districts linked to it.
    linked: dict[int, dict[int, list[Figures]]] = defaultdict(lambda: defaultdict(list))
    for figures in data.figures.values():
        for f in figures:
            national_id = up.get(f.indicator.template_indicator_id)
            if national_id is not None:
                linked[national_id][region_of[f.item.plan_id]].append(f)
    lines = []
    for indicator in template_indicators:
        by_region = linked.get(indicator.pk, {})
        behind: list[tuple[float, Behind]] = []
        for region_id, members in by_region.items():
            total, target, expected = _added_up(indicator, members)
            shortfall = max((expected or 0) - total, 0)
            if shortfall and target:
                behind.append((shortfall / target, Behind(by_id[region_id], shortfall, 100 * total / target)))
        # The largest shortfall for the region's targets first, ties by name.
        behind.sort(key=lambda pair: (-pair[0], pair[1].centre.name))
        members = [f for figures in by_region.values() for f in figures]
        total, target, expected = _added_up(indicator, members)
        lines.append(
            TemplateLine(
                indicator=indicator,
                total=total,
                target=target,
                expected=expected,
                districts=len(members),
                behind=[b for _share, b in behind[:FURTHEST_BEHIND]],
            )
        )
    return lines, True


def _template_indicators(centre: Organization, year: int) -> list[Indicator]:
    """The indicators of the centre's template plan for `year`, in its order. One query."""
    return list(
        Indicator.objects.filter(
            item__plan__organization=centre, item__plan__year=year, item__plan__kind=Plan.Kind.TEMPLATE
        )
        .select_related("item__section", "item__unit")
        .order_by("item__section__order", "item__order", "order")
    )


def _added_up(indicator: Indicator, members: Sequence[Figures]) -> tuple[int, int | None, int | None]:
    """The members' done since January, annual targets and expected amounts, each added up by the
    template indicator's aggregation (None where no member has a target)."""
    how = indicator.aggregation
    targets = [f.annual_target for f in members if f.annual_target is not None]
    expected = [f.expected for f in members if f.expected is not None]
    return (
        over_centres(how, (f.done_to_date for f in members)),
        over_centres(how, targets) if targets else None,
        over_centres(how, expected) if expected else None,
    )
