"""Who may see and do what, from a person's memberships: the one place the role rules live.

- staff enter figures for their own services; service heads also complete their services' month;
- managers see and enter everything of their centre, reopen months and submit reports; a regional
  centre's managers also read (never change) every centre below it, and send the region's plan
  template to its districts;
- reviewers read every centre below theirs, to any depth (the national library's read the regions
  and, through them, the districts); they accept or return the reports of the centres directly
  under theirs only;
- nobody sees another centre's data. Superusers administer the plan in the admin only;
- in the admin, other admin users (staff status) only read, and only the centres they manage.

A view asks; it does not decide. Objects of the plan (items, indicators) are taken as they come,
without importing plans (which builds on this app).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Q, QuerySet

from .models import Membership, Organization, Service

if TYPE_CHECKING:
    from plans.models import Indicator, Plan, PlanItem


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

    # Plans as documents.

    def can_import_plan(self, centre: Organization | int) -> bool:
        """May create a centre's plan from a Word file: its managers, and administrators."""
        return self.is_administrator or self.manages(centre)

    def plan_import_centres(self) -> QuerySet:
        """The centres this person may create a plan for from a Word file, by name."""
        centres = Organization.objects.order_by("name")
        return centres if self.is_administrator else centres.filter(pk__in=self.managed_centre_ids)

    def can_print_plan(self, centre: Organization | int) -> bool:
        """May download a centre's plan as its document (PDF, DOCX): whoever sees the centre whole,
        and administrators, who build the plan."""
        return self.is_administrator or self.can_view_centre(centre)

    # Centres.

    def manages(self, centre: Organization | int) -> bool:
        return _id(centre) in self.managed_centre_ids

    def can_send_template(self, centre: Organization) -> bool:
        """May send the centre's plan template to the centres directly under it (region.template_send):
        a manager of a regional centre."""
        return self.manages(centre) and centre.kind == Organization.Kind.REGIONAL

    def template_centres(self) -> list[Organization]:
        """The regional centres whose template this person may send, by name (no query)."""
        return sorted(
            (
                m.organization
                for m in self.memberships
                if m.role == Membership.Role.MANAGER and self.can_send_template(m.organization)
            ),
            key=lambda centre: centre.name,
        )

    def reviews(self, centre: Organization) -> bool:
        """Accepts and returns this centre's reports: a reviewer of the centre directly above it."""
        return centre.parent_id is not None and centre.parent_id in self.reviewing_centre_ids

    def can_view_centre(self, centre: Organization | int) -> bool:
        """May see the whole centre: every figure, note and history, its dashboards and reports."""
        return self.manages(centre) or _id(centre) in self.readable_centre_ids

    def oversees(self, centre: Organization | int) -> bool:
        """May read the dashboard of the centres under `centre` (a region's or the nation's): its
        managers and reviewers, and those who see it whole from above (a national reviewer reads
        each region's)."""
        pk = _id(centre)
        return pk in self.managed_centre_ids | self.reviewing_centre_ids | self.readable_centre_ids

    def overseen_centres(self, kind: str) -> list[Organization]:
        """The centres of `kind` whose dashboard of the centres under them this person may read
        (see oversees), by name. One query after the tree of centres."""
        ids = self.managed_centre_ids | self.reviewing_centre_ids | self.readable_centre_ids
        if not ids:
            return []
        return list(Organization.objects.filter(pk__in=ids, kind=kind).order_by("name"))

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

    # A regional centre's consolidated report (its districts' reports added up, sent one level up).

    def can_view_consolidated(self, region: Organization) -> bool:
        """May read a region's consolidated report: those who see the region whole (its managers,
        the reviewers above it), and its own reviewers, whose districts' reports it adds up."""
        return self.can_view_centre(region) or region.pk in self.reviewing_centre_ids

    def can_send_consolidated(self, region: Organization) -> bool:
        """May send it to the National Library: the region's managers."""
        return self.manages(region)

    def can_review_consolidated(self, region: Organization) -> bool:
        """May accept or return it: the reviewers of the centre directly above (the National Library)."""
        return self.reviews(region)
    # Plans: approval, amendments, next year's plan.

    def can_view_plan(self, plan: Plan) -> bool:
        """May open the plan's page (its approval, amendments, year view): those who see the
        centre whole, the regional centre's reviewers and managers included."""
        return self.can_view_centre(plan.organization_id)

    def can_approve_plan(self, plan: Plan) -> bool:
        """May approve the plan as its director: a manager of its centre, while it is a draft."""
        return self.manages(plan.organization_id) and not plan.is_approved

    def can_create_next_plan(self, plan: Plan) -> bool:
        """May make next year's plan from this one: a manager of its centre, or an administrator
        (from the admin's action)."""
        return self.manages(plan.organization_id) or self.is_administrator

    def amendments_filter(self) -> Q:
        """A filter on Amendment keeping the amendments this person may read: those of the centres
        they see whole (a region sees its districts')."""
        return self.centres_filter("plan__organization")

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

    # Django's admin (/admin/). One rule for every model, page, history, export and import there:
    # administrators (active superusers) read and change everything; any other admin user (staff
    # status) only reads, only the models Django's permissions let them view, and only the
    # objects of the centres they manage. People, groups and login records are for
    # administrators only. See services.admin_doors, which asks these from every ModelAdmin.

    @property
    def is_administrator(self) -> bool:
        """Builds and corrects the plan in the admin: an active superuser."""
        return self.user.is_active and self.user.is_superuser

    def admin_changeable_centre_ids(self) -> set[int] | None:
        """The centres whose objects this person may add, change, delete or import in the admin:
        None for every centre (administrators); for anyone else none, as they only read there."""
        return None if self.is_administrator else set()

    def can_change_in_admin(self, centre: Organization | int | None = None) -> bool:
        """May add, change, delete or import in the admin: objects of `centre`, or (None) anything."""
        ids = self.admin_changeable_centre_ids()
        if ids is None:
            return True
        return bool(ids) if centre is None else _id(centre) in ids

    def can_read_in_admin(self, centre_paths: Sequence[str] | None) -> bool:
        """May open a model's admin pages at all, Django's model permissions aside.

        `centre_paths`: the paths from the model to the centres its objects belong to ("" for a
        centre itself); () for objects shared by every centre (units); None for models only
        administrators see (people, groups, login records)."""
        if self.is_administrator:
            return True
        return centre_paths is not None and self.is_manager

    def admin_objects(self, queryset: QuerySet, centre_paths: Sequence[str] | None) -> QuerySet:
        """The objects of `queryset` this person may read in the admin (see can_read_in_admin):
        all for administrators, else those whose every centre is one they manage."""
        if self.is_administrator:
            return queryset
        if not self.can_read_in_admin(centre_paths):
            return queryset.none()
        return _in_centres(queryset, centre_paths, self.managed_centre_ids)

    def admin_sees(self, obj: Model, centre_paths: Sequence[str] | None) -> bool:
        """May read this object in the admin, its history included: one of admin_objects. Only
        administrators read what is no longer there (the history of a deleted object)."""
        if self.is_administrator:
            return True
        key = (obj._meta.label, obj.pk)
        if key not in self._admin_seen:
            # Asked of the stored row, so a reconstructed historical instance counts as what is
            # stored now, not as what it claims.
            stored = type(obj)._default_manager.filter(pk=obj.pk)
            self._admin_seen[key] = obj.pk is not None and self.admin_objects(stored, centre_paths).exists()
        return self._admin_seen[key]

    @cached_property
    def _admin_seen(self) -> dict[tuple[str, object], bool]:
        return {}

    def admin_may_change(self, obj: Model, centre_paths: Sequence[str] | None) -> bool:
        """May change or delete this object in the admin: one of the centres that
        admin_changeable_centre_ids gives (every one for administrators)."""
        ids = self.admin_changeable_centre_ids()
        if ids is None:
            return True
        if not ids or not centre_paths or obj.pk is None:
            return False
        return _in_centres(type(obj)._default_manager.filter(pk=obj.pk), centre_paths, ids).exists()


