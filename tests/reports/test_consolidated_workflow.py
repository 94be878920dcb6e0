"""Sending the consolidated report to the National Library, accepting and returning it, who may,
and its files."""

import io
from collections import defaultdict

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from plans.models import MonthLock
from reports.consolidated import build_consolidated, consolidated_page
from reports.consolidated_files import render_consolidated_pdf, render_consolidated_xlsx
from reports.models import Report, ReportEvent
from reports.workflow import ReportError, do_accept, do_return, do_submit, do_submit_consolidated
from tests.queries import assert_fixed_queries, queries_of
from tests.reports.consolidated_world import build_region, send_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    world = build_region(3)
    send_district(world, 0)
    send_district(world, 2)
    return world


def _url(name, region, quarter=1, **extra):
    return reverse(f"reports:{name}", kwargs={"template_id": region.template.pk, "quarter": quarter, **extra})


def test_sending_freezes_the_consolidated_report_as_a_version(region):
    version = do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    report = Report.objects.get(plan=region.template, quarter=1)
    assert (report.state, version.number, version.table["kind"]) == ("submitted", 1, "consolidated")
    assert bytes(version.pdf).startswith(b"%PDF")
    assert not MonthLock.objects.filter(plan=region.template).exists()
    # Figures entered after sending do not change the version sent.
    page = consolidated_page(region.template, 1)
    assert page.frozen.pk == version.pk
    assert page.table == build_consolidated(region.template, 1)


def test_the_national_library_accepts_or_returns_it(region):
    do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    report = Report.objects.get(plan=region.template, quarter=1)
    national = region.users["national_reviewer"]
    do_return(report, acting_user=national, comment="3-tuman hisoboti yo‘q")
    report.refresh_from_db()
    assert report.state == "returned"
    with pytest.raises(ReportError):
        do_accept(report, acting_user=national)
    version = do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    assert version.number == 2
    do_accept(report, acting_user=national)
    report.refresh_from_db()
    assert report.state == "accepted"
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["submitted", "returned", "submitted", "accepted"]


def test_it_cannot_be_sent_twice_or_as_a_district_report(region):
    do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    with pytest.raises(ReportError):
        do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    with pytest.raises(ReportError):
        do_submit(region.template, 2, acting_user=region.users["region_manager"])
    with pytest.raises(ReportError):
        do_submit_consolidated(region.plans[1], 1, acting_user=region.users["district_manager_1"])


def test_a_district_report_returned_after_sending_marks_it_out_of_date(region, client):
    do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    assert consolidated_page(region.template, 1).out_of_date == []
    district_report = region.plans[2].reports.get(quarter=1)
    do_return(district_report, acting_user=region.users["region_reviewer"], comment="Tuzating")
    assert consolidated_page(region.template, 1).out_of_date == [region.districts[2].name]
    client.force_login(region.users["national_reviewer"])
    html = client.get(_url("consolidated", region)).content.decode()
    assert 'id="out-of-date"' in html and region.districts[2].name in html


MATRIX = [
    # (user, view, send, review)
    ("region_manager", True, True, False),
    ("region_reviewer", True, False, False),
    ("national_reviewer", True, False, True),
    ("district_manager_0", False, False, False),
    ("other_region_manager", False, False, False),
]


@pytest.mark.parametrize(("who", "view", "send", "review"), MATRIX)
def test_who_may_read_send_accept_and_return(region, client, who, view, send, review):
    if who == "other_region_manager":
        other = build_region(1, name="Samarqand viloyat axborot-kutubxona markazi", national=region.national)
        user = other.users["region_manager"]
    else:
        user = region.users[who]
    client.force_login(user)
    for name in ("consolidated", "consolidated_pdf", "consolidated_xlsx"):
        assert client.get(_url(name, region)).status_code == (200 if view else 403)
    response = client.post(_url("consolidated_submit", region))
    assert response.status_code == (302 if send else 403)
    if not send:
        do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    assert client.post(_url("consolidated_return", region), {"comment": "Qayta"}).status_code == (
        302 if review else 403
    )
    state = Report.objects.get(plan=region.template, quarter=1).state
    assert state == ("returned" if review else "submitted")
    for name in ("consolidated_version_pdf", "consolidated_version_xlsx"):
        assert client.get(_url(name, region, number=1)).status_code == (200 if view else 403)


