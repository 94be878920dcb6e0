"""Evidence files: photos and documents behind a figure (an indicator's month, entered by a service).

The bytes live in the storage named "evidence" (settings.STORAGES: a folder, or an S3-compatible
store); a row here names its key there. Every addition and removal is recorded (EvidenceEvent),
and the files a report version was sent with are listed with it (reports.models.SentEvidence), which
keeps them from being removed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import Indicator
from services.models import Service


class Kind(models.TextChoices):
    """What a file is, as read from its content."""

    PHOTO = "photo", _("Photo")
    PDF = "pdf", _("PDF document")
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")


NAME_MAX_LENGTH = 200


class EvidenceFile(models.Model):
    """One file attached to a service's figure of an indicator for a month."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="evidence"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    # The name the person's file had (cleaned), shown and used for downloads.
    name = models.CharField(_("file name"), max_length=NAME_MAX_LENGTH)
    key = models.CharField(_("stored as"), max_length=255, unique=True)
    thumbnail_key = models.CharField(_("thumbnail stored as"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["indicator_id", "month", "service_id", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["service", "month", "indicator"], name="evidence_figure")]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="evidencefile_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["photo", "pdf", "docx", "xlsx"]),
                name="evidencefile_kind_known",
                violation_error_message=_("Unknown kind of file."),
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="evidencefile_not_empty",
                violation_error_message=_("A file cannot be empty."),
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(key=""),
                name="evidencefile_named",
                violation_error_message=_("A file needs a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.kind == Kind.PHOTO


class EvidenceEvent(models.Model):
    """The record of every file added to a figure or removed from it: which, who, when."""

    class Action(models.TextChoices):
        ADDED = "added", _("File added")
        REMOVED = "removed", _("File removed")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="evidence_events"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # Kept when the file is gone: the name and size it had.
    name = models.CharField(_("file name"), max_length=NAME_MAX_LENGTH)
    size = models.PositiveIntegerField(_("size in bytes"))
    file = models.ForeignKey(
        EvidenceFile,
        verbose_name=_("file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
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
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["indicator_id", "month", "service_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="evidenceevent_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(action__in=["added", "removed"]),
                name="evidenceevent_action_known",
                violation_error_message=_("Unknown action."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.name}"
