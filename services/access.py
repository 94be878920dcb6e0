"""Who may see and do what, from a person's memberships: the one place the role rules live.

- staff enter figures for their own services; service heads also complete their services' month;
- managers see and enter everything of their centre, reopen months and submit reports;
- regional reviewers read the reports of the centres directly under theirs;
- nobody sees another centre's data. Superusers administer the plan in the admin only.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from .models import Membership, Organization, Service


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
    def member_centre_ids(self) -> set[int]:
        return {m.organization_id for m in self.memberships}

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_centre_ids)

    @property
    def is_reviewer(self) -> bool:
        return bool(self.reviewing_centre_ids)

    def manages(self, centre: Organization | int) -> bool:
        return _id(centre) in self.managed_centre_ids

    def can_enter(self, service: Service) -> bool:
        """May enter and correct this service's monthly figures (open months only)."""
        return service.pk in self.entry_service_ids or self.manages(service.organization_id)

    def can_complete(self, service: Service) -> bool:
        """May mark this service's month complete."""
        return service.pk in self.headed_service_ids or self.manages(service.organization_id)

    def can_view_service(self, service: Service) -> bool:
        return self.can_enter(service)

    def can_read_entries(self, service: Service) -> bool:
        """May read this service's monthly figures: those who enter them, and the region's reviewers.

        Reads `service.organization` (select it with the service)."""
        return self.can_enter(service) or self.reviews(service.organization)

    def can_view_centre(self, centre: Organization) -> bool:
        """May see the whole centre's figures: its managers, and the reviewers of its region."""
        return self.manages(centre) or self.reviews(centre)

    def reviews(self, centre: Organization) -> bool:
        """Reviews this centre's reports: a reviewer of the centre directly above it."""
        return centre.parent_id is not None and centre.parent_id in self.reviewing_centre_ids

    def entry_services(self) -> list[Service]:
        """Every service this person may enter figures for, in the centre's order."""
        return list(
            Service.objects.filter(
                Q(pk__in=self.entry_service_ids) | Q(organization_id__in=self.managed_centre_ids)
            ).order_by("organization_id", "order", "name")
        )


def _id(obj: Organization | int) -> int:
    return obj if isinstance(obj, int) else obj.pk


def access_for(request) -> Access:
    """The request's Access, built once per request."""
    if not hasattr(request, "_access"):
        request._access = Access(request.user)
    return request._access
