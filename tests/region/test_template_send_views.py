"""The pages of the template's send: who may open them, the preview, the confirmation, its refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Indicator, Plan, PlanItem
from tests.deploy.csp import csp_violations

from .template_world import build_world

pytestmark = pytest.mark.django_db

CHOOSE = reverse("region:template-choose", kwargs={"year": 2024})
PREVIEW = reverse("region:template-preview", kwargs={"year": 2024})
SEND = reverse("region:template-send", kwargs={"year": 2024})


@pytest.fixture
def world():
    return build_world()


def client_of(world, username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(world.users[username])
    return client


def districts_query(world, districts=None) -> dict:
    return {"centre": world.region.pk, "district": [d.pk for d in districts or world.districts]}


# Who may open the pages: the region's managers only.
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("viloyat-direktor", 200),  # a manager of the region
        ("tuman-direktor", 403),  # a manager of one of its districts
        ("viloyat-taqrizchi", 403),  # the region's reviewer reads, never sends
        ("navoiy-taqrizchi", 403),  # a reviewer of another region
        ("navoiy-direktor", 403),  # a manager of another region, asking for this one
        ("milliy-taqrizchi", 403),  # the national reviewer
        ("admin", 403),  # administrators build the template in the admin
    ],
)
def test_only_the_regions_managers_open_and_send(world, username, expected):
    client = client_of(world, username)
    query = districts_query(world)
    assert client.get(CHOOSE, {"centre": world.region.pk}).status_code == expected
    assert client.get(PREVIEW, query).status_code == expected
    response = client.post(SEND, query)
    assert response.status_code == (302 if expected == 200 else expected)
    assert Plan.objects.own().exists() is False or expected == 200


def test_anonymous_people_are_sent_to_log_in(world):
    for url in (CHOOSE, PREVIEW):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_year_without_a_template_is_not_found(world):
    client = client_of(world, "viloyat-direktor")
    response = client.get(reverse("region:template-choose", kwargs={"year": 2025}), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no 2025 template yet" in page
    assert f'href="{CHOOSE}?centre={world.region.pk}">2024</a>' in page
    query = districts_query(world)
    assert client.get(reverse("region:template-preview", kwargs={"year": 2025}), query).status_code == 404


def test_the_whole_way_choose_preview_confirm(world):
    client = client_of(world, "viloyat-direktor")
    page = client.get(CHOOSE).content.decode()
    for district in world.districts:
        assert f'name="district" value="{district.pk}" checked' in page
    page = client.get(PREVIEW, districts_query(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Boyovut tuman AKM" in page and "Guliston tuman AKM" in page
    assert page.count("new plan") == 2
    digest = page.split('name="digest" value="')[1].split('"')[0]
    response = client.post(SEND, {**districts_query(world), "digest": digest}, follow=True)
    assert response.redirect_chain[-1][0].startswith(CHOOSE)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 3
    assert PlanItem.objects.filter(plan__kind="own", template_item__isnull=False).count() == 10


def test_a_district_left_unticked_is_not_sent_to(world):
    client = client_of(world, "viloyat-direktor")
    chosen = districts_query(world, world.districts[:1])
    page = client.get(PREVIEW, chosen).content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    client.post(SEND, {**chosen, "digest": digest})
    assert list(Plan.objects.own().values_list("organization", flat=True)) == [world.districts[0].pk]


def test_another_regions_district_slipped_into_the_form_is_ignored(world):
    client = client_of(world, "viloyat-direktor")
    query = {"centre": world.region.pk, "district": [world.other_district.pk]}
    response = client.get(PREVIEW, query)
    assert response.status_code == 302 and response["Location"].startswith(CHOOSE)
    client.post(SEND, query)
    assert not Plan.objects.own().exists()


def test_a_confirmation_after_the_template_changed_is_refused_and_shows_the_new_preview(world):
    client = client_of(world, "viloyat-direktor")
    page = client.get(PREVIEW, districts_query(world)).content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    Indicator.objects.filter(item__plan=world.template).update(annual_target=7)
    response = client.post(SEND, {**districts_query(world), "digest": digest})
    assert response.status_code == 302 and response["Location"].startswith(PREVIEW)
    assert not Plan.objects.own().exists()


def test_a_refused_district_shows_why_and_offers_no_confirmation(world):
    district = world.districts[0]
    plan = Plan.objects.create(organization=district, year=2024)
    template_item = world.item("1")
    PlanItem.objects.create(
        plan=plan, section=plan.sections.create(number="I", title="I"), number="1", title="Boshqa ish",
        unit=template_item.unit, deadline=plan.deadlines.create(text="yil", kind="year"),
    )  # fmt: skip
    client = client_of(world, "viloyat-direktor")
    page = client.get(PREVIEW, districts_query(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Renumber that item first" in page
    assert 'name="digest"' not in page


@pytest.mark.parametrize("extra_items", [0, 30])
def test_the_preview_page_reads_in_as_many_queries_whatever_the_items(extra_items, django_assert_num_queries):
    world = build_world(extra_items)
    client = client_of(world, "viloyat-direktor")
    client.get(PREVIEW, districts_query(world))  # sessions and caches warm
    with django_assert_num_queries(PREVIEW_QUERIES):
        assert client.get(PREVIEW, districts_query(world)).status_code == 200


# The person and their memberships, the session, the template, its districts, their plans, the
# template's sections, items, services and indicators, and each district's plan (none yet).
PREVIEW_QUERIES = 11


def test_the_admin_shows_how_each_template_indicator_adds_up(world):
    client = client_of(world, "admin")
    item = world.item("3.2")
    page = client.get(reverse("admin:plans_planitem_change", args=[item.pk])).content.decode()
    latest = item.indicators.get(label="tashkilotlar")
    position = [i.pk for i in item.indicators.order_by("order")].index(latest.pk)
    select = page.split(f'name="indicators-{position}-aggregation"')[1].split("</select>")[0]
    assert '<option value="latest" selected>' in select
    assert 'name="template_item"' in page


def test_the_pages_keep_within_the_content_security_policy(world):
    client = client_of(world, "viloyat-direktor")
    for url, query in ((CHOOSE, {}), (PREVIEW, districts_query(world))):
        response = client.get(url, query)
        assert response.status_code == 200
        assert csp_violations(response.content.decode()) == []
