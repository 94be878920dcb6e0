"""Quarterly reports: one per plan and quarter, its notes, its frozen versions (with the evidence files
they were sent with) and its workflow history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidence.models import NAME_MAX_LENGTH, EvidenceFile, Kind
from plans.deadlines import WHOLE_YEAR
from plans.models import Indicator, Plan

from .rules import ReportState


class Report(models.Model):
    """A centre's report on one quarter of its plan, or on its whole year (the annual report), and
    where it stands in the workflow.

    The row is created on the first write (a note saved, a submission); a quarter without
    a row is a draft nobody has touched yet.
    """

    State = ReportState

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports")
    # The period reported on: a quarter 1–4, or WHOLE_YEAR (5) for the annual report.
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), help_text=_("1–4: a quarter; 5: the whole year (the annual report).")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    # The day (by the plan's clock, plans.clock.today) the first version was sent: whether the
    # report came on time is judged by it, so a report returned and sent again does not turn late.
    first_submitted_on = models.DateField(_("first submitted on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["plan_id", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "quarter"],
                name="report_unique_quarter_per_plan",
                violation_error_message=_("This plan already has a report for that period."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=WHOLE_YEAR),
                name="report_period_quarter_or_year",
                violation_error_message=_("A report is on a quarter (1–4) or on the whole year (5)."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "accepted", "returned"]),
                name="report_state_known",
                violation_error_message=_("Unknown report state."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(first_submitted_on__isnull=False),
                name="report_sent_has_first_submission",
                violation_error_message=_("A report that was sent has a first submission date."),
            ),
        ]

    def __str__(self) -> str:
        if self.quarter == WHOLE_YEAR:
            return _("%(plan)s, the year") % {"plan": self.plan}
        return _("%(plan)s, quarter %(quarter)s") % {"plan": self.plan, "quarter": self.quarter}


class ReportNote(models.Model):
    """Why an indicator is where it is in the quarter (why behind, what was done)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notes"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="report_notes"
    )
    text = models.TextField(_("note"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report note")
        verbose_name_plural = _("report notes")
        ordering = ["report_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="reportnote_unique_per_indicator",
                violation_error_message=_("This indicator already has a note in this report."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="reportnote_text_not_empty",
                violation_error_message=_("A note cannot be empty."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator_id}"


class ReportVersion(models.Model):
    """One submission, frozen: the table as sent (JSON) and the PDF bytes as sent.

    The PDF lives in the database, not in a file storage: application servers stay stateless
    (any server can serve any download without shared disks), `manage.py backup` carries the
    reports with everything else, and a version can never lose its file. A PDF is some tens
    of kilobytes and a centre sends four a year.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    table = models.JSONField(_("figures as sent"))
    pdf = models.BinaryField(_("PDF as sent"))
    language = models.CharField(_("language"), max_length=8)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # The date printed on the document (the plan's clock, which a demo pins).
    submitted_on = models.DateField(_("date on the report"))

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="reportversion_unique_number",
                violation_error_message=_("This report already has a version with that number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="reportversion_number_positive",
                violation_error_message=_("Versions are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · v{self.number}"


class ReportEvent(models.Model):
    """The workflow's history: who submitted, accepted, returned the report or took its acceptance
    back, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTANCE_WITHDRAWN = "unaccepted", _("Acceptance taken back")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    version = models.ForeignKey(
        ReportVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(comment=""),
                name="reportevent_return_has_comment",
                violation_error_message=_("A returned report needs a comment."),
            ),
            models.CheckConstraint(
                condition=~Q(action="unaccepted") | ~Q(comment=""),
                name="reportevent_unaccepting_has_reason",
                violation_error_message=_("Taking an acceptance back needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(action__in=["submitted", "accepted", "returned", "unaccepted"]),
                name="reportevent_action_known",
                violation_error_message=_("Unknown report action."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_action_display()}"


class SentEvidence(models.Model):
    """A file a report version was sent with, as it was listed: the version's evidence, frozen.
    The file cannot be removed while a version lists it (PROTECT)."""

    version = models.ForeignKey(
        ReportVersion, verbose_name=_("report version"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.ForeignKey(
        EvidenceFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="sent_in"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    service_name = models.CharField(_("service"), max_length=255)
    name = models.CharField(_("file name"), max_length=NAME_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        # Made by the evidence app before the list moved here; the table kept its name.
        db_table = "evidence_sentevidence"
        verbose_name = _("file of a sent report")
        verbose_name_plural = _("files of sent reports")
        ordering = ["version_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "file"],
                name="sentevidence_once_per_version",
                violation_error_message=_("This version already lists this file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.name}"
