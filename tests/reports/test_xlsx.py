"""The workbook read back with openpyxl: every figure the selector's, numbers as numbers, print setup."""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from plans.figures import indicator_figures
from plans.models import PlanItem
from reports.models import ReportVersion
from reports.tables import build_table
from reports.xlsx import HEADER_ROW, render_xlsx

from .conftest import note_everything_behind

ON = datetime.date(2024, 4, 3)


@pytest.fixture
def sheet(plan_2024):
    with translation.override("uz"):
        content = render_xlsx(build_table(plan_2024, 1), on=ON)
    return load_workbook(io.BytesIO(content)).active


def test_every_figure_matches_the_selector(plan_2024, sheet):
    table = build_table(plan_2024, 1)
    figures = {figure.indicator.pk: figure for figure in indicator_figures(plan_2024, 3)}
    checked = 0
    for offset, row in enumerate(table.rows, start=HEADER_ROW + 1):
        if row.indicator_id is None:
            continue
        figure = figures[row.indicator_id]
        cells = [sheet.cell(offset, column).value for column in range(4, 9)]
        assert cells[:4] == [
            figure.annual_target,
            figure.quarter_target,
            figure.done_in_quarter,
            figure.done_to_date,
        ]
        if figure.percent is None:
            assert cells[4] is None
        else:
            assert cells[4] == pytest.approx(figure.percent / 100)
        checked += 1
    assert checked == len(figures)


def test_numbers_are_stored_as_numbers_with_formats(sheet):
    visitors = next(
        row for row in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(row, 1).value == "15"
    )
    assert sheet.cell(visitors, 4).value == 5114
    assert isinstance(sheet.cell(visitors, 4).value, int)
    assert sheet.cell(visitors, 8).number_format == "0.0%"
    assert sheet.cell(visitors, 4).number_format == "#,##0"


def test_title_row_is_merged_and_header_frozen(sheet):
    assert sheet.cell(1, 1).value.startswith(
        "Sharof Rashidov tuman axborot-kutubxona markazining 2024-yil I chorak"
    )
    assert "A1:J1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.cell(HEADER_ROW, 2).value == "Ishlar nomi"
    assert sheet.cell(HEADER_ROW, 2).font.bold


def test_print_setup_is_landscape_fit_to_width_with_repeated_header(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_columns_have_widths(sheet):
    assert sheet.column_dimensions["B"].width >= 40


# --- Text is text, and only what the format can hold ---------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def text_cells(content: bytes, text: str) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == text]


def test_a_formula_like_note_and_title_are_written_as_text(world):
    plan = world.plan
    row = build_table(plan, 1).figure_rows()[0]
    PlanItem.objects.filter(plan=plan, number="15").update(title=FORMULA)
    table = build_table(plan, 1, notes={row.indicator_id: FORMULA})

    cells = text_cells(render_xlsx(table, on=ON), FORMULA)

    assert len(cells) == 2
    assert {cell.data_type for cell in cells} == {"s"}


def test_a_sent_version_holding_control_characters_downloads_and_opens(client, world, monkeypatch):
    # Sent before notes were cleaned on the way in: the frozen table holds them as typed.
    from reports.workflow import do_submit

    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, **kwargs: b"%PDF-1.7 stand-in")
    note_everything_behind(world.plan, 1, world.users["manager"])
    version = do_submit(world.plan, 1, acting_user=world.users["manager"])
    index = next(i for i, row in enumerate(version.table["rows"]) if row["indicator_id"] is not None)
    # PostgreSQL's jsonb cannot hold a NUL at all; SQLite's JSON can.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    version.table["rows"][index]["note"] = f"Word\x0bqator\x01{nul} tugadi"
    ReportVersion.objects.filter(pk=version.pk).update(table=version.table)
    client.force_login(world.users["reviewer"])

    response = client.get(
        reverse("reports:version_xlsx", kwargs={"plan_id": world.plan.pk, "quarter": 1, "number": 1})
    )

    assert response.status_code == 200
    assert len(text_cells(response.content, "Word\nqator tugadi")) == 1
