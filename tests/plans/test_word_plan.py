"""A plan from a Word file (plans/word_plan.py, import_plan FILE.docx) and the plan as a document
(reports/plan_document.py): the round trip, the seed's layout, every problem and refusal."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from demo.district import PLAN_FILE
from plans.exchange import plan_to_dict
from plans.locks import MonthState
from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Target
from plans.selectors import entry_window
from plans.word_plan import ColumnsUnknown, WordPlanRefused, read_word_plan
from reports.plan_document import plan_document, plan_docx, plan_pdf
from services.models import Organization, Service
from tests.word_files import AB, FOND, SEED_HEADER, SEED_ROWS, word_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are compared as written in the code (the document itself is Uzbek whatever the
    language)."""
    with translation.override("en"):
        yield


NEW_CENTRE = "Sinov tuman axborot-kutubxona markazi"


def counts():
    return [
        m.objects.count()
        for m in (Organization, Service, Plan, Section, Deadline, PlanItem, Indicator, Target)
    ]


def without_notes(data):
    """The plan as compared after a round trip through Word: no notes (the printed table has no
    column for them), and an item's services as a set (a new centre numbers its services in the
    order the table names them)."""
    for section in data["sections"]:
        for item in section["items"]:
            item.pop("note")
            item["services"] = sorted(item["services"])
    return data


def import_docx(tmp_path, content, *args):
    path = tmp_path / "reja.docx"
    path.write_bytes(content)
    call_command("import_plan", str(path), *args)


# --- The round trip ------------------------------------------------------------------------------


def test_the_plan_document_reads_back_as_the_same_plan(tmp_path, plan_2024):
    """The 2024 fixture → the DOCX in the seed's layout → import_plan into a new centre → the same
    plan (notes aside: the printed table has no column for them)."""
    import_docx(tmp_path, plan_docx(plan_document(plan_2024)), "--centre", NEW_CENTRE, "--year", "2025",
                "--create-centre")  # fmt: skip
    copy = Plan.objects.get(organization__name=NEW_CENTRE, year=2025)
    expected = without_notes(json.loads(PLAN_FILE.read_text(encoding="utf-8")))
    got = without_notes(plan_to_dict(copy))
    assert got["sections"] == expected["sections"]
    assert sorted(got["services"]) == sorted(expected["services"])


def test_the_round_trip_into_the_same_centre_uses_its_services(tmp_path, plan_2024):
    services = Service.objects.count()
    import_docx(tmp_path, plan_docx(plan_document(plan_2024)), "--centre", plan_2024.organization.name,
                "--year", "2025")  # fmt: skip
    assert Service.objects.count() == services
    copy = Plan.objects.own().get(organization=plan_2024.organization, year=2025)
    assert without_notes(plan_to_dict(copy))["sections"] == without_notes(plan_to_dict(plan_2024))["sections"]


def test_an_imported_plan_is_a_draft_unless_approved(tmp_path, plan_2024):
    content = plan_docx(plan_document(plan_2024))
    import_docx(tmp_path, content, "--centre", NEW_CENTRE, "--year", "2025", "--create-centre")
    draft = Plan.objects.get(organization__name=NEW_CENTRE, year=2025)
    assert (draft.approved_at, draft.approved_by) == (None, None)
    assert entry_window(draft, 1).state == MonthState.DRAFT


def test_approved_marks_the_imported_plan_approved_today_and_opens_entry(tmp_path, plan_2024, settings):
    settings.AKM_TODAY = datetime.date(2025, 2, 3)
    content = plan_docx(plan_document(plan_2024))
    out = io.StringIO()
    path = tmp_path / "reja.docx"
    path.write_bytes(content)
    call_command("import_plan", str(path), "--centre", NEW_CENTRE, "--year", "2025", "--create-centre",
                 "--approved", stdout=out)  # fmt: skip
    plan = Plan.objects.get(organization__name=NEW_CENTRE, year=2025)
    assert plan.is_approved and plan.approved_by is None
    assert timezone.localdate(plan.approved_at) == datetime.date(2025, 2, 3)
    assert "Approved on 2025-02-03" in out.getvalue()
    assert entry_window(plan, 1).state == MonthState.OPEN
    # The TASDIQLAYMAN block prints the day.
    assert plan_document(plan).approved_on == datetime.date(2025, 2, 3)


