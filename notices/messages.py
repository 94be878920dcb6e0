"""The words of each kind of notice, made from the values stored with it, in the active language.

A notice stores values, not text (Notice.data, with its format version), so that each person
reads it in their own language: in the app in the page's language, by e-mail and Telegram in the
language of their profile. Every version of the stored format ever written is read here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.cyrillic import shown
from plans.deadlines import WHOLE_YEAR

from .kinds import Kind

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# How many of a digest's lists are named; the rest are counted.
DIGEST_LIST = 5


@dataclass(frozen=True)
class Message:
    title: str
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join([self.title, "", *self.lines]).rstrip()


def render(kind: str, data: dict[str, Any]) -> Message:
    """The notice's title and lines in the active language; the plan's names and titles in the
    reader's script (plans.cyrillic)."""
    writer = WRITERS.get(kind)
    if writer is None or data.get("v") != 1:
        return Message(str(Kind(kind).label) if kind in Kind.values else kind, [])
    return writer(data)


def _date(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "MONTH_DAY_FORMAT")


def _month(data: dict[str, Any]) -> str:
    return f"{MONTHS[data['month']]} {data['year']}"


def _quarter(data: dict[str, Any]) -> dict[str, Any]:
    return {"quarter": ROMAN[data["quarter"]], "year": data["year"]}


def _annual(data: dict[str, Any]) -> bool:
    """Whether the notice is of an annual report (plans.deadlines.WHOLE_YEAR) rather than a quarter's."""
    return data["quarter"] == WHOLE_YEAR


def lock_day(data: dict[str, Any]) -> Message:
    title = _("%(month)s closes for entry on %(date)s") % {
        "month": _month(data),
        "date": _date(data["lock_date"]),
    }
    missing, expected = data["missing"], data["expected"]
    if missing:
        line = ngettext(
            "%(service)s: %(missing)s figure of %(expected)s is still missing.",
            "%(service)s: %(missing)s figures of %(expected)s are still missing.",
            missing,
        ) % {"service": shown(data["service"]), "missing": missing, "expected": expected}
        todo = _("Enter them, then the service head marks the month complete.")
    else:
        line = _("%(service)s: every figure is in.") % {"service": shown(data["service"])}
        todo = _("The service head still has to mark the month complete.")
    return Message(title, [line, todo])


def month_incomplete(data: dict[str, Any]) -> Message:
    missing = data["missing"]
    title = ngettext(
        "%(month)s closed with %(missing)s figure missing",
        "%(month)s closed with %(missing)s figures missing",
        missing,
    ) % {"month": _month(data), "missing": missing}
    lines = [shown(data["centre"])]
    lines += [
        ngettext("%(service)s: %(missing)s missing", "%(service)s: %(missing)s missing", count)
        % {"service": shown(service), "missing": count}
        for service, count in data["services"]
    ]
    lines.append(_("A manager can reopen the month on the month overview."))
    return Message(title, lines)


def report_due(data: dict[str, Any]) -> Message:
    if _annual(data):
        title = _("The annual report on %(year)s is due on %(date)s") % {
            "year": data["year"],
            "date": _date(data["due"]),
        }
    else:
        title = _("The report on quarter %(quarter)s of %(year)s is due on %(date)s") % {
            **_quarter(data),
            "date": _date(data["due"]),
        }
    return Message(title, [_("%(centre)s has not sent it yet.") % {"centre": shown(data["centre"])}])


def report_overdue(data: dict[str, Any]) -> Message:
    if _annual(data):
        title = _("The annual report on %(year)s is overdue") % {"year": data["year"]}
    else:
        title = _("The report on quarter %(quarter)s of %(year)s is overdue") % _quarter(data)
    line = _("%(centre)s has not sent it; it was due on %(date)s.") % {
        "centre": shown(data["centre"]),
        "date": _date(data["due"]),
    }
    return Message(title, [line])


def report_sent(data: dict[str, Any]) -> Message:
    if _annual(data):
        title = _("%(centre)s sent the annual report on %(year)s") % {
            "centre": shown(data["centre"]),
            "year": data["year"],
        }
    else:
        title = _("%(centre)s sent the report on quarter %(quarter)s of %(year)s") % {
            "centre": shown(data["centre"]),
            **_quarter(data),
        }
    line = _("Version %(version)s, sent by %(by)s. Accept it or return it for correction.") % {
        "version": data["version"],
        "by": data["by"],
    }
    return Message(title, [line])


