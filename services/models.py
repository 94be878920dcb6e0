"""The organisation: centres, their service departments, and who works where in which role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """An information-library centre: a district, regional or the national one."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District centre")
        REGIONAL = "regional", _("Regional centre")
        NATIONAL = "national", _("National library")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    director_name = models.CharField(
        _("director's name"), max_length=255, blank=True, help_text=_("Printed under reports.")
    )
    entry_lock_day = models.PositiveSmallIntegerField(
        _("entry lock day"),
        default=5,
        help_text=_("A month is open for entry until this day of the following month."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days"),
        default=3,
        help_text=_(
            "Reminders go out this many days before the lock day (to services that have not "
            "completed the month) and before a report is due."
        ),
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("report due day"),
        default=5,
        help_text=_(
            "Quarterly reports of the centres under this one are due on this day "
            "of the month after the quarter."
        ),
    )

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_lock_day__gte=1, entry_lock_day__lte=28),
                name="organization_entry_lock_day_1_28",
                violation_error_message=_("The lock day must be between 1 and 28."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=14),
                name="organization_reminder_days_1_14",
                violation_error_message=_("Reminders can start between 1 and 14 days before."),
            ),
            models.CheckConstraint(
                condition=Q(report_due_day__gte=1, report_due_day__lte=28),
                name="organization_report_due_day_1_28",
                violation_error_message=_("The due day must be between 1 and 28."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("A centre cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service department (xizmat) of a centre, responsible for plan items."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["organization_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="service_unique_name_per_centre",
                violation_error_message=_("This centre already has a service of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role at a centre; staff and service heads belong to one of its services."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        HEAD = "head", _("Service head")
        MANAGER = "manager", _("Manager")
        REVIEWER = "reviewer", _("Regional reviewer")

    SERVICE_ROLES = (Role.STAFF, Role.HEAD)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="memberships"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "role"],
                condition=Q(service__isnull=False),
                name="membership_unique_service_role",
                violation_error_message=_("This person already has this role in this service."),
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(service__isnull=True),
                name="membership_unique_centre_role",
                violation_error_message=_("This person already has this role at this centre."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=["staff", "head"], service__isnull=False)
                    | Q(role__in=["manager", "reviewer"], service__isnull=True)
                ),
                name="membership_service_matches_role",
                violation_error_message=_(
                    "Staff and service heads belong to a service; managers and reviewers do not."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.service or self.organization
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        if self.service_id and self.service.organization_id != self.organization_id:
            raise ValidationError({"service": _("The service belongs to another centre.")})