def test_the_national_reviewer_accepts_on_the_page(region, client):
    client.force_login(region.users["region_manager"])
    html = client.get(_url("consolidated", region)).content.decode()
    assert _url("consolidated_submit", region) in html
    client.post(_url("consolidated_submit", region))
    client.force_login(region.users["national_reviewer"])
    html = client.get(_url("consolidated", region)).content.decode()
    assert _url("consolidated_accept", region) in html
    client.post(_url("consolidated_accept", region))
    report = Report.objects.get(plan=region.template, quarter=1)
    assert report.state == "accepted"
    assert report.events.filter(action=ReportEvent.Action.ACCEPTED).count() == 1


def test_a_district_report_page_refuses_a_template(region, client):
    client.force_login(region.users["region_manager"])
    url = reverse("reports:detail", kwargs={"plan_id": region.template.pk, "quarter": 1})
    assert client.get(url).status_code == 404


def test_the_pdf_reads_back_with_title_missing_districts_and_pages(region):
    table = build_consolidated(region.template, 1)
    reader = PdfReader(io.BytesIO(render_consolidated_pdf(table, on=table_day(), version=3)))
    first = reader.pages[0].extract_text()
    flat = " ".join(first.split())
    assert "Jizzax viloyati axborot-kutubxona markazlarining 2024-yil I chorak" in flat
    assert "yig‘ma hisobot" in flat
    assert region.districts[1].name in flat  # no report: named on the first page
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "B. Karimova" in last and "M.O‘." in last
    pages = len(reader.pages)
    assert f"1-sahifa, jami {pages}" in flat
    assert "3-versiya" in flat


def table_day():
    import datetime

    return datetime.date(2024, 4, 3)


def test_the_xlsx_has_the_consolidated_sheet_and_the_districts_sheet(region):
    table = build_consolidated(region.template, 1)
    book = load_workbook(io.BytesIO(render_consolidated_xlsx(table, on=table_day())))
    consolidated, districts = book.worksheets
    figures = table.figure_rows()
    values = [
        (sheet_row[0].value, sheet_row[7].value, sheet_row[9].value)
        for sheet_row in consolidated.iter_rows(min_row=4)
        if isinstance(sheet_row[7].value, int)
    ]
    assert [(done, count) for _n, done, count in values[: len(figures)]] == [
        (row.done_to_date, row.districts) for row in figures
    ]
    names = [row[0].value for row in districts.iter_rows(min_row=4)]
    assert names == [d.name for d in table.districts]
    first = [cell.value for cell in next(districts.iter_rows(min_row=4))][2:]
    assert first == [table.districts[0].done_to_date.get(str(row.template_indicator_id)) for row in figures]


def test_the_command_writes_the_consolidated_report(region, tmp_path):
    from django.core.management import CommandError, call_command

    target = tmp_path / "yigma.xlsx"
    call_command(
        "quarterly_report", year=2024, quarter=1, centre=region.region.name, consolidated=True,
        file_format="xlsx", output=str(target), stdout=io.StringIO(),
    )  # fmt: skip
    sheet = load_workbook(target).worksheets[0]
    done = [row[7].value for row in sheet.iter_rows(min_row=4) if isinstance(row[7].value, int)]
    assert done[:6] == [row.done_to_date for row in build_consolidated(region.template, 1).figure_rows()]
    do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    out = io.StringIO()
    call_command(
        "quarterly_report", year=2024, quarter=1, centre=str(region.region.pk), consolidated=True,
        output=str(tmp_path), stdout=out,
    )  # fmt: skip
    written = tmp_path / out.getvalue().strip().rsplit("/", 1)[-1]
    assert written.name.endswith("-2024-q1-v1.pdf") and "yigma" in written.name
    version = Report.objects.get(plan=region.template, quarter=1).versions.get()
    assert written.read_bytes() == bytes(version.pdf)
    with pytest.raises(CommandError):
        call_command(
            "quarterly_report", year=2024, quarter=1, centre=region.districts[0].name, consolidated=True,
            output=str(tmp_path / "x.pdf"), stdout=io.StringIO(),
        )  # fmt: skip


