"""Submit, accept, return, take an acceptance back: what each move freezes, closes, reopens, seals and
records, and what it refuses."""

import datetime

import pytest

from plans.entry import MonthSealed, do_close_month, do_reopen_month
from plans.locks import MonthState
from plans.models import DECISION_REASON_MAX_LENGTH, MonthEvent, MonthLock
from plans.selectors import month_states, returned_quarters
from reports.models import Report, ReportEvent, ReportNote, ReportVersion
from reports.selectors import current_table
from reports.tables import build_table
from reports.workflow import (
    COMMENT_MAX_LENGTH,
    MissingNotes,
    ReportError,
    do_accept,
    do_return,
    do_save_notes,
    do_submit,
    do_withdraw_acceptance,
)

from .conftest import add_actual, note_everything_behind


@pytest.fixture
def ready(world):
    """The demo's Q1 with every behind indicator noted, ready to be sent."""
    note_everything_behind(world.plan, 1, world.users["manager"])
    return world


def _submit(world) -> ReportVersion:
    return do_submit(world.plan, 1, acting_user=world.users["manager"])


def test_submitting_freezes_the_table_and_pdf_as_version_one(ready):
    version = _submit(ready)
    report = Report.objects.get(plan=ready.plan, quarter=1)
    assert report.state == Report.State.SUBMITTED
    assert version.number == 1
    assert bytes(version.pdf).startswith(b"%PDF")
    assert (
        version.table
        == build_table(ready.plan, 1, notes=dict(report.notes.values_list("indicator_id", "text"))).to_json()
    )
    assert version.submitted_by == ready.users["manager"]


def test_submitting_closes_the_quarters_months_for_entry(ready):
    _submit(ready)
    states = month_states(ready.plan)
    assert [states[month] for month in (1, 2, 3)] == [MonthState.CLOSED] * 3
    assert MonthEvent.objects.filter(plan=ready.plan, action=MonthEvent.Action.CLOSED).count() == 3


def test_submitting_records_who_and_when_and_the_first_submission(ready):
    _submit(ready)
    report = Report.objects.get(plan=ready.plan, quarter=1)
    event = report.events.get()
    assert (event.action, event.acting_user, event.version.number) == ("submitted", ready.users["manager"], 1)
    assert report.first_submitted_on is not None


def test_behind_indicators_without_notes_block_submission_and_change_nothing(world):
    with pytest.raises(ReportError) as error:
        _submit(world)
    assert "15" in str(error.value) and "12.1" in str(error.value)
    assert not ReportVersion.objects.exists()
    assert month_states(world.plan)[1] != MonthState.CLOSED
    assert not Report.objects.exclude(state=Report.State.DRAFT).exists()


def test_the_refusal_carries_the_rows_that_need_a_note(world):
    with pytest.raises(MissingNotes) as error:
        _submit(world)
    assert error.value.rows == build_table(world.plan, 1).missing_notes()
    assert all(row.indicator_id for row in error.value.rows)


def test_message_names_a_labelled_indicator_by_its_item_and_label(world):
    with pytest.raises(ReportError) as error:
        _submit(world)
    assert "14 (Yangi)" in str(error.value)


def test_submitting_twice_is_refused_and_keeps_one_version(ready):
    _submit(ready)
    with pytest.raises(ReportError):
        _submit(ready)
    assert ReportVersion.objects.count() == 1
    assert ReportEvent.objects.count() == 1


def test_a_quarter_cannot_be_sent_before_its_last_month(world):
    with pytest.raises(ReportError):
        do_submit(world.plan, 2, acting_user=world.users["manager"])
    assert not ReportVersion.objects.exists()


def test_sent_pdf_and_figures_do_not_change_when_an_actual_changes_afterwards(ready):
    version = _submit(ready)
    pdf, table = bytes(version.pdf), version.table
    add_actual(ready.plan, "15", 3, 4000)
    version.refresh_from_db()
    assert bytes(version.pdf) == pdf
    assert version.table == table
    shown, shown_version = current_table(ready.plan, 1)
    assert shown_version == version
    assert next(row for row in shown.rows if row.number == "15").done_to_date == 480


