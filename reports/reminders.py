"""Reminders of quarterly and annual reports (a source of settings.NOTICE_REMINDERS): due soon, then
overdue.

Due soon: to the centre's managers, within the centre's reminder days before the region's due
date. Overdue: once the date has passed with nothing sent, to the managers and the region's
reviewers. A report counts as sent from its first version, as reports.rules.punctuality judges.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from notices import rules as notice_rules
from notices.kinds import Kind, quarter_key
from notices.reminders import already_told
from notices.writing import Draft
from plans.models import Plan

from . import rules
from .models import Report

KINDS = {
    notice_rules.ReportReminder.DUE: Kind.REPORT_DUE,
    notice_rules.ReportReminder.OVERDUE: Kind.REPORT_OVERDUE,
}


def report_due(on: datetime.date) -> list[Draft]:
    """The reminders of every report falling due in `on`'s quarter (notices.rules.periods_reported):
    the quarter before's, and from January the annual report on the year before's too."""
    drafts = []
    for year, quarter in notice_rules.periods_reported(on):
        drafts += _reminders(on, year, quarter)
    return drafts


def _reminders(on: datetime.date, year: int, quarter: int) -> list[Draft]:
    plans = list(
        Plan.objects.filter(year=year, organization__parent__isnull=False)
        .select_related("organization__parent")
        .order_by("pk")
    )
    sent_on = dict(
        Report.objects.filter(plan__in=plans, quarter=quarter).values_list("plan_id", "first_submitted_on")
    )
    keys = [quarter_key(year, quarter, f"c{plan.organization_id}") for plan in plans]
    told = {kind: already_told(kind, keys) for kind in KINDS.values()}
    drafts = []
    for plan in plans:
        centre = plan.organization
        due = rules.due_date(year, quarter, centre.parent.report_due_day)
        reminder = notice_rules.report_reminder(
            on, due=due, days_before=centre.reminder_days, sent=sent_on.get(plan.pk) is not None
        )
        if reminder is None:
            continue
        kind, key = KINDS[reminder], quarter_key(year, quarter, f"c{centre.pk}")
        if key in told[kind]:
            continue
        url = reverse("reports:detail", kwargs={"plan_id": plan.pk, "quarter": quarter})
        drafts.append(
            Draft(
                kind=kind,
                centre=centre,
                key=key,
                data={"centre": centre.name, "year": year, "quarter": quarter, "due": due.isoformat()},
                link=lambda membership, url=url: url,
            )
        )
    return drafts