def test_approved_on_records_the_day_the_director_signed(tmp_path, plan_2024):
    import_docx(tmp_path, plan_docx(plan_document(plan_2024)), "--centre", NEW_CENTRE, "--year", "2025",
                "--create-centre", "--approved-on", "2024-03-28")  # fmt: skip
    plan = Plan.objects.get(organization__name=NEW_CENTRE, year=2025)
    assert timezone.localdate(plan.approved_at) == datetime.date(2024, 3, 28)


def test_approved_on_in_the_future_is_refused_and_nothing_is_written(tmp_path, plan_2024):
    before = counts()
    with pytest.raises(CommandError, match="in the future"):
        import_docx(tmp_path, plan_docx(plan_document(plan_2024)), "--centre", NEW_CENTRE, "--year", "2025",
                    "--create-centre", "--approved-on", "2024-04-04")  # fmt: skip
    assert counts() == before


def test_centre_and_year_come_from_the_documents_title(tmp_path, plan_2024):
    content = plan_docx(plan_document(plan_2024))
    name = plan_2024.organization.name
    Organization.objects.filter(pk=plan_2024.organization_id).update(name="Eski nom")
    import_docx(tmp_path, content, "--create-centre")
    assert Plan.objects.get(organization__name=name).year == 2024


# --- The seed's layout -----------------------------------------------------------------------------


def test_a_table_typed_as_the_seed_prints_it():
    plan = read_word_plan(word_table(SEED_ROWS), services=[AB, FOND])
    assert plan.year == 2025 and plan.centre == NEW_CENTRE
    data = plan.plan_data(year=2025, centre=NEW_CENTRE)
    first, second = data["sections"]
    assert (first["number"], first["title"]) == ("I", "Ilmiy-metodik faoliyat")
    assert second["number"] == "II"
    one = first["items"][0]
    # The steps' rest, on a row of its own after a page break, joins the item's steps.
    assert one["steps"] == "1. Tartibni belgilash;\n2. Ma’lumot yig‘ish\n3. Chop etish"
    assert one["services"] == [AB] and one["all_services"] is True
    # "Bajarildi" is not read: the target is the first figure.
    assert one["indicators"] == [{"label": "", "annual_target": 2}]
    items = {item["number"]: item for item in second["items"]}
    assert items["12"]["indicators"] == [] and items["12"]["parent"] is None
    assert items["12.1"]["parent"] == "12" and items["12.1"]["indicators"] == [
        {"label": "", "annual_target": 20}
    ]
    # The deadline merged down the rows applies to each.
    assert items["12.4"]["deadline"] == "2025-yil davomida"
    assert items["12.4"]["indicators"] == [
        {"label": "Jismoniy shaxslar", "annual_target": 900},
        {"label": "Yuridik shaxslar", "annual_target": None},
    ]
    # 18.1 without an 18: an item of its own, said so; "-" is no target.
    assert items["18.1"]["parent"] is None and items["18.1"]["indicators"] == [
        {"label": "", "annual_target": None}
    ]
    row_18_1 = next(row for row in plan.rows if row.number == "18.1")
    assert [p.blocking for p in row_18_1.problems] == [False]
    # "jami 1170" is a check of 20 + 250 + 900, not a figure of its own.
    row_12 = next(row for row in plan.rows if row.number == "12")
    assert row_12.check == 1170 and row_12.problems == []
    assert not plan.blocking


def test_a_section_numbered_twice_is_read_by_its_place_as_in_the_2024_plan():
    rows = [
        row if row != "II. Asosiy ishlab chiqarish faoliyati" else "I. Asosiy ishlab chiqarish faoliyati"
        for row in SEED_ROWS
    ]
    plan = read_word_plan(word_table(rows), services=None)
    second = [row for row in plan.rows if row.kind == "section"][1]
    assert second.number == "II"
    assert [(p.text, p.blocking) for p in second.problems] == [
        ("a second section I: read as section II.", False)
    ]
    rows = ["II. Bir", *SEED_ROWS[1:3], "II. Ikki", *SEED_ROWS[4:]]
    twice = [row for row in read_word_plan(word_table(rows), services=None).rows if row.kind == "section"][1]
    assert [(p.text, p.blocking) for p in twice.problems] == [("section II appears twice.", True)]


def test_jami_mismatch_is_reported_and_a_matching_one_is_not():
    rows = [
        row if isinstance(row, str) or row[0] != "12" else [*row[:3], "jami 1000", *row[4:]]
        for row in SEED_ROWS
    ]
    row_12 = next(row for row in read_word_plan(word_table(rows), services=None).rows if row.number == "12")
    assert [(p.text, p.blocking) for p in row_12.problems] == [
        ("the row prints 1000, but its parts add up to 1170.", False)
    ]
    matching = next(
        row for row in read_word_plan(word_table(SEED_ROWS), services=None).rows if row.number == "12"
    )
    assert matching.problems == []


