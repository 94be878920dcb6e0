"""The month sheet as LibreOffice saves it: downloaded, filled with openpyxl, re-saved by a real
LibreOffice (headless), uploaded. LibreOffice rewrites the whole file (numbers as decimals, its own
styles and strings), so this is the file a centre without Excel sends."""

import io
import subprocess
import zipfile

import pytest

from plans.models import Actual
from plans.month_sheet import VALUE

from .test_month_sheet import confirm, download, fill, indicator, line_of, urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def staff(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    return client


def resaved_by_libreoffice(soffice: str, book, folder) -> bytes:
    """The workbook opened and saved again as XLSX by LibreOffice, in a profile of the test's own
    (so that runs in parallel do not share one)."""
    source = folder / "oy.xlsx"
    book.save(source)
    out = folder / "libreoffice"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = (out / "oy.xlsx").read_bytes()
    application = zipfile.ZipFile(io.BytesIO(content)).read("docProps/app.xml").decode()
    assert "LibreOffice" in application  # the file is LibreOffice's, not openpyxl's
    return content


def upload_bytes(client, plan, month, service, content: bytes):
    sheet = io.BytesIO(content)
    sheet.name = "oy.xlsx"
    return client.post(urls(plan, month, service)["sheet-upload"], {"sheet": sheet})


def test_a_sheet_saved_by_libreoffice_previews_its_changes_and_saves_them(
    staff, demo, plan_2024, abonement, soffice, tmp_path
):
    visitors, loans = indicator(plan_2024, "15"), indicator(plan_2024, "16")
    Actual.objects.create(indicator=loans, month=4, service=abonement, value=50, note="")
    book = fill(
        download(staff, plan_2024, 4, abonement),
        {visitors.pk: (120, '=HYPERLINK("x")'), loans.pk: (75, "tuzatildi")},
    )
    content = resaved_by_libreoffice(soffice, book, tmp_path)

    preview = upload_bytes(staff, plan_2024, 4, abonement, content)

    assert preview.status_code == 200
    changes = [(c.row.indicator, c.old_value, c.new_value, c.new_note) for c in preview.context["changes"]]
    assert changes == [(visitors, None, 120, '=HYPERLINK("x")'), (loans, 50, 75, "tuzatildi")]
    assert not Actual.objects.filter(indicator=visitors, month=4).exists()
    assert confirm(staff, plan_2024, 4, abonement, preview).status_code == 302
    saved = Actual.objects.get(indicator=visitors, month=4, service=abonement)
    assert (saved.value, saved.note) == (120, '=HYPERLINK("x")')
    assert Actual.objects.get(indicator=loans, month=4).value == 75


def test_a_value_libreoffice_kept_as_text_gets_the_forms_message(
    staff, plan_2024, abonement, soffice, tmp_path
):
    visitors = indicator(plan_2024, "15")
    book = download(staff, plan_2024, 4, abonement)
    cell = book.active.cell(line_of(book.active, visitors.pk), VALUE)
    cell.value = "o‘n ikki"
    cell.data_type = "s"
    content = resaved_by_libreoffice(soffice, book, tmp_path)

    preview = upload_bytes(staff, plan_2024, 4, abonement, content)

    assert preview.status_code == 400
    errors = [(row.indicator, typed, message) for row, _line, typed, message in preview.context["errors"]]
    assert errors == [(visitors, "o‘n ikki", "Butun son kiriting, masalan: 12.")]
    assert preview.context["token"] == ""
    assert not Actual.objects.filter(indicator=visitors, month=4).exists()


def test_a_cyrillic_sheet_saved_by_libreoffice_saves_too(
    client, demo, plan_2024, abonement, soffice, tmp_path
):
    visitors = indicator(plan_2024, "15")
    client.force_login(demo.users["xodim-abonement"])
    client.cookies["django_language"] = "uz-cyrl"
    book = fill(download(client, plan_2024, 4, abonement), {visitors.pk: (64, "Китобхонлар клуби")})
    assert book.active.title == "Ой"

    preview = upload_bytes(client, plan_2024, 4, abonement, resaved_by_libreoffice(soffice, book, tmp_path))

    assert preview.status_code == 200
    assert [(c.row.indicator, c.new_value) for c in preview.context["changes"]] == [(visitors, 64)]
    assert confirm(client, plan_2024, 4, abonement, preview).status_code == 302
    saved = Actual.objects.get(indicator=visitors, month=4, service=abonement)
    assert (saved.value, saved.note) == (64, "Китобхонлар клуби")
