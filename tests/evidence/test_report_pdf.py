"""The quarterly report's PDF ends with an annex of its evidence: per indicator, names, dates, thumbnails."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from evidence.actions import do_add_files
from plans.models import Indicator
from reports.models import ReportVersion
from reports.workflow import do_submit
from tests.reports.conftest import note_everything_behind

from . import samples

pytestmark = pytest.mark.django_db


def pictures(page) -> int:
    return len(page.images)


def test_the_draft_and_the_sent_version_carry_the_annex(demo):
    staff, manager = demo.users["xodim-abonement"], demo.users["direktor"]
    abonement = demo.service("abonement")
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    do_add_files(
        visitors,
        3,
        abonement,
        [("tadbir.jpg", samples.photo()), ("davomat.pdf", samples.pdf())],
        acting_user=staff,
    )
    client = Client()
    client.force_login(manager)
    draft = PdfReader(io.BytesIO(client.get(reverse("reports:pdf", args=[demo.plan.pk, 1])).content))
    last = draft.pages[-1]
    text = last.extract_text()
    assert "Ilova: tasdiqlovchi fayllar" in text
    assert "tadbir.jpg" in text and "davomat.pdf" in text and "15." in text
    assert pictures(last) == 1  # the photo's thumbnail; the PDF has none

    note_everything_behind(demo.plan, 1, manager)
    do_submit(demo.plan, 1, acting_user=manager)
    sent = PdfReader(io.BytesIO(bytes(ReportVersion.objects.get().pdf)))
    assert "tadbir.jpg" in sent.pages[-1].extract_text()
    assert pictures(sent.pages[-1]) == 1


def test_a_quarter_without_files_has_no_annex(demo):
    client = Client()
    client.force_login(demo.users["direktor"])
    draft = PdfReader(io.BytesIO(client.get(reverse("reports:pdf", args=[demo.plan.pk, 1])).content))
    assert all("Ilova" not in page.extract_text() for page in draft.pages)
