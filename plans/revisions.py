"""Each plan's revision token, replaced whenever anything its pages show changes.

plans.pagecache reuses a rendered part of a page only under the token it was rendered with, so
every write that changes what a plan's pages show must renew the token, in the same
transaction. The monthly entry's actions (plans.entry) write in bulk and renew it themselves,
as do the other bulk writes (quarter targets, the demo); every other write (the admin, its
imports, plan files) goes through model saves and deletes, which the receivers below follow.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from services.models import Organization, Service

from .models import (
    Actual,
    Deadline,
    Indicator,
    MonthCompletion,
    MonthEvent,
    MonthLock,
    Plan,
    PlanItem,
    PlanRevision,
    Section,
    Target,
    Unit,
)


def renew(**plans) -> int:
    """Gives the plans matching the lookup (`plan_id=…`, `plan__organization=…`) a new token;
    returns how many plans have one."""
    return PlanRevision.objects.filter(**plans).update(token=uuid.uuid4())


def renew_all() -> None:
    PlanRevision.objects.update(token=uuid.uuid4())


# What each model's change renews: the lookup of its plans, from the changed row.
_PLANS_OF = {
    Section: lambda row: {"plan_id": row.plan_id},
    Deadline: lambda row: {"plan_id": row.plan_id},
    PlanItem: lambda row: {"plan_id": row.plan_id},
    MonthLock: lambda row: {"plan_id": row.plan_id},
    MonthCompletion: lambda row: {"plan_id": row.plan_id},
    MonthEvent: lambda row: {"plan_id": row.plan_id},
    Indicator: lambda row: {"plan__items": row.item_id},
    Target: lambda row: {"plan__items__indicators": row.indicator_id},
    Actual: lambda row: {"plan__items__indicators": row.indicator_id},
    Unit: lambda row: {"plan__items__unit": row.pk},
    Service: lambda row: {"plan__organization": row.organization_id},
    Organization: lambda row: {"plan__organization": row.pk},
}


def _changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata brings the revisions of what it loads along
        renew(**_PLANS_OF[sender](instance))


def _plan_saved(sender, instance: Plan, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        PlanRevision.objects.get_or_create(plan=instance)
    else:
        renew(plan_id=instance.pk)


def _services_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # a service's items changed: instance is the service
        renew(plan__organization=instance.organization_id)
    else:
        renew(plan_id=instance.plan_id)


def _user_saved(sender, instance, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    """People's names appear on the pages (who entered, who completed a month). A new account
    appears nowhere yet, and a login only records its time."""
    if created or raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    renew_all()


def _user_deleted(sender, instance, **kwargs) -> None:
    renew_all()


def connect() -> None:
    """Called once, from the app's ready()."""
    for model in _PLANS_OF:
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-delete-{model._meta.label}")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="revision-plan")
    m2m_changed.connect(_services_changed, sender=PlanItem.services.through, dispatch_uid="revision-services")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="revision-user")
    post_delete.connect(_user_deleted, sender=get_user_model(), dispatch_uid="revision-user-delete")