def test_accepting_a_draft_is_refused_and_creates_nothing(world):
    with pytest.raises(ReportError):
        do_accept(Report(plan=world.plan, quarter=1), acting_user=world.users["reviewer"])
    assert not Report.objects.exists()


def test_accepting_a_submitted_report_records_it(ready):
    _submit(ready)
    report = do_accept(Report.objects.get(), acting_user=ready.users["reviewer"])
    assert report.state == Report.State.ACCEPTED
    assert report.events.last().action == "accepted"


def test_returning_without_a_comment_is_refused_and_changes_nothing(ready):
    _submit(ready)
    with pytest.raises(ReportError):
        do_return(Report.objects.get(), acting_user=ready.users["reviewer"], comment="   ")
    assert Report.objects.get().state == Report.State.SUBMITTED
    assert ReportEvent.objects.count() == 1


def test_database_refuses_a_return_without_a_comment(ready):
    from django.db import IntegrityError, transaction

    version = _submit(ready)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportEvent.objects.create(
            report=version.report,
            version=version,
            action="returned",
            comment="",
            acting_user=ready.users["reviewer"],
        )


def test_returning_reopens_the_months_and_keeps_the_comment(ready):
    _submit(ready)
    do_return(Report.objects.get(), acting_user=ready.users["reviewer"], comment="12.1 ni tekshiring")
    report = Report.objects.get()
    assert report.state == Report.State.RETURNED
    assert report.events.last().comment == "12.1 ni tekshiring"
    assert [month_states(ready.plan)[month] for month in (1, 2, 3)] == [MonthState.OPEN] * 3


def test_returned_months_say_they_were_reopened_for_the_return_with_the_whole_comment(ready):
    _submit(ready)
    comment = "12.1 bandidagi raqamni hujjat bilan solishtiring. " * 40
    assert 255 < len(comment) <= COMMENT_MAX_LENGTH
    do_return(Report.objects.get(), acting_user=ready.users["reviewer"], comment=comment)
    assert set(MonthLock.objects.filter(month__in=[1, 2, 3]).values_list("state", "reason")) == {
        ("returned", comment.strip())
    }
    assert MonthEvent.objects.filter(action=MonthEvent.Action.RETURNED).count() == 3
    [returned] = returned_quarters(ready.plan)
    assert (returned.quarter, returned.comment) == (1, comment.strip())


def test_a_reviewers_whole_comment_fits_the_months_reason():
    assert COMMENT_MAX_LENGTH <= DECISION_REASON_MAX_LENGTH


def _accepted(world) -> Report:
    _submit(world)
    return do_accept(Report.objects.get(), acting_user=world.users["reviewer"])


def test_accepting_seals_the_quarters_months(ready):
    _accepted(ready)
    assert [month_states(ready.plan)[month] for month in (1, 2, 3, 4)] == [MonthState.SEALED] * 3 + [
        MonthState.OPEN
    ]
    assert MonthEvent.objects.filter(action=MonthEvent.Action.SEALED).count() == 3


@pytest.mark.parametrize("month", [1, 3])
def test_a_manager_cannot_reopen_a_month_of_an_accepted_quarter(ready, month):
    _accepted(ready)
    with pytest.raises(MonthSealed):
        do_reopen_month(ready.plan, month, acting_user=ready.users["manager"], reason="tuzatish")
    with pytest.raises(MonthSealed):
        do_close_month(ready.plan, month, acting_user=ready.users["manager"])
    assert month_states(ready.plan)[month] == MonthState.SEALED


def test_taking_the_acceptance_back_needs_a_reason_and_changes_nothing_without_one(ready):
    report = _accepted(ready)
    with pytest.raises(ReportError):
        do_withdraw_acceptance(report, acting_user=ready.users["reviewer"], reason="  ")
    assert Report.objects.get().state == Report.State.ACCEPTED
    assert month_states(ready.plan)[3] == MonthState.SEALED


def test_only_an_accepted_report_can_have_its_acceptance_taken_back(ready):
    _submit(ready)
    with pytest.raises(ReportError):
        do_withdraw_acceptance(Report.objects.get(), acting_user=ready.users["reviewer"], reason="xato")
    assert Report.objects.get().state == Report.State.SUBMITTED
    with pytest.raises(ReportError):
        never_sent = Report(plan=ready.plan, quarter=2)
        do_withdraw_acceptance(never_sent, acting_user=ready.users["reviewer"], reason="x")


