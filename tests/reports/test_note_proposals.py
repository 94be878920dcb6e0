"""What was done, in words (issue 14): the report page proposes each indicator's quarter note from
its months' notes; a saved note wins; the PDF prints a long note under its row."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from plans.models import Actual, Indicator
from reports.models import ReportNote
from reports.pdf import render_pdf, report_html
from reports.selectors import proposed_notes
from reports.tables import LONG_NOTE, build_table
from reports.workflow import do_save_notes
from services.models import Service

LONG = (
    "12.01 kuni “Kitob — do‘stim” taqdimoti o‘tkazildi, 45 kitobxon qatnashdi; 26.01 kuni "
    "yosh kitobxonlar bilan uchrashuv bo‘ldi"
)
SHORT = "3 ta tadbir"


def _url(world):
    return reverse("reports:detail", kwargs={"plan_id": world.plan.pk, "quarter": 1})


def _indicator(plan) -> Indicator:
    """The plan's first indicator, its months' notes (the demo has some) cleared."""
    indicator = Indicator.objects.filter(item__plan=plan).order_by("item__number", "pk").first()
    Actual.objects.filter(indicator=indicator).update(note="")
    return indicator


def _two_services(plan) -> tuple[Service, Service]:
    first, second = plan.organization.services.order_by("order", "name")[:2]
    return first, second


def _note(indicator, month, service, note, value=1):
    Actual.objects.update_or_create(
        indicator=indicator, month=month, service=service, defaults={"value": value, "note": note}
    )


@pytest.fixture
def noted(world):
    """An indicator with notes of two months from two services (February written before January)."""
    indicator = _indicator(world.plan)
    first, second = _two_services(world.plan)
    _note(indicator, 2, second, "Fevralda ikkinchi xizmat: ko‘rgazma")
    _note(indicator, 1, first, "Kitob taqdimoti\n  45 kishi ")
    _note(indicator, 2, first, "Fevralda birinchi xizmat: davra suhbati")
    _note(indicator, 1, second, "")  # a figure without a note adds no line
    _note(indicator, 4, first, "Aprel: boshqa chorak")  # another quarter's month is not read
    return indicator, first, second


def test_proposal_has_a_line_per_month_and_service_in_the_order_of_months(world, noted):
    indicator, first, second = noted
    with translation.override("uz"):
        proposals = proposed_notes(world.plan, 1)
    assert proposals[indicator.pk].splitlines() == [
        f"Yanvar ({first.name}): Kitob taqdimoti; 45 kishi",
        f"Fevral ({first.name}): Fevralda birinchi xizmat: davra suhbati",
        f"Fevral ({second.name}): Fevralda ikkinchi xizmat: ko‘rgazma",
    ]


def test_proposal_of_a_single_service_names_only_the_months(world):
    indicator = _indicator(world.plan)
    first, _second = _two_services(world.plan)
    _note(indicator, 3, first, "Mart tadbiri")
    _note(indicator, 1, first, "Yanvar tadbiri")
    with translation.override("uz"):
        assert proposed_notes(world.plan, 1)[indicator.pk] == "Yanvar: Yanvar tadbiri\nMart: Mart tadbiri"


def test_proposal_is_read_in_one_query(world, noted, django_assert_num_queries):
    with django_assert_num_queries(1):
        proposed_notes(world.plan, 1)


def test_page_prefills_the_note_as_a_proposal_for_the_manager(client, world, noted):
    indicator, first, _second = noted
    client.force_login(world.users["manager"])
    with translation.override("uz"):
        response = client.get(_url(world), HTTP_ACCEPT_LANGUAGE="uz")
    text = response.content.decode()
    assert response.context["proposals"][indicator.pk].startswith(f"Yanvar ({first.name}): Kitob taqdimoti")
    assert f'class="note-proposal" aria-describedby="proposal-{indicator.pk}"' in text
    assert f'id="proposal-{indicator.pk}"' in text
    assert "Kitob taqdimoti; 45 kishi" in text


def test_proposal_is_not_saved_until_the_manager_saves(client, world, noted):
    indicator, _first, _second = noted
    client.force_login(world.users["manager"])
    client.get(_url(world))
    client.get(_url(world))
    assert not ReportNote.objects.exists()
    proposal = client.get(_url(world)).context["proposals"][indicator.pk]
    # The form posts the textarea as shown: saving keeps the proposal (here edited) as the note.
    edited = proposal + "\nQo‘shimcha: tahrirlandi"
    save = reverse("reports:notes", kwargs={"plan_id": world.plan.pk, "quarter": 1})
    assert client.post(save, {f"note-{indicator.pk}": edited}).status_code == 302
    assert ReportNote.objects.get(indicator=indicator).text == edited
    assert indicator.pk not in client.get(_url(world)).context["proposals"]


def test_a_saved_note_wins_over_the_proposal(client, world, noted):
    indicator, _first, _second = noted
    do_save_notes(world.plan, 1, {indicator.pk: "Saqlangan izoh"}, acting_user=world.users["manager"])
    client.force_login(world.users["manager"])
    response = client.get(_url(world))
    text = response.content.decode()
    assert indicator.pk not in response.context["proposals"]
    assert "Saqlangan izoh" in text and "Kitob taqdimoti" not in text
    assert f'aria-describedby="proposal-{indicator.pk}"' not in text


def test_no_proposal_for_those_who_do_not_edit_the_notes(client, world, noted):
    client.force_login(world.users["reviewer"])
    response = client.get(_url(world))
    assert response.context["proposals"] == {}
    assert "Kitob taqdimoti" not in response.content.decode()


def _pdf_text(table) -> str:
    with translation.override("uz"):
        pdf = render_pdf(table, on=datetime.date(2024, 4, 3), draft=True)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_prints_a_long_note_under_its_row_and_a_short_one_in_its_cell(world):
    table = build_table(world.plan, 1)
    rows = [row for row in table.rows if row.indicator_id is not None]
    long_row, short_row = rows[0], rows[1]
    assert len(LONG) > LONG_NOTE >= len(SHORT)
    table = build_table(world.plan, 1, notes={long_row.indicator_id: LONG, short_row.indicator_id: SHORT})
    with translation.override("uz"):
        html = report_html(table, on=datetime.date(2024, 4, 3), draft=True)
    # The long note on its own full-width row, its cell in the row left empty; the short one inline.
    assert html.count('<tr class="note-below"><td colspan="10">') == 1
    below = html.split('<tr class="note-below">')[1].split("</tr>")[0]
    assert "Kitob — do‘stim" in below
    assert SHORT not in below
    text = _pdf_text(table)
    lines = [line.strip() for line in text.splitlines()]
    # Read back: the long note's text flows across the page's width (a narrow cell would wrap it
    # into many short lines), after the figures of its row.
    start = next(index for index, line in enumerate(lines) if "Kitob — do‘stim" in line)
    assert "Izoh:" in lines[start]
    assert "45 kitobxon qatnashdi" in " ".join(lines[start : start + 2])
    assert any(SHORT in line for line in lines)


def _page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(world)).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_months_notes(client, world):
    client.force_login(world.users["manager"])
    few = _page_queries(client, world)
    first, second = _two_services(world.plan)
    for indicator in Indicator.objects.filter(item__plan=world.plan):
        for month in (1, 2, 3):
            _note(indicator, month, first, f"Tadbir {month}")
            _note(indicator, month, second, f"Uchrashuv {month}")
    many = client.get(_url(world)).context["proposals"]
    assert len(many) == Indicator.objects.filter(item__plan=world.plan).count()
    assert _page_queries(client, world) == few <= 13
