"""The main menu: the pages a person's roles lead to, from the memberships the view already read."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.clock import today
from services.access import access_for
from services.models import Membership, Organization


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def main_menu(request: HttpRequest) -> dict[str, object]:
    """Template context: `main_menu`, a lazily built list of links (no query unless shown)."""
    return {"main_menu": lambda: _links(request)}


def _links(request: HttpRequest) -> list[Link]:
    if not request.user.is_authenticated:
        return []
    access = access_for(request)
    links = []
    if access.entry_service_ids:
        links.append(Link(_("My month"), reverse("home")))
        services = {m.service for m in access.memberships if m.service_id in access.entry_service_ids}
        for service in sorted(services, key=lambda s: (s.order, s.name)):
            links.append(
                Link(service.name, reverse("plans:service-dashboard", kwargs={"service": service.pk}))
            )
    if access.is_manager or access.is_reviewer:
        # A regional or national centre's people read the dashboard of the centres under it.
        kinds = {
            m.organization.kind
            for m in access.memberships
            if m.role in (Membership.Role.MANAGER, Membership.Role.REVIEWER)
        }
        if Organization.Kind.NATIONAL in kinds:
            links.append(Link(_("National dashboard"), reverse("region:nation")))
        if kinds & {Organization.Kind.NATIONAL, Organization.Kind.REGIONAL}:
            links.append(Link(_("Region dashboard"), reverse("region:dashboard")))
        links.append(Link(_("Centre dashboard"), reverse("plans:centre-dashboard")))
        links.append(Link(_("Quarterly reports"), reverse("reports:list")))
    if access.template_centres():
        year = today().year
        links.append(
            Link(_("Template for the districts"), reverse("region:template-choose", kwargs={"year": year}))
        )
    if access.is_reviewer:
        # The region follows the changes its districts make to their approved plans.
        links.append(Link(_("Amendments"), reverse("plans:amendments")))
    return links
