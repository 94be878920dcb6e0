"""The report's rules as pure functions: when it is due, whether it came on time, which moves are allowed."""

from __future__ import annotations

import datetime
import enum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class ReportState(TextChoices):
    """Where a report stands in the workflow (stored as reports.models.Report.state)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def roman(quarter: int) -> str:
    if quarter not in ROMAN:
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    return ROMAN[quarter]


def due_date(year: int, quarter: int, due_day: int) -> datetime.date:
    """The last day the report on `quarter` of `year` is on time: the region's day of the next month."""
    roman(quarter)
    if quarter == 4:
        return datetime.date(year + 1, 1, due_day)
    return datetime.date(year, quarter * 3 + 1, due_day)


def sendable_from(year: int, quarter: int) -> datetime.date:
    """The first day a report on `quarter` can be sent: the first day of the quarter's last month."""
    roman(quarter)
    return datetime.date(year, quarter * 3, 1)


class Punctuality(enum.StrEnum):
    ON_TIME = "on_time"  # sent by the due date
    LATE = "late"  # sent after the due date
    PENDING = "pending"  # not sent, still time
    OVERDUE = "overdue"  # not sent, the due date has passed


def punctuality(due: datetime.date, *, sent_on: datetime.date | None, today: datetime.date) -> Punctuality:
    """Whether a report came on time, judged by the day its first version was sent."""
    if sent_on is not None:
        return Punctuality.ON_TIME if sent_on <= due else Punctuality.LATE
    return Punctuality.PENDING if today <= due else Punctuality.OVERDUE


# Which state each workflow move starts from.
MOVES_FROM = {
    ReportState.SUBMITTED: {ReportState.DRAFT, ReportState.RETURNED},
    ReportState.ACCEPTED: {ReportState.SUBMITTED},
    ReportState.RETURNED: {ReportState.SUBMITTED},
}


def can_move(state: str, to: str) -> bool:
    """Whether a report in `state` may be submitted / accepted / returned (`to`)."""
    return state in MOVES_FROM[to]


def notes_editable(state: str) -> bool:
    """Notes are written while the report is with the centre: before sending and after a return."""
    return state in {ReportState.DRAFT, ReportState.RETURNED}
