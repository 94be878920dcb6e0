"""The month sheet pages: download a service's month as XLSX, upload it filled, preview, confirm.

Nothing is written before the confirmation: the upload is read, checked by the entry page's form
and kept in the person's session (the database, never a file) until they confirm it; the
confirmation saves through the entry page's action (plans.entry.do_save_month).
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.sheet_reader import LIMITS, SheetRefused
from services.access import access_for
from services.models import Service

from ..cyrillic import shown
from ..entry import EntryConflict, MonthClosed, NotOnPage, UnlikelyValues, do_save_month
from ..forms import MonthEntryForm
from ..models import Plan
from ..month_sheet import SheetIdentity, read_month_sheet, sheet_changes, write_month_sheet
from ..selectors import entry_rows, entry_window, unlikely_values
from .entry import NOT_ON_PAGE, _check_month, _plan, _refuse, _say_saved, _window_message, month_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SheetUploadForm(forms.Form):
    sheet = forms.FileField(label=gettext_lazy("Filled month sheet (XLSX)"))


def _service(service: int) -> Service:
    return get_object_or_404(Service.objects.select_related("organization"), pk=service)


def _session_key(plan: Plan, month: int, service: Service) -> str:
    return f"month-sheet:{plan.pk}:{service.pk}:{month}"


def _entry_url(plan: Plan, month: int, service: Service) -> str:
    return reverse("plans:entry", kwargs={"year": plan.year, "month": month, "service": service.pk})


@login_required
@require_GET
def download(request: HttpRequest, year: int, month: int, service: int) -> HttpResponse:
    """The service's month as a sheet to fill in: everyone who may read the month may download it."""
    _check_month(month)
    service_obj = _service(service)
    if not access_for(request).can_read_entries(service_obj):
        raise PermissionDenied
    plan = _plan(service_obj.organization_id, year)
    identity = SheetIdentity(plan_id=plan.pk, service_id=service_obj.pk, month=month)
    title = f"{shown(plan.organization.name)} · {shown(service_obj.name)} · {month_name(month)} {plan.year}"
    content = write_month_sheet(identity, title, entry_rows(plan, month, service_obj))
    response = HttpResponse(content, content_type=XLSX)
    filename = f"oy-{plan.year}-{month:02d}-xizmat-{service_obj.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _entry_for(request: HttpRequest, year: int, month: int, service: int) -> tuple[Plan, Service]:
    """The plan and service of an upload or confirmation, for a person who may enter them."""
    _check_month(month)
    service_obj = _service(service)
    access = access_for(request)
    if not access.can_enter(service_obj):
        raise PermissionDenied
    return _plan(service_obj.organization_id, year), service_obj


def _refused_identity(identity: SheetIdentity, plan: Plan, month: int, service: Service) -> str | None:
    """Why a sheet of another plan, service or month is refused here (None when it is this month's)."""
    if identity.plan_id != plan.pk:
        return _(
            "This sheet is of another plan. Upload it on its own entry page, or download this month's sheet."
        )
    if identity.service_id != service.pk:
        return _("This sheet is of another service. Upload it on that service's entry page.")
    if identity.month != month:
        return _("This sheet is of %(month)s, not of %(this)s. Upload it on that month's entry page.") % {
            "month": month_name(identity.month),
            "this": month_name(month),
        }
    return None


@login_required
@require_POST
def upload(request: HttpRequest, year: int, month: int, service: int) -> HttpResponse:
    """Read a filled sheet and show what it would change; nothing is saved yet."""
    plan, service_obj = _entry_for(request, year, month, service)
    window = entry_window(plan, month)
    if not window.state.is_open:
        return _refuse(request, _window_message(window))
    upload_form = SheetUploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _sheet_refused(request, plan, month, service_obj, _("Choose the filled sheet (an XLSX file)."))
    try:
        # Read no more than the reader takes: a larger file is refused by its size (sheet_reader).
        sheet = read_month_sheet(upload_form.cleaned_data["sheet"].read(LIMITS.file_bytes + 1))
    except SheetRefused as refused:
        return _sheet_refused(request, plan, month, service_obj, str(refused))
    wrong = _refused_identity(sheet.identity, plan, month, service_obj)
    if wrong:
        return _sheet_refused(request, plan, month, service_obj, wrong)
    lines = {row.indicator_id: row.line for row in sheet.rows}
    return _preview(request, plan, month, service_obj, sheet.form_data(), lines=lines)


def _sheet_refused(
    request: HttpRequest, plan: Plan, month: int, service: Service, message: str
) -> HttpResponse:
    return render(
        request,
        "plans/entry/sheet_refused.html",
        {
            "plan": plan,
            "month": month,
            "month_name": month_name(month),
            "service": service,
            "message": message,
            "entry_url": _entry_url(plan, month, service),
        },
        status=400,
    )


