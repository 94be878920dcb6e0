"""The monthly entry pages: a service's month, the manager's month overview, an indicator's history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.params import int_param
from evidence.selectors import evidence_counts, indicator_events
from services.access import Access, access_for
from services.models import Organization, Service

from ..clock import today
from ..dashboards import url_for_each
from ..entry import (
    Conflict,
    EntryConflict,
    MonthClosed,
    MonthSealed,
    NotOnPage,
    UnlikelyValues,
    do_close_month,
    do_complete_month,
    do_reopen_month,
    do_save_month,
    do_withdraw_completion,
)
from ..forms import EntryRowFields, MonthEntryForm, ReasonForm, with_current_values
from ..locks import MonthState
from ..models import Indicator, MonthEvent, Plan
from ..selectors import (
    EmptyRows,
    EntryPageRow,
    EntryWindow,
    empty_rows,
    entry_form_rows,
    entry_rows,
    entry_window,
    indicator_history,
    month_completion,
    month_overview,
)

NOT_ON_PAGE = gettext_lazy("The form names figures that are not on this page. Nothing was saved.")
SEALED_MESSAGE = gettext_lazy(
    "This month is sealed: the regional centre accepted its quarterly report. Nothing can be entered for it."
)
DRAFT_MESSAGE = gettext_lazy(
    "This plan is a draft: figures can be entered once the centre's director approves it."
)
# Said where the manager's reopen button would be, and when a reopening is refused.
CANNOT_REOPEN_SEALED = gettext_lazy(
    "A sealed month cannot be reopened: the regional centre accepted its quarterly report. Its "
    "reviewer can take the acceptance back; then the month can be reopened here."
)


# States no manager's decision can change: a month not begun, a plan not approved.
UNDECIDABLE = (MonthState.FUTURE, MonthState.DRAFT)


def month_name(month: int) -> str:
    return str(MONTHS[month])


def _plan(organization_id: int, year: int) -> Plan:
    plans = Plan.objects.own().select_related("organization")
    return get_object_or_404(plans, organization_id=organization_id, year=year)


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise Http404


def _is_current_or_past(plan: Plan, month: int) -> bool:
    on = today()
    return (plan.year, month) <= (on.year, on.month)


def _refuse(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "plans/entry/refused.html", {"message": message}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, year: int, month: int, service: int) -> HttpResponse:
    """A service's month: read for everyone who may, saved by those who may enter while it is open."""
    _check_month(month)
    service_obj = get_object_or_404(Service.objects.select_related("organization"), pk=service)
    access = access_for(request)
    if not access.can_read_entries(service_obj):
        raise PermissionDenied
    plan = _plan(service_obj.organization_id, year)
    window = entry_window(plan, month)
    state = window.state
    may_enter = access.can_enter(service_obj)
    status = 200
    conflicts: dict[int, Conflict] = {}
    unlikely = {}
    form = None
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        if not state.is_open:
            return _refuse(request, _window_message(window))
        # The page's figures are read only if it is shown again (a save that succeeds redirects).
        form_rows = entry_form_rows(plan, service_obj)
        form = MonthEntryForm(request.POST, rows=form_rows)
        if form.foreign_indicator_ids():
            return _refuse(request, NOT_ON_PAGE, 400)
        if not form.is_valid():
            status = 400
        else:
            try:
                result = do_save_month(
                    plan,
                    month,
                    service_obj,
                    form.entries(),
                    acting_user=request.user,
                    confirmed_unlikely=form.confirmed_unlikely(),
                )
            except MonthClosed:
                return _refuse(
                    request, _("This month was closed while you were entering. Nothing was saved.")
                )
            except NotOnPage:
                return _refuse(request, NOT_ON_PAGE, 400)
            except EntryConflict as conflict:
                conflicts = {c.indicator_id: c for c in conflict.conflicts}
                form = MonthEntryForm(with_current_values(request.POST, conflict.conflicts), rows=form_rows)
                form.is_valid()
                status = 409
            except UnlikelyValues as found:
                # Refused as a row in error is (400): nothing saved until the person confirms.
                unlikely = found.unlikely
                status = 400
            else:
                _say_saved(request, result.changes)
                return redirect(request.path)
    rows = entry_rows(plan, month, service_obj)
    counts = evidence_counts(plan, month, service_obj)
    history_url = url_for_each("plans:entry-history", "indicator")
    evidence_url = url_for_each("evidence:figure", "indicator", month=month, service=service_obj.pk)
    for row in rows:
        row.evidence_count = counts.get(row.indicator.pk, 0)
        row.history_url = history_url(row.indicator.pk)
        row.evidence_url = evidence_url(row.indicator.pk)
    if form is None:
        form = MonthEntryForm(rows=[row.form_row for row in rows])
    for row in rows:
        row.unlikely = unlikely.get(row.indicator.pk)
    completion = month_completion(plan, month, service_obj)
    page_rows = [(row, form.row_fields(row.indicator.pk), conflicts.get(row.indicator.pk)) for row in rows]
    return render(
        request,
        "plans/entry/month.html",
        {
            "plan": plan,
            "service": service_obj,
            "services": access.switchable_services(service_obj),
            "month": month,
            "month_name": month_name(month),
            "state": state,
            "window_message": _window_message(window),
            "returned": window.returned,
            "cannot_reopen": CANNOT_REOPEN_SEALED,
            "editable": may_enter and state.is_open,
            "rows": page_rows,
            "conflicts": bool(conflicts),
            "refused_rows": _refused_rows(page_rows),
            "unlikely_rows": [row for row in rows if row.unlikely],
            "empty_count": sum(1 for row in rows if row.is_empty),
            "completion": completion,
            "may_complete": access.can_complete(service_obj) and state.is_open,
            "may_overview": access.manages(plan.organization_id),
            "may_lock": access.manages(plan.organization_id) and state not in UNDECIDABLE,
            "previous_month": month - 1 if month > 1 else None,
            "next_month": month + 1 if month < 12 and _is_current_or_past(plan, month + 1) else None,
        },
        status=status,
    )


