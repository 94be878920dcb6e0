"""URLs of the plan as its document (PDF, DOCX) and of the reports: the list, one report, its
downloads, the workflow's confirmation pages and actions; a report's period is a quarter
(`/reports/7/2/`) or the year (`/reports/7/year/`, the annual report), the same views for both."""

from django.urls import path, register_converter

from . import consolidated_views as consolidated
from . import plan_document_views, views
from .converters import PeriodConverter

register_converter(PeriodConverter, "period")

app_name = "reports"

urlpatterns = [
    path("plan/<int:plan_id>/document.pdf", plan_document_views.document_pdf, name="plan-document-pdf"),
    path("plan/<int:plan_id>/document.docx", plan_document_views.document_docx, name="plan-document-docx"),
    path("", views.report_list_page, name="list"),
    path("<int:plan_id>/<period:quarter>/", views.report_detail, name="detail"),
    path("<int:plan_id>/<period:quarter>/report.pdf", views.report_pdf, name="pdf"),
    path("<int:plan_id>/<period:quarter>/report.xlsx", views.report_xlsx, name="xlsx"),
    path("<int:plan_id>/<period:quarter>/report.docx", views.report_docx, name="docx"),
    path("<int:plan_id>/<period:quarter>/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("<int:plan_id>/<period:quarter>/v<int:number>.xlsx", views.version_xlsx, name="version_xlsx"),
    path("<int:plan_id>/<period:quarter>/v<int:number>.docx", views.version_docx, name="version_docx"),
    path("<int:plan_id>/<period:quarter>/notes/", views.save_notes, name="notes"),
    path("<int:plan_id>/<period:quarter>/send/", views.confirm_submit, name="confirm_submit"),
    path("<int:plan_id>/<period:quarter>/submit/", views.submit, name="submit"),
    path("<int:plan_id>/<period:quarter>/accept/confirm/", views.confirm_accept, name="confirm_accept"),
    path("<int:plan_id>/<period:quarter>/accept/", views.accept, name="accept"),
    path("<int:plan_id>/<period:quarter>/return/", views.return_report, name="return"),
    path(
        "<int:plan_id>/<period:quarter>/withdraw-acceptance/",
        views.withdraw_acceptance,
        name="withdraw_acceptance",
    ),
    path("consolidated/", consolidated.consolidated_list, name="consolidated_list"),
    path(
        "consolidated/<int:template_id>/<period:quarter>/",
        consolidated.consolidated_detail,
        name="consolidated",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/report.pdf",
        consolidated.consolidated_pdf,
        name="consolidated_pdf",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/report.xlsx",
        consolidated.consolidated_xlsx,
        name="consolidated_xlsx",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/v<int:number>.pdf",
        consolidated.consolidated_version_pdf,
        name="consolidated_version_pdf",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/v<int:number>.xlsx",
        consolidated.consolidated_version_xlsx,
        name="consolidated_version_xlsx",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/submit/",
        consolidated.consolidated_submit,
        name="consolidated_submit",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/accept/",
        consolidated.consolidated_accept,
        name="consolidated_accept",
    ),
    path(
        "consolidated/<int:template_id>/<period:quarter>/return/",
        consolidated.consolidated_return,
        name="consolidated_return",
    ),
]
