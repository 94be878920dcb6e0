"""The admin where a plan is built and corrected: plans, items with indicators, targets, actuals."""
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from akm_plan.sheet_reader import SheetRefused
from services.access import access_for

from .admin_formats import FORMATS
from .models import Actual, Deadline, Indicator, Plan, PlanItem, Section, Target, Unit
from .ordering import place_by_number
from .resources import ActualResource, IndicatorResource
from .search import search_numbered
from .targets import derive_quarter_targets


class AllOrNothingImportMixin(ImportExportMixin):
    """Import and export as CSV or XLSX; a file with any bad row writes nothing.

    django-import-export rolls back on row errors by itself; validation errors (a negative
    value, an unknown service) would otherwise let the good rows through on confirming.
    """

    formats = FORMATS  # read and written by akm_plan.sheet_reader and sheet_writer

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


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("number", "title", "order")
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "year")
    list_filter = ("year", "organization")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "year")
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "plan", "order")
    list_filter = ("plan",)
    list_select_related = ("plan__organization",)
    search_fields = ("number", "title")
    ordering = ("plan", "order")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "first_month", "last_month", "plan")
    list_filter = ("kind", "plan")
    list_select_related = ("plan__organization",)
    search_fields = ("text",)


class IndicatorInline(admin.TabularInline):
    """The item's indicators; each links to its own page, where its quarter targets are."""

    model = Indicator
    fields = ("label", "annual_target", "order")
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
class PlanItemAdmin(ApostropheSearchMixin, SimpleHistoryAdmin):
    list_display = ("number", "title", "unit", "deadline", "section")
    list_display_links = ("number", "title")
    list_filter = ("section", "services", "unit", "deadline__kind", "plan")
    list_select_related = ("unit", "deadline", "section")
    search_fields = ("number", "title")
    autocomplete_fields = ("services", "unit", "parent", "deadline")
    ordering = ("order",)
    inlines = [IndicatorInline]
    fieldsets = (
        (None, {"fields": ("plan", "section", "number", "parent", "title", "unit", "deadline")}),
        (_("Who and how"), {"fields": ("services", "all_services", "steps")}),
        (_("Order and remarks"), {"fields": ("order", "note")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["order"].required = False
        if obj is None:  # a new item: empty, so that it is placed by its number
            form.base_fields["order"].initial = None
        return form

    def save_model(self, request, obj, form, change) -> None:
        if form.cleaned_data.get("order") is None:  # left empty: placed by its number (12.5 after 12.4)
            place_by_number(obj)
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Plans are named after their centre.
        if db_field.name == "plan":
            kwargs["queryset"] = Plan.objects.select_related("organization")
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


class TargetInline(admin.TabularInline):
    model = Target
    fields = ("quarter", "value")
    extra = 0
    max_num = 4

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("indicator__item")


@admin.register(Indicator)
class IndicatorAdmin(ApostropheSearchMixin, AllOrNothingImportMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "item", "label", "annual_target")
    list_filter = ("item__plan", "item__section")
    list_select_related = ("item",)
    search_fields = ("item__number", "item__title", "label")
    search_number_field = "item__number"
    search_text_fields = ("item__title", "label")
    autocomplete_fields = ("item",)
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
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "quarter", "value")
    list_filter = ("quarter", "indicator__item__plan")
    list_select_related = ("indicator__item",)
    autocomplete_fields = ("indicator",)
    ordering = ("indicator__item__order", "indicator__order", "quarter")


@admin.register(Actual)
class ActualAdmin(ApostropheSearchMixin, AllOrNothingImportMixin, SimpleHistoryAdmin):
    list_display = ("indicator", "month", "service", "value", "entered_by", "entered_at")
    list_filter = ("month", "service", "indicator__item__plan", "indicator__item__section")
    list_select_related = ("indicator__item", "service", "entered_by")
    search_fields = ("indicator__item__number", "indicator__item__title", "indicator__label")
    search_number_field = "indicator__item__number"
    search_text_fields = ("indicator__item__title", "indicator__label")
    autocomplete_fields = ("indicator", "service")
    readonly_fields = ("entered_by", "entered_at")
    ordering = ("indicator__item__order", "indicator__order", "month")
    resource_classes = [ActualResource]

    # Figures are entered on the entry pages, where roles and open months are enforced. In the
    # admin only administrators (superusers) correct them; anyone else with admin access may
    # at most read their own centre's figures.
    def get_queryset(self, request: HttpRequest) -> QuerySet[Actual]:
        return access_for(request).admin_actuals(super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Actual | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Actual | None = None) -> bool:
        return request.user.is_superuser

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
