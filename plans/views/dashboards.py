"""Progress dashboards: the centre's, one service's, and one indicator's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dates import MONTHS

from common.params import int_param
from evidence.selectors import indicator_files
from services.access import access_for
from services.models import Service

from .. import charts
from ..clock import today
from ..dashboards import HEADLINE, Dashboard, build_dashboard, centre_plans, default_month
from ..figures import indicator_figures, monthly_series
from ..models import Actual, Indicator, Plan
from ..pacing import Status
from ..selectors import indicator_history, last_year_indicator, returned_quarters


def _status(value: str | None) -> Status | None:
    return Status(value) if value in Status.values else None


def _choose_plan(request: HttpRequest, plans: list[Plan]) -> Plan:
    """The plan of the `year` asked for; by default this year's, else the newest."""
    year = int_param(request.GET, "year")
    by_year = {plan.year: plan for plan in plans}
    if year is not None:
        if year not in by_year:
            raise Http404
        return by_year[year]
    return by_year.get(today().year) or plans[0]


def _choose_month(request: HttpRequest, plan: Plan) -> int:
    """The `month` asked for, else the last month with entries (or the current one)."""
    month = int_param(request.GET, "month")
    if month is not None and 1 <= month <= 12:
        return month
    now = today()
    current = now.month if now.year == plan.year else (12 if plan.year < now.year else 1)
    return default_month(plan, current)


def _filters(request: HttpRequest, plans: list[Plan], plan: Plan, month: int, **also: object) -> dict:
    status, section = _status(request.GET.get("status")), int_param(request.GET, "section")
    # What the page's links start from: the filters as understood, not request.GET, which may
    # carry anything.
    query = QueryDict(mutable=True)
    query.update({**also, "year": plan.year, "month": month})
    if section is not None:
        query["section"] = section
    if status is not None:
        query["status"] = status.value
    return {
        "plans": plans,
        "month_name": MONTHS[month],
        "plan": plan,
        "month": month,
        "months": [(number, MONTHS[number]) for number in range(1, 13)],
        "statuses": charts.STATUS_ORDER,
        "status_filter": status,
        "section_filter": section,
        "query": query,
    }


def _dashboard_content(filters: dict, dashboard: Dashboard, chart_prefix: str, **also: object) -> dict:
    """The context of a dashboard's content: its filters, its figures, and the rows listed."""
    return {
        **filters,
        **also,
        "dashboard": dashboard,
        "rows": dashboard.listed(filters["status_filter"]),
        "status_chart": charts.status_summary(dashboard.summary.counts, prefix=chart_prefix, order=HEADLINE),
    }


