"""Every spreadsheet the app writes (reports, plan files, admin exports): text stays text, never a formula.

A note or a title is typed by someone else than the person who opens the file. Written as a
plain openpyxl value, text starting with "=" becomes a live formula (`=HYPERLINK(…)` sends the
reviewer's click anywhere), "#N/A" an error cell, and a vertical tab pasted from Word makes
openpyxl raise, so the download answers 500 for good once the text is frozen in a sent report.
Here every text cell is written with data type "s" and holds only what the format can hold;
CSV cells that a spreadsheet would read as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from .text import clean_text

# What Excel and LibreOffice start a formula with, or act on (tab and CR move to another cell).
FORMULA_STARTS = frozenset("=+-@\t\r")
# Cells the CSV writer prefixes: the formula starts, and the apostrophe itself so that the
# reader (sheet_reader.read_csv) can take exactly the prefixes we added away again.
CSV_PREFIXED = FORMULA_STARTS | {"'"}
CSV_PREFIX = "'"
# Excel's limit on the characters of one cell.
CELL_TEXT_LIMIT = 32_767
# Left after clean_text and not representable in the XML of an XLSX: NUL and lone surrogates.
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def sheet_text(text: str) -> str:
    """The text as an XLSX cell can hold it: Word's breaks as newlines, other control characters
    and NUL dropped (see common.text.clean_text), cut at Excel's 32,767 characters."""
    return _UNWRITABLE.sub("", clean_text(text))[:CELL_TEXT_LIMIT]


def write_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one cell: text as text (data type "s", never a formula or an error code), numbers,
    dates and booleans as themselves, None as an empty cell."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = sheet_text(value)
        # openpyxl has just read a leading "=" as a formula and "#N/A" as an error: undo that.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def write_row(sheet: Worksheet, row: int, values: Iterable[object]) -> list[Cell]:
    """Write `values` into `row` from column A on, each as write_cell writes it."""
    return [write_cell(sheet, row, column, value) for column, value in enumerate(values, start=1)]


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text starting with = + - @, tab or CR (or an
    apostrophe) gets an apostrophe in front; anything else is left as it is."""
    if isinstance(value, str) and value[:1] in CSV_PREFIXED:
        return CSV_PREFIX + value
    return value
