"""Where an item stands in its plan: by the order given, else by its number as printed (12.1 after 12)."""

from __future__ import annotations

import re

from django.db.models import F

from .models import PlanItem

_PART = re.compile(r"\d+|\D+")


def number_key(number: str) -> tuple:
    """A key that sorts item numbers as people read them: 2 < 10, 12 < 12.1 < 12.4 < 13."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _PART.findall(number.strip()))


def place_by_number(item: PlanItem) -> None:
    """Give a new item (order not given) the place its number gives it: right after the last item of
    the plan whose number comes before its own; the items after it move one place down. Call inside
    the transaction that saves the item."""
    before = [
        (number_key(number), order)
        for number, order in PlanItem.objects.filter(plan_id=item.plan_id)
        .exclude(pk=item.pk)
        .values_list("number", "order")
        if number_key(number) < number_key(item.number)
    ]
    position = max((order for _key, order in before), default=0) + 1
    PlanItem.objects.filter(plan_id=item.plan_id, order__gte=position).exclude(pk=item.pk).update(
        order=F("order") + 1
    )
    item.order = position
