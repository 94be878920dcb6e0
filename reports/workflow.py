"""The report's writes (notes, submit, accept, return, take an acceptance back): each atomic, its
history row in the same transaction. The annual report (period WHOLE_YEAR) moves the same way.

Every action locks the report's row first, so two people pressing a button at the same time
cannot both move it; which moves are allowed is reports.rules'. Each move records what it means
for the quarter's months in plans' own data (plans.entry): submitting closes them before the
figures are read, so nothing can be entered between reading them and closing the months;
returning reopens them with the reviewer's comment; accepting seals them, so the accepted figures
cannot drift; taking the acceptance back unseals them (closed, and a manager may reopen them).
The annual report has no months of its own: the year's months are its quarterly reports', closed,
sealed and reopened by them; its figures as sent are frozen in its version like any report's.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.text import NUL, NUL_MESSAGE, clean_text
from evidence.models import EvidenceFile
from notices import events as notices
from plans.clock import today
from plans.entry import do_close_quarter, do_return_quarter, do_seal_quarter, do_unseal_quarter
from plans.locks import quarter_months
from plans.models import Indicator, Plan

from . import rules
from .annexes import report_amendments, report_evidence
from .models import Report, ReportEvent, ReportNote, ReportVersion, SentEvidence
from .pdf import render_pdf
from .tables import ReportRow, ReportTable, build_table

NOTE_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 2000


def _clean(text: str, max_length: int) -> str:
    """Typed text as stored (common.text): cleaned, stripped, refused when it holds a NUL or is
    too long."""
    if NUL in text:
        raise ReportError(str(NUL_MESSAGE))
    text = clean_text(text).strip()
    if len(text) > max_length:
        raise ReportError(
            _("A text can be at most %(length)s characters long; nothing was saved.") % {"length": max_length}
        )
    return text


class ReportError(Exception):
    """A move the workflow refuses; its message is shown to the person as it is."""


class MissingNotes(ReportError):
    """The report cannot be sent: these rows of its table are behind and have no note."""

    def __init__(self, table: ReportTable, rows: list[ReportRow]):
        super().__init__(missing_notes_message(table, rows))
        self.table = table
        self.rows = rows


def submittable(plan: Plan, quarter: int) -> bool:
    """A report can be sent from the first day of its quarter's last month (not about months to
    come); the annual report, once the fourth quarter is over."""
    return today() >= rules.sendable_from(plan.year, quarter)


def not_sendable_message(plan: Plan, quarter: int) -> str:
    """Why the report cannot be sent yet, in the words its page shows."""
    if rules.is_year(quarter):
        return annual_not_open_message(plan)
    return _("A quarter's report can be sent from the first day of its last month.")


def annual_not_open_message(plan: Plan) -> str:
    return _("The annual report on %(year)s opens once the fourth quarter is over, on %(date)s.") % {
        "year": plan.year,
        "date": rules.sendable_from(plan.year, rules.WHOLE_YEAR).strftime("%d.%m.%Y"),
    }


def _locked_report(plan: Plan, quarter: int) -> Report:
    if quarter not in rules.PERIODS:
        raise ReportError(_("The quarter must be between 1 and 4."))
    report, _created = Report.objects.get_or_create(plan=plan, quarter=quarter)
    return Report.objects.select_for_update().select_related("plan__organization").get(pk=report.pk)


def _locked_sent_report(report: Report, refusal: str) -> Report:
    """The report's row, locked; a report never sent (no row) is refused with `refusal`."""
    if report.pk is None:
        raise ReportError(refusal % {"state": Report.State.DRAFT.label})
    return Report.objects.select_for_update().select_related("plan__organization").get(pk=report.pk)


def notes_of(report: Report | None) -> dict[int, str]:
    if report is None or report.pk is None:
        return {}
    return dict(report.notes.values_list("indicator_id", "text"))


@transaction.atomic
def do_save_notes(
    plan: Plan, quarter: int, notes: Mapping[int, str], *, acting_user: AbstractBaseUser
) -> Report:
    """Write, change or clear (empty text) the quarter's notes of the given indicators."""
    report = _locked_report(plan, quarter)
    if not rules.notes_editable(report.state):
        raise ReportError(_("The report has been sent: its notes can no longer be changed."))
    known = set(Indicator.objects.filter(item__plan=plan, pk__in=list(notes)).values_list("pk", flat=True))
    if known != set(notes):
        raise ReportError(_("Some notes are for indicators of another plan; nothing was saved."))
    notes = {pk: _clean(text, NOTE_MAX_LENGTH) for pk, text in notes.items()}
    cleared = [pk for pk, text in notes.items() if not text]
    written = {pk: text for pk, text in notes.items() if text}
    report.notes.filter(indicator_id__in=cleared).delete()
    ReportNote.objects.bulk_create(
        [
            ReportNote(report=report, indicator_id=pk, text=text, updated_by=acting_user)
            for pk, text in written.items()
        ],
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["text", "updated_by", "updated_at"],
    )
    report.save(update_fields=["updated_at"])
    return report


