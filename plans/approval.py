"""The writes of a plan's approval and of the amendments to an approved plan.

A plan is a draft until its director approves it (do_approve_plan); figures are entered only
against approved plans (plans.locks.month_state). After approval every change to the plan's
structure or targets is recorded as an Amendment: what, old → new, why, who and when. The admin
calls record_* explicitly from its saves and deletions, in the same transaction as the change
(no signals: a receiver would not know why, nor who); so does the admin's import of indicators.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .clock import now
from .models import Amendment, Deadline, Indicator, Plan, PlanItem, Section, Target

# The reason of the amendments an import of indicators makes (an import cannot say why); stored
# in English and shown translated (Amendment.reason_display), like the month events' reasons.
IMPORT_REASON = gettext_noop("Changed by an import of indicators in the admin")


class AlreadyApproved(Exception):
    """The plan was approved before (by someone else, or in another tab)."""


@transaction.atomic
def do_approve_plan(
    plan: Plan, *, acting_user: AbstractBaseUser | None, approved_on: datetime.date | None = None
) -> Plan:
    """Approve the draft `plan` as its director: entry of its figures opens. Raises AlreadyApproved
    when it already was (the first approval's date and approver are kept).

    A plan approved on paper and imported (`import_plan --approved`) has no approver here
    (`acting_user` None) and may carry the day its director signed it (`approved_on`, the date
    the TASDIQLAYMAN block prints); otherwise the approval is dated now."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_approved:
        raise AlreadyApproved(plan.pk)
    when = now()
    if approved_on is not None:
        when = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time()))
    locked.approved_at, locked.approved_by = when, acting_user
    locked.save(update_fields=["approved_at", "approved_by"])
    plan.approved_at, plan.approved_by = locked.approved_at, locked.approved_by
    return plan


# What an amendment is about, by model.
SUBJECTS: dict[type[models.Model], str] = {
    Plan: Amendment.Subject.PLAN,
    Section: Amendment.Subject.SECTION,
    PlanItem: Amendment.Subject.ITEM,
    Indicator: Amendment.Subject.INDICATOR,
    Target: Amendment.Subject.TARGET,
    Deadline: Amendment.Subject.DEADLINE,
}

# How each model reaches its plan: the object's own key naming its parent, and the lookup from
# Plan to that parent.
_PARENT: dict[type[models.Model], tuple[str, str]] = {
    Plan: ("pk", "pk"),
    Section: ("plan_id", "pk"),
    Deadline: ("plan_id", "pk"),
    PlanItem: ("plan_id", "pk"),
    Indicator: ("item_id", "items"),
    Target: ("indicator_id", "items__indicators"),
}

# Fields whose change is not an amendment of the plan: its place on the page, remarks, links.
NOT_AMENDMENTS = {"order", "note", "template_item", "template_indicator", "previous_item"}


def amended_plan_id(obj: models.Model) -> int | None:
    """The id of the plan `obj` belongs to when that plan is approved (a change to `obj` is then an
    amendment), else None: a draft's plan, a new object not yet given a plan. One query."""
    if type(obj) not in _PARENT:
        return None
    key, lookup = _PARENT[type(obj)]
    parent = getattr(obj, key)
    if parent is None:
        return None
    approved = Plan.objects.filter(approved_at__isnull=False, **{lookup: parent})
    return approved.values_list("pk", flat=True).first()


def is_amendable(obj: models.Model) -> bool:
    """Whether changing `obj` amends an approved plan (and so must say why)."""
    return amended_plan_id(obj) is not None


def value_text(obj: models.Model, name: str, value: object) -> str:
    """A field's value as the amendment shows it: a related object by its name, a choice by its
    label, a list of services by their names, nothing as "—"."""
    field = obj._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.many_to_many:  # the form's objects, before and after
        return ", ".join(sorted(str(related) for related in value)) or "—"
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


def record_added(obj: models.Model, *, acting_user: AbstractBaseUser | None, reason: str) -> None:
    """Record that `obj` was added to an approved plan (nothing when the plan is a draft)."""
    plan_id = amended_plan_id(obj)
    if plan_id is not None:
        Amendment.objects.create(
            plan_id=plan_id,
            kind=Amendment.Kind.ADDED,
            subject=SUBJECTS[type(obj)],
            what=str(obj),
            new_value=_figure_text(obj),
            reason=reason,
            acting_user=acting_user,
        )


def record_removed(obj: models.Model, *, acting_user: AbstractBaseUser | None, reason: str) -> None:
    """Record that `obj` is being removed from an approved plan: call before deleting it."""
    plan_id = amended_plan_id(obj)
    if plan_id is not None:
        Amendment.objects.create(
            plan_id=plan_id,
            kind=Amendment.Kind.REMOVED,
            subject=SUBJECTS[type(obj)],
            what=str(obj),
            old_value=_figure_text(obj),
            reason=reason,
            acting_user=acting_user,
        )


def record_changed(
    obj: models.Model,
    changes: Iterable[tuple[str, object, object]],
    *,
    acting_user: AbstractBaseUser | None,
    reason: str,
) -> None:
    """Record each (field, old value, new value) changed on `obj` of an approved plan."""
    changes = [change for change in changes if change[0] not in NOT_AMENDMENTS]
    plan_id = amended_plan_id(obj) if changes else None
    if plan_id is None:
        return
    Amendment.objects.bulk_create(
        Amendment(
            plan_id=plan_id,
            kind=Amendment.Kind.CHANGED,
            subject=SUBJECTS[type(obj)],
            what=str(obj),
            field=name,
            old_value=value_text(obj, name, old),
            new_value=value_text(obj, name, new),
            reason=reason,
            acting_user=acting_user,
        )
        for name, old, new in changes
    )


def _figure_text(obj: models.Model) -> str:
    """The figure an added or removed indicator or target carries, for its amendment."""
    if isinstance(obj, Indicator):
        return value_text(obj, "annual_target", obj.annual_target)
    if isinstance(obj, Target):
        return value_text(obj, "value", obj.value)
    return ""
