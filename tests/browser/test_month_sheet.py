"""The month sheet in Chromium: download it, fill it in as Excel would, upload it, check, confirm."""

import pytest
from openpyxl import load_workbook

from plans.models import Actual, Indicator
from plans.month_sheet import FIRST_ROW, ID, NOTE, VALUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_fills_the_month_in_excel_and_uploads_it(page, log_in, demo, tmp_path):
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    log_in("xodim-abonement")
    page.goto(f"/plan/entry/2024/4/{demo.service('abonement').pk}/")
    page.screenshot(path="/tmp/monthsheet-entry.png", full_page=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="Oyni Excel faylida yuklab olish").click()
    path = tmp_path / "oy.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    line = next(n for n in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(n, ID).value == visitors.pk)
    sheet.cell(line, VALUE).value = 140
    sheet.cell(line, NOTE).value = "Kitobxonlar kuni"
    book.save(path)

    page.set_input_files("#sheet-file", str(path))
    page.get_by_role("button", name="Varaqni tekshirish").click()
    page.wait_for_load_state()
    changes = page.locator("#sheet-changes tbody tr")
    assert changes.count() == 1
    assert "140" in changes.first.locator("td.new").inner_text()
    page.screenshot(path="/tmp/monthsheet-preview.png", full_page=True)
    assert not Actual.objects.filter(indicator=visitors, month=4).exists()

    page.get_by_role("button", name="Tasdiqlash va saqlash").click()
    page.wait_for_load_state()
    assert "Saqlandi" in page.locator(".messages").inner_text()
    saved = Actual.objects.get(indicator=visitors, month=4)
    assert (saved.value, saved.note) == (140, "Kitobxonlar kuni")