def _preview(
    request: HttpRequest,
    plan: Plan,
    month: int,
    service: Service,
    data: dict[str, str],
    status: int = 200,
    lines: dict[int, int] | None = None,
) -> HttpResponse:
    """The preview of a sheet's rows: what changes (old → new), which rows are wrong (the entry
    form's messages) and which someone saved since the download. A sheet without errors is kept
    in the session for the confirmation, marked as loaded with today's figures: confirming keeps
    the sheet's values knowingly, and what anyone saves after this preview is a conflict again."""
    rows = entry_rows(plan, month, service)
    form = MonthEntryForm(data, rows=[row.form_row for row in rows])
    if form.foreign_indicator_ids():
        return _sheet_refused(
            request,
            plan,
            month,
            service,
            _("The plan changed since this sheet was downloaded. Download the month again and fill it in."),
        )
    key = _session_key(plan, month, service)
    request.session.pop(key, None)
    errors = []
    changes = []
    token = ""
    if form.is_valid():
        changes = sheet_changes(rows, form.entries())
        new_values = {
            change.row.indicator.pk: change.new_value
            for change in changes
            if change.new_value is not None and change.new_value != change.old_value
        }
        found = unlikely_values(plan, month, service, new_values)
        for change in changes:
            change.row.unlikely = found.get(change.row.indicator.pk)
        if changes:
            current = {row.indicator.pk: row.own for row in rows}
            kept = dict(data)
            for change in changes:
                own = current[change.row.indicator.pk]
                kept[f"was-{change.row.indicator.pk}"] = "" if own is None else str(own.value)
                kept[f"was_note-{change.row.indicator.pk}"] = own.note if own else ""
            token = secrets.token_urlsafe(16)
            # The unlikely values shown, as the confirmation's box confirms them (by id, as text:
            # the session is JSON).
            unlikely = {str(pk): why.value for pk, why in found.items()}
            request.session[key] = {"token": token, "data": kept, "unlikely": unlikely}
    else:
        for row in rows:
            fields = form.row_fields(row.indicator.pk)
            messages_ = [*fields.value.errors, *fields.note.errors, *fields.was.errors]
            if messages_:
                typed = data.get(f"value-{row.indicator.pk}", "")
                line = (lines or {}).get(row.indicator.pk)
                errors.append((row, line, typed, str(messages_[0])))
        status = 400
    return render(
        request,
        "plans/entry/sheet_preview.html",
        {
            "plan": plan,
            "month": month,
            "month_name": month_name(month),
            "service": service,
            "changes": changes,
            "conflicts": sum(1 for change in changes if change.conflict),
            "unlikely": sum(1 for change in changes if change.row.unlikely),
            "errors": errors,
            "token": token,
            "entry_url": _entry_url(plan, month, service),
        },
        status=status,
    )


@login_required
@require_POST
def confirm(request: HttpRequest, year: int, month: int, service: int) -> HttpResponse:
    """Save the previewed sheet through the entry page's action, in one transaction."""
    plan, service_obj = _entry_for(request, year, month, service)
    kept = request.session.get(_session_key(plan, month, service_obj))
    if not kept or not secrets.compare_digest(kept["token"], request.POST.get("token", "")):
        return _refuse(
            request, _("This preview is no longer current: upload the sheet again. Nothing was saved."), 400
        )
    data = kept["data"]
    rows = entry_rows(plan, month, service_obj)
    form = MonthEntryForm(data, rows=[row.form_row for row in rows])
    if form.foreign_indicator_ids() or not form.is_valid():
        return _preview(request, plan, month, service_obj, data, status=400)
    confirmed = {}
    if request.POST.get("confirm_unlikely"):
        confirmed = {int(pk): value for pk, value in kept.get("unlikely", {}).items()}
    try:
        result = do_save_month(
            plan, month, service_obj, form.entries(), acting_user=request.user, confirmed_unlikely=confirmed
        )
    except MonthClosed:
        return _refuse(request, _window_message(entry_window(plan, month)))
    except NotOnPage:
        return _refuse(request, NOT_ON_PAGE, 400)
    except (EntryConflict, UnlikelyValues):
        # Saved by someone between the preview and the confirmation, or unlikely values not
        # confirmed: preview again, showing theirs and asking.
        return _preview(request, plan, month, service_obj, data, status=409)
    request.session.pop(_session_key(plan, month, service_obj), None)
    _say_saved(request, result.changes)
    return redirect(_entry_url(plan, month, service_obj))
