"""The region's and the nation's dashboards: who reads them, that their numbers are the figures
selector's, their sorting, their query counts, and the demo region they are shown with."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from demo.district import REGIONAL, load_demo
from demo.region import GENERATED, copy_structure, generate_district
from plans.aggregation import over_centres
from plans.figures import indicator_figures
from plans.models import Actual, Indicator, MonthCompletion, Plan
from plans.pacing import Status
from region.overview import SORTS, nation_overview, region_overview, short_name
from reports.models import Report
from services.models import Membership, Organization, Service
from tests.queries import assert_fixed_queries, queries_of

pytestmark = pytest.mark.django_db

REGION_URL = reverse("region:dashboard")
NATION_URL = reverse("region:nation")


@pytest.fixture
def region(db):
    """The demo with its region: the national library, Jizzax with a template and four districts;
    and another region (Samarqand) with one district and its own reviewer, outside Jizzax."""
    load_demo(password="demo-password", region=True)
    jizzax = Organization.objects.get(name=REGIONAL)
    other = Organization.objects.create(
        name="Samarqand viloyati axborot-kutubxona markazi",
        kind=Organization.Kind.REGIONAL,
        parent=jizzax.parent,
    )
    district = Organization.objects.create(
        name="Urgut tuman axborot-kutubxona markazi", kind=Organization.Kind.DISTRICT, parent=other
    )
    source = Plan.objects.own().get(organization__name__startswith="Sharof Rashidov")
    generate_district(district, source, seed=9, scale=1.0, pace=1.0, months=2)
    user = get_user_model().objects.create(username="samarqand")
    Membership.objects.create(user=user, organization=other, role=Membership.Role.REVIEWER)
    return jizzax, other


def users() -> dict[str, object]:
    return {user.username: user for user in get_user_model().objects.all()}


def get(client, username: str | None, url: str, **query):
    if username:
        client.force_login(users()[username])
    return client.get(url, query)


# Who reads which dashboard: national, regional and district roles, a centre in and outside
# their subtree. "drill" is a district's dashboard reached from the region's table.
# fmt: off
MATRIX = [
    # person               region (Jizzax)  region (Samarqand)  nation  drill (Zomin)
    ("milliy",             200,             200,                200,    200),
    ("viloyat",            200,             403,                403,    200),
    ("viloyat-direktor",   200,             403,                403,    200),
    ("samarqand",          403,             200,                403,    403),
    ("direktor",           403,             403,                403,    403),
    ("xodim-abonement",    403,             403,                403,    403),
    ("admin",              403,             403,                403,    403),
]
# fmt: on


def test_access_matrix(client, region):
    jizzax_centre, samarqand_centre = region
    zomin = Organization.objects.get(name=GENERATED[0].name)
    national = jizzax_centre.parent
    got = []
    for username, *_expected in MATRIX:
        got.append(
            (
                username,
                get(client, username, REGION_URL, centre=jizzax_centre.pk).status_code,
                client.get(REGION_URL, {"centre": samarqand_centre.pk}).status_code,
                client.get(NATION_URL, {"centre": national.pk}).status_code,
                client.get(reverse("plans:centre-dashboard"), {"centre": zomin.pk}).status_code,
            )
        )
    assert got == MATRIX


def test_anonymous_is_sent_to_log_in(client, region):
    for url in (REGION_URL, NATION_URL):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_centre_of_the_wrong_kind_or_unknown_is_refused(client, region):
    jizzax, _other = region
    client.force_login(users()["milliy"])
    assert client.get(NATION_URL, {"centre": jizzax.pk}).status_code == 403
    assert client.get(REGION_URL, {"centre": jizzax.parent_id}).status_code == 403
    assert client.get(REGION_URL, {"centre": 10**9}).status_code == 403


JUNK = [
    {"sort": "junk"},
    {"sort": "name;drop"},
    {"sort": "--name"},
    {"month": "13"},
    {"month": "0"},
    {"month": "²"},
    {"year": "1999"},
    {"year": "9" * 30},
    {"centre": "x"},
]


def test_junk_parameters_are_a_bad_request(client, region):
    client.force_login(users()["milliy"])
    answers = [(client.get(REGION_URL, q).status_code, client.get(NATION_URL, q).status_code) for q in JUNK]
    assert answers == [(400, 400)] * len(JUNK)


def test_every_sort_answers_and_sorts_by_its_column(client, region):
    client.force_login(users()["viloyat"])
    for sort in sorted(SORTS):
        assert client.get(REGION_URL, {"sort": sort}).status_code == 200
    jizzax, _other = region
    by_name = region_overview(jizzax, 2024, 3, sort="name").rows
    assert [row.centre.name for row in by_name] == sorted(row.centre.name for row in by_name)
    backwards = region_overview(jizzax, 2024, 3, sort="-name").rows
    assert backwards == by_name[::-1]
    worst_first = region_overview(jizzax, 2024, 3, sort="share").rows
    shares = [row.on_track_share for row in worst_first]
    assert shares == sorted(shares)
    behind_most = region_overview(jizzax, 2024, 3, sort="-behind").rows
    assert [row.behind for row in behind_most] == sorted((row.behind for row in behind_most), reverse=True)


def test_figures_on_the_region_dashboard_are_the_figures_selector_s(region):
    jizzax, _other = region
    month = 3
    overview = region_overview(jizzax, 2024, month)
    assert len(overview.rows) == 4
    all_figures = {}
    for row in overview.rows:
        plan = Plan.objects.own().get(organization=row.centre, year=2024)
        figures = indicator_figures(plan, month)
        all_figures[plan.pk] = figures
        counts = Counter(f.status for f in figures)
        assert row.summary.counts == dict(counts)
        assert row.behind == counts[Status.BEHIND]
        assert row.overdue == counts[Status.OVERDUE]
        dated = [f.last_entry_at for f in figures if f.last_entry_at]
        assert row.last_entry_at == max(dated)
    # Per template indicator: the districts' figures added up as the indicator says.
    assert overview.has_template and overview.lines
    for line in overview.lines:
        members = [
            f
            for figures in all_figures.values()
            for f in figures
            if f.indicator.template_indicator_id == line.indicator.pk
        ]
        assert line.districts == len(members) == 4
        assert line.total == over_centres(line.indicator.aggregation, (f.done_to_date for f in members))
        targets = [f.annual_target for f in members if f.annual_target is not None]
        assert line.target == (over_centres(line.indicator.aggregation, targets) if targets else None)
        assert len(line.behind) <= 3
        shortfalls = [b.shortfall for b in line.behind]
        assert all(s > 0 for s in shortfalls)


def test_the_nation_dashboard_adds_up_each_region_s_districts(region):
    jizzax, other = region
    national = jizzax.parent
    nation = nation_overview(national, 2024, 3)
    by_centre = {row.centre.pk: row for row in nation.rows}
    assert set(by_centre) == {jizzax.pk, other.pk}
    districts = region_overview(jizzax, 2024, 3).rows
    total: Counter = Counter()
    for row in districts:
        total.update(row.summary.counts)
    assert by_centre[jizzax.pk].summary.counts == dict(total)
    assert by_centre[jizzax.pk].behind == sum(row.behind for row in districts)
    tally = by_centre[jizzax.pk].tally
    assert (tally.districts, tally.sent, tally.returned) == (4, 1, 1)


def test_the_pages_show_the_rows_and_link_down(client, region):
    jizzax, _other = region
    zomin = Organization.objects.get(name=GENERATED[0].name)
    client.force_login(users()["milliy"])
    nation = client.get(NATION_URL).content.decode()
    assert f"{REGION_URL}?centre={jizzax.pk}&amp;year=2024&amp;month=3" in nation
    page = client.get(REGION_URL, {"centre": jizzax.pk}).content.decode()
    assert f"{reverse('plans:centre-dashboard')}?centre={zomin.pk}&amp;year=2024&amp;month=3" in page
    assert short_name(zomin) == "Zomin tuman" and "<svg" in page and "status-grid" in page
    zomin_plan = Plan.objects.own().get(organization=zomin, year=2024)
    assert reverse("reports:detail", kwargs={"plan_id": zomin_plan.pk, "quarter": 1}) in page
    # The district's dashboard leads back up to the region, for those who read it only.
    drill = client.get(reverse("plans:centre-dashboard"), {"centre": zomin.pk}).content.decode()
    assert f"{REGION_URL}?centre={jizzax.pk}&amp;year=2024" in drill
    client.force_login(users()["direktor"])
    assert REGION_URL not in client.get(reverse("plans:centre-dashboard")).content.decode()
    # The region's director (no plan of the centre's own) lands on the region's dashboard.
    client.force_login(users()["viloyat-direktor"])
    assert client.get(reverse("home"))["Location"] == REGION_URL


# Session, user, memberships, the bell; the tree of centres and the centres overseen; then the
# region, its districts, their plans, services and completions, six for the figures, the reports,
# the template's indicators (the nation's: its template's indicators); the way up to the nation.
REGION_QUERIES = 19
NATION_QUERIES = 19


def _add_districts(region: Organization, source: Plan, first: int, count: int) -> None:
    for number in range(first, first + count):
        centre = Organization.objects.create(
            name=f"Tuman {number}", kind=Organization.Kind.DISTRICT, parent=region
        )
        generate_district(centre, source, seed=number, scale=1.0, pace=0.9, months=3)


def test_dashboards_query_counts_do_not_grow_with_districts(client, demo, django_assert_num_queries):
    """The region's and the nation's pages at 3 districts, and again at 6: the same count."""
    national = demo.regional.parent
    region = Organization.objects.create(
        name="O‘lchov viloyati", kind=Organization.Kind.REGIONAL, parent=national
    )
    template = Plan.objects.create(organization=region, year=2024, kind=Plan.Kind.TEMPLATE)
    copy_structure(demo.plan, template)
    user = get_user_model().objects.create(username="nation")
    Membership.objects.create(user=user, organization=national, role=Membership.Role.REVIEWER)
    client.force_login(user)
    for first in (0, 3):
        _add_districts(region, demo.plan, first, 3)
        with django_assert_num_queries(REGION_QUERIES):
            page = client.get(REGION_URL, {"centre": region.pk})
        assert page.status_code == 200 and len(page.context["overview"].rows) == first + 3
        with django_assert_num_queries(NATION_QUERIES):
            assert client.get(NATION_URL).status_code == 200


def test_the_demo_region_loads_twice_and_has_its_late_and_returned_districts(db):
    call_command("load_demo", password="demo-password")
    call_command("load_demo", password="demo-password")
    jizzax = Organization.objects.get(name=REGIONAL)
    assert Organization.objects.filter(parent=jizzax).count() == 4
    assert Plan.objects.templates().filter(organization=jizzax, year=2024).count() == 1
    # Every district's plan is approved: its figures can be entered (plans.locks, DRAFT).
    assert not Plan.objects.own().filter(organization__parent=jizzax, approved_at__isnull=True).exists()
    states = {
        report.plan.organization.name: report.state
        for report in Report.objects.filter(plan__organization__parent=jizzax, quarter=1).select_related(
            "plan__organization"
        )
    }
    zomin, gallaorol, forish = (district.name for district in GENERATED)
    assert states == {zomin: Report.State.ACCEPTED, gallaorol: Report.State.RETURNED}
    # Forish is late: January only entered, its report not sent, the most behind.
    rows = {row.centre.name: row for row in region_overview(jizzax, 2024, 3).rows}
    assert rows[forish].report.state == Report.State.DRAFT
    assert rows[forish].last_entry_at.month == 2
    assert rows[forish].behind == max(row.behind for row in rows.values())
    # Every district's indicator (Sharof Rashidov's real plan too) links to the template.
    assert not Indicator.objects.filter(
        item__plan__organization__parent=jizzax, template_indicator=None
    ).exists()
    for username in ("viloyat", "viloyat-direktor", "milliy", "direktor-zomin"):
        assert get_user_model().objects.filter(username=username).exists()


def test_a_generated_district_s_figures_are_the_same_every_time_and_may_run_a_whole_year(demo):
    region = demo.regional
    values = []
    for name in ("A tuman", "B tuman"):
        centre = Organization.objects.create(name=name, kind=Organization.Kind.DISTRICT, parent=region)
        plan = generate_district(centre, demo.plan, seed=7, scale=1.0, pace=1.0, months=12)
        values.append(
            list(
                Actual.objects.filter(indicator__item__plan=plan)
                .order_by("indicator__item__order", "indicator__order", "month")
                .values_list("indicator__item__number", "month", "value")
            )
        )
    assert values[0] == values[1] and {month for _n, month, _v in values[0]} == set(range(1, 13))
    december = Actual.objects.filter(indicator__item__plan=plan, month=12).first()
    assert (december.entered_at.year, december.entered_at.month) == (2025, 1)
    march = MonthCompletion.objects.filter(plan=plan, month=3).first()
    assert (march.completed_at.year, march.completed_at.month) == (2024, 4)


def test_the_nation_dashboard_s_queries_do_not_grow_with_regions(client, demo):
    """The nation's page with two regions of two districts each, and again with four regions: the
    same count (tests/queries.py), and every region listed."""
    national = demo.regional.parent
    user = get_user_model().objects.create(username="nation")
    Membership.objects.create(user=user, organization=national, role=Membership.Role.REVIEWER)
    client.force_login(user)
    counts = []
    for first in (0, 2):
        for number in range(first, first + 2):
            region = Organization.objects.create(
                name=f"Viloyat {number}", kind=Organization.Kind.REGIONAL, parent=national
            )
            template = Plan.objects.create(organization=region, year=2024, kind=Plan.Kind.TEMPLATE)
            copy_structure(demo.plan, template)
            _add_districts(region, demo.plan, 2 * number, 2)
        page = client.get(NATION_URL)
        assert page.status_code == 200
        assert {row.name for row in page.context["overview"].rows} >= {
            f"Viloyat {n}" for n in range(first + 2)
        }
        counts.append(queries_of(lambda: client.get(NATION_URL)))
    assert_fixed_queries(counts, NATION_QUERIES)


def test_the_nation_dashboard_s_lines_read_in_queries_that_do_not_grow_with_regions(client, demo):
    """With the National Library's template sent to the regions and theirs to their districts: the
    nation's page at two regions of two districts, and at four, in the same count, one query more
    than without a template (the regions' links to it)."""
    from region.template_send import send

    national = demo.regional.parent
    template = Plan.objects.create(organization=national, year=2024, kind=Plan.Kind.TEMPLATE)
    copy_structure(demo.plan, template)
    user = get_user_model().objects.create(username="nation")
    Membership.objects.create(user=user, organization=national, role=Membership.Role.REVIEWER)
    client.force_login(user)
    counts = []
    for first in (0, 2):
        for number in range(first, first + 2):
            region = Organization.objects.create(
                name=f"Viloyat {number}", kind=Organization.Kind.REGIONAL, parent=national
            )
            send(template, [region], None)
            districts = [
                Organization.objects.create(
                    name=f"Tuman {number}-{n}", kind=Organization.Kind.DISTRICT, parent=region
                )
                for n in (1, 2)
            ]
            send(Plan.objects.templates().get(organization=region, year=2024), districts, None)
        page = client.get(NATION_URL)
        lines = page.context["overview"].lines
        assert lines and max(line.districts for line in lines) == 2 * (first + 2)
        counts.append(queries_of(lambda: client.get(NATION_URL)))
    assert_fixed_queries(counts, NATION_QUERIES + 1)


def test_the_nation_adds_up_its_template_s_indicators_over_every_region_s_districts(client, demo):
    """The National Library's template sent one level up makes each region's template, linked to it;
    each region's sent down makes its districts' plans: the nation's line for an indicator is the
    sum of every region's line for it, and names the regions furthest behind."""
    from region.template_send import send

    national = demo.regional.parent
    template = Plan.objects.create(organization=national, year=2024, kind=Plan.Kind.TEMPLATE)
    copy_structure(demo.plan, template)
    sirdaryo = Organization.objects.create(
        name="Sirdaryo viloyat axborot-kutubxona markazi", kind=Organization.Kind.REGIONAL, parent=national
    )
    regions = [demo.regional, sirdaryo]
    send(template, regions, None)
    visitors = Indicator.objects.get(item__plan=template, item__number="15")
    for number, region in enumerate(regions, start=1):
        regional = Plan.objects.templates().get(organization=region, year=2024)
        assert not Indicator.objects.filter(item__plan=regional, template_indicator=None).exists()
        districts = [
            Organization.objects.create(
                name=f"{region.name.split()[0]} {n}-tuman", kind=Organization.Kind.DISTRICT, parent=region
            )
            for n in (1, 2)
        ]
        send(regional, districts, None)
        for district in districts:
            service = Service.objects.create(organization=district, name="Abonement xizmati")
            indicator = Indicator.objects.get(item__plan__organization=district, item__number="15")
            Actual.objects.create(indicator=indicator, month=2, service=service, value=100 * number)

    nation = nation_overview(national, 2024, 3)
    assert nation.has_template and len(nation.lines) == Indicator.objects.filter(item__plan=template).count()
    [line] = [line for line in nation.lines if line.indicator == visitors]
    # Sharof Rashidov's plan was copied into the national template, so it links to it directly, not
    # through Jizzax's template: it is not one of the districts counted.
    assert (line.total, line.districts) == (100 + 100 + 200 + 200, 4)
    by_region = []
    for region in regions:
        [regional_line] = [
            r
            for r in region_overview(region, 2024, 3).lines
            if r.indicator.template_indicator_id == visitors.pk
        ]
        by_region.append(regional_line)
    assert line.total == sum(r.total for r in by_region)
    assert line.target == sum(r.target for r in by_region)
    assert line.expected == sum(r.expected for r in by_region)
    # Jizzax did less for the same targets: it is the furthest behind.
    assert [b.centre for b in line.behind] == [demo.regional, sirdaryo]
    assert line.behind[0].shortfall == by_region[0].expected - by_region[0].total

    user = get_user_model().objects.create(username="nation")
    Membership.objects.create(user=user, organization=national, role=Membership.Role.REVIEWER)
    client.force_login(user)
    page = client.get(NATION_URL).content.decode()
    assert 'id="lines-h"' in page and "region-lines" in page
    assert f"{short_name(demo.regional)}: −{line.behind[0].shortfall}" in page


def test_the_demo_nation_has_its_template_and_a_year_without_one_has_no_lines(region):
    jizzax, _other = region
    nation = nation_overview(jizzax.parent, 2024, 3)
    assert nation.has_template
    # Jizzax's template links up to the nation's: Jizzax's districts add up the same on both pages.
    jizzax_lines = {
        line.indicator.template_indicator_id: line for line in region_overview(jizzax, 2024, 3).lines
    }
    jizzax_districts = len(Organization.objects.filter(parent=jizzax))
    for line in nation.lines:
        [behind_jizzax] = [b for b in line.behind if b.centre == jizzax] or [None]
        if behind_jizzax is not None:
            assert (
                behind_jizzax.shortfall
                == jizzax_lines[line.indicator.pk].expected - jizzax_lines[line.indicator.pk].total
            )
        assert line.districts >= jizzax_lines[line.indicator.pk].districts == jizzax_districts
    assert not nation_overview(jizzax.parent, 2025, 3).has_template
