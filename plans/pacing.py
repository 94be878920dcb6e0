"""How much of an annual target is expected by the end of a month, and the status that follows.

Pure functions over plain values: no database, no request. Every deadline kind of the plan
(see docs in README, "Deadlines and pacing") is a window of months plus a rhythm:

- work spread evenly over the window, checked monthly (the year, quarters, a span of months,
  every month, every week);
- work due in equal shares at the end of each quarter of the window ("har chorakda");
- work due in two halves, by the end of June and of December ("yilda ikki marotaba").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class DeadlineKind(TextChoices):
    YEAR = "year", _("Throughout the year")
    QUARTERS = "quarters", _("Within quarters")
    EACH_QUARTER = "each_quarter", _("Every quarter")
    MONTHLY = "monthly", _("Every month")
    WEEKLY = "weekly", _("Every week")
    MONTHS = "months", _("Within months")
    TWICE_A_YEAR = "twice_a_year", _("Twice a year")


class Status(TextChoices):
    NO_TARGET = "no_target", _("No target")
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


EVEN_KINDS = {
    DeadlineKind.YEAR,
    DeadlineKind.QUARTERS,
    DeadlineKind.MONTHLY,
    DeadlineKind.WEEKLY,
    DeadlineKind.MONTHS,
}


@dataclass(frozen=True)
class Window:
    """When a target is due: a kind and the first and last month (1–12) of its window."""

    kind: DeadlineKind
    first_month: int = 1
    last_month: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise ValueError(f"bad window {self.first_month}–{self.last_month}")

    @property
    def length(self) -> int:
        return self.last_month - self.first_month + 1


def expected_share(window: Window, month: int) -> Fraction:
    """The share (0–1) of the annual target expected done by the end of `month`."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    elapsed = min(max(month - window.first_month + 1, 0), window.length)
    if window.kind in EVEN_KINDS:
        return Fraction(elapsed, window.length)
    if window.kind == DeadlineKind.EACH_QUARTER:
        return Fraction(elapsed // 3, math.ceil(window.length / 3))
    if window.kind == DeadlineKind.TWICE_A_YEAR:
        return Fraction(month // 6, 2)
    raise ValueError(f"unknown deadline kind {window.kind!r}")


def expected_amount(annual_target: int, window: Window, month: int) -> int:
    """Whole units of the target expected by the end of `month` (rounded down)."""
    return math.floor(annual_target * expected_share(window, month))


def quarter_targets(annual_target: int, window: Window) -> list[int]:
    """The target split into the four quarters, following the window; sums to the target."""
    cumulative = [0] + [expected_amount(annual_target, window, q * 3) for q in range(1, 5)]
    return [cumulative[q] - cumulative[q - 1] for q in range(1, 5)]


def status(annual_target: int | None, done: int, window: Window, month: int) -> Status:
    """Where an indicator stands at the end of `month`, given what was done since January."""
    if annual_target is None:
        return Status.NO_TARGET
    if done >= annual_target:
        return Status.DONE
    if month >= window.last_month:
        return Status.OVERDUE
    expected = expected_amount(annual_target, window, month)
    if done < expected:
        return Status.BEHIND
    if done == 0 and expected == 0:
        return Status.NOT_STARTED
    return Status.ON_TRACK
