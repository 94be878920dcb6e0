"""Monthly entry of actuals: which months are open, and the actions that close, reopen and save them.

Every write here is a `do_*` function: atomic, with a keyword-only `acting_user`, writing its
record (MonthEvent, or the actual's history) in the same transaction. Each locks the plan's
row first, so a month cannot be saved while its quarter is being closed, and the other way round.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .clock import today
from .locks import MonthState, month_state, quarter_months
from .models import MonthEvent, MonthLock, Plan

# Stored in English and shown translated (MonthEvent.reason_display), like any reason typed in.
REPORT_SUBMITTED = gettext_noop("Quarterly report submitted")


def month_states(plan: Plan) -> dict[int, MonthState]:
    """The state of each month (1–12) of the plan today, in one query.

    Reads `plan.organization` (select it with the plan to save a query)."""
    decisions = dict(MonthLock.objects.filter(plan=plan).values_list("month", "state"))
    on = today()
    lock_day = plan.organization.entry_lock_day
    return {
        month: month_state(plan.year, month, today=on, lock_day=lock_day, decision=decisions.get(month))
        for month in range(1, 13)
    }


def month_state_of(plan: Plan, month: int) -> MonthState:
    decision = MonthLock.objects.filter(plan=plan, month=month).values_list("state", flat=True).first()
    return month_state(
        plan.year, month, today=today(), lock_day=plan.organization.entry_lock_day, decision=decision
    )


def month_is_open(plan: Plan, month: int) -> bool:
    """Whether figures of `month` may be entered or corrected now."""
    return month_state_of(plan, month).is_open


def _lock_plan(plan: Plan) -> None:
    # Serialises every write on the plan's months (saving, closing, reopening).
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True).get()


def _decide(
    plan: Plan,
    months: range | list[int],
    state: str,
    action: str,
    *,
    acting_user: AbstractBaseUser,
    reason: str,
) -> None:
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
    """Close a month before (or after) its lock date; nothing can be entered until it is reopened."""
    _lock_plan(plan)
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
    """Reopen a month whatever its lock date, until it is closed again."""
    _lock_plan(plan)
    _decide(
        plan,
        [month],
        MonthLock.State.REOPENED,
        MonthEvent.Action.REOPENED,
        acting_user=acting_user,
        reason=reason,
    )


@transaction.atomic
def do_close_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser, reason: str = "") -> None:
    """Close the quarter's three months (its report was submitted)."""
    _lock_plan(plan)
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.CLOSED,
        MonthEvent.Action.CLOSED,
        acting_user=acting_user,
        reason=reason or REPORT_SUBMITTED,
    )


@transaction.atomic
def do_reopen_quarter(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser, reason: str) -> None:
    """Reopen the quarter's three months (e.g. its report was returned for correction)."""
    _lock_plan(plan)
    _decide(
        plan,
        quarter_months(quarter),
        MonthLock.State.REOPENED,
        MonthEvent.Action.REOPENED,
        acting_user=acting_user,
        reason=reason,
    )
