"""Unlikely monthly values: a figure far outside what the indicator usually gets in a month.

An unlikely value is not refused (a big event does happen); the save asks to confirm it, and
the confirmation is kept in the figure's history. The rule, a pure function over plain values:

- more than MEDIAN_FACTOR (5) times the median of the known nonzero months of the same
  service's figure, this year's other months and last year's months of the same item (matched
  by number and label), once at least MIN_KNOWN_MONTHS (3) such months are known; or
- the whole annual target (at least MIN_TARGET, 12, so one a month) in one month, for an item
  whose deadline is "throughout the year" (the work is meant to be spread over the months).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .pacing import DeadlineKind, Window

MEDIAN_FACTOR = 5
MIN_KNOWN_MONTHS = 3
MIN_TARGET = 12
# How a confirmation is kept in the history (Actual's history_change_reason): a code and the
# number the value was compared with, shown translated (`reason_from_record`).
RECORD_PREFIX = "unlikely"


@dataclass(frozen=True)
class Unlikely:
    """Why `value` is unlikely: it is more than five times the median of the known months
    ("median"), or the whole annual target in one month ("target"); `compared_with` is that
    median or target."""

    kind: str
    compared_with: int
    value: int

    @property
    def reason(self) -> str:
        if self.kind == "median":
            return _(
                "More than %(factor)s times the usual monthly figure (the median of the known months is "
                "%(median)s)."
            ) % {"factor": MEDIAN_FACTOR, "median": self.compared_with}
        return _(
            "The whole annual target (%(target)s) in one month, for an item done throughout the year."
        ) % {"target": self.compared_with}

    @property
    def record(self) -> str:
        return f"{RECORD_PREFIX}:{self.kind}:{self.compared_with}:{self.value}"


def unlikely(
    value: int, *, known_months: Sequence[int], annual_target: int | None, window: Window
) -> Unlikely | None:
    """Whether `value`, entered for one month, is unlikely given the indicator's known monthly
    figures (other months, zeros included: they are left out here) and its target and deadline."""
    known = [month for month in known_months if month > 0]
    if len(known) >= MIN_KNOWN_MONTHS:
        median = statistics.median(known)
        if value > MEDIAN_FACTOR * median:
            return Unlikely("median", round(median), value)
    if (
        window.kind == DeadlineKind.YEAR
        and annual_target is not None
        and annual_target >= MIN_TARGET
        and value >= annual_target
    ):
        return Unlikely("target", annual_target, value)
    return None


def from_record(record: str) -> Unlikely | None:
    """The confirmation a history row's change reason records, if it records one."""
    parts = record.split(":")
    if len(parts) != 4 or parts[0] != RECORD_PREFIX or parts[1] not in ("median", "target"):
        return None
    if not (parts[2].isdigit() and parts[3].isdigit()):
        return None
    return Unlikely(parts[1], int(parts[2]), int(parts[3]))
