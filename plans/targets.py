"""Quarter targets derived from an indicator's annual target and its item's deadline."""

from collections.abc import Iterable

from django.db import transaction

from .models import Indicator, Target
from .pacing import quarter_targets


@transaction.atomic
def derive_quarter_targets(indicators: Iterable[Indicator]) -> None:
    """Set the four quarter targets of each indicator from its annual target and deadline.

    Replaces whatever targets the indicators had; an indicator without an annual target gets
    none. The indicators must come with `item__deadline` loaded to avoid a query each.
    """
    indicators = list(indicators)
    Target.objects.filter(indicator__in=indicators).delete()
    Target.objects.bulk_create(
        Target(indicator=indicator, quarter=quarter, value=value)
        for indicator in indicators
        if indicator.annual_target is not None
        for quarter, value in enumerate(
            quarter_targets(indicator.annual_target, indicator.item.deadline.window), start=1
        )
    )
