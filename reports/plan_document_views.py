"""The plan as its document, downloaded: PDF and DOCX (reports.plan_document), for whoever may print it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from common.filenames import content_disposition, slug
from plans.models import Plan
from services.access import access_for

from .plan_document import plan_document, plan_docx, plan_pdf


def _printable_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.own().select_related("organization"), pk=plan_id)
    if not access_for(request).can_print_plan(plan.organization):
        raise PermissionDenied
    return plan


def _filename(plan: Plan, extension: str) -> str:
    """e.g. `sharof-rashidov-tuman-axborot-kutubxona-markazi-id7-2024-ish-rejasi.docx`."""
    return (
        f"{slug(plan.organization.name) or 'akm'}-id{plan.organization_id}-{plan.year}-ish-rejasi.{extension}"
    )


@login_required
def document_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _printable_plan(request, plan_id)
    response = HttpResponse(plan_pdf(plan_document(plan)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_filename(plan, "pdf"))
    return response


@login_required
def document_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _printable_plan(request, plan_id)
    response = HttpResponse(
        plan_docx(plan_document(plan)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition(_filename(plan, "docx"))
    return response