def _say_saved(request: HttpRequest, changes: int) -> None:
    if changes:
        messages.success(
            request,
            ngettext("Saved: %(count)d change.", "Saved: %(count)d changes.", changes) % {"count": changes},
        )
    else:
        messages.info(request, _("Nothing had changed; nothing was saved."))


@dataclass(frozen=True)
class RefusedRow:
    """A row a refused save could not take, as the list at the top of the page names it."""

    row: EntryPageRow
    name: str
    error: str


def _refused_rows(page_rows: list[tuple[EntryPageRow, EntryRowFields, Conflict | None]]) -> list[RefusedRow]:
    """The rows a refused save could not take, in page order, each with (the first of) what is wrong."""
    refused = []
    for row, fields, conflict in page_rows:
        errors = [*fields.value.errors, *fields.was.errors, *fields.note.errors]
        if conflict is not None:
            errors.insert(0, _("changed meanwhile by %(who)s") % {"who": conflict.changed_by or "?"})
        if errors:
            refused.append(RefusedRow(row=row, name=row.form_row.name, error=str(errors[0])))
    return refused


def _window_message(window: EntryWindow) -> str:
    """Until when the month is open for entry, or since when (and why) it is closed."""
    if window.state == MonthState.DRAFT:
        return str(DRAFT_MESSAGE)
    if window.state == MonthState.FUTURE:
        return _("This month has not begun yet: it opens for entry on %(date)s.") % {
            "date": date_format(window.first_day)
        }
    decided_on = date_format(timezone.localdate(window.decided_at)) if window.decided_at else ""
    if window.state == MonthState.SEALED:
        return str(SEALED_MESSAGE)
    if window.state == MonthState.OPEN:
        if window.returned is not None:
            return _("Open for entry until the report is sent again.")
        if window.decided:
            return _(
                "A manager reopened this month on %(date)s: it is open for entry until it is closed again."
            ) % {"date": decided_on}
        return _("Open for entry until %(date)s.") % {"date": date_format(window.lock_date)}
    if window.state == MonthState.CLOSED:
        return _(
            "Closed for entry since %(date)s: its quarterly report was submitted, or a manager closed it."
        ) % {"date": decided_on}
    return _("Closed for entry since %(date)s: its lock date has passed. A manager can reopen it.") % {
        "date": date_format(window.lock_date + datetime.timedelta(days=1))
    }


@login_required
@require_POST
def complete(request: HttpRequest, year: int, month: int, service: int) -> HttpResponse:
    """A service head (or a manager) marks the service's month complete, or takes the mark back
    (`action=withdraw`) while the month is open."""
    _check_month(month)
    service_obj = get_object_or_404(Service.objects.select_related("organization"), pk=service)
    if not access_for(request).can_complete(service_obj):
        raise PermissionDenied
    plan = _plan(service_obj.organization_id, year)
    withdraw = request.POST.get("action") == "withdraw"
    form = ReasonForm(request.POST)
    if withdraw and not form.is_valid():
        messages.error(request, form.error_text())
        return redirect("plans:entry", year=year, month=month, service=service)
    if not withdraw:
        # Rows still empty are confirmed by their number: if more have emptied since, ask again.
        empty = empty_rows(plan, month, service_obj)
        confirmed = int_param(request.POST, "confirm_empty")
        if empty.indicators and (confirmed is None or confirmed < len(empty.indicators)):
            return _confirm_complete(request, plan, month, service_obj, empty)
    try:
        if withdraw:
            reason = form.cleaned_data["reason"]
            do_withdraw_completion(plan, month, service_obj, acting_user=request.user, reason=reason)
        else:
            do_complete_month(plan, month, service_obj, acting_user=request.user)
    except MonthClosed:
        return _refuse(request, _window_message(entry_window(plan, month)))
    if withdraw:
        messages.success(
            request, _("%(service)s's month is no longer marked complete.") % {"service": service_obj}
        )
    else:
        messages.success(
            request, _("The month is marked complete for %(service)s.") % {"service": service_obj}
        )
    return redirect("plans:entry", year=year, month=month, service=service)


