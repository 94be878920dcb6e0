"""When reminders are due: pure functions over dates, no database.

Every date here is the plan's clock (plans.clock.today), which a demo pins.
"""

from __future__ import annotations

import datetime
import enum

from plans.deadlines import WHOLE_YEAR
from plans.locks import lock_date


def previous_month(on: datetime.date) -> tuple[int, int]:
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)


def lock_day_coming(on: datetime.date, *, lock_day: int, days_before: int) -> list[tuple[int, int]]:
    """The months (year, month) whose lock date is at most `days_before` days away, the lock day
    itself included: the months to remind about on `on`."""
    months = []
    for year, month in (previous_month(on), (on.year, on.month)):
        lock = lock_date(year, month, lock_day)
        if on <= lock <= on + datetime.timedelta(days=days_before):
            months.append((year, month))
    return months


def just_closed(on: datetime.date) -> tuple[int, int]:
    """The month whose closing is reported during `on`'s month: the one before it (its lock day
    falls in this month, or a decision closed it early)."""
    return previous_month(on)


def quarter_reported(on: datetime.date) -> tuple[int, int]:
    """The quarter (year, quarter) whose report falls due in `on`'s quarter: the one before it."""
    quarter = (on.month - 1) // 3 + 1
    return (on.year - 1, 4) if quarter == 1 else (on.year, quarter - 1)


def periods_reported(on: datetime.date) -> list[tuple[int, int]]:
    """Every report (year, period) falling due in `on`'s quarter: the quarter before it, and in a
    year's first quarter the annual report on the year before too (period WHOLE_YEAR)."""
    year, quarter = quarter_reported(on)
    return [(year, quarter), (year, WHOLE_YEAR)] if quarter == 4 else [(year, quarter)]


class ReportReminder(enum.StrEnum):
    DUE = "due"  # not sent, due within the reminder days
    OVERDUE = "overdue"  # not sent, the due date has passed


def report_reminder(
    on: datetime.date, *, due: datetime.date, days_before: int, sent: bool
) -> ReportReminder | None:
    """Whether a report due on `due` is to be reminded of on `on`, and how."""
    if sent:
        return None
    if on > due:
        return ReportReminder.OVERDUE
    if on >= due - datetime.timedelta(days=days_before):
        return ReportReminder.DUE
    return None


def digest_week(on: datetime.date) -> tuple[int, int]:
    """The ISO week (year, week) a weekly digest written on `on` belongs to: the first run of the
    scheduler in a week writes it."""
    iso = on.isocalendar()
    return iso.year, iso.week
