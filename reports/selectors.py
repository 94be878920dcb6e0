"""Reads for the report pages: the reports a person sees, and one report with its versions and history."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from plans.clock import today
from plans.locks import MonthState, lock_date, quarter_months
from plans.models import Actual, Plan
from plans.selectors import ServiceMonth, month_states, quarter_overview
from services.access import Access

from . import rules
from .models import Report, ReportEvent, ReportNote, ReportVersion
from .tables import ReportRow, ReportTable, build_table
from .workflow import NOTE_MAX_LENGTH, notes_of, row_name, version_table

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

    @property
    def available(self) -> bool:
        """Whether the report can be opened (the annual report: once the fourth quarter is over)."""
        return rules.available(self.plan.year, self.quarter, today())

    @property
    def opens_on(self) -> datetime.date:
        return rules.sendable_from(self.plan.year, self.quarter)


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


def report_list(access: Access, year: int, *, periods: Collection[int] = (1, 2, 3, 4)) -> list[ListRow]:
    """Every quarter (or the `periods` given: rules.PERIODS adds the annual report) of every visible
    plan of `year`, in two queries."""
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
        for quarter in periods:
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


# "Who is late" first: not sent past the due day, then sent late; the rest in the list's order.
_LATE_FIRST = {rules.Punctuality.OVERDUE: 0, rules.Punctuality.LATE: 1}


def filtered_list(rows: list[ListRow], *, quarter: int | None, state: str | None) -> list[ListRow]:
    """The list's rows of `quarter` and in `state` (None: any), who is late first."""
    kept = [
        row
        for row in rows
        if (quarter is None or row.quarter == quarter) and (state is None or row.state == state)
    ]
    return sorted(kept, key=lambda row: _LATE_FIRST.get(row.punctuality, 2))


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
    # Notes proposed from the months' notes (proposed_notes), by indicator id, for the indicators
    # with no note saved or typed; only while the person may edit the notes. Never saved by itself.
    proposals: Mapping[int, str]

    @property
    def state(self) -> str:
        return self.report.state if self.report else Report.State.DRAFT

    @property
    def state_label(self) -> str:
        return Report.State(self.state).label

    @property
    def sent_back(self) -> ReportEvent | None:
        """Why the report is with the centre again: the reviewer's return (or taking back of the
        acceptance) that put it there, with who, when and the comment."""
        if self.state != Report.State.RETURNED:
            return None
        backwards = {ReportEvent.Action.RETURNED, ReportEvent.Action.ACCEPTANCE_WITHDRAWN}
        return next((event for event in reversed(self.events) if event.action in backwards), None)


@dataclass(frozen=True)
class NamedRow:
    """A row of the report as a message or a link names it."""

    row: ReportRow
    name: str


def named_rows(table: ReportTable, rows: list[ReportRow]) -> list[NamedRow]:
    return [NamedRow(row=row, name=row_name(table, row)) for row in rows]


def missing_notes(plan: Plan, quarter: int) -> list[NamedRow]:
    """The indicators behind without a saved note, which stop the report from being sent. Six
    queries."""
    report = Report.objects.filter(plan=plan, quarter=quarter).first()
    table = build_table(plan, quarter, notes=notes_of(report))
    return named_rows(table, table.missing_notes())


def proposed_notes(plan: Plan, quarter: int, *, without: Collection[int] = ()) -> dict[int, str]:
    """What each indicator's quarter note could say: its months' notes ("what was done") of the
    quarter, one line per month and service in the order of months ("Yanvar: …"; with the
    service's name when several services wrote notes for it), by indicator id; none for the
    indicators in `without` (those with a note already). For the annual report (WHOLE_YEAR), the
    quarters' notes instead (proposed_year_notes). One query."""
    if rules.is_year(quarter):
        return proposed_year_notes(plan, without=without)
    lines: dict[int, list[tuple[int, str, str]]] = {}
    actuals = (
        Actual.objects.filter(indicator__item__plan=plan, month__in=quarter_months(quarter))
        .exclude(note="")
        .order_by("indicator_id", "month", "service__order", "service__name", "service_id")
        .values_list("indicator_id", "month", "service__name", "note")
    )
    for indicator_id, month, service, note in actuals:
        if indicator_id in without:
            continue
        text = "; ".join(line.strip() for line in note.splitlines() if line.strip())
        if text:
            lines.setdefault(indicator_id, []).append((month, service, text))
    proposals = {}
    for indicator_id, notes in lines.items():
        several = len({service for _month, service, _text in notes}) > 1
        proposal = "\n".join(
            f"{MONTHS[month]} ({service}): {text}" if several else f"{MONTHS[month]}: {text}"
            for month, service, text in notes
        )
        proposals[indicator_id] = _bounded(proposal)
    return proposals


