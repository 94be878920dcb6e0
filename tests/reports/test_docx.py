"""The quarterly report as a Word document, read back with python-docx: the same figures as the
figures selector (and so as the PDF and XLSX), the title, the signature, page numbers."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from plans.figures import indicator_figures
from reports.docx import figures, render_docx
from reports.tables import SECTION, build_table

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 4, 3)


@pytest.fixture
def document(plan_2024):
    with translation.override("uz"):
        return Document(io.BytesIO(render_docx(build_table(plan_2024, 1), on=ON)))


def test_every_figure_matches_the_selector(plan_2024, document):
    table = build_table(plan_2024, 1)
    rows = document.tables[0].rows[1:]
    assert len(rows) == len(table.rows)
    figures_by_id = {figure.indicator.pk: figure for figure in indicator_figures(plan_2024, 3)}
    checked = 0
    for printed, row in zip(rows, table.rows, strict=True):
        cells = [cell.text for cell in printed.cells]
        if row.kind == SECTION:
            assert cells[0] == f"{row.number}. {row.activity}"
            continue
        assert cells == figures(row)
        if row.indicator_id is None:
            continue
        figure = figures_by_id[row.indicator_id]
        expected = [figure.annual_target, figure.quarter_target, figure.done_in_quarter, figure.done_to_date]
        assert cells[3:7] == ["" if value is None else str(value) for value in expected]
        checked += 1
    assert checked == len(figures_by_id)


def test_title_header_signature_and_page_numbers(plan_2024, document):
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == plan_2024.organization.name
    assert paragraphs[1] == "2024-yil I chorak ish rejasi bajarilishi to‘g‘risida hisobot"
    assert any("Direktor F. I. Sh." in text for text in paragraphs)
    assert "Sana: 03.04.2024" in paragraphs
    assert document.tables[0].rows[0].cells[0].text == "№"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_the_report_downloads_as_docx(client, demo):
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("reports:docx", kwargs={"plan_id": demo.plan.pk, "quarter": 1}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sharof-rashidov')
    assert ".docx" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).tables[0].rows[0].cells[0].text == "№"
