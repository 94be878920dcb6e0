"""The one spreadsheet writer (common.sheet_writer): text is text and holds only what XLSX can."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from common.sheet_writer import CELL_TEXT_LIMIT, csv_cell, sheet_text, write_row


def written(values: list) -> list:
    """The cells of a workbook with `values` in row 1, as openpyxl reads it back."""
    book = Workbook()
    write_row(book.active, 1, values)
    buffer = io.BytesIO()
    book.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue())).active[1])


def test_formulas_and_error_codes_are_written_as_text():
    cells = written(['=HYPERLINK("http://x","y")', "#N/A", "@SUM(A1)", 5, None])

    assert [cell.value for cell in cells[:3]] == ['=HYPERLINK("http://x","y")', "#N/A", "@SUM(A1)"]
    assert [cell.data_type for cell in cells[:3]] == ["s", "s", "s"]
    assert (cells[3].value, cells[3].data_type) == (5, "n")


def test_text_holds_only_what_xlsx_can():
    (cell,) = written(["Word\x0bqator\x00\x01 tugadi\ud800"])

    assert cell.value == "Word\nqator tugadi"


def test_text_is_cut_at_excels_cell_limit():
    assert len(sheet_text("x" * (CELL_TEXT_LIMIT + 5))) == CELL_TEXT_LIMIT


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("'x", "''x"), ("oddiy", "oddiy"), ("", ""), (5, 5)],
)
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value, cell):
    assert csv_cell(value) == cell
