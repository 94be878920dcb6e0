"""Reads that feed the monthly entry pages: which months are open, a service's rows, the month's
overview, an indicator's history. The writes are in plans.entry."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef

from services.models import Service

from .clock import today
from .deadlines import roman
from .figures import Figures, ParentTotals, indicator_figures, parent_totals, plan_indicators
from .locks import Decision, MonthState, lock_date, month_state, quarter_months
from .models import Actual, Indicator, MonthCompletion, MonthLock, Plan, PlanItem, Section
from .unlikely import Unlikely, from_record, unlikely


def month_states(plan: Plan) -> dict[int, MonthState]:
    """The state of each month (1–12) of the plan today, in one query.

    Reads `plan.organization` (select it with the plan to save a query)."""
    decisions = dict(MonthLock.objects.filter(plan=plan).values_list("month", "state"))
    on = today()
    lock_day = plan.organization.entry_lock_day
    return {
        month: month_state(
            plan.year,
            month,
            today=on,
            lock_day=lock_day,
            decision=decisions.get(month),
            approved=plan.is_approved,
        )
        for month in range(1, 13)
    }


def month_state_of(plan: Plan, month: int) -> MonthState:
    return entry_window(plan, month).state


@dataclass(frozen=True)
class ReturnedQuarter:
    """Months open again because the region returned their quarter's report: the reviewer's
    comment (recorded as the months' reason, plans.entry.do_return_quarter), who and when."""

    quarter: int
    months: list[int]
    comment: str
    by: str
    when: datetime.datetime

    @property
    def quarter_roman(self) -> str:
        return roman(self.quarter)


def _returned(locks: Sequence[MonthLock]) -> list[ReturnedQuarter]:
    by_quarter: dict[int, list[MonthLock]] = {}
    for lock in locks:
        by_quarter.setdefault((lock.month - 1) // 3 + 1, []).append(lock)
    returned = []
    for quarter, months in sorted(by_quarter.items()):
        latest = max(months, key=lambda lock: lock.changed_at)
        returned.append(
            ReturnedQuarter(
                quarter=quarter,
                months=sorted(lock.month for lock in months),
                comment=latest.reason,
                by=person_name(latest.changed_by),
                when=latest.changed_at,
            )
        )
    return returned


def returned_quarters(plan: Plan) -> list[ReturnedQuarter]:
    """The plan's quarters whose months a returned report reopened and that are still open for
    the corrections (not closed again by a new submission or a manager). One query."""
    locks = MonthLock.objects.filter(plan=plan, state=Decision.RETURNED).select_related("changed_by")
    return _returned(list(locks))


@dataclass(frozen=True)
class EntryWindow:
    """A month's state for entry, with the dates that explain it to the person entering."""

    state: MonthState
    first_day: datetime.date
    # The last day the month is open by the calendar (the centre's lock day of the next month).
    lock_date: datetime.date
    # Whether a manager's (or a submitted report's) decision, taken at `decided_at`, overrides it.
    decided: bool = False
    decided_at: datetime.datetime | None = None
    # Set while the month is open because the region returned its quarter's report.
    returned: ReturnedQuarter | None = None


def entry_window(plan: Plan, month: int) -> EntryWindow:
    """The month's state and its dates, and the return that reopened it if one did; one query.
    Reads `plan.organization`."""
    lock = MonthLock.objects.filter(plan=plan, month=month).select_related("changed_by").first()
    lock_day = plan.organization.entry_lock_day
    state = month_state(
        plan.year,
        month,
        today=today(),
        lock_day=lock_day,
        decision=lock.state if lock else None,
        approved=plan.is_approved,
    )
    returned = None
    if lock is not None and lock.state == Decision.RETURNED and state.is_open:
        returned = _returned([lock])[0]
    return EntryWindow(
        state=state,
        first_day=datetime.date(plan.year, month, 1),
        lock_date=lock_date(plan.year, month, lock_day),
        decided=lock is not None,
        decided_at=lock.changed_at if lock else None,
        returned=returned,
    )


def landing_month(plan: Plan, service: Service) -> tuple[Plan, int]:
    """The plan and month a service's people land on, given the centre's plan of this year (else
    its latest): this month, except that until the previous month's lock day they land on that
    month while it is open and the service has not marked it complete (on 3 April: March).

    Reads `plan.organization`; two or three queries."""
    on = today()
    if plan.year != on.year:
        return plan, 12 if plan.year < on.year else 1
    previous_plan: Plan | None = plan
    previous = on.month - 1
    if previous == 0:
        previous_plan = (
            Plan.objects.select_related("organization")
            .filter(organization_id=plan.organization_id, year=on.year - 1)
            .first()
        )
        previous = 12
    if previous_plan is not None:
        window = entry_window(previous_plan, previous)
        if (
            window.state.is_open
            and on <= window.lock_date
            and not MonthCompletion.objects.filter(
                plan=previous_plan, month=previous, service=service
            ).exists()
        ):
            return previous_plan, previous
    return plan, on.month


def month_is_open(plan: Plan, month: int) -> bool:
    """Whether figures of `month` may be entered or corrected now."""
    return month_state_of(plan, month).is_open


def lacks_figure(item: PlanItem, *, own: bool, anyone: bool) -> bool:
    """Whether a service still owes the month's figure of an item's indicator, given whether it
    entered one itself (`own`) and whether any service did (`anyone`). An item shared by all
    services is answered once any of them has entered it: it is not missing for every other."""
    if own:
        return False
    return not (item.all_services and anyone)


@dataclass(frozen=True)
class EntryFormRow:
    """What the entry form needs of a row: the indicator, its name for screen readers, and the
    service's figure and note the page was loaded with."""

    indicator_id: int
    name: str
    value: int | None = None
    note: str = ""


def entry_form_rows(plan: Plan, service: Service) -> list[EntryFormRow]:
    """The form rows of a service's month, in one query: enough to read a submitted form back (a
    save needs none of the figures the page shows)."""
    indicators = plan_indicators(plan, services=[service]).values_list("pk", "item__number", "label")
    return [EntryFormRow(pk, _row_name(number, label)) for pk, number, label in indicators]


def _row_name(number: str, label: str) -> str:
    return " ".join(filter(None, [number, label]))


@dataclass
class EntryPageRow:
    """A row of a service's entry page: the indicator's figures and this service's own figure."""

    figures: Figures
    own: Actual | None
    first_of_item: bool
    # Set on the first row of a section, and on the first sub-item of a parent item.
    section: Section | None = None
    parent: ParentTotals | None = None
    # The service's figure for the same month of the year before (last_year_actuals).
    last_year: int | None = None
    # Set when a save asked to confirm the row's value (plans.unlikely).
    unlikely: Unlikely | None = None
    # How many evidence files the service's figure has (evidence.selectors), and the links to its
    # history and its files; the page sets them.
    evidence_count: int = 0
    history_url: str = ""
    evidence_url: str = ""

    @property
    def indicator(self) -> Indicator:
        return self.figures.indicator

    @property
    def item(self) -> PlanItem:
        return self.figures.indicator.item

    @property
    def form_row(self) -> EntryFormRow:
        own = self.own
        return EntryFormRow(
            indicator_id=self.indicator.pk,
            name=_row_name(self.item.number, self.indicator.label),
            value=own.value if own else None,
            note=own.note if own else "",
        )

    @property
    def is_empty(self) -> bool:
        """Whether the row still lacks the month's figure (see `lacks_figure`)."""
        return lacks_figure(self.item, own=self.own is not None, anyone=self.figures.entered_in_month)

    @property
    def others_in_month(self) -> int:
        """What the other services sharing the item entered this month."""
        return self.figures.done_in_month - (self.own.value if self.own else 0)


def month_completion(plan: Plan, month: int, service: Service) -> MonthCompletion | None:
    return (
        MonthCompletion.objects.filter(plan=plan, month=month, service=service)
        .select_related("completed_by")
        .first()
    )


def entry_rows(plan: Plan, month: int, service: Service) -> list[EntryPageRow]:
    """The rows of a service's month, in the plan's order, in a fixed number of queries (six),
    each with the service's figure for the same month of last year.

    The rows are the indicators of the items the service answers for (`plan_indicators` with the
    service, in SQL: cheaper than reading every item's services to ask `is_answered_by`).

    Figures are read for the whole plan so that a parent item's total counts every sub-item,
    including those of other services."""
    figures = indicator_figures(plan, month, indicators=plan_indicators(plan))
    answered = set(plan_indicators(plan, services=[service]).values_list("pk", flat=True))
    parents = parent_totals(figures)
    own = {
        actual.indicator_id: actual
        for actual in Actual.objects.filter(
            indicator__item__plan=plan, month=month, service=service
        ).select_related("entered_by")
    }
    last_year = last_year_actuals(plan, service, month=month)
    rows: list[EntryPageRow] = []
    section_id = item_id = parent_id = None
    for figure in figures:
        item = figure.item
        if figure.indicator.pk not in answered:
            continue
        row = EntryPageRow(
            figures=figure,
            own=own.get(figure.indicator.pk),
            first_of_item=item.pk != item_id,
            last_year=last_year.of(item, figure.indicator.label).get(month),
        )
        if item.section_id != section_id:
            row.section = item.section
            parent_id = None
        if item.parent_id is not None and item.parent_id != parent_id:
            row.parent = parents.get(item.parent_id)
        section_id, item_id, parent_id = item.section_id, item.pk, item.parent_id
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ServiceMonth:
    """A service's month on the manager's overview."""

    service: Service
    completion: MonthCompletion | None
    expected: int
    missing: list[Indicator]

    @property
    def entered(self) -> int:
        return self.expected - len(self.missing)


def month_overview(plan: Plan, month: int) -> list[ServiceMonth]:
    """For each service of the plan's centre: completed or not, and its indicators with no figure
    for the month yet (a shared item entered by any service is missing for none). Five queries."""
    return months_overview(plan, [month])[month]


def quarter_overview(plan: Plan, quarter: int) -> dict[int, list[ServiceMonth]]:
    """month_overview for each month of the quarter, in the same five queries."""
    return months_overview(plan, list(quarter_months(quarter)))


def months_overview(plan: Plan, months: Sequence[int]) -> dict[int, list[ServiceMonth]]:
    """month_overview of each of `months`, in five queries whatever their number."""
    services = list(plan.organization.services.all())
    indicators = list(plan_indicators(plan).prefetch_related("item__services"))
    entered = set(
        Actual.objects.filter(indicator__item__plan=plan, month__in=months).values_list(
            "month", "indicator_id", "service_id"
        )
    )
    entered_by_anyone = {(month, indicator_id) for month, indicator_id, _service_id in entered}
    completions = MonthCompletion.objects.filter(plan=plan, month__in=months).select_related("completed_by")
    completions = {(completion.month, completion.service_id): completion for completion in completions}
    answered = {
        service.pk: [indicator for indicator in indicators if indicator.item.is_answered_by(service)]
        for service in services
    }
    return {
        month: [
            ServiceMonth(
                service=service,
                completion=completions.get((month, service.pk)),
                expected=len(answered[service.pk]),
                missing=[
                    indicator
                    for indicator in answered[service.pk]
                    if lacks_figure(
                        indicator.item,
                        own=(month, indicator.pk, service.pk) in entered,
                        anyone=(month, indicator.pk) in entered_by_anyone,
                    )
                ],
            )
            for service in services
        ]
        for month in months
    }


@dataclass(frozen=True)
class EmptyRows:
    """A service's rows of a month that still have no figure, out of all its rows."""

    indicators: list[Indicator]
    total: int


def empty_rows(plan: Plan, month: int, service: Service) -> EmptyRows:
    """The service's indicators with no figure for the month yet (see `lacks_figure`). One query."""
    in_month = Actual.objects.filter(indicator_id=OuterRef("pk"), month=month)
    indicators = plan_indicators(plan, services=[service]).annotate(
        own=Exists(in_month.filter(service=service)), anyone=Exists(in_month)
    )
    indicators = list(indicators)
    return EmptyRows(
        indicators=[i for i in indicators if lacks_figure(i.item, own=i.own, anyone=i.anyone)],
        total=len(indicators),
    )


@dataclass(frozen=True)
class Change:
    """One change of a figure: who, when, the value before and after, and the note."""

    month: int
    service: Service
    when: datetime.datetime
    by: str
    old_value: int | None
    new_value: int | None
    note: str
    # Set when the value was unlikely and the person confirmed it (plans.unlikely).
    confirmed_unlikely: Unlikely | None = None

    @property
    def action(self) -> str:
        """ "entered" (no figure before), "removed" (none after) or "changed"."""
        if self.old_value is None:
            return "entered"
        return "removed" if self.new_value is None else "changed"


def person_name(user: AbstractBaseUser | None) -> str:
    """How a person is named on the pages: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def indicator_history(indicator: Indicator, services: Sequence[Service] | None = None) -> list[Change]:
    """Every change of the indicator's figures (of the given services), newest first. One query."""
    records = Actual.history.filter(indicator_id=indicator.pk)
    if services is not None:
        records = records.filter(service__in=list(services))
    records = records.select_related("history_user", "service").order_by(
        "month", "service_id", "history_date", "history_id"
    )
    changes: list[Change] = []
    previous: dict[tuple[int, int], int | None] = {}
    for record in records:
        key = (record.month, record.service_id)
        new_value = None if record.history_type == "-" else record.value
        changes.append(
            Change(
                month=record.month,
                service=record.service,
                when=record.history_date,
                by=person_name(record.history_user),
                old_value=previous.get(key),
                new_value=new_value,
                note="" if record.history_type == "-" else record.note,
                confirmed_unlikely=from_record(record.history_change_reason or ""),
            )
        )
        previous[key] = new_value
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


@dataclass(frozen=True)
class LastYearFigures:
    """A service's figures of the year before, by month, found for this year's item and label."""

    # By last year's item (its id) and the indicator's label.
    by_item: dict[tuple[int, str], dict[int, int]]
    # By the item's number and the indicator's label.
    by_number: dict[tuple[str, str], dict[int, int]]

    def of(self, item: PlanItem, label: str) -> dict[int, int]:
        """The months of the same indicator last year. An item copied from last year's
        (`PlanItem.previous_item`, set by plans/next_year.py) is the same item whatever its
        number now: the label is matched within it. Other items are matched by number and label."""
        if item.previous_item_id is not None:
            return self.by_item.get((item.previous_item_id, label), {})
        return self.by_number.get((item.number, label), {})


def last_year_actuals(plan: Plan, service: Service, *, month: int | None = None) -> LastYearFigures:
    """The service's figures in the centre's own plan of the year before (of `month` only, if
    given), to be found by this year's item and label (LastYearFigures.of). One query; empty
    when there was no plan."""
    actuals = Actual.objects.filter(
        indicator__item__plan__organization_id=plan.organization_id,
        indicator__item__plan__year=plan.year - 1,
        indicator__item__plan__kind=Plan.Kind.OWN,
        service=service,
    )
    if month is not None:
        actuals = actuals.filter(month=month)
    by_item: dict[tuple[int, str], dict[int, int]] = {}
    by_number: dict[tuple[str, str], dict[int, int]] = {}
    for item_id, number, label, in_month, value in actuals.values_list(
        "indicator__item_id", "indicator__item__number", "indicator__label", "month", "value"
    ):
        by_item.setdefault((item_id, label), {})[in_month] = value
        by_number.setdefault((number, label), {})[in_month] = value
    return LastYearFigures(by_item=by_item, by_number=by_number)


def unlikely_values(plan: Plan, month: int, service: Service, values: dict[int, int]) -> dict[int, Unlikely]:
    """Which of the values to be saved for the service's month (by indicator id) are unlikely
    (plans.unlikely), compared with the service's other months of this year and last year's
    months of the same item. Three queries; none without values."""
    if not values:
        return {}
    indicators = Indicator.objects.filter(pk__in=list(values)).select_related("item__deadline")
    known: dict[int, list[int]] = {pk: [] for pk in values}
    this_year = Actual.objects.filter(indicator_id__in=list(values), service=service).exclude(month=month)
    for indicator_id, value in this_year.values_list("indicator_id", "value"):
        known[indicator_id].append(value)
    last_year = last_year_actuals(plan, service)
    found = {}
    for indicator in indicators:
        same_item = last_year.of(indicator.item, indicator.label)
        months = known[indicator.pk] + list(same_item.values())
        why = unlikely(
            values[indicator.pk],
            known_months=months,
            annual_target=indicator.annual_target,
            window=indicator.item.deadline.window,
        )
        if why is not None:
            found[indicator.pk] = why
    return found


def last_year_indicator(indicator: Indicator) -> Indicator | None:
    """The same indicator in the centre's own plan of the year before, with its item's deadline,
    or None: the indicator of the same label in the item this one was copied from
    (`PlanItem.previous_item`), else in the item of the same number. One query; reads
    `indicator.item.plan`."""
    item = indicator.item
    plan = item.plan
    same_item = {"item_id": item.previous_item_id} if item.previous_item_id else {"item__number": item.number}
    return (
        Indicator.objects.filter(
            item__plan__organization_id=plan.organization_id,
            item__plan__year=plan.year - 1,
            item__plan__kind=Plan.Kind.OWN,
            label=indicator.label,
            **same_item,
        )
        .select_related("item__deadline")
        .first()
    )
