"""The writes of monthly entry: saving a service's month, completing it, closing and reopening months.

Every write here is a `do_*` function: atomic, with a keyword-only `acting_user`, writing its
record (MonthEvent, or the actual's history) in the same transaction. Each locks the plan's
row first, so a month cannot be saved while its quarter is being closed, and the other way round.
The entry pages' reads are in plans.selectors.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from services.models import Service

from .figures import plan_indicators
from .locks import manager_may_decide, quarter_months
from .models import Actual, MonthCompletion, MonthEvent, MonthLock, Plan
from .selectors import month_state_of, person_name, unlikely_values
from .unlikely import Unlikely

# Stored in English and shown translated (MonthEvent.reason_display), like any reason typed in.
REPORT_SUBMITTED = gettext_noop("Quarterly report submitted")


class MonthSealed(Exception):
    """The month's quarterly report was accepted: it stays closed until the reviewer takes the
    acceptance back (plans.locks.manager_may_decide)."""

    def __init__(self, months: list[int]):
        super().__init__(f"months {months} are sealed")
        self.months = months


def _lock_plan(plan: Plan) -> None:
    # Every write on the plan's months (saving, closing, reopening) starts here: the plan's row
    # stays locked until the transaction ends, which serialises them on PostgreSQL. SQLite has no
    # row locks; its transactions take the database's write lock when they begin (settings).
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True).get()


def _decide(
    plan: Plan,
    months: range | list[int],
    state: str,
    action: str,
    *,
    acting_user: AbstractBaseUser,
    reason: str,
    unseal: bool = False,
) -> None:
    """Record `state` as the decision on `months`. A sealed month is refused (MonthSealed) unless
    this is the unsealing itself."""
    _lock_plan(plan)
    if not unseal:
        decisions = MonthLock.objects.filter(plan=plan, month__in=list(months)).values_list("month", "state")
        sealed = sorted(month for month, decision in decisions if not manager_may_decide(decision))
        if sealed:
            raise MonthSealed(sealed)
    now = timezone.now()
    MonthLock.objects.bulk_create(
        [
            MonthLock(
                plan=plan, month=month, state=state, reason=reason, changed_by=acting_user, changed_at=now
            )
            for month in months
        ],
        update_conflicts=True,
        unique_fields=["plan", "month"],
        update_fields=["state", "reason", "changed_by", "changed_at"],
    )
    MonthEvent.objects.bulk_create(
        MonthEvent(plan=plan, month=month, action=action, reason=reason, acting_user=acting_user)
        for month in months
    )


@transaction.atomic
def do_close_month(plan: Plan, month: int, *, acting_user: AbstractBaseUser, reason: str = "") -> None:
    """Close a month before (or after) its lock date; nothing can be entered until it is reopened.
    A sealed month is refused (MonthSealed)."""
    _decide(
        plan,
        [month],
        MonthLock.State.CLOSED,
        MonthEvent.Action.CLOSED,
        acting_user=acting_user,
        reason=reason,
    )


@transaction.atomic
def do_reopen_month(plan: Plan, month: int, *, acting_user: AbstractBaseUser, reason: str) -> None:
    """Reopen a month whatever its lock date, until it is closed again. A month of a quarter whose
    report the region accepted is sealed, and refused (MonthSealed): the figures the region
    accepted must not drift."""
    _decide(
        plan,
        [month],
        MonthLock.State.REOPENED,
        MonthEvent.Action.REOPENED,
        acting_user=acting_user,
        reason=reason,
    )


# The quarterly report's workflow (reports.workflow) decides on a quarter's three months through
# these; plans knows of reports only what they record here.


@transaction.atomic
def do_close_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser, reason: str = "") -> None:
    """Close the quarter's three months (its report was submitted)."""
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.CLOSED,
        MonthEvent.Action.CLOSED,
        acting_user=acting_user,
        reason=reason or REPORT_SUBMITTED,
    )


@transaction.atomic
def do_return_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser, comment: str) -> None:
    """Reopen the quarter's three months because the region returned its report: the reviewer's
    comment is the reason, shown on the months' entry pages and the centre's dashboard until
    the months are closed again (the report sent again)."""
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.RETURNED,
        MonthEvent.Action.RETURNED,
        acting_user=acting_user,
        reason=comment,
    )