@login_required
def centre_dashboard(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    centres = access.dashboard_centres()
    if not centres:
        raise PermissionDenied
    centre_id = int_param(request.GET, "centre")
    centre = next((c for c in centres if c.pk == centre_id), None) if centre_id else centres[0]
    if centre is None:
        raise PermissionDenied
    plans = centre_plans(centre)
    if not plans:
        context = {"centre": centre, "may_import": access.can_import_plan(centre)}
        return render(request, "plans/dashboard/no_plan.html", context, status=404)
    plan = _choose_plan(request, plans)
    month = _choose_month(request, plan)
    filters = _filters(request, plans, plan, month, centre=centre.pk)

    dashboard = build_dashboard(plan, month, section_id=filters["section_filter"])
    context = _dashboard_content(
        filters, dashboard, "centre", centre=centre, centres=centres, may_see_centre=True
    )
    context["returned_quarters"] = returned_quarters(plan)
    if centre.parent_id is not None and access.oversees(centre.parent_id):
        # The way back up to the region's dashboard, for those who read it.
        query = f"?centre={centre.parent_id}&year={plan.year}&month={month}"
        context["region_url"] = reverse("region:dashboard") + query
    context["may_import"] = access.can_import_plan(centre)
    return render(request, "plans/dashboard/centre.html", context)


@login_required
def service_dashboard(request: HttpRequest, service: int) -> HttpResponse:
    access = access_for(request)
    service_obj = get_object_or_404(Service.objects.select_related("organization"), pk=service)
    if not access.can_read_entries(service_obj):
        raise PermissionDenied
    plans = centre_plans(service_obj.organization)
    if not plans:
        return render(
            request, "plans/dashboard/no_plan.html", {"centre": service_obj.organization}, status=404
        )
    plan = _choose_plan(request, plans)
    month = _choose_month(request, plan)
    filters = _filters(request, plans, plan, month)
    may_see_centre = access.can_view_centre(service_obj.organization)

    dashboard = build_dashboard(plan, month, service=service_obj, section_id=filters["section_filter"])
    entry_url = reverse("plans:entry", kwargs={"year": plan.year, "month": month, "service": service_obj.pk})
    context = _dashboard_content(
        filters,
        dashboard,
        "service",
        centre=service_obj.organization,
        service=service_obj,
        may_see_centre=may_see_centre,
        service_entry_url=entry_url,
    )
    return render(request, "plans/dashboard/service.html", context)


# The page shows the latest changes; older ones stay in the admin's history.
HISTORY_ROWS = 100


@login_required
def indicator_page(request: HttpRequest, indicator: int) -> HttpResponse:
    access = access_for(request)
    indicator_obj = get_object_or_404(
        Indicator.objects.select_related(
            "item__plan__organization", "item__section", "item__unit", "item__deadline"
        ).prefetch_related("item__services"),
        pk=indicator,
    )
    if not access.can_view_indicator(indicator_obj):
        raise PermissionDenied
    month = _choose_month(request, indicator_obj.item.plan)
    services = access.figure_services(indicator_obj.item)
    context = _indicator_content(indicator_obj, month, services)
    # The figures' evidence files, and where the person may attach more for the month shown.
    context["files"] = indicator_files(indicator_obj, services)
    item = indicator_obj.item
    answering = item.plan.organization.services.all() if item.all_services else item.services.all()
    context["attach_to"] = [service for service in answering if access.can_enter(service)]
    return render(request, "plans/dashboard/indicator.html", context)


def _indicator_content(indicator_obj: Indicator, month: int, services: list[Service] | None) -> dict:
    """The page's figures; each service's own figures, notes and changes only of `services` (None:
    every service's)."""
    plan = indicator_obj.item.plan
    (figures,) = indicator_figures(plan, month, indicators=[indicator_obj])
    series = monthly_series(indicator_obj)
    since_january, pace = series.cumulative(), series.pace()
    # Months after the one shown are left out of the charts, as not reached yet.
    shown_done = [value if number <= month else None for number, value in enumerate(series.done, start=1)]
    cumulative = [value if number <= month else None for number, value in enumerate(since_january, start=1)]
    # The same item's line of the year before, for the whole centre (two queries; one without).
    previous = last_year_indicator(indicator_obj)
    last_year = monthly_series(previous).to_date if previous is not None else None
    entries = Actual.objects.filter(indicator=indicator_obj).select_related("service", "entered_by")
    if services is not None:
        entries = entries.filter(service__in=services)
    entries = list(entries.order_by("month", "service__order"))
    # Months that have not begun have no figures yet: blank, not 0 (their pace still shows).
    on = today()
    begun = [(plan.year, number) <= (on.year, on.month) for number in range(1, 13)]
    months = [
        {
            "number": number,
            "name": MONTHS[number],
            "done": series.done[number - 1] if begun[number - 1] else None,
            "cumulative": since_january[number - 1] if begun[number - 1] else None,
            "expected": series.expected[number - 1],
            "pace": pace[number - 1],
            "entries": [entry for entry in entries if entry.month == number],
        }
        for number in range(1, 13)
    ]
    return {
        "month_name": MONTHS[month],
        "indicator": indicator_obj,
        "item": indicator_obj.item,
        "plan": plan,
        "month": month,
        "figures": figures,
        "months": months,
        "notes": [entry for entry in entries if entry.note],
        "history": indicator_history(indicator_obj, services)[:HISTORY_ROWS],
        "may_see_centre": services is None,
        "services": list(indicator_obj.item.services.all()),
        "bars_chart": charts.monthly_bars(shown_done, pace),
        "line_chart": charts.cumulative_line(
            cumulative, series.expected, indicator_obj.annual_target, last_year=last_year
        ),
    }
