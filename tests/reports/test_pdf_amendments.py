"""The quarterly PDF's annex of amendments: the plan's amendments up to the quarter's end (what,
old → new, why, when) under a heading, none without any; a sent version keeps what was known when
it was sent."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.models import Amendment
from plans.plan_pages import quarter_amendments
from reports.workflow import do_submit

from .conftest import note_everything_behind

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")
HEADING = "Ilova: tasdiqlangan rejaga kiritilgan o‘zgartirishlar"


def amend(plan, when: datetime.datetime, *, why="Viloyat ko‘rsatmasi"):
    amendment = Amendment.objects.create(
        plan=plan, kind=Amendment.Kind.CHANGED, subject=Amendment.Subject.INDICATOR,
        what="15. Kitobxonlar soni", field="annual_target", old_value="5000", new_value="6000", reason=why,
    )  # fmt: skip
    Amendment.objects.filter(pk=amendment.pk).update(created_at=when)  # auto_now_add: set it after
    return amendment


def text_of(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def report_pdf(client, world) -> str:
    client.force_login(world.users["manager"])
    url = reverse("reports:pdf", kwargs={"plan_id": world.plan.pk, "quarter": 1})
    response = client.get(url)
    assert response.status_code == 200
    return text_of(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_quarter_keeps_the_amendments_made_up_to_its_last_local_moment(plan_2024):
    last = amend(plan_2024, datetime.datetime(2024, 3, 31, 23, 59, tzinfo=TASHKENT))
    first = amend(plan_2024, datetime.datetime(2024, 1, 10, 9, 0, tzinfo=TASHKENT))
    # 1 April 00:10 in Tashkent is still 31 March in UTC: the second quarter's.
    april = amend(plan_2024, datetime.datetime(2024, 4, 1, 0, 10, tzinfo=TASHKENT))
    assert quarter_amendments(plan_2024, 1) == [first, last]  # oldest first
    assert quarter_amendments(plan_2024, 2) == [first, last, april]
    assert quarter_amendments(plan_2024, 4) == [first, last, april]


def test_the_pdf_lists_what_old_and_new_why_and_when_under_a_heading(client, world):
    amend(world.plan, datetime.datetime(2024, 2, 14, 10, 0, tzinfo=TASHKENT))
    amend(world.plan, datetime.datetime(2024, 5, 2, 10, 0, tzinfo=TASHKENT), why="Ikkinchi chorakdagi")
    text = report_pdf(client, world)
    assert HEADING in text
    annex = text.split(HEADING)[1]
    assert "Nima Avval → keyin Nega Qachon" in annex
    assert "O‘zgartirildi: ko‘rsatkich" in annex and "15. Kitobxonlar soni" in annex
    assert "5000 → 6000" in annex and "Viloyat ko‘rsatmasi" in annex and "14.02.2024" in annex
    assert "Ikkinchi chorakdagi" not in text  # made after the quarter's end


def test_a_plan_not_amended_has_no_heading(client, world):
    assert HEADING not in report_pdf(client, world)


def test_a_sent_version_lists_the_amendments_known_when_it_was_sent(client, world):
    amend(world.plan, datetime.datetime(2024, 2, 14, 10, 0, tzinfo=TASHKENT), why="Yuborilgunga qadar")
    note_everything_behind(world.plan, 1, world.users["manager"])
    version = do_submit(world.plan, 1, acting_user=world.users["manager"])
    # Recorded after the sending (dated inside the quarter, as a late entry would be).
    amend(world.plan, datetime.datetime(2024, 3, 20, 10, 0, tzinfo=TASHKENT), why="Yuborilgandan keyin")

    for text in (report_pdf(client, world), text_of(bytes(version.pdf))):
        assert "Yuborilgunga qadar" in text and "Yuborilgandan keyin" not in text
    client.force_login(world.users["reviewer"])
    url = reverse("reports:version_pdf", kwargs={"plan_id": world.plan.pk, "quarter": 1, "number": 1})
    response = client.get(url)
    assert "Yuborilgandan keyin" not in text_of(response.content)
