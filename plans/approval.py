"""The writes of a plan's approval and of the amendments to an approved plan.

A plan is a draft until its director approves it (do_approve_plan); figures are entered only
against approved plans (plans.locks.month_state). After approval every change to the plan's
structure or targets is recorded as an Amendment: what, old → new, why, who and when. The admin
calls record_* explicitly from its saves and deletions, in the same transaction as the change
(no signals: a receiver would not know why, nor who).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils.translation import gettext as _

from .clock import now
from .models import Amendment, Deadline, Indicator, Plan, PlanItem, Section, Target


class AlreadyApproved(Exception):
    """The plan was approved before (by someone else, or in another tab)."""


@transaction.atomic
def do_approve_plan(plan: Plan, *, acting_user: AbstractBaseUser) -> Plan:
    """Approve the draft `plan` as its director: entry of its figures opens. Raises AlreadyApproved
    when it already was (the first approval's date and approver are kept)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_approved:
        raise AlreadyApproved(plan.pk)
    locked.approved_at, locked.approved_by = now(), acting_user
    locked.save(update_fields=["approved_at", "approved_by"])
    plan.approved_at, plan.approved_by = locked.approved_at, locked.approved_by
    return plan


# What an amendment is about, by model; the plan each object belongs to.
SUBJECTS: dict[type[models.Model], str] = {
    Plan: Amendment.Subject.PLAN,
    Section: Amendment.Subject.SECTION,
    PlanItem: Amendment.Subject.ITEM,
    Indicator: Amendment.Subject.INDICATOR,
    Target: Amendment.Subject.TARGET,
    Deadline: Amendment.Subject.DEADLINE,
}

# Fields whose change is not an amendment of the plan: its place on the page, remarks, links.
NOT_AMENDMENTS = {"order", "note", "template_item", "template_indicator", "previous_item"}


def plan_of(obj: models.Model) -> Plan | None:
    """The plan an object of the plan belongs to (None for a new object not yet given one)."""
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Section | PlanItem | Deadline):
        return obj.plan if obj.plan_id else None
    if isinstance(obj, Indicator):
        return obj.item.plan if obj.item_id else None
    if isinstance(obj, Target):
        return obj.indicator.item.plan if obj.indicator_id else None
    return None


def is_amendable(obj: models.Model) -> bool:
    """Whether changing `obj` amends an approved plan (and so must say why)."""
    plan = plan_of(obj)
    return plan is not None and type(obj) in SUBJECTS and _approved(plan)


def _approved(plan: Plan) -> bool:
    # Asked of the stored row: the form may have changed the plan object in memory.
    return Plan.objects.filter(pk=plan.pk, approved_at__isnull=False).exists()


def value_text(obj: models.Model, name: str, value: object) -> str:
    """A field's value as the amendment shows it: a related object by its name, a choice by its
    label, a list of services by their names, nothing as "—"."""
    field = obj._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.many_to_many:
        related = field.related_model._default_manager
        names = [str(v) if isinstance(v, models.Model) else str(related.get(pk=v)) for v in value]
        return ", ".join(sorted(names)) or "—"
    if field.is_relation:
        if isinstance(value, models.Model):
            return str(value)
        found = field.related_model._default_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _what(obj: models.Model) -> str:
    return str(obj)


def record_added(obj: models.Model, *, acting_user: AbstractBaseUser, reason: str) -> None:
    """Record that `obj` was added to an approved plan (nothing when the plan is a draft)."""
    if is_amendable(obj):
        Amendment.objects.create(
            plan=plan_of(obj),
            kind=Amendment.Kind.ADDED,
            subject=SUBJECTS[type(obj)],
            what=_what(obj),
            new_value=_figure_text(obj),
            reason=reason,
            acting_user=acting_user,
        )


def record_removed(obj: models.Model, *, acting_user: AbstractBaseUser, reason: str) -> None:
    """Record that `obj` is being removed from an approved plan: call before deleting it."""
    if is_amendable(obj):
        Amendment.objects.create(
            plan=plan_of(obj),
            kind=Amendment.Kind.REMOVED,
            subject=SUBJECTS[type(obj)],
            what=_what(obj),
            old_value=_figure_text(obj),
            reason=reason,
            acting_user=acting_user,
        )


def record_changed(
    obj: models.Model,
    changes: Iterable[tuple[str, object, object]],
    *,
    acting_user: AbstractBaseUser,
    reason: str,
) -> None:
    """Record each (field, old value, new value) changed on `obj` of an approved plan."""
    if not is_amendable(obj):
        return
    plan = plan_of(obj)
    Amendment.objects.bulk_create(
        Amendment(
            plan=plan,
            kind=Amendment.Kind.CHANGED,
            subject=SUBJECTS[type(obj)],
            what=_what(obj),
            field=name,
            old_value=value_text(obj, name, old),
            new_value=value_text(obj, name, new),
            reason=reason,
            acting_user=acting_user,
        )
        for name, old, new in changes
        if name not in NOT_AMENDMENTS
    )


def _figure_text(obj: models.Model) -> str:
    """The figure an added or removed indicator or target carries, for its amendment."""
    if isinstance(obj, Indicator):
        return value_text(obj, "annual_target", obj.annual_target)
    if isinstance(obj, Target):
        return value_text(obj, "value", obj.value)
    return ""
