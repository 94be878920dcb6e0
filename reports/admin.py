"""The reports in the admin: to look at, not to edit. The workflow's moves happen on the report page."""

from django.contrib import admin

from services.admin_doors import CentreDoorsAdmin

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
    list_display = ["plan", "quarter", "state", "first_submitted_on", "updated_at"]
    list_filter = ["state", "quarter", "plan__year"]
    search_fields = ["plan__organization__name"]
    list_select_related = ["plan__organization"]
    readonly_fields = ["plan", "quarter", "state", "first_submitted_on", "updated_at"]
    inlines = [VersionInline, EventInline, NoteInline]

    # Sent versions are the documents as sent: nobody adds, changes or deletes them here.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
