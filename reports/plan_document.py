"""The annual plan as the official document: "TASDIQLAYMAN" block, title, the seed's table.

One set of rows (`plan_document`) is laid out as a PDF (WeasyPrint, through reports.pdf and its
fetcher) and as a DOCX (python-docx) that centres edit before printing. The document speaks
Uzbek whatever the interface's language, as the plans are printed and signed in Uzbek: in Latin,
or in Cyrillic for readers of Ўзбекча (the fixed words from the uz-cyrl catalogue, the plan's text
through plans.cyrillic.shown). Its table is the layout plans.word_plan reads: a DOCX written here
in Latin reads back as the same plan.

The table's figure column is the annual target: a parent item prints "jami N", the sum of its
sub-items' targets; an item of several indicators prints them on the rows below it, labelled in
the activity column; `-` is no target. The second figure column ("Bajarildi") is left for the
centre to fill, as in the printed plans.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dates import MONTHS_ALT
from django.utils.translation import pgettext

from plans.cyrillic import CYRILLIC, fresh_corrections, reads_cyrillic, shown
from plans.exchange import plan_to_dict
from plans.models import Plan

from .pdf import html_to_pdf, page_parts

DOCUMENT_LANGUAGE = "uz"
PLAN_STYLESHEET = "css/plan_document.css"


@dataclass(frozen=True)
class DocumentRow:
    kind: str  # "section", "item" or "indicator"
    number: str = ""
    title: str = ""
    unit: str = ""
    figure: str = ""
    steps: list[str] = field(default_factory=list)
    deadline: str = ""
    services: list[str] = field(default_factory=list)
    level: int = 0


@dataclass(frozen=True)
class PlanDocument:
    language: str  # DOCUMENT_LANGUAGE, or CYRILLIC for readers of Ўзбекча
    centre: str
    director: str
    year: int
    approved_on: datetime.date | None
    approve_word: str
    director_word: str
    title: str
    columns: list[str]
    rows: list[DocumentRow]
    date_line: str
    signature_line: str
    page_of: str


def _figure(target: int | None) -> str:
    return "-" if target is None else str(target)


def approval_date(plan: Plan) -> datetime.date | None:
    """The day the plan was approved, in the local clock (`Plan.approved_at`); None for a draft."""
    return timezone.localdate(plan.approved_at) if plan.approved_at else None


def _date_line(approved_on: datetime.date | None, year: int) -> str:
    """«15» yanvar 2024-yil; the blank «____» line of the plan's year for a draft."""
    if approved_on is None:
        return pgettext("plan document", "«____» ____________ %(year)s-year") % {"year": year}
    return pgettext("plan document", "«%(day)s» %(month)s %(year)s-year") % {
        "day": f"{approved_on.day:02d}",
        "month": str(MONTHS_ALT[approved_on.month]).lower(),
        "year": approved_on.year,
    }