@transaction.atomic
def do_seal_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser) -> None:
    """Seal the quarter's three months: the region accepted its report, so they stay closed. (The
    decision says why; there is no reason to add.)"""
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.SEALED,
        MonthEvent.Action.SEALED,
        acting_user=acting_user,
        reason="",
    )


@transaction.atomic
def do_unseal_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser, reason: str) -> None:
    """Unseal the quarter's three months (the reviewer took the acceptance back, saying why): they
    are closed again, and a manager may reopen them to correct the figures."""
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.CLOSED,
        MonthEvent.Action.UNSEALED,
        acting_user=acting_user,
        reason=reason,
        unseal=True,
    )


class MonthClosed(Exception):
    """The month is not open for entry (locked, closed, or not begun)."""


class NotOnPage(Exception):
    """An entry names an indicator that is not the service's in this plan."""


@dataclass(frozen=True)
class SubmittedRow:
    """One row as submitted: the value and note typed, and those the page was loaded with."""

    indicator_id: int
    value: int | None
    note: str
    loaded_value: int | None
    loaded_note: str

    @property
    def changed(self) -> bool:
        return (self.value, self.note) != (self.loaded_value, self.loaded_note)


@dataclass(frozen=True)
class Conflict:
    """A row someone else saved after the page was loaded: theirs as it is now, and ours."""

    indicator_id: int
    current_value: int | None
    current_note: str
    changed_by: str
    yours: int | None
    your_note: str


class EntryConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} rows changed meanwhile")
        self.conflicts = conflicts


class UnlikelyValues(Exception):
    """Values far outside the indicators' usual months (plans.unlikely), not confirmed: nothing
    was saved. `unlikely` says why, by indicator id."""

    def __init__(self, unlikely: dict[int, Unlikely]):
        super().__init__(f"{len(unlikely)} unlikely values to confirm")
        self.unlikely = unlikely


@dataclass(frozen=True)
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.deleted


def _indicator_ids(plan: Plan, service: Service) -> set[int]:
    return set(plan_indicators(plan, services=[service]).values_list("pk", flat=True))


@transaction.atomic
def do_save_month(
    plan: Plan,
    month: int,
    service: Service,
    entries: Sequence[SubmittedRow],
    *,
    acting_user: AbstractBaseUser,
    confirmed_unlikely: Mapping[int, int] | None = None,
) -> SaveResult:
    """Save a service's month in one go: create, correct and clear its figures, with their history.

    Only rows the person changed are written. A row someone else changed since the page was
    loaded is a conflict: nothing at all is saved and the conflicts are raised. An empty value
    where a figure was saved deletes that figure (0 is a figure: "nothing was done"). A new value
    that is unlikely (plans.unlikely) is saved only if `confirmed_unlikely` holds it (indicator id
    → the value confirmed); otherwise nothing is saved and UnlikelyValues is raised. A confirmed
    one is recorded in its history row's change reason.
    """
    _lock_plan(plan)
    if not month_state_of(plan, month).is_open:
        raise MonthClosed(month)
    changed = [entry for entry in entries if entry.changed]
    if not changed:
        return SaveResult()
    ids = [entry.indicator_id for entry in changed]
    foreign = set(ids) - _indicator_ids(plan, service)
    if foreign:
        raise NotOnPage(sorted(foreign))
    current = {
        actual.indicator_id: actual
        for actual in Actual.objects.select_for_update(of=("self",))
        .filter(month=month, service=service, indicator_id__in=ids)
        .select_related("entered_by")
    }
    now = timezone.now()
    to_create: list[Actual] = []
    to_update: list[Actual] = []
    to_delete: list[Actual] = []
    conflicts: list[Conflict] = []
    # The values that change (a note corrected alone leaves its value as it was accepted).
    new_values: dict[int, int] = {}
    for entry in changed:
        actual = current.get(entry.indicator_id)
        now_value, now_note = (actual.value, actual.note) if actual else (None, "")
        if (now_value, now_note) == (entry.value, entry.note):
            continue  # already as wanted, whoever saved it
        if entry.value is not None and entry.value != now_value:
            new_values[entry.indicator_id] = entry.value
        if (now_value, now_note) != (entry.loaded_value, entry.loaded_note):
            conflicts.append(
                Conflict(
                    indicator_id=entry.indicator_id,
                    current_value=now_value,
                    current_note=now_note,
                    changed_by=person_name(actual.entered_by) if actual else "",
                    yours=entry.value,
                    your_note=entry.note,
                )
            )
        elif entry.value is None:
            to_delete.append(actual)
        elif actual is None:
            to_create.append(
                Actual(
                    indicator_id=entry.indicator_id,
                    month=month,
                    service=service,
                    value=entry.value,
                    note=entry.note,
                    entered_by=acting_user,
                    entered_at=now,
                )
            )
        else:
            actual.value, actual.note, actual.entered_by, actual.entered_at = (
                entry.value,
                entry.note,
                acting_user,
                now,
            )
            to_update.append(actual)
    if conflicts:
        raise EntryConflict(conflicts)
    found = unlikely_values(plan, month, service, new_values)
    confirmed = confirmed_unlikely or {}
    unconfirmed = {pk: why for pk, why in found.items() if confirmed.get(pk) != new_values[pk]}
    if unconfirmed:
        raise UnlikelyValues(unconfirmed)
    if to_create:
        bulk_create_with_history(to_create, Actual, default_user=acting_user, default_date=now)
    if to_update:
        _update_with_history(to_update, acting_user=acting_user, when=now)
    if to_delete:
        _delete_with_history(to_delete, acting_user=acting_user, when=now)
    for indicator_id, why in found.items():
        Actual.history.filter(
            indicator_id=indicator_id, month=month, service=service, history_date=now
        ).update(history_change_reason=why.record)
    return SaveResult(created=len(to_create), updated=len(to_update), deleted=len(to_delete))


