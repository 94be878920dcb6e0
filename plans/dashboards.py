"""What the progress dashboards show, read from the figures selector in a fixed number of queries.

The numbers themselves all come from `plans.figures`; this module groups them (by section,
by service, by status), orders what needs attention, and picks what falls due soon.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse

from services.models import Organization, Service

from .figures import Figures, indicator_figures, quarter_of
from .models import Actual, MonthCompletion, Plan, Section
from .pacing import DeadlineKind, Status, Window, expected_amount

# Worst first: what the director must act on comes first.
ATTENTION = (Status.OVERDUE, Status.BEHIND)


# The order a dashboard counts in: what needs acting on first.
HEADLINE = (Status.BEHIND, Status.OVERDUE, Status.ON_TRACK, Status.DONE, Status.NOT_STARTED, Status.NO_TARGET)


@dataclass(frozen=True)
class Summary:
    """How a set of indicators stands: how many are in each status.

    Counts, not an average of shares done: an average lets a few small items done make up for
    the volume indicators (visitors, loans) that are behind.
    """

    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def attention(self) -> int:
        """How many are behind or overdue."""
        return sum(self.counts.get(status, 0) for status in ATTENTION)

    def in_order(self) -> list[tuple[Status, int]]:
        """Every status with its count (0 included), in the dashboard's order."""
        return [(status, self.counts.get(status, 0)) for status in HEADLINE]


def summarize(figures: Iterable[Figures]) -> Summary:
    return Summary(counts=dict(Counter(figure.status for figure in figures)))


@dataclass(frozen=True)
class EntryLink:
    """A responsible service and its entry page for the dashboard's month."""

    service: Service
    url: str


@dataclass(frozen=True)
class DashboardRow:
    """An indicator's line on a dashboard: its figures and who is responsible for it."""

    figures: Figures
    services: list[Service]
    # The indicator's page at the dashboard's month, and where each responsible service enters
    # the figure: computed once here rather than with {% url %} in every table that lists the row.
    url: str = ""
    entry_links: list[EntryLink] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        """How far it is from where it should be: from the target once overdue, else the pace."""
        f = self.figures
        goal = f.annual_target if f.status == Status.OVERDUE else f.expected
        return max((goal or 0) - f.done_to_date, 0)

    @property
    def shortfall_share(self) -> float:
        return self.shortfall / self.figures.annual_target if self.figures.annual_target else 0.0


@dataclass(frozen=True)
class Group:
    """A section's or a service's part of the plan, summarized."""

    key: int
    name: str
    summary: Summary
    obj: Section | Service
    # A service's dashboard at the same year and month (sections link within the page instead).
    url: str = ""


@dataclass(frozen=True)
class Completion:
    service: Service
    completed: MonthCompletion | None


@dataclass
class Dashboard:
    plan: Plan
    month: int
    # Every indicator in scope (after the section filter), in the plan's order.
    rows: list[DashboardRow]
    summary: Summary
    sections: list[Group]
    services: list[Group]
    attention: list[DashboardRow]
    due: list[DashboardRow]
    completions: list[Completion] = field(default_factory=list)
    due_until: int = 12
    # Every section of the plan (the filter offers them all), and the one filtered on.
    plan_sections: list[Section] = field(default_factory=list)
    section: Section | None = None

    def listed(self, status: Status | None) -> list[DashboardRow]:
        """The rows the indicator list shows under the status filter."""
        return [row for row in self.rows if status is None or row.figures.status == status]


def checkpoints(window: Window) -> list[int]:
    """The months at whose end a part of the target falls due under this window."""
    if window.kind == DeadlineKind.EACH_QUARTER:
        return [m for m in range(window.first_month, window.last_month + 1) if m % 3 == 0]
    if window.kind == DeadlineKind.TWICE_A_YEAR:
        return [6, 12]
    return [window.last_month]


def due_until(month: int) -> int:
    """The last month the "due soon" list looks ahead to: the end of the quarter that holds the
    next month (after March: April–June; after May: June)."""
    return min(quarter_of(min(month + 1, 12)) * 3, 12)


def falls_due(figures: Figures, month: int) -> int | None:
    """The month by whose end this indicator must do more than it has, if that comes after `month`
    and no later than `due_until(month)`; None otherwise (nothing due soon, or no target)."""
    if figures.annual_target is None or figures.done_to_date >= figures.annual_target:
        return None
    window = figures.indicator.item.deadline.window
    for checkpoint in checkpoints(window):
        if month < checkpoint <= due_until(month):
            if expected_amount(figures.annual_target, window, checkpoint) > figures.done_to_date:
                return checkpoint
    return None


