"""Next year's plan from this year's: the structure copied, the deadlines' year words moved on,
targets copied or left empty, each item linked to last year's, a year already planned refused."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Target
from plans.next_year import NextYearRefused, do_create_next_year_plan, move_year_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "moved"),
    [
        ("2024-yil davomida", "2025-yil davomida"),
        ("2024-yilning har oyida", "2025-yilning har oyida"),
        ("2024-yilda ikki marotaba", "2025-yilda ikki marotaba"),
        ("2024-yil I–III chorak", "2025-yil I–III chorak"),
        ("2024 yil sentyabr–dekabr", "2025 yil sentyabr–dekabr"),
        ("2024-yil davomida. Har bir AKM o‘zi belgilaydi", "2025-yil davomida. Har bir AKM o‘zi belgilaydi"),
        ("Prezidentning 2023-yil 28-noyabrdagi qarori", "Prezidentning 2023-yil 28-noyabrdagi qarori"),
        ("Central Asia – 2024", "Central Asia – 2024"),
        ("12024-yil", "12024-yil"),
        ("har chorakda", "har chorakda"),
    ],
)
def test_year_words_move_on_and_nothing_else(text, moved):
    assert move_year_words(text, 2024) == moved


def by_number(plan: Plan) -> dict[str, PlanItem]:
    items = plan.items.select_related("parent", "deadline", "unit", "section").prefetch_related("services")
    return {item.number: item for item in items}


def test_the_copy_keeps_the_structure_and_links_each_item_to_last_years(demo, plan_2024):
    new = do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)

    assert (new.year, new.organization_id, new.is_approved) == (2025, plan_2024.organization_id, False)
    old_items, new_items = by_number(plan_2024), by_number(new)
    assert old_items.keys() == new_items.keys()
    assert [s.title for s in Section.objects.filter(plan=new)] == [
        s.title for s in Section.objects.filter(plan=plan_2024)
    ]
    for number, item in new_items.items():
        old = old_items[number]
        assert item.previous_item_id == old.pk
        assert (item.title, item.unit_id, item.steps, item.all_services) == (
            old.title,
            old.unit_id,
            old.steps,
            old.all_services,
        )
        assert item.section.plan_id == new.pk and item.section.title == old.section.title
        assert (item.parent.number if item.parent else None) == (old.parent.number if old.parent else None)
        assert {s.pk for s in item.services.all()} == {s.pk for s in old.services.all()}
        assert item.deadline.plan_id == new.pk
        assert item.deadline.text == old.deadline.text.replace("2024", "2025")
        assert (item.deadline.kind, item.deadline.first_month, item.deadline.last_month) == (
            old.deadline.kind,
            old.deadline.first_month,
            old.deadline.last_month,
        )


def test_targets_are_copied_as_proposals(demo, plan_2024):
    new = do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)

    def targets(plan):
        return sorted(
            Indicator.objects.filter(item__plan=plan).values_list("item__number", "label", "annual_target")
        )

    def quarters(plan):
        return sorted(
            Target.objects.filter(indicator__item__plan=plan).values_list(
                "indicator__item__number", "indicator__label", "quarter", "value"
            )
        )

    assert targets(new) == targets(plan_2024)
    assert quarters(new) == quarters(plan_2024)


def test_targets_can_be_left_empty(demo, plan_2024):
    new = do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=False)

    indicators = Indicator.objects.filter(item__plan=new)
    assert indicators.count() == Indicator.objects.filter(item__plan=plan_2024).count()
    assert not indicators.filter(annual_target__isnull=False).exists()
    assert not Target.objects.filter(indicator__item__plan=new).exists()


def test_no_deadline_of_the_new_plan_names_the_old_year(demo, plan_2024):
    new = do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)
    texts = list(Deadline.objects.filter(plan=new).values_list("text", flat=True))
    assert texts and not [text for text in texts if "2024" in text]
    assert "2025-yilning har oyida" in texts


def test_a_year_that_has_a_plan_is_refused(demo, plan_2024):
    Plan.objects.create(organization=plan_2024.organization, year=2025)
    with pytest.raises(NextYearRefused, match="2025"):
        do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)
    assert Plan.objects.filter(organization=plan_2024.organization, year=2025).count() == 1


def test_the_manager_previews_then_creates_next_years_plan(client, demo, plan_2024):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:next-year", kwargs={"plan": plan_2024.pk})

    preview = client.get(url)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2025-yil davomida" in page
    assert "Central Asia – 2024" in page  # a title naming the year, to check
    assert not Plan.objects.filter(year=2025).exists()

    response = client.post(url, {"targets": "empty"})

    new = Plan.objects.get(organization=plan_2024.organization, year=2025)
    assert response.status_code == 302
    assert response.url == reverse("plans:plan", kwargs={"plan": new.pk})
    assert not new.is_approved
    assert not Indicator.objects.filter(item__plan=new, annual_target__isnull=False).exists()


def test_the_preview_says_when_the_year_already_has_a_plan(client, demo, plan_2024):
    Plan.objects.create(organization=plan_2024.organization, year=2025)
    client.force_login(demo.users["direktor"])
    url = reverse("plans:next-year", kwargs={"plan": plan_2024.pk})

    page = client.get(url).content.decode()
    assert "2025-yil uchun reja allaqachon bor" in page

    response = client.post(url, {"targets": "copy"})
    assert response.status_code == 409
    assert Plan.objects.filter(organization=plan_2024.organization, year=2025).count() == 1


@pytest.mark.parametrize("username", ["xodim-abonement", "boshliq-abonement", "viloyat"])
def test_only_managers_create_next_years_plan(client, demo, plan_2024, username):
    client.force_login(demo.users[username])
    response = client.post(reverse("plans:next-year", kwargs={"plan": plan_2024.pk}), {"targets": "copy"})
    assert response.status_code == 403
    assert not Plan.objects.filter(year=2025).exists()


def test_the_admin_action_opens_the_preview(client, demo, plan_2024):
    client.force_login(demo.users["admin"])
    response = client.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "create_next_year", "_selected_action": [plan_2024.pk]},
    )
    assert response.status_code == 302
    assert response.url == reverse("plans:next-year", kwargs={"plan": plan_2024.pk})
    assert client.get(response.url).status_code == 200


# --- When the region has a template for next year, the district takes the template ----------------


def regions_template(demo, year=2025):
    return Plan.objects.create(organization=demo.regional, year=year, kind=Plan.Kind.TEMPLATE)


def test_a_district_whose_region_has_a_template_for_next_year_is_refused(demo, plan_2024):
    regions_template(demo)
    with translation.override("en"), pytest.raises(NextYearRefused) as refused:
        do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)
    message = str(refused.value)
    assert f"{demo.regional.name} has a template plan for 2025" in message
    assert "Send the template to the districts" in message
    assert not Plan.objects.own().filter(organization=plan_2024.organization, year=2025).exists()


def test_a_template_of_another_year_or_region_does_not_stand_in_the_way(demo, plan_2024):
    regions_template(demo, year=2026)
    other_region = demo.regional.__class__.objects.create(
        name="Navoiy viloyat AKM", kind="regional", parent=demo.regional.parent
    )
    Plan.objects.create(organization=other_region, year=2025, kind=Plan.Kind.TEMPLATE)
    new = do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=False)
    assert (new.organization, new.year, new.kind) == (plan_2024.organization, 2025, Plan.Kind.OWN)


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_preview_points_to_the_regions_template_and_creating_is_refused(client, demo, plan_2024):
    regions_template(demo)
    english(client, demo.users["direktor"])
    url = reverse("plans:next-year", kwargs={"plan": plan_2024.pk})

    page = client.get(url).content.decode()
    assert "has a template plan for 2025" in html.unescape(page)
    assert "Create the 2025 plan" not in page  # no form to confirm

    response = client.post(url, {"targets": "copy"})
    assert response.status_code == 409
    assert not Plan.objects.own().filter(organization=plan_2024.organization, year=2025).exists()


def test_the_admin_action_leads_to_the_same_refusal(client, demo, plan_2024):
    regions_template(demo)
    english(client, demo.users["admin"])
    response = client.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "create_next_year", "_selected_action": [plan_2024.pk]},
        follow=True,
    )
    assert "has a template plan for 2025" in html.unescape(response.content.decode())
    assert not Plan.objects.own().filter(organization=plan_2024.organization, year=2025).exists()


def test_the_region_makes_its_next_template_and_sending_it_gives_the_district_its_plan(demo, plan_2024):
    """The region's own template is copied into next year like any plan; once sent, the district
    has its 2025 plan, the template's, and is told so if it tries to copy its own."""
    from demo.region import copy_structure
    from region.template_send import send

    template_2024 = Plan.objects.create(organization=demo.regional, year=2024, kind=Plan.Kind.TEMPLATE)
    copy_structure(plan_2024, template_2024)
    template_2025 = do_create_next_year_plan(
        template_2024, acting_user=demo.users["viloyat"], copy_targets=True
    )
    assert template_2025.is_template and template_2025.year == 2025

    send(template_2025, [demo.district], demo.users["viloyat"])

    district_2025 = Plan.objects.own().get(organization=demo.district, year=2025)
    assert not district_2025.is_approved
    linked = PlanItem.objects.filter(plan=district_2025, template_item__plan=template_2025)
    assert linked.count() == PlanItem.objects.filter(plan=template_2025).count() > 0
    with translation.override("en"), pytest.raises(NextYearRefused, match="already has a plan for 2025"):
        do_create_next_year_plan(plan_2024, acting_user=demo.users["direktor"], copy_targets=True)


@pytest.mark.parametrize("template", [False, True], ids=["no template", "region's template"])
def test_the_preview_takes_six_queries_whatever_the_plans_size(
    demo, plan_2024, template, django_assert_num_queries
):
    from plans.plan_pages import next_year_preview

    if template:
        regions_template(demo)
    plan = Plan.objects.select_related("organization").get(pk=plan_2024.pk)
    assert plan.items.count() > 30
    with django_assert_num_queries(6):
        preview = next_year_preview(plan)
    assert (preview.refused is not None) == template