def _in_centres(queryset: QuerySet, centre_paths: Sequence[str], centre_ids: set[int]) -> QuerySet:
    """The objects of `queryset` whose every centre (along `centre_paths`) is one of `centre_ids`."""
    keep = Q()
    for path in centre_paths:
        keep &= Q(**{f"{path}__in" if path else "pk__in": centre_ids})
    return queryset.filter(keep)


def audience(centre: Organization, services: Iterable[Service] = (), *, every_service: bool = False) -> Q:
    """A filter on Membership keeping the memberships through which a person may be told about
    `centre`: those that let them see it whole (its managers, the reviewers of the centre directly
    above it: can_view_centre), and those of the staff and heads of the given services of it, or of
    all of them (who read their own services' figures: can_read_entries). Whoever is told anything
    is picked from it.
    """
    told = Q(role=Membership.Role.MANAGER, organization_id=centre.pk)
    if centre.parent_id is not None:
        told |= Q(role=Membership.Role.REVIEWER, organization_id=centre.parent_id)
    if every_service:
        told |= Q(role__in=Membership.SERVICE_ROLES, service__organization_id=centre.pk)
    else:
        service_ids = [service.pk for service in services if service.organization_id == centre.pk]
        if service_ids:
            told |= Q(role__in=Membership.SERVICE_ROLES, service_id__in=service_ids)
    return told


def in_audience(
    membership: Membership,
    centre: Organization,
    services: Iterable[Service] = (),
    *,
    every_service: bool = False,
) -> bool:
    """Whether `membership` passes audience(centre, services, every_service=…): the same rule on a row
    already read, so that one query can fetch the people of several notices about a centre."""
    if membership.role == Membership.Role.MANAGER:
        return membership.organization_id == centre.pk
    if membership.role == Membership.Role.REVIEWER:
        return centre.parent_id is not None and membership.organization_id == centre.parent_id
    if membership.role not in Membership.SERVICE_ROLES or membership.service_id is None:
        return False
    if every_service:
        return membership.service.organization_id == centre.pk
    return membership.service_id in {
        service.pk for service in services if service.organization_id == centre.pk
    }


def _id(obj: Organization | int) -> int:
    return obj if isinstance(obj, int) else obj.pk


def access_for(request) -> Access:
    """The request's Access, built once per request."""
    if not hasattr(request, "_access"):
        request._access = Access(request.user)
    return request._access
