"""Spreadsheets of indicators and actuals: exported, imported again by natural keys, bad files refused."""
import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from common.sheet_reader import LIMITS, SheetRefused, read_csv, read_xlsx
from plans.admin_formats import FORMATS
from plans.models import Actual, Indicator, PlanItem, Target
from plans.resources import ActualResource, IndicatorResource
from tests.spreadsheets import far_corner_xlsx, read_with_little_memory

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the admin's format choices, in the order of AllOrNothingImportMixin.formats


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.users["admin"])
    return client


def refusal(read) -> SheetRefused:
    with pytest.raises(SheetRefused) as refused:
        read()
    return refused.value


def exported(resource_class) -> tablib.Dataset:
    """The resource's export of everything, as the admin writes it."""
    return resource_class().export()


def csv_upload(dataset: tablib.Dataset, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, dataset.export("csv").encode(), content_type="text/csv")


def xlsx_upload(dataset: tablib.Dataset, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, dataset.export("xlsx"), content_type="application/octet-stream")


def import_through_admin(client, model: str, upload, file_format: str = CSV):
    """Upload a file to the admin's import page, and confirm it when the preview allows."""
    url = reverse(f"admin:plans_{model}_import")
    preview = client.post(url, {"resource": "0", "format": file_format, "import_file": upload})
    assert preview.status_code == 200
    confirm_form = preview.context.get("confirm_form")
    if confirm_form is None:
        return preview
    return client.post(reverse(f"admin:plans_{model}_process_import"), confirm_form.initial)


def with_row_changed(dataset: tablib.Dataset, index: int, **values) -> tablib.Dataset:
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[index].update(values)
    return tablib.Dataset(*[[row[h] for h in dataset.headers] for row in rows], headers=dataset.headers)


def actual_row_index(dataset: tablib.Dataset, actual: Actual) -> int:
    for index, row in enumerate(dataset.dict):
        if (
            row["item_number"] == actual.indicator.item.number
            and row["indicator"] == actual.indicator.label
            and int(row["month"]) == actual.month
            and row["service"] == actual.service.name
        ):
            return index
    raise AssertionError("the actual is not in the export")


def first_actual(plan) -> Actual:
    return Actual.objects.filter(indicator__item__plan=plan).select_related("indicator__item", "service")[0]


def snapshot() -> dict:
    """Everything an import could write, to compare before and after."""
    return {
        "indicators": sorted(Indicator.objects.values_list("pk", "item_id", "label", "annual_target")),
        "targets": sorted(Target.objects.values_list("pk", "indicator_id", "quarter", "value")),
        "actuals": sorted(
            Actual.objects.values_list("pk", "indicator_id", "month", "service_id", "value", "note")
        ),
        "items": sorted(PlanItem.objects.values_list("pk", "title", "unit_id")),
    }


# --- Export -------------------------------------------------------------------------------------


def test_indicator_export_has_one_row_per_indicator_with_its_item(plan_2024):
    dataset = exported(IndicatorResource)

    assert dataset.headers == [
        "centre", "year", "item_number", "item_title", "unit", "indicator", "annual_target",
    ]
    assert len(dataset) == Indicator.objects.count()
    first = dataset.dict[0]
    assert (first["centre"], first["year"], first["item_number"]) == (
        plan_2024.organization.name,
        "2024",
        "1",
    )


def test_actual_export_names_indicator_month_and_service(plan_2024):
    dataset = exported(ActualResource)

    assert dataset.headers[:8] == [
        "centre", "year", "item_number", "indicator", "month", "service", "value", "note",
    ]
    assert len(dataset) == Actual.objects.count()


def test_admin_exports_indicators_as_xlsx(admin_client, plan_2024):
    fields = ["centre", "year", "item", "item_title", "unit", "label", "annual_target"]
    data = {"format": XLSX, "resource": "0", **{f"indicatorresource_{name}": "on" for name in fields}}

    response = admin_client.post(reverse("admin:plans_indicator_export"), data)

    assert response.status_code == 200
    sheet = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert len(sheet) == Indicator.objects.count()


