"""The annual plan: sections, items, indicators with targets, deadlines, and monthly actuals."""

import hashlib

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from services.models import Organization, Service

from .aggregation import Aggregation
from .cyrillic import shown
from .deadlines import roman
from .locks import Decision
from .pacing import DeadlineKind, Window

# Long enough for a reviewer's comment on a returned report (reports.workflow.COMMENT_MAX_LENGTH),
# which is recorded, whole, as the reason the report's months were reopened.
DECISION_REASON_MAX_LENGTH = 2000


class PlanQuerySet(models.QuerySet):
    def own(self) -> "PlanQuerySet":
        """Centres' own work plans, which figures are entered against."""
        return self.filter(kind=Plan.Kind.OWN)

    def templates(self) -> "PlanQuerySet":
        """Regional centres' templates for their districts' plans."""
        return self.filter(kind=Plan.Kind.TEMPLATE)

    def approved(self) -> "PlanQuerySet":
        """Plans their director approved: figures can be entered against them."""
        return self.filter(approved_at__isnull=False)


class Plan(models.Model):
    """A centre's work plan for one year, or a regional centre's template of its districts' plans.

    A template has the structure of a plan (sections, items, indicators with suggested targets)
    but no figures of its own; its districts' items link to its items, and the region's
    consolidated report adds them up by those links."""

    class Kind(models.TextChoices):
        OWN = "own", _("Work plan")
        TEMPLATE = "template", _("Template for the districts")

    organization = models.ForeignKey(
        Organization, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OWN)
    # A plan is a draft until its director approves it (plans.approval.do_approve_plan); the date
    # is printed in the plan document's "TASDIQLAYMAN" block. Empty approver: approved by a
    # migration or a command, not by a person.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "organization_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind"],
                name="plan_unique_year_per_centre",
                violation_error_message=_("This centre already has a plan for that year."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["own", "template"]),
                name="plan_kind_known",
                violation_error_message=_("Unknown kind of plan."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="plan_year_in_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(approved_at__isnull=False),
                name="plan_approver_with_date",
                violation_error_message=_("An approved plan needs the date of its approval."),
            ),
        ]

    def __str__(self) -> str:
        """The plan's name in the active language, the centre's name in the reader's script."""
        centre = shown(self.organization.name)
        if self.kind == Plan.Kind.TEMPLATE:
            template = _("%(centre)s, %(year)s template for the districts")
        else:
            template = _("%(centre)s, %(year)s work plan")
        return template % {"centre": centre, "year": self.year}

    @property
    def is_template(self) -> bool:
        return self.kind == Plan.Kind.TEMPLATE

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Section(models.Model):
    """A part (bo‘lim) of a plan, numbered in Roman numerals."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("number"), max_length=8)
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="section_unique_number_per_plan",
                violation_error_message=_("This plan already has a section with that number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Unit(models.Model):
    """A unit of measure (o‘lchov birligi): Hujjat, Nusxa, Tadbir…"""

    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Deadline(models.Model):
    """A deadline as printed in a plan, with the window its text was read as."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="deadlines")
    text = models.CharField(_("as printed"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineKind.choices)
    first_month = models.PositiveSmallIntegerField(_("first month"), default=1)
    last_month = models.PositiveSmallIntegerField(_("last month"), default=12)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["plan_id", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "text"],
                name="deadline_unique_text_per_plan",
                violation_error_message=_("This plan already has this deadline."),
            ),
            models.CheckConstraint(
                condition=Q(first_month__gte=1, last_month__lte=12, first_month__lte=F("last_month")),
                name="deadline_months_in_order",
                violation_error_message=_(
                    "The months must lie between 1 and 12, the first not after the last."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def window(self) -> Window:
        return Window(DeadlineKind(self.kind), self.first_month, self.last_month)


class PlanItem(models.Model):
    """A numbered row of the plan; sub-items (12.1…) have a parent and carry its figures."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=16, help_text=_("As printed, e.g. 12.1."))
    title = models.TextField(_("activity"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    steps = models.TextField(_("implementation steps"), blank=True)
    deadline = models.ForeignKey(Deadline, verbose_name=_("deadline"), on_delete=models.PROTECT)
    services = models.ManyToManyField(
        Service, verbose_name=_("responsible services"), related_name="items", blank=True
    )
    all_services = models.BooleanField(
        _("all services"),
        default=False,
        help_text=_("Printed as “barcha xizmatlar”: every service of the centre shares the item."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Place in the plan. Leave empty to place the item by its number.")
    )
    template_item = models.ForeignKey(
        "self",
        verbose_name=_("template item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="district_items",
        help_text=_(
            "The item of the region's template this item came from; empty for the centre's own items."
        ),
    )
    previous_item = models.ForeignKey(
        "self",
        verbose_name=_("last year's item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_items",
        help_text=_("The item of last year's plan this item was copied from (plans.next_year)."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("How the row was read, corrections, remarks."))

    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="planitem_unique_number_per_plan",
                violation_error_message=_("This plan already has an item with that number."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="planitem_not_own_parent",
                violation_error_message=_("An item cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def is_answered_by(self, service: Service) -> bool:
        """Whether `service` (one of the centre's) answers for this item: it is named, or the item is
        shared by all the centre's services. Reads `services` (prefetch them)."""
        return self.all_services or any(named.pk == service.pk for named in self.services.all())

    def clean(self) -> None:
        errors = {}
        if self.section_id and self.plan_id and self.section.plan_id != self.plan_id:
            errors["section"] = _("The section belongs to another plan.")
        if self.deadline_id and self.plan_id and self.deadline.plan_id != self.plan_id:
            errors["deadline"] = _("The deadline belongs to another plan.")
        if self.parent_id:
            if self.parent.plan_id != self.plan_id:
                errors["parent"] = _("The parent item belongs to another plan.")
            elif self.parent.parent_id:
                errors["parent"] = _("Sub-items cannot have sub-items of their own.")
            elif self.parent.indicators.exists():
                errors["parent"] = _(
                    "The parent item has its own indicators; figures are entered on sub-items only."
                )
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    """A figure an item is measured by, with its annual target (empty where the plan prints “-”)."""

    item = models.ForeignKey(
        PlanItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="indicators"
    )
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("Empty when the item has one figure.")
    )
    annual_target = models.PositiveIntegerField(_("annual target"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    aggregation = models.CharField(
        _("how it adds up"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    template_indicator = models.ForeignKey(
        "self",
        verbose_name=_("template indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="district_indicators",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["item_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "label"],
                name="indicator_unique_label_per_item",
                violation_error_message=_("This item already has an indicator with that label."),
            ),
            models.CheckConstraint(
                condition=Q(aggregation__in=["sum", "latest", "max"]),
                name="indicator_aggregation_known",
                violation_error_message=_("Unknown way of adding up."),
            ),
        ]

    def __str__(self) -> str:
        if self.label:
            return f"{self.item.number} · {self.label}"
        return f"{self.item.number}. {self.item.title}"

    def clean(self) -> None:
        if self.item_id and self.item.children.exists():
            raise ValidationError(_("Figures are entered on sub-items; a parent item sums its sub-items."))


class Target(models.Model):
    """An indicator's target for one quarter; derived from the annual target, editable."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.PositiveIntegerField(_("target"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarter target")
        verbose_name_plural = _("quarter targets")
        ordering = ["indicator_id", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "quarter"],
                name="target_unique_quarter_per_indicator",
                violation_error_message=_("This indicator already has a target for that quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="target_quarter_1_4",
                violation_error_message=_("The quarter must be between 1 and 4."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(indicator)s · quarter %(quarter)s") % {
            "indicator": self.indicator,
            "quarter": roman(self.quarter) if 1 <= self.quarter <= 4 else self.quarter,
        }


class Actual(models.Model):
    """What one service did for an indicator in one month of the plan's year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="actuals"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="actuals"
    )
    value = models.PositiveIntegerField(_("done"))
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator_id", "month", "service_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month", "service"],
                name="actual_unique_per_indicator_month_service",
                violation_error_message=_("This service already has a figure for this indicator and month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="actual_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.month} · {self.service}: {self.value}"


class MonthLock(models.Model):
    """A decision that overrides a month's lock date: closed early (report submitted), reopened (by a
    manager, or by the region returning the quarter's report), or sealed (the report accepted)."""

    State = Decision

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="month_locks"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=DECISION_REASON_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("month lock")
        verbose_name_plural = _("month locks")
        ordering = ["plan_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month"],
                name="monthlock_unique_per_plan_month",
                violation_error_message=_("This month already has a lock decision."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthlock_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.month}: {self.get_state_display()}"


class MonthCompletion(models.Model):
    """A service's statement that its figures for a month are complete."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="month_completions"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="month_completions"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed month")
        verbose_name_plural = _("completed months")
        ordering = ["plan_id", "month", "service_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month", "service"],
                name="monthcompletion_unique_per_service_month",
                violation_error_message=_("This service has already completed this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthcompletion_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.month} · {self.service}"


class MonthEvent(models.Model):
    """The record of every closing, reopening, sealing and completion of a month: who, when and why."""

    class Action(models.TextChoices):
        CLOSED = "closed", _("Month closed")
        REOPENED = "reopened", _("Month reopened")
        COMPLETED = "completed", _("Month completed by the service")
        WITHDRAWN = "withdrawn", _("Month's completion withdrawn")
        # The quarterly report's workflow, recorded by plans.entry when reports acts.
        RETURNED = "returned", _("Month reopened: the quarterly report was returned")
        SEALED = "sealed", _("Month sealed: the quarterly report was accepted")
        UNSEALED = "unsealed", _("Month unsealed: the report's acceptance was taken back")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="month_events"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=DECISION_REASON_MAX_LENGTH, blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("month event")
        verbose_name_plural = _("month events")
        ordering = ["plan_id", "month", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthevent_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.month}: {self.get_action_display()}"

    @property
    def reason_display(self) -> str:
        """The reason, translated when it is one of the app's own (typed reasons pass unchanged)."""
        return gettext(self.reason) if self.reason else ""


class CyrillicText(models.Model):
    """The Cyrillic of a text of the plan where the automatic reading (common.cyrillic) is wrong.

    Keyed by the Latin text itself, so one correction serves every field that holds that text (a
    unit, a service's name, an item's title) and stops applying when the Latin is changed.
    `latin_key` is a digest of the Latin text, so the uniqueness holds for texts of any length.
    """

    latin = models.TextField(_("text in Latin"), help_text=_("Exactly as stored in the plan."))
    cyrillic = models.TextField(_("text in Cyrillic"))
    latin_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("Cyrillic text")
        verbose_name_plural = _("Cyrillic texts")
        ordering = ["latin"]

    def __str__(self) -> str:
        return self.latin[:80]

    def save(self, *args, **kwargs):
        self.latin_key = self.key_of(self.latin)
        super().save(*args, **kwargs)

    def clean(self):
        self.latin_key = self.key_of(self.latin)
        if CyrillicText.objects.filter(latin_key=self.latin_key).exclude(pk=self.pk).exists():
            raise ValidationError({"latin": gettext("This text already has a Cyrillic correction.")})

    @staticmethod
    def key_of(latin: str) -> str:
        return hashlib.sha256(latin.encode()).hexdigest()


class Amendment(models.Model):
    """A change to an approved plan's structure or targets: what, old → new, why, who and when.

    Written by plans.amendments from the admin's saves and deletions (explicit calls, not signals),
    in the same transaction as the change."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        REMOVED = "removed", _("Removed")

    class Subject(models.TextChoices):
        PLAN = "plan", _("plan")
        SECTION = "section", _("section")
        ITEM = "item", _("plan item")
        INDICATOR = "indicator", _("indicator")
        TARGET = "target", _("quarter target")
        DEADLINE = "deadline", _("deadline")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("what was changed"), max_length=16, choices=Subject.choices)
    what = models.TextField(_("what"))
    # The model field's name; shown by its verbose name (field_label) in the reader's language.
    field = models.CharField(_("field"), max_length=64, blank=True)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("why"))
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["plan_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="amendment_has_reason",
                violation_error_message=_("Say why the approved plan is changed."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["added", "changed", "removed"]),
                name="amendment_kind_known",
                violation_error_message=_("Unknown kind of change."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}: {self.what}"

    @property
    def reason_display(self) -> str:
        """The reason, translated when it is one of the app's own (typed reasons pass unchanged)."""
        return gettext(self.reason)

    @property
    def field_label(self) -> str:
        """The changed field as named in the admin, in the reader's language."""
        model = SUBJECT_MODELS.get(self.subject)
        if not self.field or model is None:
            return self.field
        try:
            return str(model._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field since removed from the model: its stored name
            return self.field


SUBJECT_MODELS: dict[str, type[models.Model]] = {
    Amendment.Subject.PLAN: Plan,
    Amendment.Subject.SECTION: Section,
    Amendment.Subject.ITEM: PlanItem,
    Amendment.Subject.INDICATOR: Indicator,
    Amendment.Subject.TARGET: Target,
    Amendment.Subject.DEADLINE: Deadline,
}
