"""Today's date for the plan's rules (open months, the current month), which a demo can pin."""

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    """The local date, or settings.AKM_TODAY when set (the demo runs inside its plan's year)."""
    return settings.AKM_TODAY or timezone.localdate()
