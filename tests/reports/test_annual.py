"""The annual report: its table against the figures selector quarter by quarter, its summary by
section, the notes proposed from the quarters' notes, its workflow and its files read back."""

import datetime
import io
from collections import Counter

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from notices.messages import render
from notices.models import Notice
from plans.deadlines import WHOLE_YEAR
from plans.figures import indicator_figures, parent_totals
from plans.models import MonthLock
from plans.pacing import Status
from reports import rules
from reports.docx import render_docx
from reports.models import Report, ReportEvent
from reports.pdf import render_pdf
from reports.selectors import proposed_notes
from reports.tables import FIGURES, ReportTable, build_annual_table, build_table, headers
from reports.workflow import (
    MissingNotes,
    ReportError,
    do_accept,
    do_return,
    do_save_notes,
    do_submit,
    do_withdraw_acceptance,
)
from reports.xlsx import render_xlsx

from .conftest import add_actual, note_everything_behind

AFTER_THE_YEAR = datetime.date(2025, 1, 10)


@pytest.fixture
def after_the_year(settings):
    settings.AKM_TODAY = AFTER_THE_YEAR
    return AFTER_THE_YEAR


@pytest.fixture
def year_of_figures(plan_2024):
    """Figures in every quarter for a few indicators (the demo has the first quarter's)."""
    for month, value in ((5, 7), (8, 11), (11, 13), (12, 2)):
        add_actual(plan_2024, "1", month, value % 3)
        add_actual(plan_2024, "12.1", month, value)
        add_actual(plan_2024, "14", month, value + 1, label="Yangi")
    return plan_2024


def test_every_indicator_has_each_quarters_figures_from_the_selector(year_of_figures):
    plan = year_of_figures
    table = build_annual_table(plan)
    quarters = [
        {figure.indicator.pk: figure for figure in indicator_figures(plan, 3 * quarter)}
        for quarter in range(1, 5)
    ]
    rows = {row.indicator_id: row for row in table.rows if row.indicator_id}
    assert rows.keys() == quarters[-1].keys()
    for pk, row in rows.items():
        year_end = quarters[-1][pk]
        assert row.done_by_quarter == [quarters[q][pk].done_in_quarter for q in range(4)]
        assert (row.annual_target, row.done_to_date, row.percent, row.status) == (
            year_end.annual_target,
            year_end.done_to_date,
            year_end.percent,
            year_end.status.value,
        )
        assert row.quarter_target is None and row.done_in_quarter is None
    # The figures entered in the later quarters are in their quarters, not in the first.
    item = next(row for row in table.rows if row.number == "12.1")
    assert item.done_by_quarter[1:] == [7, 11, 15]


def test_a_parent_sums_its_sub_items_quarter_by_quarter(year_of_figures):
    plan = year_of_figures
    table = build_annual_table(plan)
    row = next(row for row in table.rows if row.number == "12")
    parent_id = next(f.item.parent_id for f in indicator_figures(plan, 12) if f.item.number == "12.1")
    by_quarter = [parent_totals(indicator_figures(plan, 3 * q))[parent_id] for q in range(1, 5)]
    assert row.kind == FIGURES and row.annual_target == 1170
    assert row.done_by_quarter == [totals.done_in_quarter for totals in by_quarter]
    assert row.done_to_date == by_quarter[-1].done_to_date == sum(row.done_by_quarter)


def test_build_table_of_the_whole_year_is_the_annual_table(plan_2024):
    assert build_table(plan_2024, WHOLE_YEAR) == build_annual_table(plan_2024)


def test_the_annual_table_reads_in_a_fixed_number_of_queries(plan_2024, django_assert_num_queries):
    plan = type(plan_2024).objects.select_related("organization").get(pk=plan_2024.pk)
    with django_assert_num_queries(10):  # the selector at the year's end (4), each earlier quarter (2)
        build_annual_table(plan)


