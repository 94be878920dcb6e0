"""Reading a plan's deadline text ("muddati") as printed into a pacing window."""

from __future__ import annotations

import re

from .pacing import DeadlineKind, Window

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
# A report's period is a quarter (1–4) or the whole year: the annual report, stored as this number
# (reports.models.Report.quarter) and written "year" in its URLs (reports.urls).
WHOLE_YEAR = 5


def roman(quarter: int) -> str:
    """A quarter as plans and reports print it: I, II, III or IV."""
    for numeral, number in ROMAN_QUARTERS.items():
        if number == quarter:
            return numeral
    raise ValueError(f"quarter must be 1–4, not {quarter}")

MONTH_NAMES = {
    "yanvar": 1,
    "fevral": 2,
    "mart": 3,
    "aprel": 4,
    "may": 5,
    "iyun": 6,
    "iyul": 7,
    "avgust": 8,
    "sentyabr": 9,
    "oktyabr": 10,
    "noyabr": 11,
    "dekabr": 12,
}

DASH = r"\s*[-–—]\s*"
QUARTER_SPAN = re.compile(rf"\b(IV|I{{1,3}})(?:{DASH}(IV|I{{1,3}}))?\s+chorak\b")
MONTH_SPAN = re.compile(rf"\b({'|'.join(MONTH_NAMES)})(?:{DASH}({'|'.join(MONTH_NAMES)}))?\b")


class DeadlineError(ValueError):
    """The text does not say a deadline this module knows."""


def parse_deadline(text: str) -> Window:
    """The window a deadline text describes, e.g. "2024-yil I–III chorak" → quarters, Jan–Sep.

    Raises DeadlineError for a text it cannot read; the caller says which row it was.
    """
    lowered = " ".join(text.split()).lower()
    if "har chorak" in lowered:
        return Window(DeadlineKind.EACH_QUARTER)
    if "har oy" in lowered:
        return Window(DeadlineKind.MONTHLY)
    if "har hafta" in lowered:
        return Window(DeadlineKind.WEEKLY)
    if "ikki marotaba" in lowered or "ikki marta" in lowered:
        return Window(DeadlineKind.TWICE_A_YEAR)
    quarters = QUARTER_SPAN.search(" ".join(text.split()))
    if quarters:
        first = ROMAN_QUARTERS[quarters.group(1)]
        last = ROMAN_QUARTERS[quarters.group(2) or quarters.group(1)]
        if first > last:
            raise DeadlineError(text)
        return Window(DeadlineKind.QUARTERS, first * 3 - 2, last * 3)
    months = MONTH_SPAN.search(lowered)
    if months:
        first = MONTH_NAMES[months.group(1)]
        last = MONTH_NAMES[months.group(2) or months.group(1)]
        if first > last:
            raise DeadlineError(text)
        return Window(DeadlineKind.MONTHS, first, last)
    if "davomida" in lowered:
        return Window(DeadlineKind.YEAR)
    raise DeadlineError(text)