def test_taking_the_acceptance_back_records_why_and_reopens_nothing_by_itself(ready):
    report = _accepted(ready)
    do_withdraw_acceptance(report, acting_user=ready.users["reviewer"], reason="15-band xato")
    report = Report.objects.get()
    assert report.state == Report.State.RETURNED
    event = report.events.last()
    assert (event.action, event.comment, event.acting_user, event.version.number) == (
        "unaccepted",
        "15-band xato",
        ready.users["reviewer"],
        1,
    )
    assert [month_states(ready.plan)[month] for month in (1, 2, 3)] == [MonthState.CLOSED] * 3
    assert MonthEvent.objects.filter(action=MonthEvent.Action.UNSEALED, reason="15-band xato").count() == 3
    assert returned_quarters(ready.plan) == []


def test_after_the_acceptance_is_taken_back_the_centre_corrects_and_sends_version_two(ready):
    report = _accepted(ready)
    do_withdraw_acceptance(report, acting_user=ready.users["reviewer"], reason="15-band xato")
    do_reopen_month(ready.plan, 3, acting_user=ready.users["manager"], reason="15-bandni tuzatish")
    add_actual(ready.plan, "15", 3, 1300)
    note = ReportNote.objects.first()
    do_save_notes(ready.plan, 1, {note.indicator_id: "tuzatildi"}, acting_user=ready.users["manager"])
    second = _submit(ready)
    assert second.number == 2
    assert next(row for row in second.table["rows"] if row["number"] == "15")["done_to_date"] == 1300
    do_accept(Report.objects.get(), acting_user=ready.users["reviewer"])
    assert month_states(ready.plan)[3] == MonthState.SEALED


def test_database_refuses_taking_an_acceptance_back_without_a_reason(ready):
    from django.db import IntegrityError, transaction

    version = _submit(ready)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportEvent.objects.create(
            report=version.report,
            version=version,
            action="unaccepted",
            comment="",
            acting_user=ready.users["reviewer"],
        )


def test_resubmitting_after_a_return_creates_version_two_and_keeps_version_one(ready):
    first = _submit(ready)
    first_pdf = bytes(first.pdf)
    do_return(Report.objects.get(), acting_user=ready.users["reviewer"], comment="Tuzating")
    add_actual(ready.plan, "15", 3, 1300)
    second = _submit(ready)
    assert second.number == 2
    first.refresh_from_db()
    assert bytes(first.pdf) == first_pdf
    assert next(row for row in second.table["rows"] if row["number"] == "15")["done_to_date"] == 1300
    assert next(row for row in first.table["rows"] if row["number"] == "15")["done_to_date"] == 480


def test_resubmission_keeps_the_first_submission_date(ready):
    _submit(ready)
    first = Report.objects.get().first_submitted_on
    do_return(Report.objects.get(), acting_user=ready.users["reviewer"], comment="Tuzating")
    _submit(ready)
    assert Report.objects.get().first_submitted_on == first


def test_notes_cannot_change_once_sent(ready):
    _submit(ready)
    indicator_id = ReportNote.objects.first().indicator_id
    with pytest.raises(ReportError):
        do_save_notes(ready.plan, 1, {indicator_id: "boshqa"}, acting_user=ready.users["manager"])
    assert ReportNote.objects.get(indicator_id=indicator_id).text != "boshqa"


def test_empty_note_clears_it(ready):
    note = ReportNote.objects.first()
    do_save_notes(ready.plan, 1, {note.indicator_id: "  "}, acting_user=ready.users["manager"])
    assert not ReportNote.objects.filter(pk=note.pk).exists()


def test_notes_for_another_plans_indicators_are_refused(world):
    with pytest.raises(ReportError):
        do_save_notes(world.plan, 1, {999_999: "x"}, acting_user=world.users["manager"])
    assert not ReportNote.objects.exists()


def test_due_date_today_is_on_time(ready, fixed_today):
    assert fixed_today == datetime.date(2024, 4, 3)
    _submit(ready)
    from reports.selectors import report_page

    page = report_page(ready.plan, 1)
    assert page.punctuality == "on_time"