@pytest.mark.parametrize("districts", [3, 6])
def test_the_page_reads_in_a_fixed_number_of_queries(districts, client, django_assert_num_queries):
    world = build_region(districts)
    for index in range(districts - 1):
        send_district(world, index)
    client.force_login(world.users["national_reviewer"])
    url = _url("consolidated", world)
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    do_submit_consolidated(world.template, 1, acting_user=world.users["region_manager"])
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_the_national_library_is_told_and_the_region_hears_back(region):
    from notices.models import Notice

    do_submit_consolidated(region.template, 1, acting_user=region.users["region_manager"])
    [sent] = Notice.objects.filter(kind="report_sent", centre=region.region)
    assert sent.recipient == region.users["national_reviewer"]
    assert sent.link == _url("consolidated", region)
    report = Report.objects.get(plan=region.template, quarter=1)
    do_return(report, acting_user=region.users["national_reviewer"], comment="Qayta yuboring")
    [returned] = Notice.objects.filter(kind="report_returned", centre=region.region)
    assert (returned.recipient, returned.link) == (
        region.users["region_manager"],
        _url("consolidated", region),
    )


# Session, user, memberships, the bell, the tree of centres; the template, its report; the build
# (six: the districts, plans, reports, versions, links, the template's indicators), with the figures
# selector's six (and one for stock indicators) for the districts' live figures; or the version sent.
DOWNLOAD_QUERIES = {"built": 11, "drafts": 18, "sent": 6}


def test_the_downloads_read_in_a_number_of_queries_that_does_not_grow_with_districts(client):
    """The PDF and the XLSX, built now (with and without the districts' live figures) and as sent,
    for a region of 3 districts and one of 6: the same count (tests/queries.py)."""
    counts = defaultdict(list)
    for size, name in (
        (3, "Jizzax viloyat axborot-kutubxona markazi"),
        (6, "Navoiy viloyat axborot-kutubxona markazi"),
    ):
        world = build_region(size, name=name)
        for index in range(size - 1):
            send_district(world, index)
        client.force_login(world.users["region_manager"])
        downloads = [
            ((download, how), _url(download, world), query)
            for download in ("consolidated_pdf", "consolidated_xlsx")
            for how, query in (("built", {}), ("drafts", {"drafts": 1}))
        ]
        for key, url, query in downloads:
            assert client.get(url, query).status_code == 200
            counts[key].append(queries_of(lambda: client.get(url, query)))  # noqa: B023
        do_submit_consolidated(world.template, 1, acting_user=world.users["region_manager"])
        for download in ("consolidated_pdf", "consolidated_xlsx"):
            url = _url(download, world)
            assert client.get(url).status_code == 200
            counts[(download, "sent")].append(queries_of(lambda: client.get(url)))  # noqa: B023
    for (_download, how), measured in counts.items():
        assert_fixed_queries(measured, DOWNLOAD_QUERIES[how])


def test_the_national_library_s_template_has_no_consolidated_report(region, client):
    """It is sent to the regions (region.template_send), not added up: not listed, its page a 404."""
    from plans.models import Plan

    national = Plan.objects.create(organization=region.national, year=2024, kind=Plan.Kind.TEMPLATE)
    client.force_login(region.users["national_reviewer"])
    listed = client.get(reverse("reports:consolidated_list")).context["rows"]
    assert [row["template"] for row in listed] == [region.template]
    page = reverse("reports:consolidated", kwargs={"template_id": national.pk, "quarter": 1})
    assert client.get(page).status_code == 404
