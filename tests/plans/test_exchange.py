"""Whole plans as files: JSON and XLSX round trips, and files that must not become plans."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from plans.demo import PLAN_FILE
from plans.exchange import PlanImportError, import_plan, plan_to_json, plan_to_xlsx, read_plan_file
from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Target
from services.models import Organization

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
