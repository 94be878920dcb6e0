"""The quarterly report's workbook lists its evidence, one row per file; a sent version keeps its list."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evidence.actions import do_add_files
from plans.models import Indicator
from reports.models import Report
from reports.workflow import do_return, do_submit
from tests.reports.conftest import note_everything_behind

from . import samples

pytestmark = pytest.mark.django_db


def evidence_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[1] == "Tasdiqlovchi fayllar"
    sheet = book.worksheets[1]
    return [row[:7] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_workbook_lists_the_quarters_files_and_the_version_keeps_its_list(demo):
    staff, manager, reviewer = (demo.users[name] for name in ("xodim-abonement", "direktor", "viloyat"))
    abonement = demo.service("abonement")
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    do_add_files(visitors, 3, abonement, [("mart.jpg", samples.photo())], acting_user=staff)
    do_add_files(visitors, 3, abonement, [("=HYPERLINK(1).pdf", samples.pdf())], acting_user=staff)
    do_add_files(visitors, 4, abonement, [("aprel.pdf", samples.pdf())], acting_user=staff)  # not Q1
    client = Client()
    client.force_login(manager)
    draft = client.get(reverse("reports:xlsx", args=[demo.plan.pk, 1]))
    title = visitors.item.title
    expected = [
        ("15", title, 3, abonement.name, "mart.jpg", "Rasm"),
        ("15", title, 3, abonement.name, "=HYPERLINK(1).pdf", "PDF hujjat"),
    ]
    rows = evidence_rows(draft.content)
    assert [row[:6] for row in rows] == expected
    assert all(isinstance(row[6], int | float) and row[6] > 0 for row in rows)

    note_everything_behind(demo.plan, 1, manager)
    version = do_submit(demo.plan, 1, acting_user=manager)
    do_return(Report.objects.get(plan=demo.plan, quarter=1), acting_user=reviewer, comment="Tuzating")
    do_add_files(visitors, 3, abonement, [("keyin.pdf", samples.pdf())], acting_user=staff)
    sent = client.get(reverse("reports:version_xlsx", args=[demo.plan.pk, 1, version.number]))
    assert [row[:6] for row in evidence_rows(sent.content)] == expected
    # The draft, with the report back at the centre, lists the file added since.
    draft = client.get(reverse("reports:xlsx", args=[demo.plan.pk, 1]))
    assert [row[4] for row in evidence_rows(draft.content)] == ["mart.jpg", "=HYPERLINK(1).pdf", "keyin.pdf"]


def test_a_quarter_without_files_says_so(demo):
    client = Client()
    client.force_login(demo.users["direktor"])
    rows = evidence_rows(client.get(reverse("reports:xlsx", args=[demo.plan.pk, 1])).content)
    assert len(rows) == 1 and rows[0][0]
