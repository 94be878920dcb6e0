"""The region's plan template sent to its districts: choose the districts, look at the preview, confirm.

For the managers of a regional centre (services.access.can_send_template). The work is
region.template_send's; these pages only ask and show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from common.params import int_param, parse_int
from plans.models import Plan
from services.access import access_for
from services.models import Organization

from .template_send import SendRefused, digest, districts_of, preview, send


class NoTemplate(Http404):
    def __init__(self, centre: Organization, year: int):
        super().__init__(f"{centre} has no template for {year}")
        self.centre, self.year = centre, year


def _template(request: HttpRequest, year: int, params: QueryDict) -> Plan:
    """The template of the regional centre asked for (`centre`, else the first the person manages)
    for `year`: 403 for anyone who may not send one, 404 when there is none."""
    centres = access_for(request).template_centres()
    wanted = int_param(params, "centre")
    centre = next((c for c in centres if wanted is None or c.pk == wanted), None)
    if centre is None:
        raise PermissionDenied
    template = Plan.objects.templates().filter(organization=centre, year=year).select_related("organization")
    found = template.first()
    if found is None:
        raise NoTemplate(centre, year)
    return found


def _chosen(params: QueryDict, districts: list[Organization]) -> list[Organization]:
    """The districts ticked, in the list's order; ids that are not the template's districts are
    ignored (nobody sends to another region's centres by editing the form)."""
    ids = {parse_int(value) for value in params.getlist("district")}
    return [district for district in districts if district.pk in ids]


def _query(template: Plan, districts: list[Organization]) -> str:
    query = QueryDict(mutable=True)
    query["centre"] = template.organization_id
    query.setlist("district", [str(district.pk) for district in districts])
    return query.urlencode()


@login_required
@require_GET
def choose(request: HttpRequest, year: int) -> HttpResponse:
    try:
        template = _template(request, year, request.GET)
    except NoTemplate as missing:
        # Reached from the menu, which names this year: say which years have a template.
        years = Plan.objects.templates().filter(organization=missing.centre).values_list("year", flat=True)
        context = {"centre": missing.centre, "year": year, "years": sorted(years, reverse=True)}
        return render(request, "region/template/missing.html", context, status=404)
    districts = districts_of(template)
    plans = set(
        Plan.objects.own()
        .filter(organization__in=districts, year=year)
        .values_list("organization_id", flat=True)
    )
    return render(
        request,
        "region/template/choose.html",
        {
            "template": template,
            "districts": [(district, district.pk in plans) for district in districts],
            # All by default; those ticked before when coming back from the preview.
            "chosen": {district.pk for district in _chosen(request.GET, districts) or districts},
        },
    )


@login_required
@require_GET
def preview_page(request: HttpRequest, year: int) -> HttpResponse:
    template = _template(request, year, request.GET)
    districts = districts_of(template)
    chosen = _chosen(request.GET, districts)
    if not chosen:
        messages.error(request, _("Choose at least one district."))
        return redirect(
            f"{reverse('region:template-choose', kwargs={'year': year})}?centre={template.organization_id}"
        )
    previews = preview(template, chosen)
    return render(
        request,
        "region/template/preview.html",
        {
            "template": template,
            "previews": previews,
            "chosen": chosen,
            "digest": digest(previews),
            "conflicts": any(p.conflicts for p in previews),
            "back": f"{reverse('region:template-choose', kwargs={'year': year})}?{_query(template, chosen)}",
        },
    )


@login_required
@require_POST
def send_view(request: HttpRequest, year: int) -> HttpResponse:
    template = _template(request, year, request.POST)
    chosen = _chosen(request.POST, districts_of(template))
    preview_url = f"{reverse('region:template-preview', kwargs={'year': year})}?{_query(template, chosen)}"
    if not chosen:
        messages.error(request, _("Choose at least one district."))
        return redirect(
            f"{reverse('region:template-choose', kwargs={'year': year})}?centre={template.organization_id}"
        )
    try:
        done = send(template, chosen, request.user, expected_digest=request.POST.get("digest", ""))
    except SendRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect(preview_url)
    for result in done:
        messages.success(
            request,
            _("%(district)s: %(added)s, %(changed)s.")
            % {
                "district": result.district.name,
                "added": ngettext("%(n)s added", "%(n)s added", result.added_count)
                % {"n": result.added_count},
                "changed": ngettext("%(n)s changed", "%(n)s changed", result.changed_count)
                % {"n": result.changed_count},
            },
        )
    messages.success(
        request,
        ngettext(
            "The template was sent to %(n)s district.", "The template was sent to %(n)s districts.", len(done)
        )
        % {"n": len(done)},
    )
    return redirect(
        f"{reverse('region:template-choose', kwargs={'year': year})}?centre={template.organization_id}"
    )