def test_header_words_vary_between_centres():
    header = ["№", "Amalga oshiriladigan ishlar nomi", "O'lchov birligi", "Rejada", "Bajarilgan",
              "Amalga oshirish mexanizmi", "Bajarish muddati", "Mas'ul"]  # fmt: skip
    plan = read_word_plan(word_table(SEED_ROWS, header=header, column_numbers=False), services=None)
    assert plan.roles == ["number", "title", "unit", "target", "done", "steps", "deadline", "services"]
    assert len([row for row in plan.rows if row.kind == "item"]) == 6


def test_a_header_of_two_rows_with_the_figures_under_one_heading():
    header = ["T/r", "Tadbirlar nomi", "O‘lchov birligi", "Ko‘rsatkichlar", "Ko‘rsatkichlar",
              "Amalga oshirish mexanizmi", "Muddatlari", "Mas’ul xizmatlar"]  # fmt: skip
    second = ["", "", "", "Reja", "Bajarildi", "", "", ""]
    plan = read_word_plan(
        word_table([second, *SEED_ROWS], header=header, column_numbers=False), services=None
    )
    assert plan.roles == ["number", "title", "unit", "target", "done", "steps", "deadline", "services"]
    assert plan.rows[0].kind == "section"  # the second header row is not read as a row of the plan


