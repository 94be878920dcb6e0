"""The quarterly report as a Word document: the same table as the PDF and the XLSX (reports.tables),
for centres that edit the report before signing it.

Text goes in as python-docx runs (never as markup), so whatever a note holds stays text. The words
are in the active language, the plan's text in the reader's script (ReportTable.in_reader_script).
"""

from __future__ import annotations

import datetime
import io

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .tables import SECTION, ReportRow, ReportTable
from .xlsx import headers

# Column widths in centimetres on A4 landscape (27.7 cm between the margins), in the table's order:
# a quarter's, the annual report's.
WIDTHS_CM = (1.2, 7.0, 2.0, 1.8, 1.8, 1.8, 2.0, 1.8, 4.3, 4.0)
ANNUAL_WIDTHS_CM = (1.0, 6.2, 1.8, 1.6, 1.4, 1.4, 1.4, 1.4, 1.6, 1.5, 3.6, 4.8)


def _whole(value: int | None) -> str:
    return "" if value is None else str(value)


def figures(row: ReportRow, annual: bool = False) -> list[str]:
    """A row's cells as the document prints them, in headers(annual)' order."""
    *numbers, percent = row.figure_cells(annual)
    return [
        row.number,
        row.activity,
        row.unit,
        *(_whole(number) for number in numbers),
        number_format(percent, 1) if percent is not None else "",
        row.responsible,
        row.note,
    ]


def render_docx(table: ReportTable, *, on: datetime.date) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    from .plan_document import page_numbers

    table = table.in_reader_script()
    word = Document()
    word.styles["Normal"].font.name = "Times New Roman"
    word.styles["Normal"].font.size = Pt(9)
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.0)
    section.top_margin = section.bottom_margin = Cm(1.4)

    centre = word.add_paragraph(table.centre)
    centre.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(table.short_title)
    run.bold = True
    run.font.size = Pt(12)

    columns = headers(table.annual)
    grid = word.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(grid.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        cells = grid.add_row().cells
        if row.kind == SECTION:
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(f"{row.number}. {row.activity}").bold = True
            continue
        for column, (cell, text) in enumerate(zip(cells, figures(row, table.annual), strict=True)):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if 3 <= column < 3 + len(table.figure_headers):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.level:
            cells[1].paragraphs[0].paragraph_format.left_indent = Cm(0.4 * row.level)
    for column, width in zip(grid.columns, ANNUAL_WIDTHS_CM if table.annual else WIDTHS_CM, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)

    if table.annual:
        _summary(word, table)

    signature = word.add_paragraph()
    signature.paragraph_format.space_before = Pt(18)
    signature.add_run(f"{_('Director')}: ____________________  {table.director}")
    word.add_paragraph(f"{_('Date')}: {on:%d.%m.%Y}")
    page_numbers(section, _("Page %(page)s of %(pages)s"))

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _summary(word, table: ReportTable) -> None:
    """The annual report's summary under the table: per section, its indicators by status and
    those not done."""
    word.add_paragraph().add_run(_("Summary by section")).bold = True
    for summary in table.section_summaries():
        word.add_paragraph().add_run(f"{summary.number}. {summary.title}").bold = True
        counts = "; ".join(f"{label}: {count}" for label, count in summary.counts)
        word.add_paragraph(counts or "–")
        word.add_paragraph(f"{_('Not done')}: {', '.join(summary.not_done) or '–'}")