# --- Re-import updates, never duplicates ---------------------------------------------------------


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_reimporting_the_indicator_export_changes_nothing(admin_client, plan_2024, file_format):
    dataset = exported(IndicatorResource)
    upload = csv_upload(dataset) if file_format == CSV else xlsx_upload(dataset)
    before = snapshot()

    response = import_through_admin(admin_client, "indicator", upload, file_format)

    assert response.status_code == 302
    assert snapshot() == before


def test_reimport_with_a_new_annual_target_updates_the_indicator_and_its_targets(admin_client, plan_2024):
    indicator = Indicator.objects.get(item__plan=plan_2024, item__number="15")
    dataset = exported(IndicatorResource)
    index = next(i for i, row in enumerate(dataset.dict) if row["item_number"] == "15")
    count = Indicator.objects.count()
    upload = csv_upload(with_row_changed(dataset, index, annual_target=800))

    import_through_admin(admin_client, "indicator", upload)

    indicator.refresh_from_db()
    assert indicator.annual_target == 800
    assert Indicator.objects.count() == count
    assert list(indicator.targets.values_list("value", flat=True)) == [200, 200, 200, 200]


def test_reimport_updates_the_items_title_and_unit(admin_client, plan_2024):
    dataset = exported(IndicatorResource)
    index = next(i for i, row in enumerate(dataset.dict) if row["item_number"] == "15")

    import_through_admin(
        admin_client,
        "indicator",
        csv_upload(with_row_changed(dataset, index, item_title="Kitobxonlar qatnovi", unit="Tadbir")),
    )

    item = PlanItem.objects.get(plan=plan_2024, number="15")
    assert (item.title, item.unit.name) == ("Kitobxonlar qatnovi", "Tadbir")


def test_a_new_label_adds_an_indicator_to_its_item(admin_client, plan_2024):
    dataset = exported(IndicatorResource)
    index = next(i for i, row in enumerate(dataset.dict) if row["item_number"] == "15")
    row = dict(dataset.dict[index], indicator="Yoshlar", annual_target=100)
    dataset.append([row[h] for h in dataset.headers])

    import_through_admin(admin_client, "indicator", csv_upload(dataset))

    assert list(
        Indicator.objects.filter(item__plan=plan_2024, item__number="15").values_list("label", flat=True)
    ) == ["", "Yoshlar"]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_reimporting_the_actual_export_changes_nothing(admin_client, plan_2024, file_format):
    dataset = exported(ActualResource)
    upload = csv_upload(dataset) if file_format == CSV else xlsx_upload(dataset)
    before = snapshot()

    response = import_through_admin(admin_client, "actual", upload, file_format)

    assert response.status_code == 302
    assert snapshot() == before


def test_reimport_with_a_changed_value_updates_the_actual(admin_client, demo, plan_2024):
    actual = first_actual(plan_2024)
    dataset = exported(ActualResource)
    count = Actual.objects.count()

    import_through_admin(
        admin_client,
        "actual",
        csv_upload(with_row_changed(dataset, actual_row_index(dataset, actual), value=actual.value + 7)),
    )

    changed = Actual.objects.get(pk=actual.pk)
    assert changed.value == actual.value + 7
    assert changed.entered_by == demo.users["admin"]
    assert Actual.objects.count() == count


def test_importing_a_new_month_adds_one_actual(admin_client, plan_2024):
    actual = first_actual(plan_2024)
    same = Actual.objects.filter(indicator=actual.indicator, service=actual.service)
    taken = set(same.values_list("month", flat=True))
    free_month = min(set(range(1, 13)) - taken)
    dataset = exported(ActualResource)
    row = dict(dataset.dict[actual_row_index(dataset, actual)], month=free_month, value=3, note="")
    dataset.append([row[h] for h in dataset.headers])
    count = Actual.objects.count()

    import_through_admin(admin_client, "actual", csv_upload(dataset))
    import_through_admin(admin_client, "actual", csv_upload(dataset))

    assert Actual.objects.count() == count + 1


# --- Malformed files write nothing and say which rows are wrong ----------------------------------


