"""`manage.py quarterly_report`: one centre to a file, or every centre into a folder."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from plans.figures import indicator_figures


def test_one_centre_as_xlsx_has_the_selectors_figures(plan_2024, tmp_path):
    target = tmp_path / "q1.xlsx"
    call_command(
        "quarterly_report",
        year=2024,
        quarter=1,
        centre=plan_2024.organization.name,
        file_format="xlsx",
        output=str(target),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(target).active
    done = sorted(
        v for v in (sheet.cell(r, 7).value for r in range(4, sheet.max_row + 1)) if isinstance(v, int)
    )
    expected = sorted(f.done_to_date for f in indicator_figures(plan_2024, 3))
    assert all(value in done for value in expected)


def test_every_centre_into_a_folder_as_pdf(plan_2024, tmp_path):
    out = io.StringIO()
    call_command(
        "quarterly_report", year=2024, quarter=1, file_format="pdf", output=str(tmp_path), stdout=out
    )
    files = sorted(tmp_path.iterdir())
    centre = plan_2024.organization_id
    assert [path.name for path in files] == [
        f"sharof-rashidov-tuman-axborot-kutubxona-markazi-id{centre}-2024-q1-draft.pdf"
    ]
    assert out.getvalue() == f"{files[0]}\n"
    assert "to‘g‘risida hisobot" in PdfReader(files[0]).pages[0].extract_text()


def test_unknown_centre_is_an_error(plan_2024, tmp_path):
    with pytest.raises(CommandError):
        call_command("quarterly_report", year=2024, quarter=1, centre="Yo‘q", output=str(tmp_path / "x.pdf"))