def proposed_year_notes(plan: Plan, *, without: Collection[int] = ()) -> dict[int, str]:
    """What each indicator's note on the year could say, as the quarter's proposes from its months:
    its notes in the quarterly reports, one line per quarter ("I chorak: …"), by indicator id; none
    for the indicators in `without`. One query."""
    notes = (
        ReportNote.objects.filter(report__plan=plan, report__quarter__in=range(1, 5))
        .order_by("indicator_id", "report__quarter")
        .values_list("indicator_id", "report__quarter", "text")
    )
    lines: dict[int, list[str]] = {}
    for indicator_id, quarter, note in notes:
        text = "; ".join(line.strip() for line in note.splitlines() if line.strip())
        if indicator_id in without or not text:
            continue
        label = _("Quarter %(quarter)s") % {"quarter": rules.roman(quarter)}
        lines.setdefault(indicator_id, []).append(f"{label}: {text}")
    return {indicator_id: _bounded("\n".join(quarters)) for indicator_id, quarters in lines.items()}


def _bounded(proposal: str) -> str:
    if len(proposal) > NOTE_MAX_LENGTH:
        return proposal[: NOTE_MAX_LENGTH - 1] + "…"
    return proposal


def report_page(
    plan: Plan, quarter: int, *, typed_notes: Mapping[int, str] | None = None, propose: bool = False
) -> ReportPage:
    """The report on `quarter` of `plan` (with `organization__parent` loaded): while it is with the
    centre, the live figures and its notes (those in `typed_notes` as typed on a refused form, in
    place of the saved ones); once sent, the table as sent. With `propose` (the person edits the
    notes) and while the notes can be edited, the notes proposed from the months' notes for the
    indicators with none (one query more). At most nine queries."""
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
    proposals: dict[int, str] = {}
    if frozen is None:
        notes = {**notes_of(report), **(typed_notes or {})}
        table = build_table(plan, quarter, notes=notes)
        state = report.state if report else Report.State.DRAFT
        if propose and rules.notes_editable(state):
            proposals = proposed_notes(plan, quarter, without=notes)
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
        proposals=proposals,
    )


@dataclass(frozen=True)
class MonthBeforeSending:
    """A month of the quarter as sending the report would find it."""

    month: int
    state: MonthState
    lock_date: datetime.date  # the last day it is open for entry without a decision
    services: list[ServiceMonth]  # every service, completed or not (plans.selectors.month_overview)
    # Still open for entry by its dates: sending now closes it before its lock day.
    open_until_lock_day: bool

    @property
    def name(self) -> str:
        return str(MONTHS[self.month])

    @property
    def unfinished(self) -> list[ServiceMonth]:
        """The services that have not completed the month, or still miss figures in it."""
        return [service for service in self.services if not service.completion or service.missing]

    @property
    def missing_figures(self) -> int:
        return sum(len(service.missing) for service in self.services)


@dataclass(frozen=True)
class SendingCheck:
    """What the manager is asked to confirm before sending: where the quarter's months stand, and
    whether the report can be sent at all."""

    plan: Plan
    quarter: int
    state: str
    months: list[MonthBeforeSending]
    missing_notes: list[NamedRow]
    sendable_from: datetime.date
    today: datetime.date

    @property
    def quarter_roman(self) -> str:
        return "" if self.annual else rules.roman(self.quarter)

    @property
    def annual(self) -> bool:
        return rules.is_year(self.quarter)

    @property
    def can_send(self) -> bool:
        return (
            rules.can_move(self.state, rules.Move.SUBMIT)
            and self.today >= self.sendable_from
            and not self.missing_notes
        )

    @property
    def before_lock_day(self) -> list[MonthBeforeSending]:
        return [month for month in self.months if month.open_until_lock_day]

    @property
    def unfinished(self) -> list[MonthBeforeSending]:
        return [month for month in self.months if month.unfinished]


def sending_check(plan: Plan, quarter: int) -> SendingCheck:
    """The quarter's months before the report is sent (who has not completed them, the figures
    missing, which are open before their lock day) and the notes still missing. Twelve queries.
    The annual report decides no months (reports.workflow): only its notes are checked."""
    report = Report.objects.filter(plan=plan, quarter=quarter).first()
    state = report.state if report else Report.State.DRAFT
    table = build_table(plan, quarter, notes=notes_of(report))
    if rules.is_year(quarter):
        return SendingCheck(
            plan=plan,
            quarter=quarter,
            state=state,
            months=[],
            missing_notes=named_rows(table, table.missing_notes()),
            sendable_from=rules.sendable_from(plan.year, quarter),
            today=today(),
        )
    states = month_states(plan)
    overview = quarter_overview(plan, quarter)
    lock_day = plan.organization.entry_lock_day
    on = today()
    locks = {month: lock_date(plan.year, month, lock_day) for month in overview}
    return SendingCheck(
        plan=plan,
        quarter=quarter,
        state=state,
        months=[
            MonthBeforeSending(
                month=month,
                state=states[month],
                lock_date=locks[month],
                services=services,
                open_until_lock_day=states[month].is_open and on <= locks[month],
            )
            for month, services in overview.items()
        ],
        missing_notes=named_rows(table, table.missing_notes()),
        sendable_from=rules.sendable_from(plan.year, quarter),
        today=on,
    )


def last_version(plan: Plan, quarter: int) -> tuple[Report | None, ReportVersion | None]:
    """The report and the last version sent, without its PDF or table. Two queries."""
    report = Report.objects.filter(plan=plan, quarter=quarter).first()
    if report is None:
        return None, None
    version = report.versions.defer("pdf", "table").select_related("submitted_by").order_by("-number").first()
    return report, version


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