def test_a_file_with_wrong_columns_is_refused_whole(admin_client, plan_2024):
    dataset = exported(ActualResource)
    dataset.headers = ["centre", "year", "item", "indicator", "month", "service", "amount", "note", "x", "y"]
    before = snapshot()

    response = import_through_admin(admin_client, "actual", csv_upload(dataset))

    assert snapshot() == before
    assert "confirm_form" not in response.context
    (error,) = response.context["result"].base_errors
    assert "item_number" in str(error.error) and "amount" in str(error.error)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("value", "ko‘p"),  # text in a number column
        ("value", "-5"),  # a negative value
        ("month", "13"),  # a month of 13
        ("service", "Bunday xizmat yo‘q"),  # an unknown service
        ("indicator", "Bunday ko‘rsatkich yo‘q"),  # an unknown indicator
        ("value", "2.5"),  # a fraction
    ],
)
def test_a_bad_actual_row_is_reported_and_nothing_is_written(admin_client, plan_2024, column, value):
    dataset = exported(ActualResource)
    # The first row is good and changed, the third is bad: neither may be written.
    dataset = with_row_changed(dataset, 0, value=int(dataset.dict[0]["value"]) + 1)
    dataset = with_row_changed(dataset, 2, **{column: value})
    before = snapshot()

    response = import_through_admin(admin_client, "actual", csv_upload(dataset))

    assert snapshot() == before
    assert "confirm_form" not in response.context
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert not result.has_errors()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("annual_target", "yuz"),
        ("annual_target", "-1"),
        ("item_number", "99"),
        ("unit", "Kilogramm"),
        ("item_title", ""),
    ],
)
def test_a_bad_indicator_row_is_reported_and_nothing_is_written(admin_client, plan_2024, column, value):
    dataset = exported(IndicatorResource)
    dataset = with_row_changed(dataset, 0, annual_target=int(dataset.dict[0]["annual_target"]) + 1)
    dataset = with_row_changed(dataset, 4, **{column: value})
    before = snapshot()

    response = import_through_admin(admin_client, "indicator", csv_upload(dataset))

    assert snapshot() == before
    assert [row.number for row in response.context["result"].invalid_rows] == [5]


def test_an_indicator_on_a_parent_item_is_refused(admin_client, plan_2024):
    dataset = exported(IndicatorResource)
    row = dict(dataset.dict[0], item_number="12", item_title="Axborot-kutubxona fondlarini to‘ldirish",
               unit="Nusxa", indicator="Jami", annual_target=1170)
    dataset.append([row[h] for h in dataset.headers])
    before = snapshot()

    response = import_through_admin(admin_client, "indicator", csv_upload(dataset))

    assert snapshot() == before
    assert [row.number for row in response.context["result"].invalid_rows] == [len(dataset)]


def test_the_confirm_step_writes_nothing_when_a_row_went_bad_since_the_preview(plan_2024, demo):
    # The admin confirms with rollback on validation errors, so a file that passed the preview
    # but meets changed data is still all or nothing.
    dataset = exported(ActualResource)
    dataset = with_row_changed(dataset, 0, value=int(dataset.dict[0]["value"]) + 1)
    dataset = with_row_changed(dataset, 1, value="-1")
    before = snapshot()

    result = ActualResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=demo.users["admin"]
    )

    assert result.has_validation_errors()
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_bad_file_is_rolled_back_outside_any_test_transaction(demo):
    # The other tests run inside a transaction of their own; this one checks that the import's
    # own transaction is what undoes the good rows, on whichever database runs the suite.
    dataset = exported(ActualResource)
    dataset = with_row_changed(dataset, 0, value=int(dataset.dict[0]["value"]) + 1)
    dataset = with_row_changed(dataset, 1, month="13")
    before = snapshot()

    result = ActualResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)

    assert result.has_validation_errors()
    assert snapshot() == before


# --- Hostile files: through the app's one reader --------------------------------------------------


def test_the_admin_formats_are_the_apps_own(admin_client, plan_2024):
    from plans.admin import ActualAdmin, IndicatorAdmin

    for model_admin in (ActualAdmin, IndicatorAdmin):
        assert model_admin.formats == FORMATS


def test_the_admins_xlsx_format_reads_the_far_corner_file_within_a_gigabyte(tmp_path, plan_2024):
    dataset = exported(ActualResource)
    content = far_corner_xlsx([dataset.headers, *dataset])

    outcome = read_with_little_memory("plans.admin_formats:XLSX", content, tmp_path)

    assert outcome.get("rows") == len(dataset), outcome
    assert outcome["seconds"] < 5