def test_the_summary_counts_each_sections_indicators_by_status_and_names_those_not_done(year_of_figures):
    table = build_annual_table(year_of_figures)
    summaries = table.section_summaries()
    assert [summary.number for summary in summaries] == ["I", "II", "III", "IV", "V"]
    for summary in summaries:
        rows = [row for row in _section_rows(table, summary.number) if row.indicator_id]
        statuses = Counter(Status(row.status) for row in rows)
        assert dict(summary.counts) == {str(status.label): count for status, count in statuses.items()}
        assert summary.not_done == [
            table.row_name(row) for row in rows if row.status not in (Status.DONE, Status.NO_TARGET)
        ]
    third = summaries[2]
    # 12.1 met its target over the year (3 + 7 + 11 + 15 of 20); 14's new users did not.
    assert "12.1" not in third.not_done and "14 (Yangi)" in third.not_done


def _section_rows(table: ReportTable, number: str) -> list:
    rows, section = [], None
    for row in table.rows:
        if row.kind == "section":
            section = row.number
        elif section == number:
            rows.append(row)
    return rows


def test_the_table_survives_json_and_a_quarters_stored_table_has_no_quarters(plan_2024):
    table = build_annual_table(plan_2024)
    assert ReportTable.from_json(table.to_json()) == table
    quarter = build_table(plan_2024, 1).to_json()
    quarter["format"] = 2
    for row in quarter["rows"]:
        del row["done_by_quarter"]
    assert all(row.done_by_quarter == [] for row in ReportTable.from_json(quarter).rows)


def test_the_years_notes_are_proposed_from_the_quarters_notes(world, settings):
    plan, manager = world.plan, world.users["manager"]
    indicator = next(row.indicator_id for row in build_table(plan, 1).rows if row.indicator_id)
    do_save_notes(plan, 1, {indicator: "Seminar o‘tkazildi\n(2 ta)"}, acting_user=manager)
    settings.AKM_TODAY = datetime.date(2024, 7, 3)
    do_save_notes(plan, 2, {indicator: "Tadbirlar davom etdi"}, acting_user=manager)
    with translation.override("en"):
        proposals = proposed_notes(plan, WHOLE_YEAR)
        assert proposals[indicator] == (
            "Quarter I: Seminar o‘tkazildi; (2 ta)\nQuarter II: Tadbirlar davom etdi"
        )
        assert proposed_notes(plan, WHOLE_YEAR, without={indicator}) == {}


def test_the_annual_report_opens_once_the_fourth_quarter_is_over():
    assert rules.sendable_from(2024, WHOLE_YEAR) == datetime.date(2025, 1, 1)
    assert rules.due_date(2024, WHOLE_YEAR, 5) == datetime.date(2025, 2, 5)
    assert not rules.available(2024, WHOLE_YEAR, datetime.date(2024, 12, 31))
    assert rules.available(2024, WHOLE_YEAR, datetime.date(2025, 1, 1))
    assert rules.available(2024, 4, datetime.date(2024, 1, 1))  # a quarter's draft, as before
    with pytest.raises(ValueError):
        rules.check_period(6)


@pytest.fixture
def quick_pdf(monkeypatch):
    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, **kwargs: b"%PDF-1.7 stand-in")


def test_sending_before_the_year_is_over_is_refused_with_the_day_it_opens(world, quick_pdf):
    with pytest.raises(ReportError, match="01.01.2025"):
        do_submit(world.plan, WHOLE_YEAR, acting_user=world.users["manager"])
    assert not Report.objects.filter(quarter=WHOLE_YEAR, state="submitted").exists()


def test_the_annual_report_is_not_sent_without_a_note_for_each_item_not_done(
    world, after_the_year, quick_pdf
):
    with pytest.raises(MissingNotes) as refused:
        do_submit(world.plan, WHOLE_YEAR, acting_user=world.users["manager"])
    assert refused.value.rows and all(row.status == Status.OVERDUE for row in refused.value.rows)


