"""The dashboards as each role sees them: who may open which page, and what the pages show."""

import pytest
from django.urls import reverse

from plans.models import Actual, Indicator, MonthCompletion, PlanItem
from plans.pacing import Status

pytestmark = pytest.mark.django_db

CENTRE = reverse("plans:centre-dashboard")


def service_url(service):
    return reverse("plans:service-dashboard", kwargs={"service": service.pk})


def indicator(plan, number, label=""):
    return Indicator.objects.get(item__plan=plan, item__number=number, label=label)


def indicator_url(plan, number, label=""):
    return reverse("plans:indicator", kwargs={"indicator": indicator(plan, number, label).pk})


def test_dashboard_requires_login(client, demo):
    response = client.get(CENTRE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_manager_sees_the_centre_dashboard_at_the_last_month_with_entries(client, demo):
    client.force_login(demo.users["direktor"])
    response = client.get(CENTRE)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.month == 3
    assert dashboard.plan == demo.plan
    assert len(dashboard.rows) == Indicator.objects.filter(item__plan=demo.plan).count()


def test_regional_reviewer_may_read_the_centre_dashboard(client, demo):
    client.force_login(demo.users["viloyat"])
    response = client.get(CENTRE)
    assert response.status_code == 200
    assert response.context["centre"] == demo.district


@pytest.mark.parametrize("username", ["xodim-abonement", "boshliq-kadrlar"])
def test_service_people_may_not_open_the_centre_dashboard(client, demo, username):
    client.force_login(demo.users[username])
    assert client.get(CENTRE).status_code == 403


def test_manager_may_not_ask_for_another_centre(client, demo):
    client.force_login(demo.users["direktor"])
    assert client.get(CENTRE, {"centre": demo.regional.pk}).status_code == 403


def test_staff_sees_their_own_service_dashboard(client, demo):
    client.force_login(demo.users["xodim-kadrlar"])
    response = client.get(service_url(demo.service("kadrlar")))
    assert response.status_code == 200
    numbers = {row.figures.item.number for row in response.context["dashboard"].rows}
    assert "32" in numbers  # named for this service
    assert "4" in numbers  # "barcha xizmatlar"
    assert "15" not in numbers


def test_staff_may_not_see_another_services_dashboard(client, demo):
    client.force_login(demo.users["xodim-kadrlar"])
    assert client.get(service_url(demo.service("abonement"))).status_code == 403


@pytest.mark.parametrize("username", ["direktor", "viloyat", "boshliq-abonement"])
def test_managers_reviewers_and_the_head_see_a_service_dashboard(client, demo, username):
    client.force_login(demo.users[username])
    assert client.get(service_url(demo.service("abonement"))).status_code == 200


def test_indicator_page_for_its_service_and_not_for_others(client, demo):
    url = indicator_url(demo.plan, "15")  # visitors: abonement's item
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(url).status_code == 200
    client.force_login(demo.users["xodim-kadrlar"])
    assert client.get(url).status_code == 403


def test_shared_item_is_open_to_every_service(client, demo):
    client.force_login(demo.users["xodim-kadrlar"])
    assert client.get(indicator_url(demo.plan, "4")).status_code == 200


def test_behind_list_is_worst_first_and_names_who_is_responsible(client, demo):
    client.force_login(demo.users["direktor"])
    attention = client.get(CENTRE).context["dashboard"].attention
    statuses = [row.figures.status for row in attention]
    assert statuses == sorted(statuses, key=[Status.OVERDUE, Status.BEHIND].index)
    visitors = next(row for row in attention if row.figures.item.number == "15")
    assert [s.name for s in visitors.services] == [demo.service("abonement").name]
    behind = [row for row in attention if row.figures.status == Status.BEHIND]
    shares = [row.shortfall_share for row in behind]
    assert shares == sorted(shares, reverse=True)


def test_an_entry_moves_an_item_from_behind_to_on_track(client, demo):
    client.force_login(demo.users["direktor"])
    visitors = indicator(demo.plan, "15")  # 480 of 1278 expected by March
    before = client.get(CENTRE, {"month": 3}).context["dashboard"]
    assert visitors.pk in {row.figures.indicator.pk for row in before.attention}
    Actual.objects.create(indicator=visitors, month=3, service=demo.service("bibliografiya"), value=800)
    after = client.get(CENTRE, {"month": 3}).context["dashboard"]
    assert visitors.pk not in {row.figures.indicator.pk for row in after.attention}
    row = next(row for row in after.rows if row.figures.indicator.pk == visitors.pk)
    assert row.figures.status == Status.ON_TRACK


def test_status_filter_lists_only_that_status(client, demo):
    client.force_login(demo.users["direktor"])
    response = client.get(CENTRE, {"status": "done"})
    assert response.context["rows"]
    assert {row.figures.status for row in response.context["rows"]} == {Status.DONE}


def test_section_filter_limits_every_count(client, demo):
    client.force_login(demo.users["direktor"])
    section = demo.plan.sections.order_by("order").first()
    response = client.get(CENTRE, {"section": section.pk})
    dashboard = response.context["dashboard"]
    assert {row.figures.item.section_id for row in dashboard.rows} == {section.pk}
    assert dashboard.summary.total == len(dashboard.rows)
    assert [group.key for group in dashboard.sections] == [section.pk]


def test_unknown_year_is_not_found(client, demo):
    client.force_login(demo.users["direktor"])
    assert client.get(CENTRE, {"year": 1999}).status_code == 404


def test_counts_link_to_the_filtered_list(client, demo):
    client.force_login(demo.users["direktor"])
    html = client.get(CENTRE).content.decode()
    assert "status=behind" in html
    assert reverse("plans:indicator", kwargs={"indicator": indicator(demo.plan, "15").pk}) in html


def test_completed_services_are_shown(client, demo):
    MonthCompletion.objects.create(plan=demo.plan, month=3, service=demo.service("kadrlar"))
    client.force_login(demo.users["direktor"])
    completions = client.get(CENTRE, {"month": 3}).context["dashboard"].completions
    done = {c.service.pk for c in completions if c.completed}
    assert done == {demo.service("kadrlar").pk}
    assert len(completions) == 6


def test_indicator_page_shows_months_history_and_notes(client, demo):
    visitors = indicator(demo.plan, "15")
    actual = Actual.objects.create(
        indicator=visitors, month=4, service=demo.service("abonement"), value=300, note="Kitob bayrami"
    )
    actual.value = 350
    actual.save()
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("plans:indicator", kwargs={"indicator": visitors.pk}), {"month": 4})
    months = response.context["months"]
    assert [m["done"] for m in months[:4]] == [0, 0, 480, 350]
    assert months[3]["cumulative"] == 830
    assert [(c.new_value, c.old_value) for c in response.context["history"][:2]] == [(350, 300), (300, None)]
    assert [n.note for n in response.context["notes"]][-1] == "Kitob bayrami"
    html = response.content.decode()
    assert html.count("<svg") >= 3
    assert "Kitob bayrami" in html


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_pages_render_in_every_language(client, demo, language):
    client.force_login(demo.users["direktor"])
    client.cookies["django_language"] = language
    response = client.get(CENTRE)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_a_manager_lands_on_the_centre_dashboard(client, demo):
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == CENTRE


