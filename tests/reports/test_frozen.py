"""Frozen tables: the format version of a sent report's JSON, and tables stored in older formats."""

import dataclasses
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import Report, ReportVersion
from reports.pdf import render_pdf
from reports.tables import FORMAT, ROW_KEYS, UPGRADES, ReportRow, ReportTable, build_table
from reports.workflow import version_table

# A table as the code stored it before the format version (a v1 table, trimmed to nine rows of
# the demo's 2024 Q1 report: sections, a parent summing sub-items, headings, indicators, a note).
# Keep it as it is: it stands for the versions sent before, which nobody may rewrite.
V1_TABLE = """
{"centre": "Sharof Rashidov tuman axborot-kutubxona markazi", "director": "Direktor F. I. Sh.", "year": 2024, "quarter": 1, "rows": [
  {"kind": "section", "number": "I", "activity": "Ilmiy-metodik faoliyat", "level": 0, "unit": "", "annual_target": null, "quarter_target": null, "done_in_quarter": null, "done_to_date": null, "percent": null, "status": "", "services": [], "all_services": false, "note": "", "indicator_id": null},
  {"kind": "figures", "number": "1", "activity": "Me’yoriy-uslubiy hujjatlar, metodik qo‘llanmalar, metodik-bibliografik qo‘llanmalarni ishlab chiqish, nashr etish, veb-saytga joylashtirish", "level": 0, "unit": "Hujjat", "annual_target": 2, "quarter_target": 0, "done_in_quarter": 1, "done_to_date": 1, "percent": 50.0, "status": "on_track", "services": ["Axborot-bibliografiya xizmati", "Axborot-kommunikatsiya texnologiyalari va raqamlashtirish xizmati"], "all_services": false, "note": "", "indicator_id": 1},
  {"kind": "section", "number": "III", "activity": "Asosiy ishlab chiqarish faoliyati", "level": 0, "unit": "", "annual_target": null, "quarter_target": null, "done_in_quarter": null, "done_to_date": null, "percent": null, "status": "", "services": [], "all_services": false, "note": "", "indicator_id": null},
  {"kind": "figures", "number": "12", "activity": "Axborot-kutubxona fondlarini to‘ldirish", "level": 0, "unit": "Nusxa", "annual_target": 1170, "quarter_target": 292, "done_in_quarter": 123, "done_to_date": 123, "percent": 10.512820512820513, "status": "behind", "services": [], "all_services": false, "note": "", "indicator_id": null},
  {"kind": "figures", "number": "12.1", "activity": "Majburiy nusxa", "level": 1, "unit": "Nusxa", "annual_target": 20, "quarter_target": 5, "done_in_quarter": 3, "done_to_date": 3, "percent": 15.0, "status": "behind", "services": ["Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"], "all_services": false, "note": "", "indicator_id": 12},
  {"kind": "heading", "number": "12.4", "activity": "Sovg‘a tariqasida", "level": 1, "unit": "Nusxa", "annual_target": null, "quarter_target": null, "done_in_quarter": null, "done_to_date": null, "percent": null, "status": "", "services": ["Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"], "all_services": false, "note": "", "indicator_id": null},
  {"kind": "heading", "number": "13", "activity": "Tuman axborot-kutubxona markazlarida Yig‘ma elektron katalog tizimida bibliografik yozuvlar bilan ishlash.", "level": 0, "unit": "Bibliografik yozuv", "annual_target": null, "quarter_target": null, "done_in_quarter": null, "done_to_date": null, "percent": null, "status": "", "services": ["Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"], "all_services": false, "note": "", "indicator_id": null},
  {"kind": "figures", "number": "", "activity": "Vaqtinchalik yozuvlar bazasida: bibliografik yozuv yaratish", "level": 1, "unit": "Bibliografik yozuv", "annual_target": 5312, "quarter_target": 1328, "done_in_quarter": 205, "done_to_date": 205, "percent": 3.8591867469879517, "status": "behind", "services": ["Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"], "all_services": false, "note": "Sabab: ma’lumot kech keldi", "indicator_id": 17},
  {"kind": "figures", "number": "", "activity": "Asosiy yozuvlar bazasida: nusxa qo‘shish", "level": 1, "unit": "Bibliografik yozuv", "annual_target": 4620, "quarter_target": 1155, "done_in_quarter": 251, "done_to_date": 251, "percent": 5.432900432900433, "status": "behind", "services": ["Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"], "all_services": false, "note": "", "indicator_id": 18}
]}
"""  # noqa: E501


