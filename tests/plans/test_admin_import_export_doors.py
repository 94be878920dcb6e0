"""The admin's imports and exports: who may use them, which rows they hold or write, and how they read."""

import re

import pytest
import tablib
from django.urls import reverse
from django.utils import translation
from import_export.tmp_storages import TempFolderStorage

from plans.admin import COLUMN_LABELS
from plans.models import Indicator
from plans.resources import ActualResource, IndicatorResource
from tests.admin_world import admin_user, build_other_centre, permissions
from tests.plans.test_import_export import CSV, csv_upload, exported, snapshot, with_row_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(demo):
    return build_other_centre(demo)


def export_through_admin(client, model: str):
    return client.post(reverse(f"admin:plans_{model}_export"), {"format": CSV, "resource": "0"})


def rows_of(response) -> list[dict]:
    return tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv").dict


# --- Who may import and export -------------------------------------------------------------------


@pytest.mark.parametrize("model", ["indicator", "actual"])
def test_a_staff_user_without_permissions_can_neither_import_nor_export(client, demo, other, model):
    client.force_login(admin_user(demo, "bosh", manager=False))

    assert client.get(reverse(f"admin:plans_{model}_import")).status_code == 403
    assert client.get(reverse(f"admin:plans_{model}_export")).status_code == 403
    assert export_through_admin(client, model).status_code == 403


@pytest.mark.parametrize(
    ("model", "resource", "centre_of"),
    [
        ("indicator", IndicatorResource, lambda o: o.item.plan.organization_id),
        ("actual", ActualResource, lambda o: o.indicator.item.plan.organization_id),
    ],
)
def test_an_export_holds_only_the_managers_own_centre(client, demo, other, model, resource, centre_of):
    client.force_login(admin_user(demo, "kuzatuvchi", permissions("view")))

    response = export_through_admin(client, model)

    assert response.status_code == 200
    rows = rows_of(response)
    assert {row["centre"] for row in rows} == {demo.district.name}
    own = [o for o in resource._meta.model.objects.all() if centre_of(o) == demo.district.pk]
    assert len(rows) == len(own)


def test_the_administrator_exports_every_centre(client, demo, other):
    client.force_login(demo.users["admin"])

    rows = rows_of(export_through_admin(client, "indicator"))

    assert {row["centre"] for row in rows} == {demo.district.name, other.centre.name}


def test_posting_an_import_file_as_a_user_who_may_not_change_writes_nothing(client, demo, other):
    """A manager with every model permission still only reads in the admin: neither the preview
    nor the confirming step of an import runs, and nothing is written."""
    dataset = with_row_changed(exported(IndicatorResource), 0, annual_target="777")
    before = snapshot()
    client.force_login(admin_user(demo, "hammasi", permissions("add", "change", "delete", "view")))

    preview = client.post(
        reverse("admin:plans_indicator_import"),
        {"resource": "0", "format": CSV, "import_file": csv_upload(dataset)},
    )
    stored = TempFolderStorage(encoding="utf-8-sig", read_mode="r")
    stored.save(dataset.export("csv").encode())
    confirm = client.post(
        reverse("admin:plans_indicator_process_import"),
        {"import_file_name": stored.name, "original_file_name": "data.csv", "format": CSV, "resource": "0"},
    )

    assert (preview.status_code, confirm.status_code) == (403, 403)
    assert snapshot() == before


def test_an_import_refuses_a_row_of_a_centre_the_person_may_not_change(demo, other):
    """The resource asks the same rule for every row it would write, whoever calls it."""
    manager = admin_user(demo, "boshqaruvchi", permissions("change", "view"))
    dataset = exported(IndicatorResource)
    row = next(i for i, r in enumerate(dataset.dict) if r["centre"] == other.centre.name)
    dataset = with_row_changed(dataset, row, annual_target="5")
    before = snapshot()

    with translation.override("en"):
        result = IndicatorResource().import_data(
            dataset, dry_run=False, user=manager, rollback_on_validation_errors=True
        )

    messages = [str(e) for invalid in result.invalid_rows for e in invalid.non_field_specific_errors]
    assert f"Row {row + 1} belongs to “Zomin tuman AKM”" in " ".join(messages)
    assert snapshot() == before


def test_the_administrators_import_writes_any_centres_rows(demo, other):
    dataset = exported(IndicatorResource)
    row = next(i for i, r in enumerate(dataset.dict) if r["centre"] == other.centre.name)

    IndicatorResource().import_data(
        with_row_changed(dataset, row, annual_target="5"), dry_run=False, user=demo.users["admin"]
    )

    assert Indicator.objects.get(pk=other.indicator.pk).annual_target == 5


# --- What the pages say --------------------------------------------------------------------------


def test_an_import_error_shows_its_message_and_no_traceback_with_debug_off(client, demo, settings):
    settings.DEBUG = False
    dataset = exported(ActualResource)
    dataset.headers = ["centre", "year", "item_number", "indicatorr", *dataset.headers[4:]]
    client.force_login(demo.users["admin"])

    response = client.post(
        reverse("admin:plans_actual_import"),
        {"resource": "0", "format": CSV, "import_file": csv_upload(dataset)},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "unknown columns: indicatorr" in body
    assert "Traceback" not in body
    assert "resources.py" not in body


@pytest.mark.parametrize(
    ("model", "resource"), [("indicator", IndicatorResource), ("actual", ActualResource)]
)
@pytest.mark.parametrize("page", ["import", "export"])
def test_the_import_and_export_pages_name_every_column_in_uzbek(admin_client, model, resource, page):
    response = admin_client.get(reverse(f"admin:plans_{model}_{page}"), HTTP_ACCEPT_LANGUAGE="uz")

    shown = re.findall(r"<li><code>(\w+)</code> — ([^<]+)</li>", response.content.decode())
    columns = [field.column_name for field in resource().get_user_visible_fields()]
    with translation.override("uz"):
        assert shown == [(column, str(COLUMN_LABELS[column])) for column in columns]
    assert shown[0] == ("centre", "Markaz")


def test_every_column_of_the_admins_files_has_a_label():
    resources = (IndicatorResource(), ActualResource())
    columns = {field.column_name for r in resources for field in r.get_user_visible_fields()}

    assert columns - set(COLUMN_LABELS) == set()


def test_an_import_preview_names_its_columns_and_refused_fields_as_people_read_them(admin_client, demo):
    dataset = with_row_changed(exported(ActualResource), 0, value="-3")

    response = admin_client.post(
        reverse("admin:plans_actual_import"),
        {"resource": "0", "format": CSV, "import_file": csv_upload(dataset)},
        HTTP_ACCEPT_LANGUAGE="uz",
    )

    result = response.context["result"]
    assert result.diff_headers[:3] == ["Markaz", "Yil", "Band raqami"]
    (invalid,) = result.invalid_rows
    assert list(invalid.field_specific_errors) == ["Bajarildi"]


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.users["admin"])
    return client