def plan_document(plan: Plan, *, approved_on: datetime.date | None = None) -> PlanDocument:
    """The document's words and rows, in Uzbek: in Cyrillic when the active language is Ўзбекча.
    The TASDIQLAYMAN block's date is `approved_on`, by default the plan's approval date; a draft
    prints the blank «____» line."""
    approved_on = approved_on or approval_date(plan)
    data = plan_to_dict(plan)
    language = CYRILLIC if reads_cyrillic() else DOCUMENT_LANGUAGE
    fresh_corrections()
    with translation.override(language):
        all_services = pgettext("plan document", "all services")
        rows: list[DocumentRow] = []
        for section in data["sections"]:
            rows.append(DocumentRow("section", number=section["number"], title=shown(section["title"])))
            sums: dict[str, int | None] = {}
            for item in section["items"]:
                if item["parent"]:
                    total = sum(ind["annual_target"] or 0 for ind in item["indicators"])
                    known = any(ind["annual_target"] is not None for ind in item["indicators"])
                    previous = sums.get(item["parent"])
                    sums[item["parent"]] = (previous or 0) + total if known else previous
            for item in section["items"]:
                indicators = item["indicators"]
                single = len(indicators) == 1 and not indicators[0]["label"]
                if single:
                    figure = _figure(indicators[0]["annual_target"])
                elif item["number"] in sums and sums[item["number"]] is not None:
                    figure = pgettext("plan document", "total %(sum)s") % {"sum": sums[item["number"]]}
                else:
                    figure = ""
                services = [shown(service) for service in item["services"]]
                if item["all_services"]:
                    services.append(all_services)
                rows.append(
                    DocumentRow(
                        "item",
                        number=item["number"],
                        title=shown(item["title"]),
                        unit=shown(item["unit"]),
                        figure=figure,
                        steps=[shown(line) for line in item["steps"].split("\n") if line.strip()],
                        deadline=shown(item["deadline"]),
                        services=services,
                        level=1 if item["parent"] else 0,
                    )
                )
                if not single:
                    rows.extend(
                        DocumentRow(
                            "indicator",
                            title=shown(ind["label"]),
                            figure=_figure(ind["annual_target"]),
                            level=2 if item["parent"] else 1,
                        )
                        for ind in indicators
                    )
        date = _date_line(approved_on, plan.year)
        centre = shown(data["centre"])
        return PlanDocument(
            language=language,
            centre=centre,
            director=shown(plan.organization.director_name),
            year=plan.year,
            approved_on=approved_on,
            approve_word=pgettext("plan document", "I APPROVE"),
            director_word=pgettext("plan document", "Director of %(centre)s") % {"centre": centre},
            title=pgettext("plan document", "Work plan of %(centre)s for %(year)s")
            % {"centre": centre, "year": plan.year},
            columns=[
                pgettext("plan document", "No."),
                pgettext("plan document", "Name of the work to be done"),
                pgettext("plan document", "Unit of measure"),
                pgettext("plan document", "Plan"),
                pgettext("plan document", "Done"),
                pgettext("plan document", "Mechanism of implementation"),
                pgettext("plan document", "Deadline"),
                pgettext("plan document", "Responsible service"),
            ],
            rows=rows,
            date_line=date,
            signature_line="____________________",
            page_of=pgettext("plan document", "Page %(page)s of %(pages)s"),
        )


# --- PDF ----------------------------------------------------------------------------------------


def plan_pdf(document: PlanDocument) -> bytes:
    html = render_to_string(
        "plans/plan_document.html",
        {"document": document, "page_of": page_parts(document.page_of), "language": document.language},
    )
    return html_to_pdf(html, PLAN_STYLESHEET)


# --- DOCX ---------------------------------------------------------------------------------------

# Column widths in centimetres on A4 landscape (27.7 cm between the margins).
WIDTHS_CM = (1.3, 7.0, 2.2, 1.6, 1.6, 6.4, 3.2, 4.4)


def plan_docx(document: PlanDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    word = Document()
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.0))
    section.top_margin = section.bottom_margin = Cm(1.5)

    for text, bold in (
        (document.approve_word, True),
        (document.director_word, False),
        (f"{document.signature_line} {document.director}".strip(), False),
        (document.date_line, False),
    ):
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(text).bold = bold
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(12)
    run = heading.add_run(document.title)
    run.bold = True
    run.font.size = Pt(13)

    table = word.add_table(rows=1, cols=len(document.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    # The header row is printed again at the top of every page.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, document.columns, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in document.rows:
        cells = table.add_row().cells
        if row.kind == "section":
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(f"{row.number}. {row.title}").bold = True
            merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        _lines(cells[0], [row.number])
        _lines(cells[1], [row.title])
        if row.level:
            cells[1].paragraphs[0].paragraph_format.left_indent = Cm(0.4 * row.level)
        _lines(cells[2], [row.unit])
        _lines(cells[3], [row.figure])
        _lines(cells[5], row.steps)
        _lines(cells[6], [row.deadline])
        _lines(cells[7], row.services)
    for column, width in zip(table.columns, WIDTHS_CM, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)

    page_numbers(section, document.page_of)

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _lines(cell, lines: list[str]) -> None:
    """Each line a paragraph of the cell (steps and services are read back line by line)."""
    lines = [line for line in lines if line] or [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def page_numbers(section, template: str) -> None:
    """ "Page X of Y" (a translated template naming %(page)s and %(pages)s) in the section's footer,
    X and Y as Word fields, so that Word counts the pages after any edit."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, counter in page_parts(template):
        footer.add_run(text)
        if counter:
            _field(footer, "PAGE" if counter == "counter-page" else "NUMPAGES")


def _field(paragraph, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, instruction, end])