@transaction.atomic
def do_submit(plan: Plan, quarter: int, *, acting_user: AbstractBaseUser) -> ReportVersion:
    """Send the report: freeze its table and PDF as a new version and close the quarter's months.

    The PDF is written in the active language, the one the person submitting reads.
    """
    if plan.is_template:
        raise ReportError(_("A template's report is the region's consolidated report."))
    report = _locked_submittable_report(plan, quarter)
    annual = rules.is_year(quarter)
    if not annual:
        do_close_quarter(plan, quarter, acting_user=acting_user)
    table = build_table(plan, quarter, notes=notes_of(report))
    missing = table.missing_notes()
    if missing:
        raise MissingNotes(table, missing)
    now, on = timezone.now(), today()
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        table=table.to_json(),
        pdf=render_pdf(
            table,
            on=on,
            version=number,
            evidence=report_evidence(plan, quarter, thumbnails=True),
            amendments=report_amendments(plan, quarter),
        ),
        language=translation.get_language() or "uz",
        submitted_by=acting_user,
        submitted_at=now,
        submitted_on=on,
    )
    # The version keeps the list of the quarter's evidence files, which can no longer be removed
    # (the year's files are its quarterly reports').
    if not annual:
        _freeze_evidence(version, plan, quarter)
    report.state = rules.state_after(report.state, rules.Move.SUBMIT)
    if report.first_submitted_on is None:
        report.first_submitted_on = on
    report.save(update_fields=["state", "first_submitted_on", "updated_at"])
    event = ReportEvent.objects.create(
        report=report, version=version, action=ReportEvent.Action.SUBMITTED, acting_user=acting_user
    )
    notices.report_sent(report.plan, quarter, event_id=event.pk, version=number, acting_user=acting_user)
    return version


def _locked_submittable_report(plan: Plan, quarter: int) -> Report:
    report = _locked_report(plan, quarter)
    if not rules.can_move(report.state, rules.Move.SUBMIT):
        raise ReportError(
            _("This report has already been sent (%(state)s); it can be sent again only after a return.")
            % {"state": report.get_state_display()}
        )
    if not submittable(plan, quarter):
        raise ReportError(not_sendable_message(plan, quarter))
    return report


@transaction.atomic
def do_submit_consolidated(template: Plan, quarter: int, *, acting_user: AbstractBaseUser) -> ReportVersion:
    """The region sends its consolidated report (the report of its template plan) to the National
    Library: its districts' reports as sent, frozen with the PDF as a new version.

    The districts' months are theirs, closed by their own reports: nothing is closed here.
    """
    from .consolidated import build_consolidated
    from .consolidated_files import render_consolidated_pdf

    if not template.is_template:
        raise ReportError(_("A consolidated report is sent from the region's template plan."))
    report = _locked_submittable_report(template, quarter)
    table = build_consolidated(report.plan, quarter)
    now, on = timezone.now(), today()
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        table=table.to_json(),
        pdf=render_consolidated_pdf(table, on=on, version=number),
        language=translation.get_language() or "uz",
        submitted_by=acting_user,
        submitted_at=now,
        submitted_on=on,
    )
    report.state = rules.state_after(report.state, rules.Move.SUBMIT)
    if report.first_submitted_on is None:
        report.first_submitted_on = on
    report.save(update_fields=["state", "first_submitted_on", "updated_at"])
    event = ReportEvent.objects.create(
        report=report, version=version, action=ReportEvent.Action.SUBMITTED, acting_user=acting_user
    )
    notices.report_sent(report.plan, quarter, event_id=event.pk, version=number, acting_user=acting_user)
    return version


@transaction.atomic
def do_accept(report: Report, *, acting_user: AbstractBaseUser, comment: str = "") -> Report:
    """The region accepts the version it was sent; the quarter's months are sealed."""
    comment = _clean(comment, COMMENT_MAX_LENGTH)
    refusal = _("Only a submitted report can be accepted; this one is %(state)s.")
    report, event = _move(
        report, rules.Move.ACCEPT, refusal, ReportEvent.Action.ACCEPTED, comment, acting_user
    )
    if _has_months(report):  # a consolidated report's months are the districts'
        do_seal_quarter(report.plan, report.quarter, acting_user=acting_user)
    notices.report_accepted(
        report.plan, report.quarter, event_id=event.pk, comment=comment, acting_user=acting_user
    )
    return report


