"""Notices of a report that moved (sent, returned, accepted), called by the report's actions in their
transaction: one call per action, two queries (the recipients, the insert); and of a region's plan
template applied to its districts' plans, called by the send (region.template_send) likewise.

The report is named by its plan and quarter (or WHOLE_YEAR, the annual report) and the
workflow's event row, so this module needs nothing of the reports app (which builds on it). The
region's consolidated report will tell the same people one level up: its centre is the region,
told through the same audience, as kinds of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from plans.clock import now
from plans.deadlines import WHOLE_YEAR
from plans.locks import quarter_months
from plans.models import Plan
from plans.selectors import person_name
from services.models import Membership, Organization

from .kinds import Kind, event_key
from .writing import Draft, write


def report_sent(
    plan: Plan, quarter: int, *, event_id: int, version: int, acting_user: AbstractBaseUser
) -> None:
    """Tell the reviewers of the centre above that a report waits for them."""
    _report_moved(Kind.REPORT_SENT, plan, quarter, event_id, acting_user, version=version)


def report_returned(
    plan: Plan, quarter: int, *, event_id: int, comment: str, acting_user: AbstractBaseUser
) -> None:
    """Tell the centre's managers, and the heads of its services (whose months of the quarter opened
    again), what the reviewer wants corrected."""
    _report_moved(Kind.REPORT_RETURNED, plan, quarter, event_id, acting_user, comment=comment)


def report_accepted(
    plan: Plan, quarter: int, *, event_id: int, comment: str, acting_user: AbstractBaseUser
) -> None:
    _report_moved(Kind.REPORT_ACCEPTED, plan, quarter, event_id, acting_user, comment=comment)


def _report_moved(
    kind: Kind,
    plan: Plan,
    quarter: int,
    event_id: int,
    acting_user: AbstractBaseUser,
    *,
    comment: str = "",
    version: int | None = None,
) -> None:
    centre = plan.organization
    if plan.is_template:  # the region's consolidated report, sent to the National Library
        report_url = reverse("reports:consolidated", kwargs={"template_id": plan.pk, "quarter": quarter})
    else:
        report_url = reverse("reports:detail", kwargs={"plan_id": plan.pk, "quarter": quarter})
    # The annual report (WHOLE_YEAR) is of the whole year: its last month is December.
    last_month = 12 if quarter == WHOLE_YEAR else quarter_months(quarter)[-1]

    def link(membership: Membership) -> str:
        # Heads cannot open the report: their service's entry page is where they correct.
        if membership.service_id is not None:
            return reverse(
                "plans:entry",
                kwargs={"year": plan.year, "month": last_month, "service": membership.service_id},
            )
        return report_url

    data = {"centre": centre.name, "year": plan.year, "quarter": quarter, "by": person_name(acting_user)}
    if comment:
        data["comment"] = comment
    if version is not None:
        data["version"] = version
    write(
        [
            Draft(
                kind=kind,
                centre=centre,
                key=event_key("report", event_id),
                data=data,
                link=link,
                # Returning reopens the quarter's months for every service of the centre (a
                # consolidated report has no months of its own, nor has the annual report).
                every_service=(
                    kind == Kind.REPORT_RETURNED and not plan.is_template and quarter != WHOLE_YEAR
                ),
                leave_out_user_id=acting_user.pk,
            )
        ]
    )


@dataclass(frozen=True)
class TemplateChange:
    """What a region's template did to one district's plan (region.template_send), as its
    managers are told."""

    centre: Organization
    plan: Plan
    new_plan: bool
    added: int
    changed: int


def template_sent(
    template: Plan, changes: Sequence[TemplateChange], *, acting_user: AbstractBaseUser | None
) -> None:
    """Tell the managers of each district whose plan the send created or changed (`changes`: the
    send leaves out those it left as they were) what the region's template did to it, linking to
    their plan's page. A query per district told (its recipients) and one insert for all."""
    region = template.organization
    sent_at = now().strftime("%Y%m%dT%H%M%S%f")
    drafts = []
    for change in changes:
        plan_url = reverse("plans:plan", kwargs={"plan": change.plan.pk})
        drafts.append(
            Draft(
                kind=Kind.TEMPLATE_SENT,
                centre=change.centre,
                key=event_key("template", change.plan.pk) + f"/{sent_at}",
                data={
                    "region": region.name,
                    "centre": change.centre.name,
                    "year": template.year,
                    "by": person_name(acting_user),
                    "new_plan": change.new_plan,
                    "added": change.added,
                    "changed": change.changed,
                },
                link=lambda _membership, url=plan_url: url,
                leave_out_user_id=acting_user.pk if acting_user is not None else None,
            )
        )
    if drafts:
        write(drafts)
