"""The annual report in Chromium, as a director uses it after the year: from the plan's page to the
annual report, a note proposed from the quarters' notes edited, the others typed, sent in one go."""

import datetime
import io

import pytest
from pypdf import PdfReader

from plans.deadlines import WHOLE_YEAR
from reports.models import Report
from reports.tables import build_table
from reports.workflow import do_save_notes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Sabab: mablag‘ ajratilmadi"
EDITED = "Yil davomida 2 ta seminar o‘tkazildi"


def test_a_director_opens_the_annual_report_edits_a_note_and_sends_it(page, log_in, demo, settings):
    manager = demo.users["direktor"]
    first = next(row for row in build_table(demo.plan, 1).rows if row.indicator_id)
    do_save_notes(demo.plan, 1, {first.indicator_id: "Seminar o‘tkazildi"}, acting_user=manager)
    settings.AKM_TODAY = datetime.date(2025, 1, 10)

    log_in("direktor")
    page.goto(f"/plan/{demo.plan.pk}/")
    page.locator("#annual-report-link").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reports/{demo.plan.pk}/year/")
    assert page.locator("#section-summaries tbody tr").count() == 5
    # The first indicator's note is proposed from its first quarter's note; the director edits it.
    proposed = page.locator(f"textarea[name='note-{first.indicator_id}']")
    assert proposed.input_value().endswith(": Seminar o‘tkazildi")
    proposed.fill(EDITED)
    for note in page.locator("tr.needs-note textarea").all():
        if not note.input_value().strip():
            note.fill(NOTE)
    page.get_by_role("button", name="Viloyat markaziga yuborish…").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reports/{demo.plan.pk}/year/send/")
    assert not Report.objects.filter(quarter=WHOLE_YEAR, state="submitted").exists()
    page.get_by_role("button", name="Viloyat markaziga yuborish").click()
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "Yuborilgan"

    report = Report.objects.get(plan=demo.plan, quarter=WHOLE_YEAR)
    version = report.versions.get()
    notes = {row["indicator_id"]: row["note"] for row in version.table["rows"] if row["indicator_id"]}
    assert notes[first.indicator_id] == EDITED
    assert all(row["done_by_quarter"] for row in version.table["rows"] if row["kind"] == "figures")
    # The PDF as sent: the annual title, the quarters' columns, the summary by section.
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "2024" in text and EDITED in text
    assert bytes(version.pdf) == open(download.value.path(), "rb").read()
