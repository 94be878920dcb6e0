"""The report pages: the list, one report, its downloads, the workflow's confirmation pages (GET) and
its buttons (POST only). The same pages serve the annual report (period WHOLE_YEAR), which opens
once the fourth quarter is over (every view refuses it before then, saying when: `refuses_early_annual`)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.filenames import content_disposition
from common.params import choice_param, int_param, parse_int
from plans.clock import today
from plans.locks import quarter_months
from plans.models import Plan
from services.access import access_for

from . import rules
from .annexes import report_amendments, report_evidence
from .docx import render_docx
from .filenames import report_filename
from .models import Report, ReportVersion
from .pdf import render_pdf
from .selectors import (
    NamedRow,
    current_table,
    filtered_list,
    last_version,
    missing_notes,
    named_rows,
    report_list,
    report_page,
    sending_check,
)
from .tables import ReportTable
from .workflow import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    MissingNotes,
    ReportError,
    annual_not_open_message,
    do_accept,
    do_return,
    do_save_notes,
    do_submit,
    do_withdraw_acceptance,
    submittable,
    version_table,
)
from .xlsx import render_xlsx

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NotOpenYet(Exception):
    """The annual report is asked for before the fourth quarter is over."""

    def __init__(self, plan: Plan):
        super().__init__(annual_not_open_message(plan))
        self.plan = plan


def refuses_early_annual(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A report view that answers an annual report asked for too early with a page saying when it
    opens (403), instead of the page asked for."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotOpenYet as refusal:
            context = {"plan": refusal.plan, "message": str(refusal)}
            return render(request, "reports/annual_not_open.html", context, status=403)

    return wrapped


def _plan(request: HttpRequest, plan_id: int, quarter: int, *, may: str = "view") -> Plan:
    """The plan, if this person may `may` ("view", "manage" or "review") its reports; else 403; its
    annual report before the year is over, NotOpenYet (for `refuses_early_annual`)."""
    if quarter not in rules.PERIODS:
        raise Http404
    plan = get_object_or_404(Plan.objects.own().select_related("organization__parent"), pk=plan_id)
    access = access_for(request)
    allowed = {
        "view": access.can_view_centre,
        "manage": access.manages,
        "review": access.reviews,
    }[may](plan.organization)
    if not allowed:
        raise PermissionDenied
    if not rules.available(plan.year, quarter, today()):
        raise NotOpenYet(plan)
    return plan


@login_required
@require_GET
def report_list_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    if not (access.is_manager or access.is_reviewer):
        raise PermissionDenied
    year = int_param(request.GET, "year") or today().year
    if not 2000 <= year <= 2100:
        raise BadRequest("year out of range")
    quarter = int_param(request.GET, "quarter")
    if quarter is not None and not 1 <= quarter <= 4:
        raise BadRequest("quarter out of range")
    state = choice_param(request.GET, "state", rules.ReportState.values)
    every = report_list(access, year, periods=rules.PERIODS)
    quarters = [row for row in every if not rules.is_year(row.quarter)]
    rows = filtered_list(quarters, quarter=quarter, state=state)
    annual_rows = [row for row in every if rules.is_year(row.quarter)]
    return render(
        request,
        "reports/list.html",
        {
            "rows": rows,
            "annual_rows": annual_rows,
            "year": year,
            "years": [year - 1, year, year + 1],
            "reviewer": access.is_reviewer,
            "quarter": quarter,
            "quarters": [(number, rules.roman(number)) for number in range(1, 5)],
            "state": state,
            "states": rules.ReportState.choices,
        },
    )


@login_required
@refuses_early_annual
@require_GET
def report_detail(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter)
    return _detail(request, plan, quarter)


def _detail(
    request: HttpRequest,
    plan: Plan,
    quarter: int,
    *,
    typed_notes: dict[int, str] | None = None,
    refused: list[NamedRow] | None = None,
    notes_saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The report page; after a refused form, with the notes as typed (`typed_notes`) or the rows
    that stopped the sending (`refused`), linked."""
    access = access_for(request)
    manages = access.manages(plan.organization)
    page = report_page(plan, quarter, typed_notes=typed_notes, propose=manages)
    reviews = access.reviews(plan.organization)
    return render(
        request,
        "reports/detail.html",
        {
            "page": page,
            "annual": rules.is_year(quarter),
            "annual_period": rules.WHOLE_YEAR,
            "table": page.table,
            "proposals": page.proposals,
            "note_form": manages and rules.notes_editable(page.state),
            "show_status": True,
            "can_submit": manages
            and rules.can_move(page.state, rules.Move.SUBMIT)
            and submittable(plan, quarter),
            "can_review": reviews and rules.can_move(page.state, rules.Move.ACCEPT),
            "can_withdraw_acceptance": reviews and rules.can_move(page.state, rules.Move.WITHDRAW_ACCEPTANCE),
            "refused": refused,
            "notes_saved": notes_saved,
            "note_max_length": NOTE_MAX_LENGTH,
            "comment_max_length": COMMENT_MAX_LENGTH,
        },
        status=status,
    )


