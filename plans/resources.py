"""Spreadsheet import and export of indicators (with their items) and of actuals, by natural keys.

Rows are found by what a person sees in the sheet, never by database ids: an indicator by its
centre, year, item number and label; an actual by its indicator, month and service. Importing
the same file twice therefore updates rows instead of adding them. A file with the wrong
columns, or with any bad row, writes nothing: every cell that cannot be read raises a
ValueError, which django-import-export reports against its row, and the admin rolls the whole
import back (see `plans.admin.AllOrNothingImportMixin`).

A person imports only rows of the centres services.access lets them change in the admin; a row
of another centre is refused with a message naming it. An import started by code (no user
given: a command, a test) is not a person's and is not limited.
"""
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import ModelInstanceLoader

from common.text import NUL, NUL_MESSAGE, clean_text
from services.access import Access
from services.models import Organization, Service

from .approval import IMPORT_REASON, record_added, record_changed
from .forms import NOTE_MAX_LENGTH
from .models import Actual, Indicator, PlanItem, Unit
from .targets import derive_quarter_targets

_WHOLE = re.compile(r"[+-]?\d+(\.0*)?")


def parse_whole_number(value: object) -> int:
    """A cell as a whole number; a ValueError naming the cell when it is anything else."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(Decimal(value.strip()))
    raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})


def cell_text(value: object) -> str:
    """A cell as text: a number typed as 12 or 12.0 in a spreadsheet reads as "12"; the text
    cleaned (common.text.clean_text), a NUL refused."""
    return cell_words(value).strip()


def cell_words(value: object) -> str:
    """cell_text without taking spaces off its ends (a note keeps them, as typed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if NUL in text:
        raise ValueError(str(NUL_MESSAGE))
    return clean_text(text)


class TextWidget(widgets.CharWidget):
    """Text as people typed it elsewhere: cleaned, a NUL refused, at most `max_length` characters
    (the files go through common.sheet_reader, which does the same; a dataset built in code
    may not)."""

    def __init__(self, *, max_length: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = cell_words(value)
        if self.max_length is not None and len(text) > self.max_length:
            raise ValueError(
                _("The text is %(length)s characters long; at most %(limit)s are allowed.")
                % {"length": len(text), "limit": self.max_length}
            )
        return super().clean(text, row, **kwargs)


def plan_lookup(row: dict, prefix: str) -> dict:
    """Query arguments finding a row's plan by its centre and year columns."""
    try:
        year = parse_whole_number(row.get("year"))
    except (ValueError, TypeError, InvalidOperation):
        raise ValueError(_("The year “%(year)s” is not a year.") % {"year": row.get("year")}) from None
    return {f"{prefix}organization__name": cell_text(row.get("centre")), f"{prefix}year": year}


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number; text, fractions and booleans are refused with a message, not a traceback."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        return parse_whole_number(value)


class NameWidget(widgets.ForeignKeyWidget):
    """A related row found by its name; an unknown name is reported, not raised as DoesNotExist."""

    def clean(self, value, row=None, **kwargs):
        name = cell_text(value)
        if not name:
            return None
        try:
            return self.get_queryset(name, row, **kwargs).get(**{self.field: name})
        except self.model.DoesNotExist:
            raise ValueError(self.unknown_message(name, row)) from None

    def unknown_message(self, name: str, row: dict) -> str:
        return _("There is no %(model)s named “%(name)s”.") % {
            "model": self.model._meta.verbose_name,
            "name": name,
        }


class ServiceWidget(NameWidget):
    """A service of the row's centre, by name."""

    def __init__(self) -> None:
        super().__init__(Service, field="name")

    def get_queryset(self, value, row, *args, **kwargs):
        return Service.objects.filter(organization__name=cell_text(row.get("centre")))

    def unknown_message(self, name: str, row: dict) -> str:
        return _("The centre “%(centre)s” has no service named “%(name)s”.") % {
            "centre": cell_text(row.get("centre")),
            "name": name,
        }


class PlanItemWidget(widgets.ForeignKeyWidget):
    """An item of the row's plan (centre and year columns) by its number as printed."""

    def __init__(self) -> None:
        super().__init__(PlanItem, field="number")

    def clean(self, value, row=None, **kwargs):
        number = cell_text(value)
        if not number:
            raise ValueError(_("The item number is missing."))
        lookup = plan_lookup(row, "plan__")
        try:
            return PlanItem.objects.select_related("deadline", "unit").get(number=number, **lookup)
        except PlanItem.DoesNotExist:
            raise ValueError(
                _("The %(year)s plan of “%(centre)s” has no item %(number)s.")
                % {
                    "year": lookup["plan__year"],
                    "centre": lookup["plan__organization__name"],
                    "number": number,
                }
            ) from None


class IndicatorWidget(widgets.ForeignKeyWidget):
    """An indicator found by the row's centre, year and item number columns and its label."""

    def __init__(self) -> None:
        super().__init__(Indicator, field="label")

    def clean(self, value, row=None, **kwargs):
        label = cell_text(value)
        number = cell_text(row.get("item_number"))
        lookup = plan_lookup(row, "item__plan__")
        try:
            return Indicator.objects.get(item__number=number, label=label, **lookup)
        except Indicator.DoesNotExist:
            raise ValueError(
                _("Item %(number)s of the %(year)s plan of “%(centre)s” has no indicator “%(label)s”.")
                % {
                    "number": number,
                    "year": lookup["item__plan__year"],
                    "centre": lookup["item__plan__organization__name"],
                    "label": label,
                }
            ) from None


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Finds the row's existing object; a key cell that cannot be read means a new object.

    The unreadable cell is then reported against its column when the row's fields are read,
    as a validation error of that row, instead of failing the row with a traceback.
    """

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None


class CheckedColumnsResource(resources.ModelResource):
    """A resource that refuses a file whose header row is not its own columns.

    A misspelt or missing column would otherwise be skipped without a word, leaving its data
    unread; unknown and missing columns are named and the file's rows are not read at all.
    """

    # Columns written on export for reference and ignored on import.
    optional_columns: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs):
        columns = {field.column_name for field in self.fields.values()}
        required = columns - set(self.optional_columns)
        headers = {cell_text(header) for header in dataset.headers or []} - {""}
        missing = sorted(required - headers)
        unknown = sorted(headers - columns)
        if missing or unknown:
            del dataset[:]
            problems = []
            if missing:
                problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
            if unknown:
                problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
            raise ValueError(
                _("The file's columns are wrong (%(problems)s); nothing was imported.")
                % {"problems": "; ".join(problems)}
            )
        super().before_import(dataset, **kwargs)

    def centres_of(self, instance) -> list[Organization]:
        """The centres a row's object belongs to, once its key columns were read."""
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if not isinstance(user, AbstractBaseUser):
            return
        if getattr(self, "_importer", None) is None or self._importer.user != user:
            self._importer = Access(user)
        access = self._importer
        if access.admin_changeable_centre_ids() is None:
            return  # every centre: the row's centres need not be read
        for centre in self.centres_of(instance):
            if not access.can_change_in_admin(centre):
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: _(
                            "Row %(row)s belongs to “%(centre)s”, whose plan you may not change; "
                            "nothing was imported."
                        )
                        % {"row": kwargs.get("row_number", "?"), "centre": centre.name}
                    }
                )


