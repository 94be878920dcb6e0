"""The admin where a plan is built and corrected: plans, items with indicators, targets, actuals.

Who sees and changes what here is services.access's one rule for the admin, applied through
services.admin_doors: administrators everything; managers with staff status read their own
centre's objects only.
"""
import logging

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter as RelatedOnly
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from import_export.resources import Resource
from import_export.results import Result
from simple_history.admin import SimpleHistoryAdmin

from common.cyrillic import to_cyrillic
from common.sheet_reader import SheetRefused
from services.access import access_for
from services.admin_doors import CentreDoorsAdmin, CentreDoorsInline

from .admin_amendments import AmendmentAdminMixin
from .admin_formats import FORMATS
from .models import (
    Actual,
    Amendment,
    CyrillicText,
    Deadline,
    Indicator,
    Plan,
    PlanItem,
    Section,
    Target,
    Unit,
)
from .ordering import place_by_number
from .resources import ActualResource, IndicatorResource
from .search import search_numbered
from .targets import derive_quarter_targets

logger = logging.getLogger(__name__)

# What each spreadsheet column holds, shown on the import and export pages. Files keep the
# column names themselves, which are the same in every language.
COLUMN_LABELS = {
    "centre": _("Centre"),
    "year": _("Year"),
    "item_number": _("Item number"),
    "item_title": _("Activity"),
    "unit": _("Unit"),
    "indicator": _("Indicator (empty when the item has one figure)"),
    "annual_target": _("Annual target"),
    "month": _("Month"),
    "service": _("Service"),
    "value": _("Done"),
    "note": _("Note"),
    "entered_by": _("Entered by (export only)"),
    "entered_at": _("Entered at (export only)"),
}


def labelled_columns(resource: Resource) -> list[tuple[str, str]]:
    """A resource's columns as (what it holds, its name in the file), in the file's order."""
    return [
        (str(COLUMN_LABELS.get(field.column_name, field.column_name)), field.column_name)
        for field in resource.get_user_visible_fields()
    ]


def relabel_import_result(result: Result, resource: Resource) -> None:
    """Names a preview's columns and a refused row's fields as people read them, not by the
    column or attribute names the result holds."""
    labels = {}
    for field in resource.get_import_fields():
        label = str(COLUMN_LABELS.get(field.column_name, field.column_name))
        labels[field.column_name] = labels[field.attribute] = label
    result.diff_headers = [labels.get(column, column) for column in result.diff_headers]
    for row in result.invalid_rows:
        row.error_dict = {labels.get(key, key): errors for key, errors in row.error_dict.items()}