def test_the_query_count_of_the_plan_document_does_not_grow_with_the_plan(
    plan_2024, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_docx(plan_document(plan_2024))  # the plan's centre is then cached on the instance
    with CaptureQueriesContext(connection) as small:
        plan_docx(plan_document(plan_2024))
    item = PlanItem.objects.filter(plan=plan_2024, number="15").get()
    for number in range(40, 80):
        copy = PlanItem.objects.create(
            plan=plan_2024, section=item.section, number=str(number), title=f"Band {number}", unit=item.unit,
            deadline=item.deadline, order=1000 + number,
        )  # fmt: skip
        copy.services.set(item.services.all())
        Indicator.objects.create(item=copy, label="", annual_target=number, order=1)
    with django_assert_num_queries(len(small.captured_queries)):
        plan_docx(plan_document(plan_2024))


def test_columns_in_another_order_are_read_by_their_header():
    order = [0, 1, 6, 2, 3, 4, 7, 5]
    rows = [row if isinstance(row, str) else [row[i] for i in order] for row in SEED_ROWS]
    plan = read_word_plan(word_table(rows, header=[SEED_HEADER[i] for i in order]), services=None)
    item = plan.plan_data(year=2025, centre="x")["sections"][0]["items"][0]
    assert item["deadline"] == "2025-yil davomida" and item["unit"] == "Hujjat"


def test_an_unknown_header_asks_for_the_columns_and_reads_with_them():
    header = ["A", "B", "C", "D", "E", "F", "G", "H"]
    with pytest.raises(ColumnsUnknown) as refused:
        read_word_plan(word_table(SEED_ROWS, header=header), services=None)
    assert refused.value.header == header
    roles = ["number", "title", "unit", "target", "", "steps", "deadline", "services"]
    plan = read_word_plan(word_table(SEED_ROWS, header=header), services=None, roles=roles)
    assert not plan.blocking
    assert plan.plan_data(year=2025, centre="x")["sections"][1]["items"][1]["number"] == "12.1"


# --- Problems of rows ---------------------------------------------------------------------------


def test_each_rows_problems_are_named():
    rows = [
        "I. Bo‘lim",
        ["1", "Bir", "Dona", "5", "", "", "2025-yil qachondir", ["Axborot-bibliografiya xizmat"]],
        ["2a", "Ikki", "Dona", "5", "", "", "2025-yil davomida", [AB]],
        ["3", "Uch", "Dona", "besh", "", "", "2025-yil davomida", [AB]],
        ["4.1", "To‘rt", "Dona", "1", "", "", "2025-yil davomida", [AB]],
    ]
    plan = read_word_plan(word_table(rows), services=[AB, FOND])
    problems = {
        row.number: [(p.text, p.blocking) for p in row.problems] for row in plan.rows if row.kind == "item"
    }
    assert problems["1"] == [
        ("the deadline “2025-yil qachondir” cannot be read (for example: “2025-yil davomida”, "
         "“2025-yil I–II chorak”, “har oyda”).", True),
        ("“Axborot-bibliografiya xizmat” is not a service of the centre; the closest: "
         "Axborot-bibliografiya xizmati.", True),
    ]  # fmt: skip
    assert problems["2a"] == [("the number column holds text, “2a”, not an item number.", True)]
    assert problems["3"] == [("the target column holds text, “besh”, not a number.", True)]
    assert problems["4.1"] == [("there is no item 4 above it: read as an item of its own.", False)]
    assert plan.unknown_services[0].suggestions == (AB,)


def test_a_service_typed_with_another_apostrophe_is_the_centres():
    rows = [
        "I. Bo‘lim",
        ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Kadrlar bo'yicha inspektor"]],
    ]
    plan = read_word_plan(word_table(rows), services=["Kadrlar bo‘yicha inspektor"])
    assert not plan.blocking
    assert plan.rows[1].services[0].name == "Kadrlar bo‘yicha inspektor"


def test_a_service_mapped_by_the_person_is_read_as_chosen():
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Bibliografiya"]]]
    plan = read_word_plan(word_table(rows), services=[AB], service_map={"Bibliografiya": AB})
    assert not plan.blocking and plan.rows[1].services[0].name == AB
    created = read_word_plan(word_table(rows), services=[AB], service_map={"Bibliografiya": ""})
    assert not created.blocking and created.rows[1].services[0].name == "Bibliografiya"


def test_a_file_with_problems_is_refused_by_the_command_and_nothing_is_written(tmp_path, plan_2024):
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil qachondir", [AB]]]
    before = counts()
    with pytest.raises(CommandError, match="row 4: the deadline “2025-yil qachondir” cannot be read"):
        import_docx(tmp_path, word_table(rows), "--centre", plan_2024.organization.name, "--year", "2025")
    assert counts() == before


def test_a_service_not_in_the_centre_is_refused_without_create_centre(tmp_path, plan_2024):
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Bibliografiya xizmati"]]]
    before = counts()
    with pytest.raises(CommandError, match="the closest: Axborot-bibliografiya xizmati"):
        import_docx(tmp_path, word_table(rows), "--centre", plan_2024.organization.name, "--year", "2025")
    assert counts() == before
    import_docx(tmp_path, word_table(rows), "--centre", NEW_CENTRE, "--year", "2025", "--create-centre")
    assert Service.objects.filter(organization__name=NEW_CENTRE, name="Bibliografiya xizmati").exists()


# --- Files that are not plans ---------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _no_table() -> bytes:
    document = Document()
    document.add_paragraph("Reja matni, jadvalsiz.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _damaged_merge() -> bytes:
    """A table whose first cell continues a merge from a row that is not there."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(word_table(SEED_ROWS)))
    first = document.tables[-1].rows[0].cells[0]._tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge")
    merge.set(qn("w:val"), "continue")
    first.append(merge)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REFUSED = {
    "not a docx": (b"%PDF-1.4 not a Word file", "is not a Word document"),
    "an old .doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "is not a Word document"),
    "a zip of something else": (_zip({"xl/workbook.xml": b"<x/>"}), "is not a Word document"),
    "a damaged docx": (_zip({"word/document.xml": b"<not", "[Content_Types].xml": b"<"}), "is not a Word"),
    "a zip bomb": (_zip({"word/document.xml": b"<", "word/media/big.bin": b"\0" * (60 * 1024 * 1024)}),
                   "would unpack to 61 MB"),
    "too large": (b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "files of up to 5 MB are read"),
    "no table": (_no_table(), "The document has no table"),
    "a table of other columns": (
        word_table([["Ali", "Valiyev", "1990"]], header=["Ism", "Familiya", "Yil"]),
        "The table's columns are not the plan's",
    ),
    "a table without items": (word_table(["I. Bo‘lim"]), "no plan item was found"),
    "damaged merged cells": (_damaged_merge(), "damaged merged cells"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED)
def test_a_broken_file_is_refused_with_a_message_and_nothing_written(tmp_path, plan_2024, case):
    content, message = REFUSED[case]
    with pytest.raises(WordPlanRefused, match=message):
        read_word_plan(content, services=None)
    before = counts()
    with pytest.raises(CommandError, match=message):
        import_docx(tmp_path, content, "--centre", NEW_CENTRE, "--year", "2025", "--create-centre")
    assert counts() == before


def test_a_year_that_has_a_plan_is_refused(tmp_path, plan_2024):
    before = counts()
    with pytest.raises(CommandError, match="already has a plan for 2024"):
        import_docx(tmp_path, plan_docx(plan_document(plan_2024)), "--centre", plan_2024.organization.name)
    assert counts() == before


# --- The plan as a document -------------------------------------------------------------------------


def test_the_plan_pdf_holds_the_approval_the_title_and_every_item(plan_2024):
    reader = PdfReader(io.BytesIO(plan_pdf(plan_document(plan_2024))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    first = reader.pages[0].extract_text()
    assert "TASDIQLAYMAN" in first and "Direktor F. I. Sh." in first.replace("\n", " ")
    assert "Sharof Rashidov tuman axborot-kutubxona markazining 2024-yil uchun ish rejasi" in " ".join(
        first.split()
    )
    assert f"1-sahifa, jami {len(reader.pages)}" in first
    words = set(text.split())
    for item in PlanItem.objects.filter(plan=plan_2024):
        assert item.number in words, item.number
    assert "jami" in words and "1170" in words


def test_the_plan_docx_holds_the_approval_the_title_the_table_and_page_numbers(plan_2024):
    document = Document(io.BytesIO(plan_docx(plan_document(plan_2024))))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == "TASDIQLAYMAN"
    assert paragraphs[1] == "Sharof Rashidov tuman axborot-kutubxona markazi direktori"
    assert "Direktor F. I. Sh." in paragraphs[2]
    assert paragraphs[4] == "Sharof Rashidov tuman axborot-kutubxona markazining 2024-yil uchun ish rejasi"
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "№", "Amalga oshiriladigan ishlar nomi", "O‘lchov birligi", "Reja", "Bajarildi",
        "Amalga oshirish mexanizmi", "Muddati", "Mas’ul xizmat",
    ]  # fmt: skip
    numbers = {row.cells[0].text for row in table.rows}
    assert set(PlanItem.objects.filter(plan=plan_2024).values_list("number", flat=True)) <= numbers
    assert "I. Ilmiy-metodik faoliyat" in numbers  # the merged section row
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


# --- The approval in the TASDIQLAYMAN block -------------------------------------------------------


def approval_lines_of_the_pdf(plan):
    first = PdfReader(io.BytesIO(plan_pdf(plan_document(plan)))).pages[0].extract_text()
    return " ".join(first.split())


def approval_lines_of_the_docx(plan):
    return [p.text for p in Document(io.BytesIO(plan_docx(plan_document(plan)))).paragraphs[:4]]


def test_an_approved_plan_prints_its_director_and_the_local_date_of_its_approval(plan_2024):
    # 21:30 UTC on 28 December is already the 29th in Tashkent (UTC+5): the local date is printed.
    moment = datetime.datetime(2023, 12, 28, 21, 30, tzinfo=datetime.UTC)
    Plan.objects.filter(pk=plan_2024.pk).update(approved_at=moment)
    plan_2024.refresh_from_db()

    pdf = approval_lines_of_the_pdf(plan_2024)
    assert "TASDIQLAYMAN" in pdf and "Direktor F. I. Sh." in pdf
    assert "«29» dekabr 2023-yil" in pdf and "«____»" not in pdf
    docx = approval_lines_of_the_docx(plan_2024)
    assert docx[0] == "TASDIQLAYMAN" and "Direktor F. I. Sh." in docx[2]
    assert docx[3] == "«29» dekabr 2023-yil"


def test_a_draft_prints_the_blank_date_line(plan_2024):
    Plan.objects.filter(pk=plan_2024.pk).update(approved_at=None, approved_by=None)
    plan_2024.refresh_from_db()

    pdf = approval_lines_of_the_pdf(plan_2024)
    assert "«____» ____________ 2024-yil" in pdf and "dekabr" not in pdf
    assert approval_lines_of_the_docx(plan_2024)[3] == "«____» ____________ 2024-yil"


def test_the_downloaded_document_carries_the_approval_date(client, demo):
    moment = datetime.datetime(2024, 1, 5, 9, tzinfo=datetime.UTC)
    Plan.objects.filter(pk=demo.plan.pk).update(approved_at=moment)
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("reports:plan-document-docx", kwargs={"plan_id": demo.plan.pk}))
    assert Document(io.BytesIO(response.content)).paragraphs[3].text == "«05» yanvar 2024-yil"
