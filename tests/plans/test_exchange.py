"""Whole plans as files: JSON and XLSX round trips, and files that must not become plans."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from demo.district import PLAN_FILE
from plans.exchange import (
    PlanImportError,
    import_plan,
    plan_to_json,
    plan_to_xlsx,
    read_plan_file,
    read_plan_upload,
)
from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Target
from services.models import Organization, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_data():
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def empty_centre(db):
    return Organization.objects.create(name="Test tuman axborot-kutubxona markazi", kind="district")


def counts():
    return [m.objects.count() for m in (Plan, Section, Deadline, PlanItem, Indicator, Target)]


def test_export_of_the_loaded_fixture_is_the_fixture_file(plan_2024):
    assert plan_to_json(plan_2024) == PLAN_FILE.read_text(encoding="utf-8")


def test_json_round_trip_through_an_empty_database(tmp_path, plan_data, db):
    assert Organization.objects.count() == 0
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan_data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    call_command("import_plan", str(source), "--create-centre")
    again = tmp_path / "again.json"
    call_command("export_plan", "--year", "2024", "--format", "json", "--output", str(again))
    assert again.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_xlsx_round_trip_gives_the_same_plan(tmp_path, plan_2024, empty_centre):
    exported = plan_to_xlsx(plan_2024)
    plan = import_plan(read_plan_file(exported, "plan.xlsx"), organization=empty_centre)
    first = load_workbook(io.BytesIO(exported)).active
    second = load_workbook(io.BytesIO(plan_to_xlsx(plan))).active
    rows = lambda sheet: [row for row in sheet.iter_rows(min_row=2, values_only=True)]  # noqa: E731
    assert rows(first) == rows(second)
    assert len(rows(first)) > 39


def test_export_command_writes_xlsx(tmp_path, plan_2024):
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "--year", "2024", "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path).active
    assert sheet["B1"].value == "akm-plan/1"
    numbers = {row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert {"12.1", "18.1", "28.1", "34"} <= numbers


def test_import_into_a_centre_that_has_the_year_already_is_refused(plan_2024, plan_data):
    before = counts()
    with pytest.raises(PlanImportError, match="2024"):
        import_plan(plan_data, organization=plan_2024.organization)
    assert counts() == before


def test_import_can_reuse_a_template_for_another_year(plan_2024, plan_data):
    plan = import_plan(plan_data, organization=plan_2024.organization, year=2025)
    assert plan.items.count() == 39


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d["sections"][0]["items"][0]["indicators"][0].update(annual_target=-3), "-3"),
        (lambda d: d["sections"][0]["items"][0]["indicators"][0].update(annual_target="ko‘p"), "ko‘p"),
        (lambda d: d["sections"][2]["items"][0].update(deadline="tez orada"), "tez orada"),
        (lambda d: d["sections"][0]["items"][1].update(number="1"), "1"),
        (lambda d: d["sections"][2]["items"][1].update(parent="99"), "99"),
        (
            lambda d: d["sections"][2]["items"][0]["indicators"].append({"label": "", "annual_target": 1}),
            "12",
        ),
        (lambda d: d["sections"][0]["items"][0].pop("title"), "title"),
    ],
)
def test_a_malformed_plan_file_writes_nothing(plan_data, empty_centre, spoil, message):
    data = copy.deepcopy(plan_data)
    spoil(data)
    before = counts()
    with pytest.raises(PlanImportError, match=message):
        import_plan(data, organization=empty_centre)
    assert counts() == before


def test_import_command_reports_a_bad_file_clearly(tmp_path, empty_centre):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_plan", str(path), "--centre", empty_centre.name)


# --- Text is text in the XLSX ----------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_like_title_is_a_text_cell_in_the_plan_xlsx_and_comes_back(plan_2024, empty_centre):
    PlanItem.objects.filter(plan=plan_2024, number="15").update(title=FORMULA, note="@izoh")

    exported = plan_to_xlsx(plan_2024)

    sheet = load_workbook(io.BytesIO(exported)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in (FORMULA, "@izoh")]
    assert len(cells) == 2 and {cell.data_type for cell in cells} == {"s"}
    plan = import_plan(read_plan_file(exported, "plan.xlsx"), organization=empty_centre)
    assert plan.items.get(number="15").title == FORMULA


# --- The whole file is checked before anything is written (issue 10.9) ----------------------------


def item(data, section=2, index=4):
    return data["sections"][section]["items"][index]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda d: item(d).update(services="Abonement"),
            r"^sections\[2\]\.items\[4\]\.services: a list was expected, not text",
        ),
        (lambda d: item(d).update(all_services="false"), r"items\[4\]\.all_services: true or false"),
        (lambda d: d.update(centre=["Markaz"]), r"^centre: text was expected, not a list"),
        (lambda d: item(d).update(services=["Bunday xizmat yo‘q"]), r"services\[0\]: .Bunday xizmat yo‘q"),
        (lambda d: item(d).update(servises=[]), r"sections\[2\]\.items\[4\]: unknown key .servises"),
        (lambda d: d.update(year="2024"), r"^year: a whole number from 2000 to 2100"),
        (lambda d: d.update(year=1999), r"^year: a whole number from 2000 to 2100"),
        (lambda d: item(d).update(number="1" * 17), r"items\[4\]\.number: 17 characters long; at most 16"),
        (lambda d: item(d).update(unit="U" * 65), r"items\[4\]\.unit: 65 characters long; at most 64"),
        (lambda d: item(d).update(title="T" * 10_001), r"items\[4\]\.title: 10001 characters"),
        (lambda d: item(d).update(title="  \x0b "), r"items\[4\]\.title: empty"),
        (lambda d: item(d).update(note="izoh\x00"), r"items\[4\]\.note: The text holds a NUL"),
        (lambda d: item(d)["indicators"][0].update(annual_target=2**31), r"annual_target: a whole number"),
        (lambda d: item(d)["indicators"][0].update(annual_target=True), r"annual_target: a whole number"),
        (lambda d: item(d)["indicators"][0].pop("annual_target"), r"indicators\[0\]\.annual_target: missing"),
        (lambda d: d["services"].append(d["services"][0]), r"^services\[6\]: .* is listed twice"),
        (lambda d: d.update(sections=[]), r"^sections: the plan has no sections"),
        (lambda d: item(d, 2, 2).update(parent="12.1"), r"items\[2\]\.parent: item 12\.1 is itself a sub"),
    ],
)
def test_a_wrongly_typed_plan_file_is_refused_naming_the_place_and_writes_nothing(
    plan_2024, plan_data, spoil, message
):
    # Into a centre that exists and has services: the file must not add any.
    data = copy.deepcopy(plan_data)
    spoil(data)
    before = counts(), Service.objects.count()

    with translation.override("en"), pytest.raises(PlanImportError, match=message):
        import_plan(data, organization=plan_2024.organization, year=2025)

    assert (counts(), Service.objects.count()) == before


def test_pasted_control_characters_are_cleaned_on_import(plan_data, empty_centre):
    item(plan_data)["title"] = "Birinchi\x0bikkinchi\x07"

    plan = import_plan(plan_data, organization=empty_centre)

    assert plan.items.get(number=item(plan_data)["number"]).title == "Birinchi\nikkinchi"


def test_an_xlsx_plan_file_names_the_row_and_column_of_what_is_wrong(plan_2024, empty_centre):
    book = load_workbook(io.BytesIO(plan_to_xlsx(plan_2024)))
    sheet = book.active
    row = next(row for row in range(3, sheet.max_row + 1) if sheet.cell(row, 3).value == "15")
    sheet.cell(row, 10).value = "ha"  # all_services
    buffer = io.BytesIO()
    book.save(buffer)
    data, locate = read_plan_upload(buffer.getvalue(), "plan.xlsx")
    before = counts()

    with translation.override("en"), pytest.raises(PlanImportError, match=f"^row {row}, column “all_serv"):
        import_plan(data, organization=empty_centre, locate=locate)
    assert counts() == before


def test_a_nul_in_an_xlsx_plan_file_is_refused_naming_its_cell(plan_2024):
    book = load_workbook(io.BytesIO(plan_to_xlsx(plan_2024)))
    book.active.cell(5, 11).value = "izoh_x0000_"
    buffer = io.BytesIO()
    book.save(buffer)

    with translation.override("en"), pytest.raises(PlanImportError, match="^Row 5, column K: The text holds"):
        read_plan_file(buffer.getvalue(), "plan.xlsx")


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"year": ' + b"9" * 5000 + b"}"],
    ids=["nested-without-end", "a-number-of-5000-digits"],
)
def test_a_plan_file_json_cannot_read_is_refused_as_such(content):
    with translation.override("en"), pytest.raises(PlanImportError, match="not valid JSON"):
        read_plan_file(content, "plan.json")


def test_a_plan_file_over_the_size_limit_is_refused_before_it_is_read(plan_data):
    plan_data["sections"][0]["items"][0]["note"] = "izoh " * 1024 * 1024
    content = json.dumps(plan_data).encode()

    with translation.override("en"), pytest.raises(PlanImportError, match="up to 5 MB"):
        read_plan_file(content, "plan.json")


def test_the_command_refuses_a_wrongly_typed_centre_name_before_creating_it(tmp_path, plan_data, db):
    plan_data["centre"] = ["Yangi markaz"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data), encoding="utf-8")

    with translation.override("en"), pytest.raises(CommandError, match="^centre: text was expected"):
        call_command("import_plan", str(path), "--create-centre")

    assert Organization.objects.count() == 0 and counts() == [0] * 6


def test_the_command_refuses_a_too_long_centre_name_before_creating_it(tmp_path, plan_data, db):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data), encoding="utf-8")

    with pytest.raises(CommandError, match="--centre"):
        call_command("import_plan", str(path), "--create-centre", "--centre", "M" * 256)

    assert Organization.objects.count() == 0


def test_the_command_refuses_a_year_out_of_range_before_writing(tmp_path, plan_data, empty_centre):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data), encoding="utf-8")

    with pytest.raises(CommandError, match="2100"):
        call_command("import_plan", str(path), "--centre", empty_centre.name, "--year", "3000")

    assert counts() == [0] * 6
