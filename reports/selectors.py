"""Reads for the report pages: the reports a person sees, and one report with its versions and history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max

from plans.clock import today
from plans.models import Plan
from services.access import Access

from . import rules
from .models import Report, ReportEvent, ReportVersion
from .tables import ReportTable, build_table
from .workflow import notes_of, version_table

DEFAULT_DUE_DAY = 5


@dataclass(frozen=True)
class ListRow:
    """A centre's quarter in the list: where its report stands and whether it came on time."""

    plan: Plan
    quarter: int
    state: str
    state_label: str
    due: datetime.date
    punctuality: rules.Punctuality
    versions: int
    last_sent_at: datetime.datetime | None

    @property
    def quarter_roman(self) -> str:
        return rules.roman(self.quarter)


def visible_plans(access: Access, year: int) -> list[Plan]:
    """Plans of `year` whose reports this person sees: their centres', and the centres under the
    centres they review. One query."""
    return list(
        Plan.objects.own()
        .filter(year=year)
        .filter(access.centres_filter("organization"))
        .select_related("organization__parent")
        .order_by("organization__name")
    )


def report_list(access: Access, year: int) -> list[ListRow]:
    """Every quarter of every visible plan of `year`, in two queries."""
    plans = visible_plans(access, year)
    reports = {
        (report.plan_id, report.quarter): report
        for report in Report.objects.filter(plan__in=plans).annotate(
            version_count=Count("versions"), last_sent_at=Max("versions__submitted_at")
        )
    }
    on = today()
    rows = []
    for plan in plans:
        due_day = _due_day(plan)
        for quarter in range(1, 5):
            report = reports.get((plan.pk, quarter))
            state = report.state if report else Report.State.DRAFT
            due = rules.due_date(plan.year, quarter, due_day)
            sent_on = report.first_submitted_on if report else None
            rows.append(
                ListRow(
                    plan=plan,
                    quarter=quarter,
                    state=state,
                    state_label=Report.State(state).label,
                    due=due,
                    punctuality=rules.punctuality(due, sent_on=sent_on, today=on),
                    versions=report.version_count if report else 0,
                    last_sent_at=report.last_sent_at if report else None,
                )
            )
    return rows


@dataclass(frozen=True)
class ReportPage:
    """One report as its page shows it."""

    plan: Plan
    quarter: int
    report: Report | None
    table: ReportTable
    frozen: ReportVersion | None  # the version shown, when the report is with the region
    versions: list[ReportVersion]
    events: list[ReportEvent]
    due: datetime.date
    punctuality: rules.Punctuality

    @property
    def state(self) -> str:
        return self.report.state if self.report else Report.State.DRAFT

    @property
    def state_label(self) -> str:
        return Report.State(self.state).label


def report_page(plan: Plan, quarter: int) -> ReportPage:
    """The report on `quarter` of `plan` (with `organization__parent` loaded): while it is with the
    centre, the live figures and its notes; once sent, the table as sent. At most eight queries."""
    report = Report.objects.filter(plan=plan, quarter=quarter).first()
    versions: list[ReportVersion] = []
    events: list[ReportEvent] = []
    frozen = None
    if report is not None:
        versions = list(
            report.versions.defer("pdf", "table").select_related("submitted_by").order_by("number")
        )
        events = list(report.events.select_related("acting_user", "version").order_by("created_at", "pk"))
    if report is not None and report.state in (Report.State.SUBMITTED, Report.State.ACCEPTED):
        frozen = ReportVersion.objects.defer("pdf").get(pk=versions[-1].pk)
        table = version_table(frozen)
    else:
        table = build_table(plan, quarter, notes=notes_of(report))
    due = rules.due_date(plan.year, quarter, _due_day(plan))
    sent_on = report.first_submitted_on if report else None
    return ReportPage(
        plan=plan,
        quarter=quarter,
        report=report,
        table=table,
        frozen=frozen,
        versions=versions,
        events=events,
        due=due,
        punctuality=rules.punctuality(due, sent_on=sent_on, today=today()),
    )


def current_table(plan: Plan, quarter: int) -> tuple[ReportTable, ReportVersion | None]:
    """The report as it stands: the last version sent while the region has it, else the live draft."""
    report = Report.objects.filter(plan=plan, quarter=quarter).first()
    if report is not None and report.state in (Report.State.SUBMITTED, Report.State.ACCEPTED):
        version = report.versions.order_by("-number").first()
        return version_table(version), version
    return build_table(plan, quarter, notes=notes_of(report)), None


def _due_day(plan: Plan) -> int:
    # The region sets the day; a centre with no region above it keeps the usual 5th.
    parent = plan.organization.parent
    return parent.report_due_day if parent else DEFAULT_DUE_DAY
