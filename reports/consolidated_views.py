"""The consolidated report's pages: the regional centre's quarters, one report, its downloads, and
its workflow one level up (the region's managers send; the National Library's reviewers accept or
return). Who may do what is services.access'."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.filenames import content_disposition
from common.params import int_param
from plans.clock import today
from plans.models import Plan
from services.access import access_for
from services.models import Organization

from . import rules
from .consolidated import ConsolidatedTable, consolidated_page, current_consolidated
from .consolidated_files import consolidated_filename, render_consolidated_pdf, render_consolidated_xlsx
from .models import Report
from .views import NotOpenYet, refuses_early_annual, sent_version
from .workflow import (
    COMMENT_MAX_LENGTH,
    ReportError,
    do_accept,
    do_return,
    do_submit_consolidated,
    submittable,
)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(request: HttpRequest, template_id: int, quarter: int, *, may: str = "view") -> Plan:
    """The region's template plan, if this person may `may` ("view", "send" or "review") its
    consolidated report; else 403 (404 for a plan that is not a region's template: the National
    Library's template is sent to its regions, and has no consolidated report of its own); its
    annual report before the year is over, NotOpenYet (reports.views.refuses_early_annual)."""
    if quarter not in rules.PERIODS:
        raise Http404
    template = get_object_or_404(
        Plan.objects.templates()
        .filter(organization__kind=Organization.Kind.REGIONAL)
        .select_related("organization__parent"),
        pk=template_id,
    )
    access = access_for(request)
    allowed = {
        "view": access.can_view_consolidated,
        "send": access.can_send_consolidated,
        "review": access.can_review_consolidated,
    }[may](template.organization)
    if not allowed:
        raise PermissionDenied
    if not rules.available(template.year, quarter, today()):
        raise NotOpenYet(template)
    return template


def _include_drafts(request: HttpRequest) -> bool:
    return int_param(request.GET, "drafts") == 1


@login_required
@require_GET
def consolidated_list(request: HttpRequest) -> HttpResponse:
    """The regions' consolidated reports this person sees, quarter by quarter, for a year."""
    access = access_for(request)
    year = int_param(request.GET, "year") or today().year
    templates = [
        template
        for template in Plan.objects.templates()
        .filter(year=year, organization__kind=Organization.Kind.REGIONAL)
        .select_related("organization__parent")
        .order_by("organization__name")
        if access.can_view_consolidated(template.organization)
    ]
    if not templates and not (access.is_manager or access.is_reviewer):
        raise PermissionDenied
    states = {
        (report.plan_id, report.quarter): report.state for report in Report.objects.filter(plan__in=templates)
    }
    rows = [
        {
            "template": template,
            "quarters": [
                {
                    "quarter": quarter,
                    "roman": "" if rules.is_year(quarter) else rules.roman(quarter),
                    "annual": rules.is_year(quarter),
                    "state": states.get((template.pk, quarter), Report.State.DRAFT),
                    "state_label": Report.State(states.get((template.pk, quarter), Report.State.DRAFT)).label,
                }
                for quarter in rules.PERIODS
            ],
        }
        for template in templates
    ]
    return render(
        request,
        "reports/consolidated_list.html",
        {"rows": rows, "year": year, "years": [year - 1, year, year + 1]},
    )


@login_required
@refuses_early_annual
@require_GET
def consolidated_detail(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    template = _template(request, template_id, quarter)
    access = access_for(request)
    drafts = _include_drafts(request)
    page = consolidated_page(template, quarter, include_drafts=drafts)
    region = template.organization
    return render(
        request,
        "reports/consolidated_detail.html",
        {
            "page": page,
            "table": page.table,
            "drafts": drafts and page.frozen is None,
            "quarters": [(q, rules.roman(q)) for q in range(1, 5)],
            "annual_period": rules.WHOLE_YEAR,
            "can_submit": access.can_send_consolidated(region)
            and rules.can_move(page.state, rules.Move.SUBMIT)
            and submittable(template, quarter),
            "can_review": access.can_review_consolidated(region)
            and rules.can_move(page.state, rules.Move.ACCEPT),
            "comment_max_length": COMMENT_MAX_LENGTH,
        },
    )


@login_required
@refuses_early_annual
@require_GET
def consolidated_pdf(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    """As it stands: the PDF as sent while the National Library has it, else built now (a draft)."""
    template = _template(request, template_id, quarter)
    table, version = current_consolidated(template, quarter, include_drafts=_include_drafts(request))
    if version is not None:
        return _download(bytes(version.pdf), PDF, _filename(template, table, "pdf", version.number))
    return _download(
        render_consolidated_pdf(table, on=today(), draft=True), PDF, _filename(template, table, "pdf")
    )


@login_required
@refuses_early_annual
@require_GET
def consolidated_xlsx(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    template = _template(request, template_id, quarter)
    table, version = current_consolidated(template, quarter, include_drafts=_include_drafts(request))
    on = today() if version is None else version.submitted_on
    number = version.number if version else None
    return _download(render_consolidated_xlsx(table, on=on), XLSX, _filename(template, table, "xlsx", number))


@login_required
@refuses_early_annual
@require_GET
def consolidated_version_pdf(
    request: HttpRequest, template_id: int, quarter: int, number: int
) -> HttpResponse:
    template = _template(request, template_id, quarter)
    version = sent_version(template, quarter, number, with_pdf=True)
    table = ConsolidatedTable.from_json(version.table)
    return _download(bytes(version.pdf), PDF, _filename(template, table, "pdf", number))


@login_required
@refuses_early_annual
@require_GET
def consolidated_version_xlsx(
    request: HttpRequest, template_id: int, quarter: int, number: int
) -> HttpResponse:
    template = _template(request, template_id, quarter)
    version = sent_version(template, quarter, number)
    table = ConsolidatedTable.from_json(version.table)
    content = render_consolidated_xlsx(table, on=version.submitted_on)
    return _download(content, XLSX, _filename(template, table, "xlsx", number))


@login_required
@refuses_early_annual
@require_POST
def consolidated_submit(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    template = _template(request, template_id, quarter, may="send")
    return _act(
        request,
        template,
        quarter,
        lambda: do_submit_consolidated(template, quarter, acting_user=request.user),
        _("The consolidated report was sent to the National Library."),
    )


@login_required
@refuses_early_annual
@require_POST
def consolidated_accept(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    template = _template(request, template_id, quarter, may="review")
    report = _existing_report(template, quarter)
    return _act(
        request,
        template,
        quarter,
        lambda: do_accept(report, acting_user=request.user, comment=request.POST.get("comment", "")),
        _("The consolidated report was accepted."),
    )


@login_required
@refuses_early_annual
@require_POST
def consolidated_return(request: HttpRequest, template_id: int, quarter: int) -> HttpResponse:
    template = _template(request, template_id, quarter, may="review")
    report = _existing_report(template, quarter)
    return _act(
        request,
        template,
        quarter,
        lambda: do_return(report, acting_user=request.user, comment=request.POST.get("comment", "")),
        _("The consolidated report was returned to the regional centre."),
    )


def _existing_report(template: Plan, quarter: int) -> Report:
    return Report.objects.filter(plan=template, quarter=quarter).first() or Report(
        plan=template, quarter=quarter
    )


def _act(request: HttpRequest, template: Plan, quarter: int, action: Callable, success: str) -> HttpResponse:
    try:
        action()
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("reports:consolidated", template_id=template.pk, quarter=quarter)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _filename(template: Plan, table: ConsolidatedTable, extension: str, version: int | None = None) -> str:
    return consolidated_filename(template, table.year, table.quarter, extension, version)
