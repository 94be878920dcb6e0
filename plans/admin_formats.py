"""The admin's import and export formats: django-import-export's XLSX and CSV, read and written by ours.

django-import-export reads XLSX through openpyxl with the sheet's declared dimension and CSV
with no limit, and writes text that a spreadsheet runs as a formula. These formats read through
common.sheet_reader and write through common.sheet_writer instead, so the admin holds to
the same limits and the same "text is text" as every other file of the app.
"""

from __future__ import annotations

import csv
import io

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.sheet_reader import Rows, SheetRefused, read_csv, read_xlsx
from common.sheet_writer import csv_cell, write_row

# Widest column of an export, in characters; longer text wraps when the reader widens it.
MAX_WIDTH = 60


class XLSX(base_formats.XLSX):
    """XLSX: the first sheet, its first row the column names."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        return rows_to_dataset(read_xlsx(in_stream))

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = (dataset.title or "data")[:31]
        for cell in write_row(sheet, 1, dataset.headers or []):
            cell.font = Font(bold=True)
        widths = [len(str(header)) for header in dataset.headers or []]
        for row_number, values in enumerate(dataset, start=2):
            write_row(sheet, row_number, values)
            widths = [max(width, len(str(value or ""))) for width, value in zip(widths, values, strict=False)]
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


class CSV(base_formats.CSV):
    """CSV in UTF-8 (with the byte order mark Excel needs to read it as UTF-8), comma-separated.

    Binary for django-import-export, so that the file reaches the reader as bytes and a file in
    another encoding is refused with our message, not a UnicodeDecodeError's name.
    """

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes | str, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return rows_to_dataset(read_csv(in_stream))

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(header) for header in dataset.headers or []])
        for values in dataset:
            writer.writerow([csv_cell(value) for value in values])
        return buffer.getvalue().encode("utf-8-sig")


# The admin writes numbers and dates as themselves only for the formats in this list (it checks
# the exact class); ours are XLSX too.
if XLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(XLSX)

FORMATS = [CSV, XLSX]


def rows_to_dataset(rows: Rows) -> tablib.Dataset:
    """The first row as the column names, the others as the data, every row as wide as the first.

    A value in a column without a name would be dropped without a word: it is refused instead.
    """
    dataset = tablib.Dataset()
    if not rows:
        return dataset
    headers = ["" if value is None else str(value) for value in rows[0]]
    dataset.headers = headers
    width = len(headers)
    for number, values in enumerate(rows[1:], start=2):
        if len(values) > width:
            raise SheetRefused(
                _("Row %(row)s has data in column %(column)s, which has no name in the first row.")
                % {"row": number, "column": get_column_letter(width + 1)}
            )
        dataset.append([*values, *[None] * (width - len(values))])
    return dataset
