"""The report's rules as pure functions: when it is due, whether it came on time, which moves are allowed."""

from __future__ import annotations

import datetime
import enum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from plans.deadlines import WHOLE_YEAR, roman

# Every period a report is on: the four quarters, then the whole year (the annual report).
PERIODS = (1, 2, 3, 4, WHOLE_YEAR)


class ReportState(TextChoices):
    """Where a report stands in the workflow (stored as reports.models.Report.state)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


def is_year(period: int) -> bool:
    """Whether a report's period is the whole year (the annual report) rather than a quarter."""
    return period == WHOLE_YEAR


def period_label(period: int) -> str:
    """A report's period as a list names it: "Quarter II", or "Annual report"."""
    if is_year(period):
        return str(_("Annual report"))
    return str(_("Quarter %(quarter)s") % {"quarter": roman(period)})


def check_period(period: int) -> None:
    """ValueError unless `period` is a quarter 1–4 or the whole year."""
    if period not in PERIODS:
        raise ValueError(f"a report's period is a quarter 1–4 or the year ({WHOLE_YEAR}), not {period}")


def due_date(year: int, quarter: int, due_day: int) -> datetime.date:
    """The last day the report on `quarter` of `year` is on time: the region's day of the next month.
    The annual report (WHOLE_YEAR) has a month more than the fourth quarter's: the region's day of
    February."""
    if is_year(quarter):
        return datetime.date(year + 1, 2, due_day)
    roman(quarter)
    if quarter == 4:
        return datetime.date(year + 1, 1, due_day)
    return datetime.date(year, quarter * 3 + 1, due_day)


def sendable_from(year: int, quarter: int) -> datetime.date:
    """The first day a report on `quarter` can be sent: the first day of the quarter's last month;
    the annual report's, once the fourth quarter is over (the first day of the next year)."""
    if is_year(quarter):
        return datetime.date(year + 1, 1, 1)
    roman(quarter)
    return datetime.date(year, quarter * 3, 1)


def available(year: int, period: int, today: datetime.date) -> bool:
    """Whether the report on `period` can be opened at all: a quarter's always (a draft fills in
    as the months are entered), the annual report only once the fourth quarter is over."""
    return not is_year(period) or today >= sendable_from(year, period)


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


class Move(enum.StrEnum):
    """What a person does to a report."""

    SUBMIT = "submit"  # the centre's manager sends it (again)
    ACCEPT = "accept"  # the region's reviewer accepts the version sent
    RETURN = "return"  # the reviewer returns it for correction, saying why
    # The reviewer takes an acceptance back, saying why: the report is with the centre again.
    WITHDRAW_ACCEPTANCE = "withdraw_acceptance"


# Each move: the states it starts from, and the state it leads to.
MOVES: dict[Move, tuple[frozenset[ReportState], ReportState]] = {
    Move.SUBMIT: (frozenset({ReportState.DRAFT, ReportState.RETURNED}), ReportState.SUBMITTED),
    Move.ACCEPT: (frozenset({ReportState.SUBMITTED}), ReportState.ACCEPTED),
    Move.RETURN: (frozenset({ReportState.SUBMITTED}), ReportState.RETURNED),
    Move.WITHDRAW_ACCEPTANCE: (frozenset({ReportState.ACCEPTED}), ReportState.RETURNED),
}


def can_move(state: str, move: Move) -> bool:
    """Whether a report in `state` may be moved by `move`."""
    return state in MOVES[move][0]


def state_after(state: str, move: Move) -> ReportState:
    """The state `move` leads a report in `state` to; ValueError if the move is not allowed."""
    if not can_move(state, move):
        raise ValueError(f"a report in state {state!r} cannot be moved by {move!r}")
    return MOVES[move][1]


def moves_from(state: str) -> list[Move]:
    """Every move allowed from `state`, in the order of Move."""
    return [move for move in Move if can_move(state, move)]


def notes_editable(state: str) -> bool:
    """Notes are written while the report is with the centre: before sending and after a return."""
    return state in {ReportState.DRAFT, ReportState.RETURNED}
