"""Next year's plan from this year's: the same sections, items, indicators, units, steps, services
and deadlines, the deadlines' year words moved on, the targets copied as proposals or left empty.

The new plan is a draft (its director approves it); each of its items keeps a link to the item
it was copied from (PlanItem.previous_item), so pages can show last year's figures.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .cyrillic import shown
from .models import Deadline, Indicator, Plan, PlanItem, Section, Target
from .plan_file import LAST_YEAR


def year_words(year: int) -> re.Pattern[str]:
    """The year as a deadline writes it: "2024-yil", "2024-yilning", "2024-yilda", "2024 yil"
    (a year inside a longer number, or not followed by "yil", is not one)."""
    return re.compile(rf"(?<!\d){year}(?=\s*[-‐‑–]?\s*(?:yil|йил))", re.IGNORECASE)


def move_year_words(text: str, year: int) -> str:
    """`text` with every "`year`-yil…" said of the next year ("2024-yil davomida" → "2025-yil
    davomida"); other numbers, earlier years included, stay as written."""
    return year_words(year).sub(str(year + 1), text)


def mentions_year(text: str, year: int) -> bool:
    """Whether `text` names `year` as a number of its own (a title the person should check)."""
    return re.search(rf"(?<!\d){year}(?!\d)", text) is not None


class NextYearRefused(Exception):
    """Next year's plan cannot be made: the message says why, in the person's language."""


def refusal(plan: Plan) -> str | None:
    """Why next year's plan cannot be made from `plan`, or None when it can. Reads `plan.organization`.

    A centre whose regional centre has a template for next year takes the template instead: its
    plan for that year is made when the region sends it (region.template_send), not copied from
    this year's, which would then be a plan of its own beside the template's. Sending is the
    region's (services.access.can_send_template), so the centre is told to ask for it."""
    year = plan.year + 1
    if year > LAST_YEAR:
        return _("Plans go up to %(year)s.") % {"year": LAST_YEAR}
    taken = Plan.objects.filter(organization_id=plan.organization_id, year=year, kind=plan.kind)
    if taken.exists():
        return _("%(centre)s already has a plan for %(year)s.") % {
            "centre": shown(plan.organization.name),
            "year": year,
        }
    if not plan.is_template and plan.organization.parent_id is not None:
        template = (
            Plan.objects.templates()
            .filter(organization_id=plan.organization.parent_id, year=year)
            .select_related("organization")
            .first()
        )
        if template is not None:
            return _(
                "%(region)s has a template plan for %(year)s: the %(year)s plan of %(centre)s is made "
                "from it, not copied from this year's. Ask %(region)s to send the template to the "
                "districts (“Send the template to the districts”); the plan then appears here as a draft."
            ) % {
                "region": shown(template.organization.name),
                "year": year,
                "centre": shown(plan.organization.name),
            }
    return None


@transaction.atomic
def do_create_next_year_plan(plan: Plan, *, acting_user: AbstractBaseUser, copy_targets: bool) -> Plan:
    """Create next year's draft plan from `plan`. Targets (annual and quarterly) are copied as
    proposals when `copy_targets`, else left empty. Raises NextYearRefused (see refusal)."""
    # The plan's row is locked so that two people copying at once make one plan, not a failure.
    plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    why_not = refusal(plan)
    if why_not is not None:
        raise NextYearRefused(why_not)
    year = plan.year + 1
    new_plan = Plan.objects.create(organization_id=plan.organization_id, year=year, kind=plan.kind)

    old_sections = list(plan.sections.all())
    new_sections = Section.objects.bulk_create(
        Section(plan=new_plan, number=s.number, title=s.title, order=s.order) for s in old_sections
    )
    section_of = {old.pk: new for old, new in zip(old_sections, new_sections, strict=True)}

    # Two texts could read the same once moved on ("2024-yil…" next to a "2025-yil…"): one deadline.
    deadline_of: dict[int, Deadline] = {}
    by_text: dict[str, Deadline] = {}
    for old in plan.deadlines.all():
        text = move_year_words(old.text, plan.year)
        if text not in by_text:
            by_text[text] = Deadline(
                plan=new_plan,
                text=text,
                kind=old.kind,
                first_month=old.first_month,
                last_month=old.last_month,
            )
        deadline_of[old.pk] = by_text[text]
    Deadline.objects.bulk_create(by_text.values())

    old_items = list(plan.items.prefetch_related("services").order_by("order", "pk"))
    item_of: dict[int, PlanItem] = {}
    # Parents first, so that their copies have keys for the sub-items' copies to point to.
    for generation in (
        [item for item in old_items if item.parent_id is None],
        [item for item in old_items if item.parent_id is not None],
    ):
        copies = [
            PlanItem(
                plan=new_plan,
                section=section_of[old.section_id],
                parent=item_of[old.parent_id] if old.parent_id else None,
                number=old.number,
                title=old.title,
                unit_id=old.unit_id,
                steps=old.steps,
                deadline=deadline_of[old.deadline_id],
                all_services=old.all_services,
                order=old.order,
                note=old.note,
                previous_item=old,
            )
            for old in generation
        ]
        created = bulk_create_with_history(copies, PlanItem, default_user=acting_user)
        item_of.update({old.pk: new for old, new in zip(generation, created, strict=True)})
    Through = PlanItem.services.through
    Through.objects.bulk_create(
        Through(planitem_id=item_of[old.pk].pk, service_id=service.pk)
        for old in old_items
        for service in old.services.all()
    )

    old_indicators = list(Indicator.objects.filter(item__plan=plan).order_by("item_id", "order", "pk"))
    new_indicators = bulk_create_with_history(
        [
            Indicator(
                item=item_of[old.item_id],
                label=old.label,
                annual_target=old.annual_target if copy_targets else None,
                order=old.order,
                aggregation=old.aggregation,
            )
            for old in old_indicators
        ],
        Indicator,
        default_user=acting_user,
    )
    if copy_targets:
        indicator_of = {old.pk: new for old, new in zip(old_indicators, new_indicators, strict=True)}
        bulk_create_with_history(
            [
                Target(indicator=indicator_of[old.indicator_id], quarter=old.quarter, value=old.value)
                for old in Target.objects.filter(indicator__item__plan=plan)
            ],
            Target,
            default_user=acting_user,
        )
    return new_plan
