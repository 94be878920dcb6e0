"""The reminders: what the scheduler finds to tell on a day (by the plan's clock), written once each.

Each source is a function `(on: date) -> list[Draft]` named in settings.NOTICE_REMINDERS; apps
above this one (reports) add theirs there. A reminder's key is its period and subject, unique with
the person and the kind, so running the sources twice (a scheduler run again, two workers) writes
every reminder once; subjects already reminded of are skipped before their figures are read.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string

from plans.clock import today
from plans.locks import MonthState, lock_date, month_state
from plans.models import MonthCompletion, MonthLock, Plan
from plans.selectors import ServiceMonth, month_overview
from services.models import Service

from . import rules
from .kinds import Kind, month_key
from .models import Notice
from .writing import Draft, write

logger = logging.getLogger(__name__)

# The month overviews read during one run: the lock day's reminder and the digest both need the
# month being entered, and reading it is most of a run's time.
_overviews: contextvars.ContextVar[dict[tuple[int, int], list[ServiceMonth]] | None] = contextvars.ContextVar(
    "overviews", default=None
)


def overview(plan: Plan, month: int) -> list[ServiceMonth]:
    """plans.selectors.month_overview, read once per plan and month within a run of the reminders."""
    read = _overviews.get()
    if read is None:
        return month_overview(plan, month)
    if (plan.pk, month) not in read:
        read[(plan.pk, month)] = month_overview(plan, month)
    return read[(plan.pk, month)]


def run_reminders(on: datetime.date | None = None) -> int:
    """Write every reminder due on `on` (default today), source by source, each source's notices in
    one transaction. A source that fails is logged and the others still run. Returns the number of
    notices the sources asked for (those already written included)."""
    on = on or today()
    told = 0
    reading = _overviews.set({})
    try:
        for path in settings.NOTICE_REMINDERS:
            try:
                drafts = import_string(path)(on)
                if drafts:
                    with transaction.atomic():
                        told += write(drafts)
            except Exception:
                logger.exception("Reminders from %s failed on %s", path, on)
    finally:
        _overviews.reset(reading)
    return told


def already_told(kind: Kind, keys: Iterable[str]) -> set[str]:
    """The keys of `kind` someone has already been told of."""
    told = Notice.objects.filter(kind=kind, key__in=list(keys)).order_by().values_list("key", flat=True)
    return set(told.distinct())


def _decisions(plans: list[Plan], month: int) -> dict[int, str]:
    return dict(MonthLock.objects.filter(plan__in=plans, month=month).values_list("plan_id", "state"))


def plans_of_year(year: int) -> list[Plan]:
    """Every centre's approved plan of `year`, with its centre (nothing is entered in a draft, so
    there is nothing to remind of or to digest)."""
    return list(Plan.objects.approved().filter(year=year).select_related("organization").order_by("pk"))


def lock_day_coming(on: datetime.date) -> list[Draft]:
    """To the staff and heads of every service whose month is open, not complete, and locks within
    the centre's reminder days: how many figures are still missing, and a link to their entry page."""
    drafts = []
    # Whatever a centre's lock day (1–28) and reminder days (1–14), only these two months can lock soon.
    for year, month in (rules.previous_month(on), (on.year, on.month)):
        plans = [
            plan
            for plan in plans_of_year(year)
            if (year, month)
            in rules.lock_day_coming(
                on, lock_day=plan.organization.entry_lock_day, days_before=plan.organization.reminder_days
            )
        ]
        decisions = _decisions(plans, month)
        # The services still to be reminded: not completed, not reminded by an earlier run.
        keys: dict[int, dict[int, str]] = defaultdict(dict)
        completed = set(
            MonthCompletion.objects.filter(plan__in=plans, month=month).values_list("service_id", flat=True)
        )
        for service in Service.objects.filter(organization__in=[plan.organization_id for plan in plans]):
            if service.pk not in completed:
                keys[service.organization_id][service.pk] = month_key(year, month, f"s{service.pk}")
        told = already_told(
            Kind.LOCK_DAY, [key for by_service in keys.values() for key in by_service.values()]
        )
        for plan in plans:
            lock_day = plan.organization.entry_lock_day
            state = month_state(year, month, today=on, lock_day=lock_day, decision=decisions.get(plan.pk))
            if state is not MonthState.OPEN or told >= set(keys[plan.organization_id].values()):
                continue  # closed, or every service was reminded by an earlier run
            for service_month in overview(plan, month):
                service = service_month.service
                key = keys[plan.organization_id].get(service.pk)
                if (
                    key is None
                    or key in told
                    or service_month.completion is not None
                    or not service_month.expected
                ):
                    continue
                url = reverse("plans:entry", kwargs={"year": year, "month": month, "service": service.pk})
                drafts.append(
                    Draft(
                        kind=Kind.LOCK_DAY,
                        centre=plan.organization,
                        key=key,
                        data={
                            "centre": plan.organization.name,
                            "service": service.name,
                            "year": year,
                            "month": month,
                            "lock_date": lock_date(year, month, lock_day).isoformat(),
                            "missing": len(service_month.missing),
                            "expected": service_month.expected,
                        },
                        link=lambda membership, url=url: url,
                        services=[service],
                    )
                )
    return drafts


def month_closed_incomplete(on: datetime.date) -> list[Draft]:
    """To the managers of every centre whose last month closed (its lock day passed, or a decision
    closed it) with figures still missing: how many, by service."""
    year, month = rules.just_closed(on)
    plans = plans_of_year(year)
    decisions = _decisions(plans, month)
    told = already_told(
        Kind.MONTH_INCOMPLETE, (month_key(year, month, f"c{p.organization_id}") for p in plans)
    )
    drafts = []
    for plan in plans:
        centre = plan.organization
        key = month_key(year, month, f"c{centre.pk}")
        state = month_state(
            year, month, today=on, lock_day=centre.entry_lock_day, decision=decisions.get(plan.pk)
        )
        if key in told or state not in (MonthState.LOCKED, MonthState.CLOSED):
            continue
        missing = [(sm.service.name, len(sm.missing)) for sm in overview(plan, month) if sm.missing]
        if not missing:
            continue
        url = reverse("plans:entry-overview", kwargs={"year": year, "month": month}) + f"?centre={centre.pk}"
        drafts.append(
            Draft(
                kind=Kind.MONTH_INCOMPLETE,
                centre=centre,
                key=key,
                data={
                    "centre": centre.name,
                    "year": year,
                    "month": month,
                    "missing": sum(count for _name, count in missing),
                    "services": missing,
                },
                link=lambda membership, url=url: url,
            )
        )
    return drafts
