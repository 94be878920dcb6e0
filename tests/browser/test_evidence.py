"""A staff member attaches photos and documents to a figure in Chromium, on a desktop and a phone."""

import pytest
from django.core.files.storage import storages
from playwright.sync_api import expect

from evidence.models import EvidenceFile
from plans.models import Indicator
from tests.evidence import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def visitors(demo):
    return Indicator.objects.get(item__plan=demo.plan, item__number="15")


def test_files_are_uploaded_listed_with_thumbnails_and_removed(page, log_in, demo, tmp_path):
    indicator = visitors(demo)
    photo, attendance = tmp_path / "tadbir.jpg", tmp_path / "davomat.pdf"
    photo.write_bytes(samples.photo(size=(1600, 1200)))
    attendance.write_bytes(samples.pdf())
    log_in("xodim-abonement")
    page.goto(f"/plan/entry/2024/4/{demo.service('abonement').pk}/")
    page.locator(f"#row-{indicator.pk} a.evidence-link").click()
    page.wait_for_load_state()
    page.locator("input[type=file]").set_input_files([photo, attendance])
    page.get_by_role("button", name="Yuklash").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("2 ta fayl qo‘shildi")
    expect(page.locator(".evidence-file")).to_have_count(2)
    thumbnail = page.locator(".evidence-thumb img")
    expect(thumbnail).to_have_count(1)
    # The thumbnail is fetched after the page has loaded: wait until the browser has it, broken or not.
    page.wait_for_function("img => img.complete", arg=thumbnail.element_handle())
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) == 320
    stored = EvidenceFile.objects.get(kind="photo")
    with storages["evidence"].open(stored.key, "rb") as content:
        assert samples.gps_of(content.read()) == {}
    page.screenshot(path="/tmp/evidence-desktop.png", full_page=True)

    page.get_by_role("link", name="Oyga qaytish").click()
    page.wait_for_load_state()
    expect(page.locator(f"#row-{indicator.pk} a.evidence-link")).to_have_text("fayllar (2)")

    page.locator(f"#row-{indicator.pk} a.evidence-link").click()
    page.locator(".evidence-file", has_text="davomat.pdf").get_by_role("button", name="O‘chirish").click()
    page.wait_for_load_state()
    expect(page.locator(".evidence-file")).to_have_count(1)
    expect(page.locator(".evidence-events")).to_contain_text("Fayl o‘chirildi: davomat.pdf")


def test_a_bad_file_is_refused_with_a_message_on_a_phone(page, log_in, demo, tmp_path):
    page.set_viewport_size(PHONE)
    indicator = visitors(demo)
    fake = tmp_path / "rasm.jpg"
    fake.write_bytes(samples.executable())
    good = tmp_path / "yaxshi.png"
    good.write_bytes(samples.photo("PNG"))
    log_in("xodim-abonement")
    page.goto(f"/evidence/{indicator.pk}/4/{demo.service('abonement').pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("input[type=file]").set_input_files([good, fake])
    page.get_by_role("button", name="Yuklash").click()
    page.wait_for_load_state()
    expect(page.locator(".notice.error")).to_contain_text("rasm.jpg: bunday turdagi fayl qabul qilinmaydi")
    assert not EvidenceFile.objects.exists()
    page.locator("input[type=file]").set_input_files([good])
    page.get_by_role("button", name="Yuklash").click()
    page.wait_for_load_state()
    expect(page.locator(".evidence-file")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/evidence-phone.png", full_page=True)