@login_required
@refuses_early_annual
@require_GET
def report_pdf(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """The report as it stands: the PDF as sent while the region has it, else the live draft."""
    plan = _plan(request, plan_id, quarter)
    table, version = current_table(plan, quarter)
    if version is not None:
        return _download(bytes(version.pdf), PDF, _filename(plan, table, "pdf", version.number))
    evidence = report_evidence(plan, quarter, thumbnails=True)
    amendments = report_amendments(plan, quarter)
    content = render_pdf(table, on=today(), draft=True, evidence=evidence, amendments=amendments)
    return _download(content, PDF, _filename(plan, table, "pdf"))


@login_required
@refuses_early_annual
@require_GET
def report_xlsx(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter)
    table, version = current_table(plan, quarter)
    on = today() if version is None else version.submitted_on
    number = version.number if version else None
    evidence = report_evidence(plan, quarter, version=version)
    return _download(
        render_xlsx(table, on=on, evidence=evidence), XLSX, _filename(plan, table, "xlsx", number)
    )


@login_required
@refuses_early_annual
@require_GET
def report_docx(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """The report as a Word document, from the same table as the PDF (as sent, while sent)."""
    plan = _plan(request, plan_id, quarter)
    table, version = current_table(plan, quarter)
    on = today() if version is None else version.submitted_on
    number = version.number if version else None
    return _download(render_docx(table, on=on), DOCX, _filename(plan, table, "docx", number))


def sent_version(plan: Plan, quarter: int, number: int, *, with_pdf: bool = False) -> ReportVersion:
    """A sent version of the plan's report on the quarter (of a template's: the consolidated
    report's), or 404. Its PDF bytes are read only when they are what is downloaded: the files
    built from the frozen table do not need them."""
    versions = ReportVersion.objects.all() if with_pdf else ReportVersion.objects.defer("pdf")
    return get_object_or_404(versions, report__plan=plan, report__quarter=quarter, number=number)


@login_required
@refuses_early_annual
@require_GET
def version_docx(request: HttpRequest, plan_id: int, quarter: int, number: int) -> HttpResponse:
    """A sent version as a Word document, built from the table frozen when it was sent."""
    plan = _plan(request, plan_id, quarter)
    version = sent_version(plan, quarter, number)
    table = version_table(version)
    return _download(
        render_docx(table, on=version.submitted_on), DOCX, _filename(plan, table, "docx", number)
    )


@login_required
@refuses_early_annual
@require_GET
def version_pdf(request: HttpRequest, plan_id: int, quarter: int, number: int) -> HttpResponse:
    """A sent version's PDF, byte for byte as it was sent."""
    plan = _plan(request, plan_id, quarter)
    version = sent_version(plan, quarter, number, with_pdf=True)
    return _download(bytes(version.pdf), PDF, _filename(plan, version_table(version), "pdf", number))


@login_required
@refuses_early_annual
@require_GET
def version_xlsx(request: HttpRequest, plan_id: int, quarter: int, number: int) -> HttpResponse:
    """A sent version's figures as a workbook, built from the table frozen when it was sent."""
    plan = _plan(request, plan_id, quarter)
    version = sent_version(plan, quarter, number)
    table = version_table(version)
    evidence = report_evidence(plan, quarter, version=version)
    content = render_xlsx(table, on=version.submitted_on, evidence=evidence)
    return _download(content, XLSX, _filename(plan, table, "xlsx", number))


@login_required
@refuses_early_annual
@require_POST
def save_notes(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """Save the notes typed on the report page; with `send`, then go on to sending it (the notes
    typed are never lost to the send button). A refused form shows the page again as typed."""
    plan = _plan(request, plan_id, quarter, may="manage")
    notes = {}
    for key, text in request.POST.items():
        if key.startswith("note-"):
            indicator_id = parse_int(key.removeprefix("note-"))
            if indicator_id is None:
                messages.error(request, _bad_request_message())
                return redirect("reports:detail", plan_id=plan.pk, quarter=quarter)
            notes[indicator_id] = text
    try:
        do_save_notes(plan, quarter, notes, acting_user=request.user)
    except ReportError as error:
        messages.error(request, str(error))
        return _detail(request, plan, quarter, typed_notes=notes, status=400)
    if "send" not in request.POST:
        messages.success(request, _("Notes saved."))
        return redirect("reports:detail", plan_id=plan.pk, quarter=quarter)
    missing = missing_notes(plan, quarter)
    if missing:
        typed = any(text.strip() for text in notes.values())
        return _detail(request, plan, quarter, refused=missing, notes_saved=typed, status=400)
    return redirect("reports:confirm_submit", plan_id=plan.pk, quarter=quarter)


@login_required
@refuses_early_annual
@require_GET
def confirm_submit(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """Before sending: who has not completed the quarter's months, the figures still missing, and
    which months sending closes before their lock day."""
    plan = _plan(request, plan_id, quarter, may="manage")
    return render(request, "reports/confirm_submit.html", {"check": sending_check(plan, quarter)})


@login_required
@refuses_early_annual
@require_POST
def submit(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="manage")
    try:
        do_submit(plan, quarter, acting_user=request.user)
    except MissingNotes as error:
        return _detail(request, plan, quarter, refused=named_rows(error.table, error.rows), status=400)
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report was sent to the regional centre."))
    return redirect("reports:detail", plan_id=plan.pk, quarter=quarter)


@login_required
@refuses_early_annual
@require_GET
def confirm_accept(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    """Before accepting: the version accepted, and that accepting seals the quarter's months."""
    plan = _plan(request, plan_id, quarter, may="review")
    report, version = last_version(plan, quarter)
    state = report.state if report else Report.State.DRAFT
    annual = rules.is_year(quarter)
    return render(
        request,
        "reports/confirm_accept.html",
        {
            "plan": plan,
            "quarter": quarter,
            "quarter_roman": "" if annual else rules.roman(quarter),
            "annual": annual,
            "state_label": Report.State(state).label,
            "version": version,
            "can_accept": rules.can_move(state, rules.Move.ACCEPT),
            "months": [str(MONTHS[month]) for month in quarter_months(quarter)] if not annual else [],
            "comment_max_length": COMMENT_MAX_LENGTH,
        },
    )


@login_required
@refuses_early_annual
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
@refuses_early_annual
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


@login_required
@refuses_early_annual
@require_POST
def withdraw_acceptance(request: HttpRequest, plan_id: int, quarter: int) -> HttpResponse:
    plan = _plan(request, plan_id, quarter, may="review")
    report = _existing_report(plan, quarter)
    return _act(
        request,
        plan,
        quarter,
        lambda: do_withdraw_acceptance(
            report, acting_user=request.user, reason=request.POST.get("reason", "")
        ),
        _(
            "The acceptance was taken back: the report is with the centre again. Its months stay "
            "closed until a manager reopens them."
        ),
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