def _v1() -> dict:
    return json.loads(V1_TABLE)


def test_a_table_is_stored_with_its_format_version(plan_2024):
    stored = build_table(plan_2024, 1).to_json()
    assert stored["format"] == FORMAT == 3
    assert set(stored["rows"][0]) == set(ROW_KEYS)


def test_every_field_of_a_row_is_stored():
    assert set(ROW_KEYS) == {field.name for field in dataclasses.fields(ReportRow)}


def test_a_stored_table_reads_back_equal(plan_2024):
    table = build_table(plan_2024, 1)
    assert ReportTable.from_json(json.loads(json.dumps(table.to_json()))) == table


def test_the_v1_reader_gives_the_current_format():
    upgraded = UPGRADES[1](_v1())
    assert upgraded["format"] == 2
    assert upgraded["rows"] == _v1()["rows"]


def test_a_v1_table_reads_as_it_was_sent():
    table = ReportTable.from_json(_v1())
    assert (table.centre, table.director, table.year, table.quarter) == (
        "Sharof Rashidov tuman axborot-kutubxona markazi",
        "Direktor F. I. Sh.",
        2024,
        1,
    )
    assert [row.number for row in table.rows][:6] == ["I", "1", "III", "12", "12.1", "12.4"]
    parent = table.rows[3]
    assert (parent.kind, parent.annual_target, parent.done_to_date) == ("figures", 1170, 123)
    noted = table.rows[7]
    assert (noted.note, noted.indicator_id, noted.needs_note) == (
        "Sabab: ma’lumot kech keldi",
        17,
        True,
    )
    assert table.rows[1].services == [
        "Axborot-bibliografiya xizmati",
        "Axborot-kommunikatsiya texnologiyalari va raqamlashtirish xizmati",
    ]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="Unknown format"):
        ReportTable.from_json({**_v1(), "format": 99})


@pytest.fixture
def v1_version(plan_2024, demo):
    """A version sent before the format version: its table stored in format 1."""
    report = Report.objects.create(
        plan=plan_2024, quarter=1, state=Report.State.SUBMITTED, first_submitted_on=datetime.date(2024, 4, 3)
    )
    return ReportVersion.objects.create(
        report=report,
        number=1,
        table=_v1(),
        pdf=b"%PDF-1.7 as sent",
        language="uz",
        submitted_by=demo.users["direktor"],
        submitted_at=timezone.now(),
        submitted_on=datetime.date(2024, 4, 3),
    )


def test_a_v1_version_renders_as_html(client, demo, v1_version):
    client.force_login(demo.users["direktor"])
    page = client.get(reverse("reports:detail", kwargs={"plan_id": v1_version.report.plan_id, "quarter": 1}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vaqtinchalik yozuvlar bazasida: bibliografik yozuv yaratish" in text
    assert "Sabab: ma’lumot kech keldi" in text
    assert "Kitob almashinuvi asosida" not in text  # a row the live table has, the sent one does not


def test_a_v1_version_renders_as_xlsx(client, demo, v1_version):
    client.force_login(demo.users["direktor"])
    kwargs = {"plan_id": v1_version.report.plan_id, "quarter": 1, "number": 1}
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:version_xlsx", kwargs=kwargs)).content)
    ).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert ["12", "Axborot-kutubxona fondlarini to‘ldirish", "Nusxa", 1170, 292, 123, 123] == rows[3][:7]
    printed = [
        row[0]
        if row[0] in ("I. Ilmiy-metodik faoliyat", "III. Asosiy ishlab chiqarish faoliyati")
        else row[1]
        for row in rows
    ]
    assert printed[:9] == [
        row["activity"] if row["kind"] != "section" else f"{row['number']}. {row['activity']}"
        for row in _v1()["rows"]
    ]


def test_a_v1_version_renders_as_pdf(v1_version):
    with translation.override("uz"):
        content = render_pdf(version_table(v1_version), on=v1_version.submitted_on, version=1)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "1170 292 123 123 10,5" in text
    assert "Sabab: ma’lumot kech keldi" in text
    assert "1-versiya, 03.04.2024 da yuborilgan" in text
