"""How an indicator's figures add up, over the months of a centre and over a region's districts.

Pure functions over plain values. Most figures are flows (events, loans, visits): their months
add up and so do the districts'. A few are stocks or states, which must not be summed over
months: users registered to date (a stock: the last figure entered stands for the period; the
districts' stocks add up, each counting its own readers) or a level reached, a document that
exists (the highest figure stands; the region's is its highest district's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Aggregation(TextChoices):
    SUM = "sum", _("Added up (events, loans, visits)")
    LATEST = "latest", _("Latest figure (a stock, such as users registered to date)")
    MAX = "max", _("Highest figure (a level or a state, such as a document that exists)")


def over_months(aggregation: str, by_month: Mapping[int, int], first: int, last: int) -> int:
    """One service's figure for months first–last from its figure of each month (months without
    a figure are absent): their sum, the last month's figure, or the highest; 0 with none."""
    values = [(month, value) for month, value in by_month.items() if first <= month <= last]
    if not values:
        return 0
    if aggregation == Aggregation.LATEST:
        return max(values)[1]
    if aggregation == Aggregation.MAX:
        return max(value for _month, value in values)
    return sum(value for _month, value in values)


def over_centres(aggregation: str, values: Iterable[int]) -> int:
    """A region's figure from its districts' (or a centre's from its services'): the highest for a
    level or state, else their sum (flows and stocks both add up across centres)."""
    values = list(values)
    if aggregation == Aggregation.MAX:
        return max(values, default=0)
    return sum(values)
