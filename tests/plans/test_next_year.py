"""Next year's plan from this year's: the structure copied, the deadlines' year words moved on,
targets copied or left empty, each item linked to last year's, a year already planned refused."""

import pytest
from django.urls import reverse

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
