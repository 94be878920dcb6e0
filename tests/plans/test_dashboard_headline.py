"""The dashboards lead with how many indicators stand where (behind first), not with an average."""

import datetime
import re

import pytest
from django.urls import reverse

from plans.models import Indicator

pytestmark = pytest.mark.django_db

CENTRE = reverse("plans:centre-dashboard")


def headline(html):
    return re.search(r'<section class="card dash-overall".*?</section>', html, re.S)[0]


def counts(section):
    """The headline's counts as (count, status label), in their order."""
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [
        (
            int(re.search(r"<strong>(\d+)</strong>", item)[1]),
            re.search(r'class="status status-(\w+)"', item)[1],
        )
        for item in items
    ]


@pytest.fixture
def director(client, demo):
    client.force_login(demo.users["direktor"])
    return client


def test_centre_headline_leads_with_the_count_behind_and_links_to_their_list(director):
    section = headline(director.get(CENTRE, {"month": 3}).content.decode())
    lead = re.search(r'<p class="dash-big">\s*<a href="#attention">(.*?)</a>', section, re.S)[1]
    assert (
        re.sub(r"<[^>]+>", "", lead).strip()
        == "47 ta ko‘rsatkichdan 15 tasi ortda qolmoqda yoki muddati o‘tgan →"
    )
    assert counts(section) == [
        (15, "behind"),
        (0, "overdue"),
        (11, "on_track"),
        (12, "done"),
        (1, "not_started"),
        (8, "no_target"),
    ]


def test_each_count_links_to_the_list_of_that_status(director):
    section = headline(director.get(CENTRE, {"month": 3}).content.decode())
    assert re.search(r'<a href="\?[^"]*status=behind[^"]*#indicators"><strong>15</strong>', section)
    assert re.search(r'<a href="\?[^"]*status=done[^"]*#indicators"><strong>12</strong>', section)
    # Nothing to list behind a zero.
    assert "status=overdue" not in section


def test_no_averaged_progress_on_the_dashboards(director, demo):
    service = reverse("plans:service-dashboard", kwargs={"service": demo.service("abonement").pk})
    for url in (CENTRE, service):
        response = director.get(url, {"month": 3})
        html = response.content.decode()
        assert "kutiladi" not in headline(html)  # "40% done; 16% expected"
        assert 'class="chart progress"' not in headline(html)
        # Only the indicators' own bars are left, one per indicator listed.
        assert html.count('class="chart progress"') == len(response.context["rows"])


def test_service_headline_counts_the_services_indicators(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    url = reverse("plans:service-dashboard", kwargs={"service": demo.service("abonement").pk})
    section = headline(client.get(url, {"month": 3}).content.decode())
    assert "25 ta ko‘rsatkichdan 8 tasi ortda qolmoqda" in re.sub(r"<[^>]+>", "", section)
    assert sum(count for count, _status in counts(section)) == 25


def test_headline_says_when_nothing_is_behind(director, demo):
    section_ii = demo.plan.sections.get(number="II")
    section = headline(director.get(CENTRE, {"month": 3, "section": section_ii.pk}).content.decode())
    assert "ko‘rsatkichdan hech biri ortda qolmagan" in section
    assert 'href="#attention"' not in section


def test_group_tables_count_without_an_average_bar(director):
    html = director.get(CENTRE, {"month": 3}).content.decode()
    groups = re.findall(r'<table class="dash-groups">.*?</table>', html, re.S)
    assert len(groups) == 2
    for table in groups:
        assert "chart progress" not in table
        header = re.findall(r'class="status status-(\w+)"', table.split("</thead>")[0])
        assert header == ["behind", "overdue", "on_track", "done", "not_started", "no_target"]


def test_the_links_to_enter_a_figure_go_to_its_row(client, demo):
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    entry = reverse("plans:entry", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk})
    client.force_login(demo.users["direktor"])
    assert f'href="{entry}#row-{visitors.pk}"' in client.get(CENTRE, {"month": 3}).content.decode()
    client.force_login(demo.users["xodim-abonement"])
    url = reverse("plans:service-dashboard", kwargs={"service": demo.service("abonement").pk})
    assert f'href="{entry}#row-{visitors.pk}"' in client.get(url, {"month": 3}).content.decode()


def test_the_behind_list_labels_its_cells_for_the_phone(director):
    html = director.get(CENTRE, {"month": 3}).content.decode()
    attention = re.search(r'<section class="card" aria-labelledby="attention-h".*?</section>', html, re.S)[0]
    assert '<table class="dash-list cards">' in attention
    row = re.search(r'<tr class="row-behind">.*?</tr>', attention, re.S)[0]
    assert re.findall(r'data-label="([^"]+)"', row) == [
        "Bajarildi",
        "Kutilgan",
        "Reja",
        "Yetishmaydi",
        "Mas’ul · raqamni kiritish",
    ]


def test_indicator_page_leaves_months_not_begun_blank(director, demo, settings):
    settings.AKM_TODAY = datetime.date(2024, 4, 3)
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    response = director.get(reverse("plans:indicator", kwargs={"indicator": visitors.pk}), {"month": 3})
    months = response.context["months"]
    assert [m["done"] for m in months[:5]] == [0, 0, 480, 0, None]
    assert [m["cumulative"] for m in months[3:6]] == [480, None, None]
    assert months[11]["expected"] == 5114  # the pace still shows what is expected
    html = response.content.decode()
    may = re.search(r"<tr>\s*<th scope=\"row\">May</th>(.*?)</tr>", html, re.S)[1]
    assert re.findall(r'<td class="num">([^<]*)</td>', may) == ["", "426", "", "2130"]


def test_indicator_notes_name_their_month(director, demo):
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    html = director.get(reverse("plans:indicator", kwargs={"indicator": visitors.pk})).content.decode()
    notes = re.search(r'<section class="card" id="notes".*?</section>', html, re.S)[0]
    assert "<strong>Mart · " in notes
