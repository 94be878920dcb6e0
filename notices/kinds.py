"""The kinds of notice, the channels they go by and the states of a delivery: plain values, no database.

A kind is one thing the app tells people. Adding one (the consolidated report's moves, say) is
one more member here, its line in notices.audience.TOLD, and its text in notices.messages.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Kind(TextChoices):
    LOCK_DAY = "lock_day", _("The month's lock day is coming")
    MONTH_INCOMPLETE = "month_incomplete", _("A month closed with figures missing")
    REPORT_DUE = "report_due", _("A quarterly report falls due soon")
    REPORT_OVERDUE = "report_overdue", _("A quarterly report is overdue")
    REPORT_SENT = "report_sent", _("A quarterly report was sent for review")
    REPORT_RETURNED = "report_returned", _("A quarterly report was returned for correction")
    REPORT_ACCEPTED = "report_accepted", _("A quarterly report was accepted")
    TEMPLATE_SENT = "template_sent", _("The region's plan template was applied to the plan")
    DIGEST = "digest", _("Weekly digest")


class Channel(TextChoices):
    """Ways a notice travels besides the app itself, where every notice always is."""

    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")


class DeliveryState(TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def wanted_channels(choices: dict[str, list[str]], kind: str) -> set[str]:
    """The channels a person wants `kind` by: what they chose on their profile page, or every
    channel for a kind they never chose for (so a new kind reaches people without a visit)."""
    if kind in choices:
        return {channel for channel in choices[kind] if channel in Channel.values}
    return set(Channel.values)


def month_key(year: int, month: int, subject: str) -> str:
    """A reminder's period and subject: one notice per person, kind and key (a unique constraint)."""
    return f"{year}-{month:02d}/{subject}"


def quarter_key(year: int, quarter: int, subject: str) -> str:
    return f"{year}-Q{quarter}/{subject}"


def week_key(iso_year: int, week: int, subject: str) -> str:
    return f"{iso_year}-W{week:02d}/{subject}"


def event_key(event: str, event_id: int) -> str:
    """An event's notices: one per person for each recorded event (a report event's row)."""
    return f"{event}/{event_id}"