def test_send_return_send_accept_withdraw_as_the_quarterly_report(world, after_the_year, quick_pdf):
    plan, manager, reviewer = world.plan, world.users["manager"], world.users["reviewer"]
    note_everything_behind(plan, WHOLE_YEAR, manager)
    months = list(MonthLock.objects.values_list("month", "state"))
    first = do_submit(plan, WHOLE_YEAR, acting_user=manager)
    report = Report.objects.get(plan=plan, quarter=WHOLE_YEAR)
    assert (report.state, first.number, first.table["quarter"]) == ("submitted", 1, WHOLE_YEAR)
    assert report.first_submitted_on == AFTER_THE_YEAR
    assert ReportTable.from_json(first.table).annual
    with pytest.raises(ReportError):
        do_save_notes(plan, WHOLE_YEAR, {}, acting_user=manager)
    do_return(report, acting_user=reviewer, comment="12.1 izohini to‘ldiring")
    assert Report.objects.get(pk=report.pk).state == "returned"
    second = do_submit(plan, WHOLE_YEAR, acting_user=manager)
    assert second.number == 2
    do_accept(Report.objects.get(pk=report.pk), acting_user=reviewer)
    assert Report.objects.get(pk=report.pk).state == "accepted"
    do_withdraw_acceptance(Report.objects.get(pk=report.pk), acting_user=reviewer, reason="Qayta ko‘rish")
    assert Report.objects.get(pk=report.pk).state == "returned"
    # The year's months are its quarterly reports': the annual report decides none of them.
    assert list(MonthLock.objects.values_list("month", "state")) == months
    assert list(ReportEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "submitted", "returned", "submitted", "accepted", "unaccepted",
    ]  # fmt: skip
    # The quarterly reports are untouched.
    assert not Report.objects.filter(plan=plan, quarter__lte=4).exclude(state="draft").exists()


def test_the_notices_of_an_annual_report_say_so_and_link_to_it(world, after_the_year, quick_pdf):
    plan, manager, reviewer = world.plan, world.users["manager"], world.users["reviewer"]
    note_everything_behind(plan, WHOLE_YEAR, manager)
    do_submit(plan, WHOLE_YEAR, acting_user=manager)
    sent = Notice.objects.get(recipient=reviewer, kind="report_sent")
    assert sent.link == f"/reports/{plan.pk}/year/"
    do_return(Report.objects.get(quarter=WHOLE_YEAR), acting_user=reviewer, comment="Tuzating")
    returned = Notice.objects.filter(kind="report_returned")
    assert returned.exists() and {notice.recipient for notice in returned} == {manager}
    with translation.override("en"):
        sent_title = render(sent.kind, sent.data).title
        assert sent_title == f"{plan.organization.name} sent the annual report on 2024"
        title = render("report_returned", returned.first().data).title
        assert title == "The annual report on 2024 was returned for correction"


def _annual_table(plan):
    """The annual table with a note on its first indicator."""
    table = build_annual_table(plan)
    first = next(row for row in table.rows if row.indicator_id)
    return table, first


def test_the_pdf_has_the_title_the_quarters_every_item_and_the_summary(year_of_figures):
    table, _first = _annual_table(year_of_figures)
    with translation.override("en"):
        pdf = render_pdf(table, on=AFTER_THE_YEAR, version=1)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Annual report on the execution of the 2024 work plan" in flat
    for quarter in ("I", "II", "III", "IV"):
        assert f"Done in quarter {quarter}" in flat
    assert "Done in the year" in flat
    assert "Summary by section" in flat and "Not done" in flat
    row = next(row for row in table.rows if row.number == "12.1")
    assert " ".join(str(done) for done in row.done_by_quarter) in flat
    for number in ("12.1", "12.4", "13", "34"):
        assert number in flat
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_the_xlsx_has_the_same_numbers_as_the_table(year_of_figures):
    table, _first = _annual_table(year_of_figures)
    with translation.override("en"):
        book = load_workbook(io.BytesIO(render_xlsx(table, on=AFTER_THE_YEAR)))
        columns = headers(annual=True)
    sheet = book.worksheets[0]
    assert [sheet.cell(3, column).value for column in range(1, len(columns) + 1)] == columns
    by_number = {sheet.cell(row, 1).value: row for row in range(4, sheet.max_row + 1)}
    row = next(row for row in table.rows if row.number == "12.1")
    line = by_number["12.1"]
    assert [sheet.cell(line, column).value for column in range(4, 10)] == [
        row.annual_target, *row.done_by_quarter, row.done_to_date,
    ]  # fmt: skip
    assert sheet.cell(line, 10).value == pytest.approx(row.percent / 100)
    assert sheet.cell(line, 10).number_format == "0.0%"
    summary = book.worksheets[1]
    values = [cell for line in summary.iter_rows(values_only=True) for cell in line if cell]
    assert "III. Asosiy ishlab chiqarish faoliyati" in values


