"""Today's date for the plan's rules (open months, the current month), which a demo can pin."""

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    """The local date, or settings.AKM_TODAY when set (the demo runs inside its plan's year)."""
    return settings.AKM_TODAY or timezone.localdate()


def now() -> datetime.datetime:
    """This moment, or the same time of day on settings.AKM_TODAY when set: what the demo's own
    data is dated (a demo of 3 April 2024 should not say its figures were entered in 2026)."""
    moment = timezone.localtime()
    if settings.AKM_TODAY is None:
        return moment
    return datetime.datetime.combine(settings.AKM_TODAY, moment.timetz())
