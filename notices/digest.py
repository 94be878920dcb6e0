"""The weekly digest for a centre's managers: what is behind, who has not entered, what falls due.

Written by the first reminder run of each ISO week, from the same selectors as the centre's
dashboard and month overview, so the digest says what those pages say.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from plans.dashboards import build_dashboard, default_month
from plans.locks import MonthState, month_state
from plans.models import MonthLock
from plans.pacing import Status

from . import rules
from .kinds import Kind, week_key
from .messages import DIGEST_LIST
from .reminders import already_told, overview, plans_of_year
from .writing import Draft


def entry_month(on: datetime.date, lock_day: int, decision: str | None) -> tuple[int, int]:
    """The month whose entry is chased: the last one while it is still open, else the current one."""
    year, month = rules.previous_month(on)
    if month_state(year, month, today=on, lock_day=lock_day, decision=decision) is MonthState.OPEN:
        return year, month
    return on.year, on.month


def weekly_digest(on: datetime.date) -> list[Draft]:
    iso_year, week = rules.digest_week(on)
    plans = plans_of_year(on.year)
    told = already_told(Kind.DIGEST, (week_key(iso_year, week, f"c{p.organization_id}") for p in plans))
    plans = [plan for plan in plans if week_key(iso_year, week, f"c{plan.organization_id}") not in told]
    if not plans:
        return []
    previous = rules.previous_month(on)
    decisions = dict(
        MonthLock.objects.filter(plan__organization__in=[p.organization_id for p in plans], month=previous[1])
        .filter(plan__year=previous[0])
        .values_list("plan__organization_id", "state")
    )
    drafts = []
    for plan in plans:
        centre = plan.organization
        key = week_key(iso_year, week, f"c{centre.pk}")
        # The month the centre's dashboard opens on (the last with figures), so both say the same.
        dashboard = build_dashboard(plan, default_month(plan, on.month))
        counts = dashboard.summary.counts
        year, month = entry_month(on, centre.entry_lock_day, decisions.get(centre.pk))
        not_entered = None
        if year == plan.year:
            not_entered = [
                (sm.service.name, len(sm.missing))
                for sm in overview(plan, month)
                if sm.missing and sm.completion is None
            ]
        url = reverse("plans:centre-dashboard") + f"?centre={centre.pk}"
        drafts.append(
            Draft(
                kind=Kind.DIGEST,
                centre=centre,
                key=key,
                data={
                    "centre": centre.name,
                    "week": week,
                    "year": plan.year,
                    "month": dashboard.month,
                    "total": dashboard.summary.total,
                    "overdue": counts.get(Status.OVERDUE, 0),
                    "behind": counts.get(Status.BEHIND, 0),
                    "attention": [
                        (row.figures.item.number, _short(row.figures.item.title))
                        for row in dashboard.attention[:DIGEST_LIST]
                    ],
                    "entry_month": month if not_entered is not None else None,
                    "not_entered": not_entered,
                    "due_soon": len(dashboard.due),
                    "due_until": dashboard.due_until,
                },
                link=lambda membership, url=url: url,
            )
        )
    return drafts


def _short(title: str, length: int = 90) -> str:
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"
