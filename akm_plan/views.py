"""Pages that belong to no app: the landing page after login, which sends each person to their work;
the 500 page."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from plans.clock import today
from plans.models import Plan
from plans.selectors import landing_month
from services.access import access_for
from services.models import Organization

from .middleware import database_unavailable


def _landing_plan(organization_ids: set[int]) -> Plan | None:
    """This year's plan of the person's centre, or else its latest."""
    plans = Plan.objects.own().filter(organization_id__in=organization_ids).select_related("organization")
    return (
        plans.filter(year=today().year).order_by("organization_id").first()
        or plans.order_by("-year", "organization_id").first()
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Managers go to the centre dashboard (a regional centre's managers without a plan of their
    own, to the region's), staff and heads to their (first) service's month to report (see
    plans.selectors.landing_month), reviewers to the reports; anyone else is told they have
    nothing to do here."""
    access = access_for(request)
    if access.is_manager:
        plan = _landing_plan(access.managed_centre_ids)
        if plan is not None:
            return redirect("plans:centre-dashboard")
    if access.entry_service_ids:
        services = [m.service for m in access.memberships if m.service_id in access.entry_service_ids]
        services.sort(key=lambda s: (s.organization_id, s.order, s.name))
        for service in services:
            plan = _landing_plan({service.organization_id})
            if plan is not None:
                plan, month = landing_month(plan, service)
                return redirect("plans:entry", year=plan.year, month=month, service=service.pk)
    if any(
        m.organization.kind == Organization.Kind.REGIONAL
        for m in access.memberships
        if m.role == m.Role.MANAGER
    ):
        return redirect("region:dashboard")
    if access.is_reviewer:
        return redirect("reports:list")
    return render(request, "home.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (urls.handler500), or the 503 page when what failed was reaching the database.

    DatabaseUnavailableMiddleware answers 503 for a view that loses the database; a middleware
    that does (the session's or the user's read, mid-restart) fails outside its reach, and Django
    calls this handler with the exception still being handled.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return database_unavailable(exception)
    return HttpResponseServerError(render_to_string("500.html"))
