"""Whether a month of a plan is open for entry: pure rules over dates, no database.

A month is open from its first day until the centre's lock day of the following month,
that day included (by default 1 March – 5 April for March). A decision overrides the date:
a month closed early (its quarter's report was submitted, or a manager closed it) stays
closed; a month a manager reopened, or that the region's return of its report reopened, stays
open until it is closed again. A month whose quarterly report the region accepted is sealed:
it stays closed and no manager may reopen (or close) it, until the reviewer takes the
acceptance back, which closes it again as a reopenable month. A month that has not begun yet
is never open, whatever was decided. Nothing is open in a plan its director has not approved
yet (a draft): it opens on approval, by the dates and decisions above.
"""

from __future__ import annotations

import datetime
import enum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class MonthState(enum.StrEnum):
    DRAFT = "draft"  # the plan is not approved yet: nothing can be entered in any month
    FUTURE = "future"  # not begun: nothing can be entered yet
    OPEN = "open"
    LOCKED = "locked"  # its lock date has passed
    CLOSED = "closed"  # closed early by a decision (report submitted, manager)
    SEALED = "sealed"  # its quarterly report was accepted: closed, and no manager may reopen it

    @property
    def is_open(self) -> bool:
        return self is MonthState.OPEN


class Decision(TextChoices):
    """A decision on a month that overrides its lock date (stored as plans.models.MonthLock.state)."""

    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    # Reopened because the region returned the quarter's report; the reason is the reviewer's comment.
    RETURNED = "returned", _("Reopened: the quarterly report was returned")
    SEALED = "sealed", _("Sealed: the quarterly report was accepted")


# Decisions that open a month whatever its lock date says.
OPENING = {Decision.REOPENED, Decision.RETURNED}


def lock_date(year: int, month: int, lock_day: int) -> datetime.date:
    """The last day a month of `year` can be entered without a decision."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    if month == 12:
        return datetime.date(year + 1, 1, lock_day)
    return datetime.date(year, month + 1, lock_day)


def month_state(
    year: int,
    month: int,
    *,
    today: datetime.date,
    lock_day: int,
    decision: str | None = None,
    approved: bool = True,
) -> MonthState:
    """The state of `month` of `year` on `today`, given the last decision on it (if any) and
    whether the plan is approved (callers that pick approved plans only may leave it)."""
    if not approved:
        return MonthState.DRAFT
    if today < datetime.date(year, month, 1):
        return MonthState.FUTURE
    if decision == Decision.SEALED:
        return MonthState.SEALED
    if decision == Decision.CLOSED:
        return MonthState.CLOSED
    if decision in OPENING:
        return MonthState.OPEN
    if today > lock_date(year, month, lock_day):
        return MonthState.LOCKED
    return MonthState.OPEN


def manager_may_decide(decision: str | None) -> bool:
    """Whether a manager may close or reopen a month whose last decision is `decision`: not while
    the region's acceptance of its quarterly report seals it (only the reviewer can unseal it)."""
    return decision != Decision.SEALED


def quarter_months(quarter: int) -> range:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    return range(quarter * 3 - 2, quarter * 3 + 1)