class AllOrNothingImportMixin(ImportExportMixin):
    """Import and export as CSV or XLSX; a file with any bad row writes nothing.

    django-import-export rolls back on row errors by itself; validation errors (a negative
    value, an unknown service) would otherwise let the good rows through on confirming.

    Importing changes, so only those who may change in the admin import; an export holds the
    rows the person may see (the change list's queryset), and every column, so that the file can
    be imported back. The pages name the columns in the person's language, and an error shows
    its message only: the traceback goes to the server's log, not to the page.
    """

    formats = FORMATS  # read and written by common.sheet_reader and sheet_writer
    export_form_class = ExportForm
    import_template_name = "admin/plans/import.html"

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        # The reader's refusals say what is wrong in the user's language; the library's own
        # message would only name the exception.
        if isinstance(e, SheetRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def has_import_permission(self, request: HttpRequest) -> bool:
        return access_for(request).can_change_in_admin() and super().has_import_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request) and super().has_export_permission(request)

    def import_action(self, request: HttpRequest, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            resources = self._resources(request, self.get_import_resource_classes(request))
            response.context_data["fields_list"] = [
                (resource.get_display_name(), labelled_columns(resource)) for resource in resources
            ]
            result = response.context_data.get("result")
            if result is not None:
                self._log_unexpected_errors(result)
                relabel_import_result(result, resources[0])
        return response

    def init_request_context_data(self, request: HttpRequest, form):
        context = super().init_request_context_data(request, form)
        resources = self._resources(request, self.get_export_resource_classes(request))
        context["fields_list"] = [
            (resource.get_display_name(), labelled_columns(resource)) for resource in resources
        ]
        return context

    def _resources(self, request: HttpRequest, classes) -> list[Resource]:
        return [resource_class(**self.get_resource_kwargs(request)) for resource_class in classes]

    def _log_unexpected_errors(self, result: Result) -> None:
        # A ValueError is a bad file, told on the page; anything else is a fault to look into.
        errors = [*result.base_errors, *(e for _line, row in result.row_errors() for e in row)]
        for error in errors:
            if not isinstance(error.error, ValueError):
                logger.error("Import of %s failed", self.opts.label, exc_info=error.error)


class ApostropheSearchMixin:
    """Admin search (and autocomplete) by number and text, with every apostrophe form alike."""

    search_number_field = "number"
    search_text_fields: tuple[str, ...] = ("title",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        found = search_numbered(
            queryset,
            search_term,
            number_field=self.search_number_field,
            text_fields=self.search_text_fields,
        )
        return found, False


class SectionInline(CentreDoorsInline, admin.TabularInline):
    model = Section
    fields = ("number", "title", "order")
    extra = 0


@admin.register(Plan)
class PlanAdmin(CentreDoorsAdmin, AmendmentAdminMixin, admin.ModelAdmin):
    centre_paths = ("organization",)
    list_display = ("__str__", "organization", "year", "kind", "approved_at")
    list_filter = ("year", "kind", ("organization", RelatedOnly))
    list_select_related = ("organization",)
    search_fields = ("organization__name", "year")
    # Approved by the centre's director on the plan's page (plans.approval), not typed in here.
    readonly_fields = ("approved_at", "approved_by")
    inlines = [SectionInline]
    actions = ["create_next_year"]

    @admin.action(description=_("Create next year's plan"), permissions=["add"])
    def create_next_year(self, request: HttpRequest, queryset: QuerySet):
        """Opens the preview of next year's plan for the one plan chosen."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose one plan to copy into next year."), messages.WARNING)
            return None
        return redirect("plans:next-year", plan=queryset.get().pk)


@admin.register(Section)
class SectionAdmin(CentreDoorsAdmin, AmendmentAdminMixin, admin.ModelAdmin):
    centre_paths = ("plan__organization",)
    list_display = ("number", "title", "plan", "order")
    list_filter = (("plan", RelatedOnly),)
    list_select_related = ("plan__organization",)
    search_fields = ("number", "title")
    ordering = ("plan", "order")


@admin.register(Unit)
class UnitAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    centre_paths = ()  # shared by every centre
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(CyrillicText)
class CyrillicTextAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    """Corrections of the automatic Cyrillic of the plan's text (plans.cyrillic), shared by every
    centre like units: the reading of a text does not depend on whose plan holds it."""

    centre_paths = ()
    list_display = ("latin", "cyrillic")
    search_fields = ("latin", "cyrillic")
    fields = ("latin", "cyrillic", "automatic")
    readonly_fields = ("automatic",)

    @admin.display(description=_("automatic reading"))
    def automatic(self, obj: CyrillicText) -> str:
        return to_cyrillic(obj.latin) if obj.latin else ""


@admin.register(Deadline)
class DeadlineAdmin(CentreDoorsAdmin, AmendmentAdminMixin, admin.ModelAdmin):
    centre_paths = ("plan__organization",)
    list_display = ("text", "kind", "first_month", "last_month", "plan")
    list_filter = ("kind", ("plan", RelatedOnly))
    list_select_related = ("plan__organization",)
    search_fields = ("text",)


class IndicatorInline(CentreDoorsInline, admin.TabularInline):
    """The item's indicators; each links to its own page, where its quarter targets are. How each adds
    up over months and districts (sum, latest, highest) is set here: in a region's template it is
    sent to the districts with the indicator."""

    model = Indicator
    fields = ("label", "annual_target", "aggregation", "order")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("item")


def indicators_to_rederive(formsets) -> list[Indicator]:
    """Indicators of an item's inline forms that were added or had their annual target changed."""
    return [
        indicator
        for formset in formsets
        if formset.model is Indicator
        for indicator in [
            *formset.new_objects,
            *(obj for obj, fields in formset.changed_objects if "annual_target" in fields),
        ]
    ]


@admin.register(PlanItem)
class PlanItemAdmin(CentreDoorsAdmin, AmendmentAdminMixin, ApostropheSearchMixin, SimpleHistoryAdmin):
    centre_paths = ("plan__organization",)
    list_display = ("number", "title", "unit", "deadline", "section")
    list_display_links = ("number", "title")
    # Filters offer only what the list holds: another centre's sections or services never show.
    list_filter = (
        ("section", RelatedOnly),
        ("services", RelatedOnly),
        ("unit", RelatedOnly),
        "deadline__kind",
        ("plan", RelatedOnly),
    )
    list_select_related = ("unit", "deadline", "section")
    search_fields = ("number", "title")
    autocomplete_fields = ("services", "unit", "parent", "deadline", "template_item")
    ordering = ("order",)
    inlines = [IndicatorInline]
    fieldsets = (
        (None, {"fields": ("plan", "section", "number", "parent", "title", "unit", "deadline")}),
        (_("Who and how"), {"fields": ("services", "all_services", "steps")}),
        (_("Order and remarks"), {"fields": ("order", "template_item", "note")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        order = form.base_fields.get("order")  # absent for those who only read
        if order is not None:
            order.required = False
            if obj is None:  # a new item: empty, so that it is placed by its number
                order.initial = None
        return form

    def save_model(self, request, obj, form, change) -> None:
        if form.cleaned_data.get("order") is None:  # left empty: placed by its number (12.5 after 12.4)
            place_by_number(obj)
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Plans are named after their centre.
        if db_field.name == "plan":
            plans = self.get_field_queryset(None, db_field, request)
            kwargs["queryset"] = plans.select_related("organization")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Quarter targets follow the annual target and the deadline; a deadline read anew
        # moves every indicator's targets, a new annual target only its own indicator's.
        if "deadline" in form.changed_data:
            indicators = list(form.instance.indicators.select_related("item__deadline"))
        else:
            indicators = indicators_to_rederive(formsets)
        if indicators:
            derive_quarter_targets(indicators)


class TargetInline(CentreDoorsInline, admin.TabularInline):
    model = Target
    fields = ("quarter", "value")
    extra = 0
    max_num = 4

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("indicator__item")


@admin.register(Indicator)
class IndicatorAdmin(
    CentreDoorsAdmin, AmendmentAdminMixin, ApostropheSearchMixin, AllOrNothingImportMixin, SimpleHistoryAdmin
):
    centre_paths = ("item__plan__organization",)
    list_display = ("__str__", "item", "label", "annual_target", "aggregation")
    list_filter = ("aggregation", ("item__plan", RelatedOnly), ("item__section", RelatedOnly))
    list_select_related = ("item",)
    search_fields = ("item__number", "item__title", "label")
    search_number_field = "item__number"
    search_text_fields = ("item__title", "label")
    # The link to the region's template is found by search (a select would list every indicator).
    autocomplete_fields = ("item", "template_indicator")
    ordering = ("item__order", "order")
    inlines = [TargetInline]
    resource_classes = [IndicatorResource]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Targets typed in the same form win over the ones the annual target would give.
        targets_edited = any(formset.has_changed() for formset in formsets if formset.model is Target)
        if "annual_target" in form.changed_data and not targets_edited:
            derive_quarter_targets([form.instance])


@admin.register(Target)
class TargetAdmin(CentreDoorsAdmin, AmendmentAdminMixin, SimpleHistoryAdmin):
    centre_paths = ("indicator__item__plan__organization",)
    list_display = ("indicator", "quarter", "value")
    list_filter = ("quarter", ("indicator__item__plan", RelatedOnly))
    list_select_related = ("indicator__item",)
    autocomplete_fields = ("indicator",)
    ordering = ("indicator__item__order", "indicator__order", "quarter")


@admin.register(Amendment)
class AmendmentAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    """The record of changes to approved plans: read here, written only by plans.approval."""

    centre_paths = ("plan__organization",)
    list_display = ("created_at", "plan", "kind", "subject", "what", "field_label", "old_value", "new_value")
    list_filter = ("kind", "subject", ("plan", RelatedOnly))
    list_select_related = ("plan__organization", "acting_user")
    search_fields = ("what", "reason")

    @admin.display(description=_("field"))
    def field_label(self, obj: Amendment) -> str:
        return obj.field_label

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Actual)
class ActualAdmin(CentreDoorsAdmin, ApostropheSearchMixin, AllOrNothingImportMixin, SimpleHistoryAdmin):
    # Figures are entered on the entry pages, where roles and open months are enforced; here
    # administrators correct them. A figure is its indicator's centre's and its service's.
    centre_paths = ("indicator__item__plan__organization", "service__organization")
    list_display = ("indicator", "month", "service", "value", "entered_by", "entered_at")
    list_filter = (
        "month",
        ("service", RelatedOnly),
        ("indicator__item__plan", RelatedOnly),
        ("indicator__item__section", RelatedOnly),
    )
    list_select_related = ("indicator__item", "service", "entered_by")
    search_fields = ("indicator__item__number", "indicator__item__title", "indicator__label")
    search_number_field = "indicator__item__number"
    search_text_fields = ("indicator__item__title", "indicator__label")
    autocomplete_fields = ("indicator", "service")
    readonly_fields = ("entered_by", "entered_at")
    ordering = ("indicator__item__order", "indicator__order", "month")
    resource_classes = [ActualResource]

    def save_model(self, request, obj, form, change) -> None:
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
