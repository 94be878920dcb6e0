"""The report pages: the list, one report, its downloads, and the workflow's buttons (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from akm_plan.params import int_param, parse_int
from plans.clock import today
from plans.models import Plan
from services.access import access_for

from . import rules
from .filenames import content_disposition, report_filename
from .models import Report, ReportVersion
from .pdf import render_pdf
from .selectors import current_table, report_list, report_page
from .tables import ReportTable
from .workflow import ReportError, do_accept, do_return, do_save_notes, do_submit, submittable, version_table
from .xlsx import render_xlsx

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request: HttpRequest, plan_id: int, quarter: int, *, may: str = "view") -> Plan:
    """The plan, if this person may `may` ("view", "manage" or "review") its reports; else 403."""
    if not 1 <= quarter <= 4:
        raise Http404
    plan = get_object_or_404(Plan.objects.select_related("organization__parent"), pk=plan_id)
    access = access_for(request)
    allowed = {
        "view": access.can_view_centre,
        "manage": access.manages,
        "review": access.reviews,
    }[may](plan.organization)
    if not allowed:
        raise PermissionDenied
    return plan


@login_required
@require_GET
def report_list_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    if not (access.is_manager or access.is_reviewer):
        raise PermissionDenied
    year = int_param(request.GET, "year") or today().year
    rows = report_list(access, year)
    return render(
        request,
        "reports/list.html",
        {"rows": rows, "year": year, "years": [year - 1, year, year + 1], "reviewer": access.is_reviewer},
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter)
    access = access_for(request)
    page = report_page(plan, quarter)
    manages = access.manages(plan.organization)
    reviews = access.reviews(plan.organization)
    return render(
        request,
        "reports/detail.html",
        {
            "page": page,
            "table": page.table,
            "note_form": manages and rules.notes_editable(page.state),
            "show_status": True,
            "can_submit": manages
            and rules.can_move(page.state, Report.State.SUBMITTED)
            and submittable(plan, quarter),
            "can_review": reviews and rules.can_move(page.state, Report.State.ACCEPTED),
        },
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """The report as it stands: the PDF as sent while the region has it, else the live draft."""
    plan = _plan(request, plan_id, quarter)
    table, version = current_table(plan, quarter)
    if version is not None:
        return _download(bytes(version.pdf), PDF, _filename(plan, table, "pdf", version.number))
    return _download(render_pdf(table, on=today(), draft=True), PDF, _filename(plan, table, "pdf"))


@login_required
@require_GET
def report_xlsx(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter)
    table, version = current_table(plan, quarter)
    on = today() if version is None else version.submitted_on
    number = version.number if version else None
    return _download(render_xlsx(table, on=on), XLSX, _filename(plan, table, "xlsx", number))


@login_required
@require_GET
def version_pdf(request: HttpRequest, plan_id: int, quarter: int, number: int) -> HttpResponse:
    """A sent version's PDF, byte for byte as it was sent."""
    plan = _plan(request, plan_id, quarter)
    version = get_object_or_404(ReportVersion, report__plan=plan, report__quarter=quarter, number=number)
    return _download(bytes(version.pdf), PDF, _filename(plan, version_table(version), "pdf", number))


@login_required
@require_GET
def version_xlsx(request: HttpRequest, plan_id: int, quarter: int, number: int) -> HttpResponse:
    """A sent version's figures as a workbook, built from the table frozen when it was sent."""
    plan = _plan(request, plan_id, quarter)
    version = get_object_or_404(
        ReportVersion.objects.defer("pdf"), report__plan=plan, report__quarter=quarter, number=number
    )
    table = version_table(version)
    content = render_xlsx(table, on=version.submitted_on)
    return _download(content, XLSX, _filename(plan, table, "xlsx", number))


@login_required
@require_POST
def save_notes(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="manage")
    notes = {}
    for key, text in request.POST.items():
        if key.startswith("note-"):
            indicator_id = parse_int(key.removeprefix("note-"))
            if indicator_id is None:
                messages.error(request, _bad_request_message())
                return redirect("reports:detail", plan_id=plan.pk, quarter=quarter)
            notes[indicator_id] = text
    return _act(
        request,
        plan,
        quarter,
        lambda: do_save_notes(plan, quarter, notes, acting_user=request.user),
        _("Notes saved."),
    )


@login_required
@require_POST
def submit(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="manage")
    return _act(
        request,
        plan,
        quarter,
        lambda: do_submit(plan, quarter, acting_user=request.user),
        _("The report was sent to the regional centre."),
    )


@login_required
@require_POST
def accept(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="review")
    report = _existing_report(plan, quarter)
    return _act(
        request,
        plan,
        quarter,
        lambda: do_accept(report, acting_user=request.user, comment=request.POST.get("comment", "")),
        _("The report was accepted."),
    )


@login_required
@require_POST
def return_report(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="review")
    report = _existing_report(plan, quarter)
    return _act(
        request,
        plan,
        quarter,
        lambda: do_return(report, acting_user=request.user, comment=request.POST.get("comment", "")),
        _("The report was returned to the centre for correction."),
    )


def _existing_report(plan: Plan, quarter: int) -> Report:
    # A quarter without a report row was never sent: the workflow refuses it with its message.
    return Report.objects.filter(plan=plan, quarter=quarter).first() or Report(plan=plan, quarter=quarter)


def _act(request: HttpRequest, plan: Plan, quarter: int, action, success: str) -> HttpResponse:
    try:
        action()
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("reports:detail", plan_id=plan.pk, quarter=quarter)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _filename(plan: Plan, table: ReportTable, extension: str, version: int | None = None) -> str:
    return report_filename(
        centre=table.centre,
        centre_id=plan.organization_id,
        year=table.year,
        quarter=table.quarter,
        extension=extension,
        version=version,
    )


def _bad_request_message() -> str:
    return _("The form was not understood; nothing was saved.")