def report_returned(data: dict[str, Any]) -> Message:
    if _annual(data):
        title = _("The annual report on %(year)s was returned for correction") % {"year": data["year"]}
        todo = _("Correct it and send the annual report again.")
    else:
        title = _("The report on quarter %(quarter)s of %(year)s was returned for correction") % _quarter(
            data
        )
        todo = _("The quarter's months are open for entry again; correct them and send the report again.")
    lines = [
        shown(data["centre"]),
        _("%(by)s wrote: “%(comment)s”") % {"by": data["by"], "comment": data["comment"]},
        todo,
    ]
    return Message(title, lines)


def report_accepted(data: dict[str, Any]) -> Message:
    if _annual(data):
        title = _("The annual report on %(year)s was accepted") % {"year": data["year"]}
    else:
        title = _("The report on quarter %(quarter)s of %(year)s was accepted") % _quarter(data)
    lines = [_("%(centre)s, accepted by %(by)s.") % {"centre": shown(data["centre"]), "by": data["by"]}]
    if data.get("comment"):
        lines.append(_("Comment: “%(comment)s”") % {"comment": data["comment"]})
    return Message(title, lines)


def template_sent(data: dict[str, Any]) -> Message:
    names = {"centre": shown(data["centre"]), "region": shown(data["region"]), "year": data["year"]}
    if data["new_plan"]:
        title = _("%(region)s made the %(year)s plan of %(centre)s from its template") % names
    else:
        title = _("%(region)s updated the %(year)s plan of %(centre)s from its template") % names
    lines = []
    if data["by"]:
        lines.append(_("Sent by %(by)s.") % {"by": data["by"]})
    if data["added"]:
        lines.append(
            ngettext(
                "%(count)s section, item or indicator added.",
                "%(count)s sections, items or indicators added.",
                data["added"],
            )
            % {"count": data["added"]}
        )
    if data["changed"]:
        lines.append(
            ngettext(
                "%(count)s change to what was there.", "%(count)s changes to what was there.", data["changed"]
            )
            % {"count": data["changed"]}
        )
    lines.append(_("Your figures, the targets you set and your own items are kept as they were."))
    return Message(title, lines)


def digest(data: dict[str, Any]) -> Message:
    title = _("Weekly digest, week %(week)s: %(centre)s") % {
        "week": data["week"],
        "centre": shown(data["centre"]),
    }
    lines = [
        _("%(month)s: %(overdue)s overdue, %(behind)s behind of %(total)s indicators.")
        % {
            "month": _month(data),
            "overdue": data["overdue"],
            "behind": data["behind"],
            "total": data["total"],
        }
    ]
    for number, title_of_item in data["attention"][:DIGEST_LIST]:
        lines.append(f"• {number} {shown(title_of_item)}")
    if data["entry_month"] is not None:
        entry_month = f"{MONTHS[data['entry_month']]} {data['year']}"
        if data["not_entered"]:
            lines.append(_("Not entered yet for %(month)s:") % {"month": entry_month})
            lines += [
                ngettext("• %(service)s: %(missing)s missing", "• %(service)s: %(missing)s missing", count)
                % {"service": shown(service), "missing": count}
                for service, count in data["not_entered"]
            ]
        else:
            lines.append(_("Every service has entered %(month)s.") % {"month": entry_month})
    if data["due_soon"]:
        lines.append(
            ngettext(
                "%(count)s indicator falls due by the end of %(month)s.",
                "%(count)s indicators fall due by the end of %(month)s.",
                data["due_soon"],
            )
            # The month's name as it stands in "by the end of June" (genitive in Russian).
            % {"count": data["due_soon"], "month": MONTHS_ALT[data["due_until"]]}
        )
    return Message(title, lines)


WRITERS: dict[str, Callable[[dict[str, Any]], Message]] = {
    Kind.LOCK_DAY: lock_day,
    Kind.MONTH_INCOMPLETE: month_incomplete,
    Kind.REPORT_DUE: report_due,
    Kind.REPORT_OVERDUE: report_overdue,
    Kind.REPORT_SENT: report_sent,
    Kind.REPORT_RETURNED: report_returned,
    Kind.REPORT_ACCEPTED: report_accepted,
    Kind.TEMPLATE_SENT: template_sent,
    Kind.DIGEST: digest,
}
