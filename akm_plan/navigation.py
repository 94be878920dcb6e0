"""The main menu: the pages a person's roles lead to, from the memberships the view already read."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.access import access_for


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
        links.append(Link(_("Centre dashboard"), reverse("plans:centre-dashboard")))
        links.append(Link(_("Quarterly reports"), reverse("reports:list")))
    if access.is_reviewer:
        # The region follows the changes its districts make to their approved plans.
        links.append(Link(_("Amendments"), reverse("plans:amendments")))
    return links
