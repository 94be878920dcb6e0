"""The region's consolidated annual report: its districts' annual reports as sent, added up per
template indicator quarter by quarter and over the year; its workflow one level up and its files."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from plans.aggregation import over_centres
from plans.deadlines import WHOLE_YEAR
from plans.figures import year_figures
from plans.models import Actual, Indicator
from reports.consolidated import ConsolidatedTable, Source, build_consolidated
from reports.consolidated_files import render_consolidated_pdf, render_consolidated_xlsx
from reports.models import Report
from reports.workflow import do_accept, do_return, do_submit_consolidated
from tests.reports.consolidated_world import build_region, send_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(settings):
    """Three districts with figures in every quarter, the year over."""
    world = build_region(3)
    for offset, plan in enumerate(world.plans):
        for indicator in Indicator.objects.filter(item__plan=plan).select_related("item"):
            service = indicator.item.services.first()
            for month in (5, 8, 11):
                Actual.objects.create(indicator=indicator, month=month, service=service, value=month + offset)
    settings.AKM_TODAY = datetime.date(2025, 1, 12)
    return world


def _url(name, region, **extra):
    return reverse(
        f"reports:{name}", kwargs={"template_id": region.template.pk, "quarter": WHOLE_YEAR, **extra}
    )


def _expected(region, sent: list[int]) -> dict[int, list]:
    """Per template indicator: each district's year_figures (the one figures selector), as
    (done per quarter, done in the year, annual target)."""
    expected: dict[int, list] = {}
    for index in sent:
        year = year_figures(region.plans[index])
        done = year.done_by_quarter()
        for figure in year.at_year_end:
            template_id = figure.indicator.template_indicator_id
            if template_id is not None:
                entry = (done[figure.indicator.pk], figure.done_to_date, figure.annual_target)
                expected.setdefault(template_id, []).append(entry)
    return expected


def test_the_districts_annual_reports_add_up_quarter_by_quarter_and_over_the_year(region):
    for index in range(3):
        send_district(region, index, quarter=WHOLE_YEAR)
    table = build_consolidated(region.template, WHOLE_YEAR)
    assert table.annual and table.quarter == WHOLE_YEAR
    expected = _expected(region, [0, 1, 2])
    rows = table.figure_rows()
    assert len(rows) == 6
    for row in rows:
        districts = expected[row.template_indicator_id]
        how = row.aggregation
        assert row.districts == 3
        assert row.done_by_quarter == [over_centres(how, (d[0][q] for d in districts)) for q in range(4)]
        assert row.done_to_date == over_centres(how, (d[1] for d in districts))
        assert row.annual_target == over_centres(how, (d[2] for d in districts))
        assert row.quarter_target is None and row.done_in_quarter is None
    summed = next(row for row in rows if row.number == "1")
    assert summed.done_to_date == sum(summed.done_by_quarter)
    assert all(district.source == Source.SENT for district in table.districts)
    assert ConsolidatedTable.from_json(table.to_json()) == table


def test_a_quarters_report_is_not_counted_in_the_year(region):
    send_district(region, 0)  # the first quarter's report, not the annual
    send_district(region, 1, quarter=WHOLE_YEAR)
    table = build_consolidated(region.template, WHOLE_YEAR)
    assert [district.source for district in table.districts] == [Source.MISSING, Source.SENT, Source.MISSING]
    live = build_consolidated(region.template, WHOLE_YEAR, include_drafts=True)
    expected = _expected(region, [0, 1, 2])
    for row in live.figure_rows():
        districts = expected[row.template_indicator_id]
        assert row.done_by_quarter == [
            over_centres(row.aggregation, (d[0][q] for d in districts)) for q in range(4)
        ]


def test_a_stored_quarterly_consolidated_table_of_the_first_format_still_reads(region):
    send_district(region, 0)
    stored = build_consolidated(region.template, 1).to_json()
    stored["format"] = 1
    for row in stored["rows"]:
        del row["done_by_quarter"]
    assert all(row.done_by_quarter == [] for row in ConsolidatedTable.from_json(stored).rows)


def test_the_region_sends_it_and_the_national_library_returns_and_accepts_it(region):
    for index in range(3):
        send_district(region, index, quarter=WHOLE_YEAR)
    manager, national = region.users["region_manager"], region.users["national_reviewer"]
    version = do_submit_consolidated(region.template, WHOLE_YEAR, acting_user=manager)
    assert ConsolidatedTable.from_json(version.table).annual
    report = Report.objects.get(plan=region.template, quarter=WHOLE_YEAR)
    do_return(report, acting_user=national, comment="Tuzating")
    assert do_submit_consolidated(region.template, WHOLE_YEAR, acting_user=manager).number == 2
    do_accept(Report.objects.get(pk=report.pk), acting_user=national)
    assert Report.objects.get(pk=report.pk).state == "accepted"
    assert not Report.objects.filter(plan=region.template, quarter__lte=4).exists()


def test_the_pages_and_files_for_the_region_and_the_refusal_before_the_year_ends(client, region, settings):
    for index in range(3):
        send_district(region, index, quarter=WHOLE_YEAR)
    client.force_login(region.users["region_manager"])
    page = client.get(_url("consolidated", region))
    assert page.status_code == 200 and page.context["table"].annual
    listing = client.get(reverse("reports:consolidated_list"), {"year": 2024}).content.decode()
    assert f'href="{_url("consolidated", region)}"' in listing
    assert client.post(_url("consolidated_submit", region)).status_code == 302
    assert Report.objects.get(plan=region.template, quarter=WHOLE_YEAR).state == "submitted"
    assert client.get(_url("consolidated_version_pdf", region, number=1)).status_code == 200
    settings.AKM_TODAY = datetime.date(2024, 12, 20)
    refused = client.get(_url("consolidated", region))
    assert refused.status_code == 403 and "01.01.2025" in refused.content.decode()


def test_the_pdf_and_xlsx_carry_the_quarters_and_the_year(region):
    for index in range(3):
        send_district(region, index, quarter=WHOLE_YEAR)
    table = build_consolidated(region.template, WHOLE_YEAR)
    row = next(row for row in table.figure_rows() if row.number == "1")
    with translation.override("en"):
        pdf = render_consolidated_pdf(table, on=datetime.date(2025, 1, 12), version=1)
        book = load_workbook(io.BytesIO(render_consolidated_xlsx(table, on=datetime.date(2025, 1, 12))))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Consolidated annual report" in text and "Done in quarter IV" in text
    assert " ".join(str(value) for value in [*row.done_by_quarter, row.done_to_date]) in text
    sheet = book.worksheets[0]
    line = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == "1")
    assert [sheet.cell(line, column).value for column in range(5, 11)] == [
        row.annual_target, *row.done_by_quarter, row.done_to_date,
    ]  # fmt: skip
    assert sheet.cell(3, 6).value == "Done in quarter I"


def test_the_command_writes_the_consolidated_annual_report(region, tmp_path):
    from django.core.management import call_command

    send_district(region, 0, quarter=WHOLE_YEAR)
    out = io.StringIO()
    call_command(
        "quarterly_report",
        year=2024,
        annual=True,
        consolidated=True,
        centre=str(region.region.pk),
        file_format="xlsx",
        output=str(tmp_path),
        stdout=out,
    )
    (written,) = tmp_path.iterdir()
    assert written.name.endswith(f"-id{region.region.pk}-2024-year-draft.xlsx")
    sheet = load_workbook(written).worksheets[0]
    row = next(
        row for row in build_consolidated(region.template, WHOLE_YEAR).figure_rows() if row.number == "1"
    )
    line = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == "1")
    assert [sheet.cell(line, column).value for column in range(6, 11)] == [
        *row.done_by_quarter,
        row.done_to_date,
    ]


def test_the_consolidated_annual_report_reads_in_six_queries_however_many_districts(
    region, django_assert_num_queries
):
    for index in range(3):
        send_district(region, index, quarter=WHOLE_YEAR)
    template = type(region.template).objects.select_related("organization").get(pk=region.template.pk)
    with django_assert_num_queries(6):
        build_consolidated(template, WHOLE_YEAR)
    bigger = build_region(5, name="Samarqand viloyat axborot-kutubxona markazi", national=region.national)
    for index in range(5):
        send_district(bigger, index, quarter=WHOLE_YEAR)
    template = type(bigger.template).objects.select_related("organization").get(pk=bigger.template.pk)
    with django_assert_num_queries(6):
        build_consolidated(template, WHOLE_YEAR)