@transaction.atomic
def do_return(report: Report, *, acting_user: AbstractBaseUser, comment: str) -> Report:
    """The region returns the report for correction, saying why; its months open for entry again,
    with the comment as the reason (shown where the centre corrects them)."""
    comment = _clean(comment, COMMENT_MAX_LENGTH)
    if not comment:
        raise ReportError(_("Say what is to be corrected: a returned report needs a comment."))
    refusal = _("Only a submitted report can be returned; this one is %(state)s.")
    report, event = _move(
        report, rules.Move.RETURN, refusal, ReportEvent.Action.RETURNED, comment, acting_user
    )
    if _has_months(report):  # a consolidated report: the region sends it again, nothing reopens
        do_return_quarter(report.plan, report.quarter, acting_user=acting_user, comment=comment)
    notices.report_returned(
        report.plan, report.quarter, event_id=event.pk, comment=comment, acting_user=acting_user
    )
    return report


@transaction.atomic
def do_withdraw_acceptance(report: Report, *, acting_user: AbstractBaseUser, reason: str) -> Report:
    """The region takes its acceptance back, saying why: the report is with the centre again (its
    notes editable, the next sending a new version) and the quarter's months are unsealed. They
    stay closed: a manager reopens those that need correcting."""
    reason = _clean(reason, COMMENT_MAX_LENGTH)
    if not reason:
        raise ReportError(_("Say why the acceptance is taken back: it needs a reason."))
    refusal = _("Only an accepted report's acceptance can be taken back; this one is %(state)s.")
    report, _event = _move(
        report,
        rules.Move.WITHDRAW_ACCEPTANCE,
        refusal,
        ReportEvent.Action.ACCEPTANCE_WITHDRAWN,
        reason,
        acting_user,
    )
    if _has_months(report):
        do_unseal_quarter(report.plan, report.quarter, acting_user=acting_user, reason=reason)
    return report


def _has_months(report: Report) -> bool:
    """Whether the report's moves decide months: a district's quarterly report's do; a consolidated
    report's months are its districts', the annual report's its quarterly reports'."""
    return not report.plan.is_template and not rules.is_year(report.quarter)


def _move(
    report: Report, move: rules.Move, refusal: str, action: str, comment: str, acting_user: AbstractBaseUser
) -> tuple[Report, ReportEvent]:
    """Move a sent report (its row locked) and record it against the version it concerns."""
    report = _locked_sent_report(report, refusal)
    if not rules.can_move(report.state, move):
        raise ReportError(refusal % {"state": report.get_state_display()})
    report.state = rules.state_after(report.state, move)
    report.save(update_fields=["state", "updated_at"])
    event = ReportEvent.objects.create(
        report=report,
        version=report.versions.latest("number"),
        action=action,
        comment=comment,
        acting_user=acting_user,
    )
    return report, event


def missing_notes_message(table: ReportTable, rows: list[ReportRow]) -> str:
    return _("These indicators are behind and need a note before the report is sent: %(items)s") % {
        "items": ", ".join(row_name(table, row) for row in rows)
    }


def version_table(version: ReportVersion) -> ReportTable:
    """A sent version's table exactly as it was sent."""
    return ReportTable.from_json(version.table)


def row_name(table: ReportTable, row: ReportRow) -> str:
    """How a row is named in a message (ReportTable.row_name)."""
    return table.row_name(row)


def _freeze_evidence(version: ReportVersion, plan: Plan, quarter: int) -> int:
    """List with a version being sent every file of the quarter's months: the version keeps the
    list, and the files can no longer be removed. Call inside the submission's transaction."""
    files = EvidenceFile.objects.filter(
        indicator__item__plan=plan, month__in=list(quarter_months(quarter))
    ).select_related("service")
    sent = SentEvidence.objects.bulk_create(
        SentEvidence(
            version=version,
            file=file,
            indicator_id=file.indicator_id,
            month=file.month,
            service_name=file.service.name,
            name=file.name,
            kind=file.kind,
            size=file.size,
            uploaded_at=file.uploaded_at,
        )
        for file in files.order_by(
            "indicator__item__section__order", "indicator__item__order", "indicator__order", "month", "pk"
        )
    )
    return len(sent)
