"""Who may see and do what, from a person's memberships: the one place the role rules live.

- staff enter figures for their own services; service heads also complete their services' month;
- managers see and enter everything of their centre, reopen months and submit reports; a regional
  centre's managers also read (never change) every centre below it;
- reviewers read every centre below theirs, to any depth (the national library's read the regions
  and, through them, the districts); they accept or return the reports of the centres directly
  under theirs only;
- nobody sees another centre's data. Superusers administer the plan in the admin only.

A view asks; it does not decide. Objects of the plan (items, indicators) are taken as they come,
without importing plans (which builds on this app).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from .models import Membership, Organization, Service

if TYPE_CHECKING:
    from plans.models import Indicator, PlanItem


class Access:
    """A person's rights, read once from their memberships (one query)."""

    def __init__(self, user: AbstractBaseUser | AnonymousUser):
        self.user = user

    @cached_property
    def memberships(self) -> list[Membership]:
        if not self.user.is_authenticated:
            return []
        return list(Membership.objects.filter(user=self.user).select_related("organization", "service"))

    def _ids(self, *roles: str, service: bool = False) -> set[int]:
        return {m.service_id if service else m.organization_id for m in self.memberships if m.role in roles}

    @cached_property
    def managed_centre_ids(self) -> set[int]:
        return self._ids(Membership.Role.MANAGER)

    @cached_property
    def reviewing_centre_ids(self) -> set[int]:
        """The regional centres where this person reviews the reports of the centres under them."""
        return self._ids(Membership.Role.REVIEWER)

    @cached_property
    def entry_service_ids(self) -> set[int]:
        """Services this person enters figures for as staff or head (managers: see can_enter)."""
        return self._ids(Membership.Role.STAFF, Membership.Role.HEAD, service=True)

    @cached_property
    def headed_service_ids(self) -> set[int]:
        return self._ids(Membership.Role.HEAD, service=True)

    @cached_property
    def readable_centre_ids(self) -> frozenset[int]:
        """The centres this person sees whole: those they manage, and every centre below one they
        manage or review, to any depth. One query (the tree of centres), only when asked."""
        roots = self.managed_centre_ids | self.reviewing_centre_ids
        if not roots:
            return frozenset()
        children: dict[int, list[int]] = {}
        for pk, parent_id in Organization.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        seen: set[int] = set(self.managed_centre_ids)
        below = [child for root in roots for child in children.get(root, [])]
        while below:
            centre = below.pop()
            if centre not in seen:
                seen.add(centre)
                below.extend(children.get(centre, []))
        return frozenset(seen)

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_centre_ids)

    @property
    def is_reviewer(self) -> bool:
        return bool(self.reviewing_centre_ids)

    # Centres.

    def manages(self, centre: Organization | int) -> bool:
        return _id(centre) in self.managed_centre_ids

    def reviews(self, centre: Organization) -> bool:
        """Accepts and returns this centre's reports: a reviewer of the centre directly above it."""
        return centre.parent_id is not None and centre.parent_id in self.reviewing_centre_ids

    def can_view_centre(self, centre: Organization | int) -> bool:
        """May see the whole centre: every figure, note and history, its dashboards and reports."""
        return self.manages(centre) or _id(centre) in self.readable_centre_ids

    def centres_filter(self, field: str = "") -> Q:
        """A filter on `field` (a path to an Organization, "" for Organization itself) keeping the
        centres this person may see whole."""
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}pk__in": self.readable_centre_ids})

    def dashboard_centres(self) -> list[Organization]:
        """Centres whose dashboard this person may read: managed ones first, then the others they
        see, by name."""
        centres = {
            m.organization_id: m.organization for m in self.memberships if m.role == Membership.Role.MANAGER
        }
        for centre in self._centres_below():
            centres.setdefault(centre.pk, centre)
        return list(centres.values())

    def _centres_below(self):
        """The centres this person sees but does not manage, by name."""
        return Organization.objects.filter(
            pk__in=self.readable_centre_ids - self.managed_centre_ids
        ).order_by("name")

    def managed_centre(self, wanted: int | None) -> Organization | None:
        """The centre a manager's page is about: `wanted` if they manage it, else (None asked) the
        first they manage; None when they may not."""
        if wanted is None:
            if not self.managed_centre_ids:
                return None
            wanted = min(self.managed_centre_ids)
        if not self.manages(wanted):
            return None
        return next(m.organization for m in self.memberships if m.organization_id == wanted)

    def overview_centre(self, wanted: int | None) -> Organization | None:
        """The centre whose month overview is asked for: one they manage, or one they review (a
        reviewer who names none gets the first); None when they may not."""
        if wanted is not None and not self.manages(wanted):
            return Organization.objects.filter(pk=wanted).first() if self.can_view_centre(wanted) else None
        if wanted is None and not self.is_manager and self.is_reviewer:
            return self._centres_below().first()
        return self.managed_centre(wanted)

    # Services and their figures.

    def can_enter(self, service: Service) -> bool:
        """May enter and correct this service's monthly figures (open months only)."""
        return service.pk in self.entry_service_ids or self.manages(service.organization_id)

    def can_complete(self, service: Service) -> bool:
        """May mark this service's month complete."""
        return service.pk in self.headed_service_ids or self.manages(service.organization_id)

    def can_read_entries(self, service: Service) -> bool:
        """May read this service's monthly figures: those who enter them, and those who see the
        whole centre. Reads `service.organization` (select it with the service)."""
        return self.can_enter(service) or self.can_view_centre(service.organization)

    def entry_services(self) -> list[Service]:
        """Every service this person may enter figures for, in the centre's order."""
        return list(
            Service.objects.filter(
                Q(pk__in=self.entry_service_ids) | Q(organization_id__in=self.managed_centre_ids)
            ).order_by("organization_id", "order", "name")
        )

    def switchable_services(self, service: Service) -> list[Service]:
        """The services of the same centre this person may switch to from `service`'s entry page."""
        centre = service.organization
        if self.can_view_centre(centre):
            return list(centre.services.all())
        return [s for s in self.entry_services() if s.organization_id == centre.pk]

    def figure_services(self, item: PlanItem) -> list[Service] | None:
        """Whose figures of `item` this person may read one by one (values, notes, history): None
        for every service (they see the whole centre), else their own services that answer for the
        item, possibly none. Totals over all services are shown to anyone who may see the item.

        Reads `item.plan.organization` and `item.services` (load them with the item)."""
        centre = item.plan.organization
        if self.can_view_centre(centre):
            return None
        own = [m.service for m in self.memberships if m.service_id in self.entry_service_ids]
        return [s for s in own if s.organization_id == centre.pk and item.is_answered_by(s)]

    def can_view_indicator(self, indicator: Indicator) -> bool:
        """May open the indicator's page: those who see the centre, and staff of the services that
        answer for its item."""
        return self.figure_services(indicator.item) != []

    def admin_actuals(self, actuals):
        """The figures an admin user may read: all for administrators, else their own centres'
        and services' (figures are corrected by administrators only; see plans.admin)."""
        if self.user.is_superuser:
            return actuals
        return actuals.filter(
            Q(service__organization_id__in=self.managed_centre_ids) | Q(service_id__in=self.entry_service_ids)
        )


def _id(obj: Organization | int) -> int:
    return obj if isinstance(obj, int) else obj.pk


def access_for(request) -> Access:
    """The request's Access, built once per request."""
    if not hasattr(request, "_access"):
        request._access = Access(request.user)
    return request._access
