"""The quarterly report's DOCX and the plan document (DOCX and PDF) in Uzbek Cyrillic, read back:
Cyrillic words, and no Latin Uzbek left of the plan or of the fixed labels."""
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.consolidated import build_consolidated
from reports.consolidated_files import render_consolidated_xlsx
from reports.docx import render_docx
from reports.plan_document import plan_document, plan_docx, plan_pdf
from reports.tables import build_table
from tests.reports.consolidated_world import build_region, send_district

from .test_pages import cyrillic_client, latin_words

pytestmark = pytest.mark.django_db
ON = datetime.date(2024, 4, 3)


def docx_text(content: bytes) -> str:
    """Every paragraph, table cell and footer of a Word document, one line each."""
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        lines += [paragraph.text for paragraph in section.footer.paragraphs]
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_quarterly_docx_in_cyrillic(plan_2024):
    with translation.override("uz-cyrl"):
        text = docx_text(render_docx(build_table(plan_2024, 1), on=ON))
    assert "Шароф Рашидов туман ахборот-кутубхона маркази" in text
    assert "2024 йил I чорак" in text
    assert "Ахборот-библиография хизмати" in text
    assert "Директор" in text and "Сана: 03.04.2024" in text
    assert latin_words(text, set()) == set()


def test_the_quarterly_docx_in_latin_is_as_stored(plan_2024):
    with translation.override("uz"):
        text = docx_text(render_docx(build_table(plan_2024, 1), on=ON))
    assert "Axborot-bibliografiya xizmati" in text
    assert "Шароф" not in text
    assert {"xizmati", "chorak"} <= latin_words(text, set())  # the check sees Latin Uzbek


def test_the_plan_docx_in_cyrillic(plan_2024):
    with translation.override("uz-cyrl"):
        text = docx_text(plan_docx(plan_document(plan_2024)))
    assert "ТАСДИҚЛАЙМАН" in text
    assert "Шароф Рашидов туман ахборот-кутубхона марказининг 2024 йил учун иш режаси" in text
    assert "Масъул хизмат" in text and "Ахборот-библиография хизмати" in text
    assert latin_words(text, set()) == set()


def test_the_plan_pdf_in_cyrillic(plan_2024):
    with translation.override("uz-cyrl"):
        text = pdf_text(plan_pdf(plan_document(plan_2024)))
    assert "ТАСДИҚЛАЙМАН" in text
    assert "Шароф Рашидов туман ахборот-кутубхона марказининг 2024 йил учун иш режаси" in text
    assert "Ахборот-библиография хизмати" in text
    assert latin_words(text, set()) == set()


def test_the_plan_document_downloads_in_the_readers_script(client, demo):
    cyrillic_client(client, demo.users["direktor"])
    docx = client.get(reverse("reports:plan-document-docx", kwargs={"plan_id": demo.plan.pk}))
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "ТАСДИҚЛАЙМАН"
    pdf = client.get(reverse("reports:plan-document-pdf", kwargs={"plan_id": demo.plan.pk}))
    assert "ТАСДИҚЛАЙМАН" in pdf_text(pdf.content)
    report = client.get(reverse("reports:docx", kwargs={"plan_id": demo.plan.pk, "quarter": 1}))
    assert "чорак" in docx_text(report.content)


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def test_the_consolidated_xlsx_in_cyrillic():
    region = build_region(3)
    send_district(region, 0)
    table = build_consolidated(region.template, 1)
    with translation.override("uz-cyrl"):
        text = xlsx_text(render_consolidated_xlsx(table, on=ON))
    assert "чорак" in text
    assert latin_words(text, set()) == set()


def visible_cells(sheet) -> str:
    """What a reader sees of a month sheet: the hidden identity row and id columns are codes."""
    hidden_columns = {key for key, dimension in sheet.column_dimensions.items() if dimension.hidden}
    return "\n".join(
        str(cell.value)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
        and not sheet.row_dimensions[cell.row].hidden
        and cell.column_letter not in hidden_columns
    )


def test_the_month_sheet_in_cyrillic_reads_back_and_uploads_changed(client, demo):
    from plans.models import Actual, Indicator
    from plans.month_sheet import NOTE, VALUE
    from tests.plans.test_month_sheet import confirm, download, fill, line_of, upload

    from .test_pages import people

    abonement = demo.service("abonement")
    cyrillic_client(client, demo.users["xodim-abonement"])
    book = download(client, demo.plan, 4, abonement)
    sheet = book.active
    text = visible_cells(sheet)
    assert "Шароф Рашидов туман ахборот-кутубхона маркази" in sheet.cell(1, 1).value
    assert "Ой" == sheet.title
    assert "Йиллик режа" in text
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    assert sheet.cell(line_of(sheet, visitors.pk), 2).value == "Китобхонлар қатновининг ҳисобини олиб бориш"
    assert latin_words(text, people(demo)) == set()

    preview = upload(client, demo.plan, 4, abonement, fill(book, {visitors.pk: (130, "Кутубхона куни")}))
    assert preview.status_code == 200
    assert [(c.row.indicator, c.new_value) for c in preview.context["changes"]] == [(visitors, 130)]
    assert latin_words(preview.content.decode(), people(demo)) == set()
    assert confirm(client, demo.plan, 4, abonement, preview).status_code == 302
    saved = Actual.objects.get(indicator=visitors, month=4, service=abonement)
    assert (saved.value, saved.note) == (130, "Кутубхона куни")

    # Downloaded again in Cyrillic, the note is as saved and the sheet still reads back.
    sheet = download(client, demo.plan, 4, abonement).active
    assert sheet.cell(line_of(sheet, visitors.pk), NOTE).value == "Кутубхона куни"
    assert sheet.cell(line_of(sheet, visitors.pk), VALUE).value == 130


def test_a_refused_month_sheet_says_why_in_cyrillic(client, demo):
    from tests.plans.test_month_sheet import urls

    from .test_pages import people

    abonement = demo.service("abonement")
    cyrillic_client(client, demo.users["xodim-abonement"])
    not_a_sheet = io.BytesIO(b"PK\x03\x04 not a workbook")
    not_a_sheet.name = "oy.xlsx"
    response = client.post(urls(demo.plan, 4, abonement)["sheet-upload"], {"sheet": not_a_sheet})
    assert response.status_code == 400
    assert latin_words(response.content.decode(), people(demo)) == set()
    assert "XLSX" in response.content.decode()
