"""The consolidated report as files: the PDF in the district report's official layout (reports.pdf's
machinery: the shipped font, our own URL fetcher, running headers by element) and the XLSX with the
consolidated sheet and a districts × indicators sheet (common.sheet_writer)."""

from __future__ import annotations

import datetime
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.sheet_writer import write_cell
from plans.cyrillic import shown

from .consolidated import ConsolidatedTable
from .fetcher import STATIC_ORIGIN, StaticFilesFetcher
from .filenames import report_filename
from .pdf import _ReportHTML, _stylesheet, page_parts, version_line
from .tables import FIGURES, SECTION, figure_cells, figure_headers
from .xlsx import BORDER, HEADER_FILL, SECTION_FILL, WRAP


def consolidated_html(
    table: ConsolidatedTable, *, on: datetime.date, draft: bool, version: int | None = None
) -> str:
    return render_to_string(
        "reports/consolidated_pdf.html",
        {
            "table": table,
            "on": on,
            "draft": draft,
            "version_line": version_line(on=on, draft=draft, version=version),
            "page_of": page_parts(_("Page %(page)s of %(pages)s")),
        },
    )


def render_consolidated_pdf(
    table: ConsolidatedTable, *, on: datetime.date, draft: bool = False, version: int | None = None
) -> bytes:
    """A4 landscape: the title block, the districts missing or late, the table (its header on every
    page), the districts' own items, the signature; version and page X of Y on every page."""
    stylesheet, fonts = _stylesheet()
    document = _ReportHTML(
        string=consolidated_html(table, on=on, draft=draft, version=version),
        base_url=STATIC_ORIGIN,
        url_fetcher=StaticFilesFetcher(),
    )
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def consolidated_headers(annual: bool = False) -> list[str]:
    return [
        "№",
        _("Activity"),
        _("Unit"),
        _("How districts add up"),
        *figure_headers(annual),
        _("Districts counted"),
    ]


WIDTHS = [7, 60, 14, 24, 11, 11, 11, 13, 11, 11]
ANNUAL_WIDTHS = [7, 54, 12, 20, 11, 10, 10, 10, 10, 11, 11, 11]
HEADER_ROW = 3


def render_consolidated_xlsx(table: ConsolidatedTable, *, on: datetime.date) -> bytes:
    """Two sheets: the consolidated table (numbers as numbers), and each district's figure since
    January per template indicator. The plan's text and the names in the reader's script."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Consolidated")
    widths = ANNUAL_WIDTHS if table.annual else WIDTHS
    percent_column = 4 + len(table.figure_headers)
    write_cell(sheet, 1, 1, shown(table.title)).font = Font(bold=True, size=12)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.row_dimensions[1].height = 34
    write_cell(sheet, 2, 1, shown(table.region)).font = Font(italic=True)
    _header(sheet, consolidated_headers(table.annual), widths)
    number = HEADER_ROW
    for row in table.rows:
        number += 1
        if row.kind == SECTION:
            write_cell(sheet, number, 1, f"{row.number}. {shown(row.activity)}").font = Font(bold=True)
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(widths))
            sheet.cell(number, 1).fill = SECTION_FILL
            continue
        figures = row.kind == FIGURES
        *numbers, percent = figure_cells(row, table.annual)
        values = [
            row.number,
            shown(row.activity),
            shown(row.unit),
            row.aggregation_label,
            *numbers,
            percent / 100 if figures and percent is not None else None,
            row.districts if figures else None,
        ]
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, number, column, value)
            cell.border = BORDER
            cell.alignment = WRAP
        sheet.cell(number, percent_column).number_format = "0.0%"
    if table.own_rows:
        number += 2
        write_cell(sheet, number, 1, _("Districts' own items (not added up)")).font = Font(bold=True)
        for own in table.own_rows:
            number += 1
            for column, value in enumerate(
                [own.number, f"{shown(own.district)}: {shown(own.activity)}", shown(own.unit), "",
                 own.annual_target, *[None] * (len(table.figure_headers) - 4),
                 None if table.annual else own.done_in_quarter, own.done_to_date],
                start=1,
            ):  # fmt: skip
                write_cell(sheet, number, column, value).border = BORDER
    number += 2
    write_cell(sheet, number, 2, f"{_('Director')}: ____________________  {shown(table.director)}")
    write_cell(sheet, number + 1, 2, f"{_('Date')}: {on:%d.%m.%Y}")
    _print_setup(sheet)

    grid = book.create_sheet(_("Districts"))
    figure_rows = table.figure_rows()
    labels = [_indicator_name(table, row) for row in figure_rows]
    write_cell(grid, 1, 1, shown(table.title)).font = Font(bold=True)
    _header(grid, [_("Centre"), _("Report"), *labels], [40, 24, *[14] * len(labels)])
    for offset, district in enumerate(table.districts, start=1):
        values = [shown(district.name), district.source_label]
        values += [district.done_to_date.get(str(row.template_indicator_id)) for row in figure_rows]
        for column, value in enumerate(values, start=1):
            write_cell(grid, HEADER_ROW + offset, column, value).border = BORDER
    grid.freeze_panes = grid.cell(HEADER_ROW + 1, 3)
    _print_setup(grid)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _indicator_name(table: ConsolidatedTable, row) -> str:
    """A figures row named by its number, or by its item's number and its label."""
    if row.number:
        return f"{row.number}. {shown(row.activity)}"
    index = table.rows.index(row)
    parent = next((r for r in reversed(table.rows[:index]) if r.number and r.level < row.level), None)
    return f"{parent.number} ({shown(row.activity)})" if parent else shown(row.activity)


def _header(sheet, texts: list[str], widths: list[int]) -> None:
    for column, (text, width) in enumerate(zip(texts, widths, strict=True), start=1):
        cell = write_cell(sheet, HEADER_ROW, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_setup(sheet) -> None:
    sheet.freeze_panes = sheet.freeze_panes or sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.right.text = _("Page &P of &N")


def consolidated_filename(
    template, year: int, quarter: int, extension: str, version: int | None = None
) -> str:
    """The region's name with "yig‘ma" (consolidated), so it never takes its own report's name."""
    return report_filename(
        centre=f"{template.organization.name} yig‘ma",
        centre_id=template.organization_id,
        year=year,
        quarter=quarter,
        extension=extension,
        version=version,
    )