def test_service_dashboard_links_only_to_its_own_entry_page(client, demo):
    service = demo.service("abonement")
    client.force_login(demo.users["xodim-abonement"])
    html = client.get(service_url(service)).content.decode()
    assert reverse("plans:entry", kwargs={"year": 2024, "month": 3, "service": service.pk}) in html
    other = demo.service("bibliografiya")
    assert reverse("plans:entry", kwargs={"year": 2024, "month": 3, "service": other.pk}) not in html


def test_the_month_overview_is_offered_to_those_who_may_open_it(client, demo):
    overview = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})
    service = reverse("plans:service-dashboard", kwargs={"service": demo.service("abonement").pk})
    client.force_login(demo.users["xodim-abonement"])
    assert f'href="{overview}?' not in client.get(service, {"month": 3}).content.decode()
    for username in ("direktor", "viloyat"):
        client.force_login(demo.users[username])
        html = client.get(service, {"month": 3}).content.decode()
        assert f"{overview}?centre={demo.district.pk}" in html
        assert client.get(overview, {"centre": demo.district.pk}).status_code == 200


def test_the_indicator_page_keeps_the_fixtures_transcription_notes_for_the_admin(client, demo):
    """How an OCR row was read (in English, for administrators) is not shown to librarians."""
    client.force_login(demo.users["direktor"])
    item = PlanItem.objects.get(plan=demo.plan, number="31")
    assert item.note
    indicator = item.indicators.first()
    html = client.get(reverse("plans:indicator", kwargs={"indicator": indicator.pk})).content.decode()
    assert item.note[:40] not in html