def _update_with_history(
    actuals: list[Actual], *, acting_user: AbstractBaseUser, when: datetime.datetime
) -> None:
    # The same UPDATE run for each row: QuerySet.bulk_update builds a CASE of every row for every
    # field, and building it cost more than all the rest of a month's save.
    fields = [Actual._meta.get_field(name) for name in ("value", "note", "entered_by", "entered_at")]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, pk = quote(Actual._meta.db_table), quote(Actual._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
    params = [
        [field.get_db_prep_save(getattr(actual, field.attname), connection) for field in fields] + [actual.pk]
        for actual in actuals
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    Actual.history.bulk_history_create(actuals, update=True, default_user=acting_user, default_date=when)


def _delete_with_history(
    actuals: list[Actual], *, acting_user: AbstractBaseUser, when: datetime.datetime
) -> None:
    History = Actual.history.model
    History.objects.bulk_create(
        History(
            history_date=when,
            history_user=acting_user,
            history_type="-",
            history_change_reason="",
            **{field.attname: getattr(actual, field.attname) for field in History.tracked_fields},
        )
        for actual in actuals
    )
    # A plain DELETE: QuerySet.delete() would send post_delete for each row, and
    # simple-history would then write a second, unattributed history row one query at a time.
    # Nothing refers to an actual, so there is nothing to cascade.
    Actual.objects.filter(pk__in=[actual.pk for actual in actuals])._raw_delete(Actual.objects.db)


@transaction.atomic
def do_complete_month(plan: Plan, month: int, service: Service, *, acting_user: AbstractBaseUser) -> bool:
    """Mark the service's month complete (its head says every figure is in). False if it already was."""
    _lock_plan(plan)
    if not month_state_of(plan, month).is_open:
        raise MonthClosed(month)
    _completion, created = MonthCompletion.objects.get_or_create(
        plan=plan, month=month, service=service, defaults={"completed_by": acting_user}
    )
    if created:
        MonthEvent.objects.create(
            plan=plan,
            month=month,
            service=service,
            action=MonthEvent.Action.COMPLETED,
            acting_user=acting_user,
        )
    return created


@transaction.atomic
def do_withdraw_completion(
    plan: Plan, month: int, service: Service, *, acting_user: AbstractBaseUser, reason: str = ""
) -> bool:
    """Take back the service's "month complete" mark (it was given too early), while the month is
    open. False if the month was not marked complete."""
    _lock_plan(plan)
    if not month_state_of(plan, month).is_open:
        raise MonthClosed(month)
    deleted, _by_model = MonthCompletion.objects.filter(plan=plan, month=month, service=service).delete()
    if deleted:
        MonthEvent.objects.create(
            plan=plan,
            month=month,
            service=service,
            action=MonthEvent.Action.WITHDRAWN,
            reason=reason,
            acting_user=acting_user,
        )
    return bool(deleted)
