"""The workbook read back with openpyxl: every figure the selector's, numbers as numbers, print setup."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from plans.figures import indicator_figures
from reports.tables import build_table
from reports.xlsx import HEADER_ROW, render_xlsx

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