def _confirm_complete(
    request: HttpRequest, plan: Plan, month: int, service: Service, empty: EmptyRows
) -> HttpResponse:
    """The step before marking a month complete while rows are empty: how many, which, and a
    checkbox saying so. A page of its own, so that it needs no script."""
    window = entry_window(plan, month)
    if not window.state.is_open:
        return _refuse(request, _window_message(window))
    return render(
        request,
        "plans/entry/confirm_complete.html",
        {
            "plan": plan,
            "month": month,
            "month_name": month_name(month),
            "service": service,
            "empty": empty,
            "entry_url": reverse(
                "plans:entry", kwargs={"year": plan.year, "month": month, "service": service.pk}
            ),
        },
    )


def _managed_centre(request: HttpRequest, access: Access) -> Organization:
    """The centre a manager's page is about: ?centre= when they manage several, else their own."""
    params = request.POST if request.method == "POST" else request.GET
    centre = access.managed_centre(int_param(params, "centre"))
    if centre is None:
        raise PermissionDenied
    return centre


@login_required
@require_POST
def month_lock(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """A manager closes or reopens a month of the centre's plan; the reason is recorded."""
    _check_month(month)
    access = access_for(request)
    centre = _managed_centre(request, access)
    plan = _plan(centre.pk, year)
    action = request.POST.get("action")
    window = entry_window(plan, month)
    if window.state in UNDECIDABLE:
        return _refuse(request, _window_message(window))
    if action not in ("reopen", "close"):
        return _refuse(request, _("Unknown action."), 400)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            messages.error(request, form.error_text())
        elif action == "reopen":
            reason = form.cleaned_data["reason"]
            if not reason:
                messages.error(request, _("Say why the month is reopened."))
            else:
                do_reopen_month(plan, month, acting_user=request.user, reason=reason)
                messages.success(
                    request, _("%(month)s is open for entry again.") % {"month": month_name(month)}
                )
        else:
            do_close_month(plan, month, acting_user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(month)s is closed for entry.") % {"month": month_name(month)})
    except MonthSealed:
        messages.error(request, str(CANNOT_REOPEN_SEALED))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("plans:entry-overview", kwargs={"year": year, "month": month}))


@login_required
@require_GET
def overview(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """A month of the centre: which services completed it, and which figures are still missing.
    Managers close and reopen it here; the region's reviewers read it."""
    _check_month(month)
    access = access_for(request)
    centre = access.overview_centre(int_param(request.GET, "centre"))
    if centre is None:
        raise PermissionDenied
    plan = _plan(centre.pk, year)
    window = entry_window(plan, month)
    state = window.state
    events = MonthEvent.objects.filter(plan=plan, month=month).select_related("acting_user", "service")
    return render(
        request,
        "plans/entry/overview.html",
        {
            "plan": plan,
            "month": month,
            "month_name": month_name(month),
            "state": state,
            "window_message": _window_message(window),
            "returned": window.returned,
            "cannot_reopen": CANNOT_REOPEN_SEALED,
            "services": month_overview(plan, month),
            "events": list(events.order_by("-created_at", "-pk")[:20]),
            "may_lock": access.manages(plan.organization_id),
            "previous_month": month - 1 if month > 1 else None,
            "next_month": month + 1 if month < 12 and _is_current_or_past(plan, month + 1) else None,
        },
    )


@login_required
@require_GET
def history(request: HttpRequest, indicator: int) -> HttpResponse:
    """Every change of an indicator's figures, for the services the person may read."""
    indicator_obj = get_object_or_404(
        Indicator.objects.select_related("item__plan__organization", "item__unit").prefetch_related(
            "item__services"
        ),
        pk=indicator,
    )
    plan = indicator_obj.item.plan
    services = access_for(request).figure_services(indicator_obj.item)
    if services == []:
        raise PermissionDenied
    return render(
        request,
        "plans/entry/history.html",
        {
            "plan": plan,
            "indicator": indicator_obj,
            "changes": indicator_history(indicator_obj, services),
            "file_events": indicator_events(indicator_obj, services),
            "back": _back_to_entry(request, plan),
        },
    )


def _back_to_entry(request: HttpRequest, plan: Plan) -> str | None:
    month, service = int_param(request.GET, "month"), int_param(request.GET, "service")
    if month is not None and service is not None and 1 <= month <= 12:
        return reverse("plans:entry", kwargs={"year": plan.year, "month": month, "service": service})
    return None