class IndicatorResource(CheckedColumnsResource):
    """One row per indicator with its item's number, title and unit; keyed by centre, year,
    item number and label. Items must exist; their title and unit are updated from the file."""

    centre = Field(attribute="item__plan__organization__name", column_name="centre", readonly=True)
    year = Field(attribute="item__plan__year", column_name="year", readonly=True)
    item = Field(attribute="item", column_name="item_number", widget=PlanItemWidget())
    item_title = Field(attribute="item__title", column_name="item_title", widget=TextWidget())
    unit = Field(attribute="item__unit", column_name="unit", widget=NameWidget(Unit, field="name"))
    label = Field(attribute="label", column_name="indicator", widget=TextWidget(allow_blank=True))
    annual_target = Field(attribute="annual_target", column_name="annual_target", widget=WholeNumberWidget())

    class Meta:
        model = Indicator
        name = "indicators"
        fields = ("centre", "year", "item", "item_title", "unit", "label", "annual_target")
        import_id_fields = ("item", "label")
        instance_loader_class = NaturalKeyInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    @classmethod
    def get_display_name(cls) -> str:
        return _("Indicators with their items")

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return queryset.select_related("item__plan__organization", "item__unit").order_by(
            "item__plan_id", "item__order", "order"
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # The item's own columns can only be written once the item was found.
        if field.attribute.startswith("item__") and instance.item_id is None:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def centres_of(self, instance) -> list[Organization]:
        return [instance.item.plan.organization] if instance.item_id else []

    def import_instance(self, instance, row, **kwargs):
        # Kept to tell, after saving, whether the quarter targets must be derived again, and what
        # an approved plan's amendment says was there before.
        instance._added = instance.pk is None
        instance._annual_target_before = instance.annual_target if instance.pk else None
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.item_id and not instance.item.title.strip() and "item__title" not in errors:
            errors["item__title"] = [_("The item's title is missing.")]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            # After the item's last indicator (their orders start at 1: a count would tie with it).
            last = instance.item.indicators.aggregate(last=Max("order"))["last"]
            instance.order = (last or 0) + 1

    def after_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user") if isinstance(kwargs.get("user"), AbstractBaseUser) else None
        item = instance.item
        saved = PlanItem.objects.values_list("title", "unit_id").get(pk=item.pk)
        if saved != (item.title, item.unit_id):
            item.save(update_fields=["title", "unit"])
            now = (item.title, item.unit_id)
            changes = [
                (name, before, after)
                for name, before, after in zip(("title", "unit"), saved, now, strict=True)
                if before != after
            ]
            record_changed(item, changes, acting_user=user, reason=IMPORT_REASON)
        if instance._added:
            record_added(instance, acting_user=user, reason=IMPORT_REASON)
        if instance.annual_target != instance._annual_target_before:
            derive_quarter_targets([instance])
            if not instance._added:
                change = ("annual_target", instance._annual_target_before, instance.annual_target)
                record_changed(instance, [change], acting_user=user, reason=IMPORT_REASON)


class ActualResource(CheckedColumnsResource):
    """One row per indicator, month and service; who entered it and when are export-only."""

    centre = Field(
        attribute="indicator__item__plan__organization__name", column_name="centre", readonly=True
    )
    year = Field(attribute="indicator__item__plan__year", column_name="year", readonly=True)
    item_number = Field(attribute="indicator__item__number", column_name="item_number", readonly=True)
    indicator = Field(attribute="indicator", column_name="indicator", widget=IndicatorWidget())
    month = Field(attribute="month", column_name="month", widget=WholeNumberWidget())
    service = Field(attribute="service", column_name="service", widget=ServiceWidget())
    value = Field(attribute="value", column_name="value", widget=WholeNumberWidget())
    note = Field(
        attribute="note",
        column_name="note",
        widget=TextWidget(allow_blank=True, max_length=NOTE_MAX_LENGTH),
    )
    entered_by = Field(attribute="entered_by__username", column_name="entered_by", readonly=True)
    entered_at = Field(
        attribute="entered_at", column_name="entered_at", readonly=True, widget=widgets.DateTimeWidget()
    )

    optional_columns = ("entered_by", "entered_at")

    class Meta:
        model = Actual
        name = "actuals"
        fields = (
            "centre", "year", "item_number", "indicator", "month", "service", "value", "note",
            "entered_by", "entered_at",
        )
        import_id_fields = ("indicator", "month", "service")
        instance_loader_class = NaturalKeyInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    @classmethod
    def get_display_name(cls) -> str:
        return _("Actuals")

    def centres_of(self, instance) -> list[Organization]:
        centres = [instance.indicator.item.plan.organization] if instance.indicator_id else []
        return centres + ([instance.service.organization] if instance.service_id else [])

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return queryset.select_related(
            "indicator__item__plan__organization", "service", "entered_by"
        ).order_by("indicator__item__plan_id", "indicator__item__order", "indicator__order", "month")

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if isinstance(user, AbstractBaseUser):
            instance.entered_by = user
