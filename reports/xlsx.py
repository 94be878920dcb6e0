"""The report as an XLSX workbook: the same table as the PDF, numbers kept as numbers, ready to print.

Every cell is written by common.sheet_writer: a note or a title is text, never a formula, and
holds only what the format can hold, so a report sent with a pasted control character opens.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.sheet_writer import write_cell

from .tables import FIGURES, SECTION, ReportTable
from .tables import headers as table_headers

if TYPE_CHECKING:
    from evidence.selectors import EvidenceLine

# Column widths in characters, in the table's order: a quarter's, the annual report's.
WIDTHS = [7, 60, 14, 11, 11, 11, 13, 11, 34, 34]
ANNUAL_WIDTHS = [7, 54, 12, 11, 10, 10, 10, 10, 11, 11, 30, 34]
TITLE_ROW = 1
HEADER_ROW = 3
FIRST_FIGURE_COLUMN = 4

_thin = Side(style="thin", color="777777")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="E6E9EE")
SECTION_FILL = PatternFill("solid", fgColor="F2F4F7")
WRAP = Alignment(wrap_text=True, vertical="top")


def headers(annual: bool = False) -> list[str]:
    return table_headers(annual)


def render_xlsx(table: ReportTable, *, on: datetime.date, evidence: Sequence[EvidenceLine] = ()) -> bytes:
    """The workbook's bytes: the table's sheet, the title merged across the table, the header
    frozen; then the evidence sheet, one row per file of the quarter (evidence.selectors)."""
    table = table.in_reader_script()
    book = Workbook()
    sheet = book.active
    if table.annual:
        sheet.title = _("The year %(year)s") % {"year": table.year}
    else:
        sheet.title = _("Quarter %(quarter)s") % {"quarter": table.quarter_roman}
    widths = ANNUAL_WIDTHS if table.annual else WIDTHS
    columns = len(widths)
    # The figures' columns, the last of them the percent of the annual target.
    percent_column = FIRST_FIGURE_COLUMN + len(table.figure_headers) - 1

    write_cell(sheet, TITLE_ROW, 1, table.title).font = Font(bold=True, size=12)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)
    sheet.row_dimensions[TITLE_ROW].height = 34
    write_cell(sheet, TITLE_ROW + 1, 1, table.centre).font = Font(italic=True)

    for column, (text, width) in enumerate(zip(headers(table.annual), widths, strict=True), start=1):
        cell = write_cell(sheet, HEADER_ROW, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width

    row_number = HEADER_ROW
    for row in table.rows:
        row_number += 1
        if row.kind == SECTION:
            cell = write_cell(sheet, row_number, 1, f"{row.number}. {row.activity}")
            cell.font = Font(bold=True)
            sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=columns)
            for column in range(1, columns + 1):
                sheet.cell(row_number, column).fill = SECTION_FILL
                sheet.cell(row_number, column).border = BORDER
            continue
        *numbers, percent = row.figure_cells(table.annual)
        values = [
            row.number,
            row.activity,
            row.unit,
            *numbers,
            # A fraction shown as a percentage: Excel computes with it like any number.
            percent / 100 if row.kind == FIGURES and percent is not None else None,
            row.responsible,
            row.note,
        ]
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row_number, column, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if FIRST_FIGURE_COLUMN <= column < percent_column:
                cell.number_format = "#,##0"
        sheet.cell(row_number, percent_column).number_format = "0.0%"
        sheet.cell(row_number, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=2 * row.level)

    row_number += 2
    write_cell(sheet, row_number, 2, f"{_('Director')}: ____________________  {table.director}")
    write_cell(sheet, row_number + 1, 2, f"{_('Date')}: {on:%d.%m.%Y}")

    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.oddFooter.right.text = _("Page &P of &N")

    if table.annual:
        _summary_sheet(book, table)
    else:
        _evidence_sheet(book, evidence)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_sheet(book: Workbook, table: ReportTable) -> None:
    """The annual report's summary: each section's indicators by status, and those not done."""
    sheet = book.create_sheet(_("Summary"))
    for column, width in enumerate([10, 40, 10, 70], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for summary in table.section_summaries():
        write_cell(sheet, row, 1, f"{summary.number}. {summary.title}").font = Font(bold=True)
        row += 1
        for label, count in summary.counts:
            write_cell(sheet, row, 2, label)
            write_cell(sheet, row, 3, count)
            row += 1
        write_cell(sheet, row, 2, _("Not done"))
        write_cell(sheet, row, 4, ", ".join(summary.not_done) or "–").alignment = WRAP
        row += 2


EVIDENCE_WIDTHS = [7, 50, 8, 34, 40, 14, 10, 17]


def _evidence_sheet(book: Workbook, evidence: Sequence[EvidenceLine]) -> None:
    """The quarter's evidence files: one row per file, under a frozen header."""
    sheet = book.create_sheet(_("Evidence files"))
    titles = [
        "№",
        _("Indicator"),
        _("Month"),
        _("Service"),
        _("File name"),
        _("Kind"),
        _("Size, KB"),
        _("Added"),
    ]
    for column, (text, width) in enumerate(zip(titles, EVIDENCE_WIDTHS, strict=True), start=1):
        cell = write_cell(sheet, 1, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, line in enumerate(evidence, start=2):
        values = [
            line.number,
            line.indicator,
            line.month,
            line.service,
            line.name,
            line.kind,
            round(line.size / 1024, 1),
            # Excel has no time zones: the time as the centre reads it.
            timezone.localtime(line.uploaded_at).replace(tzinfo=None),
        ]
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row, column, value)
            cell.border = BORDER
            cell.alignment = WRAP
        sheet.cell(row, 8).number_format = "dd.mm.yyyy hh:mm"
    if not evidence:
        write_cell(sheet, 2, 1, _("No files were attached to the quarter's figures."))
    sheet.freeze_panes = sheet.cell(2, 1)
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