def test_the_far_corner_file_imports_as_its_real_rows_in_the_admin(admin_client, plan_2024):
    dataset = exported(ActualResource)
    upload = SimpleUploadedFile("data.xlsx", far_corner_xlsx([dataset.headers, *dataset]))
    before = snapshot()

    response = import_through_admin(admin_client, "actual", upload, XLSX)

    assert response.status_code == 302
    assert snapshot() == before


def import_error(response) -> str:
    return " ".join(response.context["form"].errors["import_file"])


def test_an_upload_over_the_size_limit_is_refused_with_the_readers_message(admin_client, plan_2024):
    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04" + b"\0" * LIMITS.file_bytes)
    before = snapshot()

    response = import_through_admin(admin_client, "actual", upload, XLSX)

    with translation.override("uz"):
        assert import_error(response) == str(refusal(lambda: read_xlsx(upload.open().read())))
    assert snapshot() == before


def test_a_nul_in_an_uploaded_csv_is_refused_naming_its_row(admin_client, plan_2024):
    dataset = with_row_changed(exported(ActualResource), 2, note="izoh\x00")
    before = snapshot()

    response = import_through_admin(admin_client, "actual", csv_upload(dataset))

    with translation.override("uz"):
        assert import_error(response).startswith(
            str(refusal(lambda: read_csv(dataset.export("csv").encode())))[:40]
        )
        assert "4" in import_error(response).split(":")[0]
    assert snapshot() == before


def test_a_nul_in_a_dataset_built_in_code_is_a_row_error(plan_2024):
    dataset = with_row_changed(exported(IndicatorResource), 1, item_title="Sarlavha\x00")
    before = snapshot()

    result = IndicatorResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)

    assert [row.number for row in result.invalid_rows] == [2]
    assert snapshot() == before


def test_pasted_control_characters_are_cleaned_on_import(admin_client, plan_2024):
    actual = first_actual(plan_2024)
    dataset = exported(ActualResource)
    index = actual_row_index(dataset, actual)

    upload = csv_upload(with_row_changed(dataset, index, note="bir\x0bikki\x07"))

    import_through_admin(admin_client, "actual", upload)

    assert Actual.objects.get(pk=actual.pk).note == "bir\nikki"


# --- What the admin writes: text is text -----------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'
ACTUAL_FIELDS = ["centre", "year", "item_number", "indicator", "month", "service", "value", "note"]


def export_actuals(client, file_format: str):
    fields = {f"actualresource_{name}": "on" for name in ACTUAL_FIELDS}
    data = {"format": file_format, "resource": "0", **fields}
    response = client.post(reverse("admin:plans_actual_export"), data)
    assert response.status_code == 200
    return response


def test_the_admins_xlsx_export_writes_a_formula_like_note_as_text(admin_client, plan_2024):
    actual = first_actual(plan_2024)
    Actual.objects.filter(pk=actual.pk).update(note=FORMULA)

    sheet = load_workbook(io.BytesIO(export_actuals(admin_client, XLSX).content)).active

    notes = [cell for cell in sheet["H"] if cell.value == FORMULA]
    assert len(notes) == 1 and notes[0].data_type == "s"
    assert isinstance(sheet["G2"].value, int)  # numbers stay numbers


def test_the_admins_csv_export_prefixes_formula_like_cells_and_imports_them_back(admin_client, plan_2024):
    actuals = list(Actual.objects.filter(indicator__item__plan=plan_2024)[:5])
    notes = [FORMULA, "+1", "-1", "@SUM(A1)", "\tyashirin"]
    for actual, note in zip(actuals, notes, strict=True):
        Actual.objects.filter(pk=actual.pk).update(note=note)

    content = export_actuals(admin_client, CSV).content
    cells = {row[7] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))}
    assert {"'" + note for note in notes} <= cells

    before = snapshot()
    response = import_through_admin(admin_client, "actual", SimpleUploadedFile("actuals.csv", content))
    assert response.status_code == 302
    assert snapshot() == before


def test_a_vertical_tab_in_an_entry_note_does_not_break_the_actuals_export(admin_client, plan_2024):
    actual = first_actual(plan_2024)
    Actual.objects.filter(pk=actual.pk).update(note="bir\x0bikki")

    sheet = load_workbook(io.BytesIO(export_actuals(admin_client, XLSX).content)).active

    assert "bir\nikki" in [cell.value for cell in sheet["H"]]
