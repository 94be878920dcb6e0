"""The reports in the admin: to look at, not to edit. The workflow's moves happen on the report page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from services.admin_doors import CentreDoorsAdmin

from . import rules
from .models import Report, ReportEvent, ReportNote, ReportVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = ReportVersion
    fields = ["number", "submitted_by", "submitted_at", "submitted_on", "language"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ["created_at", "acting_user", "action", "version", "comment"]
    readonly_fields = fields


class NoteInline(ReadOnlyInline):
    model = ReportNote
    fields = ["indicator", "text", "updated_by", "updated_at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    centre_paths = ("plan__organization",)
    list_display = ["plan", "period", "state", "first_submitted_on", "updated_at"]
    list_filter = ["state", "quarter", "plan__year"]
    search_fields = ["plan__organization__name"]
    list_select_related = ["plan__organization"]
    readonly_fields = ["plan", "period", "state", "first_submitted_on", "updated_at"]
    inlines = [VersionInline, EventInline, NoteInline]

    @admin.display(description=_("period"), ordering="quarter")
    def period(self, report: Report) -> str:
        """A quarter, or the whole year (the annual report)."""
        return rules.period_label(report.quarter)

    # Sent versions are the documents as sent: nobody adds, changes or deletes them here.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