def test_the_docx_has_the_same_numbers_as_the_table(year_of_figures):
    table, _first = _annual_table(year_of_figures)
    with translation.override("en"):
        word = Document(io.BytesIO(render_docx(table, on=AFTER_THE_YEAR)))
        columns = headers(annual=True)
    grid = word.tables[0]
    assert [cell.text for cell in grid.rows[0].cells] == columns
    row = next(row for row in table.rows if row.number == "12.1")
    line = next(line for line in grid.rows if line.cells[0].text == "12.1")
    assert [cell.text for cell in line.cells[3:9]] == [
        str(value) for value in (row.annual_target, *row.done_by_quarter, row.done_to_date)
    ]
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "Annual report on the execution of the 2024 work plan" in text
    assert "Summary by section" in text and "Not done: " in text


def test_the_command_writes_the_annual_report_once_the_year_is_over(year_of_figures, tmp_path, settings):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="01.01.2025"):
        call_command("quarterly_report", year=2024, annual=True, output=str(tmp_path), stdout=io.StringIO())
    settings.AKM_TODAY = AFTER_THE_YEAR
    call_command(
        "quarterly_report",
        year=2024,
        annual=True,
        file_format="xlsx",
        output=str(tmp_path),
        stdout=io.StringIO(),
    )
    (written,) = tmp_path.iterdir()
    assert written.name.endswith(f"-id{year_of_figures.organization_id}-2024-year-draft.xlsx")
    sheet = load_workbook(written).worksheets[0]
    line = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == "12.1")
    row = next(row for row in build_annual_table(year_of_figures).rows if row.number == "12.1")
    assert [sheet.cell(line, column).value for column in range(5, 10)] == [
        *row.done_by_quarter,
        row.done_to_date,
    ]


@pytest.mark.parametrize("period", [0, 6])
def test_the_database_refuses_a_period_that_is_neither_a_quarter_nor_the_year(plan_2024, period):
    from django.db import IntegrityError

    Report.objects.create(plan=plan_2024, quarter=WHOLE_YEAR)
    with pytest.raises(IntegrityError):
        Report.objects.create(plan=plan_2024, quarter=period)


def test_the_annual_report_is_reminded_when_due_and_when_overdue(world, settings):
    from notices.reminders import run_reminders

    plan = world.plan
    days = plan.organization.reminder_days
    run_reminders(datetime.date(2025, 2, 5) - datetime.timedelta(days=days))
    due = Notice.objects.get(kind="report_due", data__quarter=WHOLE_YEAR)
    assert (due.recipient, due.link) == (world.users["manager"], f"/reports/{plan.pk}/year/")
    run_reminders(datetime.date(2025, 2, 6))
    overdue = Notice.objects.filter(kind="report_overdue", data__quarter=WHOLE_YEAR)
    assert {notice.recipient for notice in overdue} == {world.users["manager"], world.users["reviewer"]}
    with translation.override("en"):
        assert render("report_overdue", overdue.first().data).title == "The annual report on 2024 is overdue"
        assert render("report_due", due.data).title.startswith("The annual report on 2024 is due on")
    # The fourth quarter's report, due in January, is reminded of on its own.
    assert Notice.objects.filter(kind="report_overdue", data__quarter=4).exists()