def responsible(figures: Figures, centre_services: Sequence[Service]) -> list[Service]:
    """The centre's services that answer for the indicator's item, in the centre's order."""
    return [service for service in centre_services if figures.item.is_answered_by(service)]


def default_month(plan: Plan, today_month: int | None) -> int:
    """The last month with any entry; without entries, the current month of the plan's year."""
    last = Actual.objects.filter(indicator__item__plan=plan).aggregate(last=Max("month"))["last"]
    if last:
        return last
    return today_month or 1


# An id no row has, reversed in place of the real one (see url_for_each).
_ANY_ID = 2_147_483_647


def url_for_each(name: str, key: str, **kwargs: object) -> Callable[[int], str]:
    """reverse(name, kwargs={key: id, **kwargs}) for any id, from a single reverse: a dashboard
    links each of its hundred rows several times, and reverse() per link cost a fifth of it."""
    before, after = reverse(name, kwargs={key: _ANY_ID, **kwargs}).split(str(_ANY_ID))
    return lambda pk: f"{before}{pk}{after}"


def _worst_first(rows: Iterable[DashboardRow]) -> list[DashboardRow]:
    return sorted(
        (row for row in rows if row.figures.status in ATTENTION),
        key=lambda row: (ATTENTION.index(row.figures.status), -row.shortfall_share, row.figures.item.order),
    )


def build_dashboard(
    plan: Plan,
    month: int,
    *,
    service: Service | None = None,
    section_id: int | None = None,
) -> Dashboard:
    """The centre's dashboard (or one service's, given `service`) for a month of the plan.

    Seven queries: the centre's services, four for the figures, the plan's sections and the
    month's completions.
    """
    centre_services = list(Service.objects.filter(organization_id=plan.organization_id))
    plan_sections = list(Section.objects.filter(plan=plan).order_by("order"))
    section = next((s for s in plan_sections if s.pk == section_id), None)
    figures = indicator_figures(plan, month, services=[service] if service else None)
    if section is not None:
        figures = [f for f in figures if f.item.section_id == section.pk]
    indicator_url = url_for_each("plans:indicator", "indicator")
    entry_url = url_for_each("plans:entry", "service", year=plan.year, month=month)
    rows = []
    for f in figures:
        services = responsible(f, centre_services)
        rows.append(
            DashboardRow(
                f,
                services,
                url=f"{indicator_url(f.indicator.pk)}?month={month}",
                # Straight to the row on the entry page.
                entry_links=[EntryLink(s, f"{entry_url(s.pk)}#row-{f.indicator.pk}") for s in services],
            )
        )

    sections = []
    for plan_section in plan_sections:
        members = [f for f in figures if f.item.section_id == plan_section.pk]
        if members:
            sections.append(Group(plan_section.pk, str(plan_section), summarize(members), plan_section))

    services = []
    service_url = url_for_each("plans:service-dashboard", "service")
    responsible_ids = [{s.pk for s in row.services} for row in rows]
    for centre_service in centre_services:
        if service is not None and centre_service.pk != service.pk:
            continue
        members = [
            row.figures for row, ids in zip(rows, responsible_ids, strict=True) if centre_service.pk in ids
        ]
        if members:
            services.append(
                Group(
                    centre_service.pk,
                    centre_service.name,
                    summarize(members),
                    centre_service,
                    url=f"{service_url(centre_service.pk)}?year={plan.year}&month={month}",
                )
            )

    done_by = {
        c.service_id: c
        for c in MonthCompletion.objects.filter(plan=plan, month=month).select_related("completed_by")
    }
    completions = [
        Completion(s, done_by.get(s.pk)) for s in centre_services if service is None or s.pk == service.pk
    ]
    due = sorted(
        (row for row in rows if falls_due(row.figures, month) is not None),
        key=lambda row: (falls_due(row.figures, month), row.figures.item.order),
    )
    return Dashboard(
        plan=plan,
        month=month,
        rows=rows,
        summary=summarize(figures),
        sections=sections,
        services=services,
        attention=_worst_first(rows),
        due=due,
        completions=completions,
        due_until=due_until(month),
        plan_sections=plan_sections,
        section=section,
    )


def centre_plans(centre: Organization) -> list[Plan]:
    """The centre's plans, newest year first (for the year filter)."""
    plans = Plan.objects.own().filter(organization=centre).select_related("organization")
    return list(plans.order_by("-year"))
