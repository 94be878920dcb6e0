"""Sending the region's template to its districts: first send, a second after changes, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from plans.aggregation import Aggregation
from plans.models import Actual, Indicator, Plan, PlanItem, Target, Unit
from plans.ordering import place_by_number
from region import template_send
from region.template_send import SendRefused, digest, preview, send
from services.models import Service

from .template_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def district_plan(district) -> Plan:
    return Plan.objects.own().get(organization=district, year=2024)


def test_the_first_send_creates_each_districts_plan_linked_to_the_template(world):
    previews = preview(world.template, world.districts)
    assert [p.plan for p in previews] == [None, None]
    assert [(p.added_count, p.changed_count, p.conflicts) for p in previews] == [(12, 0, []), (12, 0, [])]

    send(world.template, world.districts, world.users["viloyat-direktor"])

    for district in world.districts:
        plan = district_plan(district)
        items = {item.number: item for item in plan.items.select_related("parent", "section", "deadline")}
        assert list(items) == ["1", "2", "3", "3.1", "3.2"]
        for number, item in items.items():
            template_item = world.item(number)
            assert item.template_item == template_item
            assert (item.title, item.unit_id, item.steps) == (
                template_item.title, template_item.unit_id, template_item.steps,
            )  # fmt: skip
            assert item.deadline.text == template_item.deadline.text and item.deadline.plan == plan
            assert item.section.plan == plan and item.section.number == template_item.section.number
        assert items["3.1"].parent == items["3"]
        assert [item.order for item in plan.items.order_by("order")] == [1, 2, 3, 4, 5]
        indicators = Indicator.objects.filter(item__plan=plan).select_related("template_indicator")
        assert sorted((i.item.number, i.label, i.annual_target, i.aggregation) for i in indicators) == [
            ("1", "", 4, "sum"),
            ("2", "", None, "sum"),
            ("3.1", "", 300, "sum"),
            ("3.2", "jismoniy shaxslar", 200, "sum"),
            ("3.2", "tashkilotlar", 10, "latest"),
        ]
        assert all(i.template_indicator.item.plan == world.template for i in indicators)
        # Quarter targets follow the suggested annual target; the district's services by name.
        assert list(Target.objects.filter(indicator__item=items["3.1"]).values_list("value", flat=True)) == [
            75, 75, 75, 75,
        ]  # fmt: skip
        assert [s.name for s in items["1"].services.all()] == ["Abonement xizmati"]
        assert items["1"].services.get().organization == district
        # Who sent it is recorded in the items' history.
        assert items["1"].history.get().history_user == world.users["viloyat-direktor"]


def test_a_second_send_changes_only_what_changed_and_keeps_the_districts_own(world):
    district = world.districts[0]
    send(world.template, [district], None)
    plan = district_plan(district)
    own_plan_items = {item.number: item for item in plan.items.all()}
    # The district works with its plan: figures, its own target, an empty target left empty,
    # an item of its own, and item 1 renumbered.
    service = Service.objects.get(organization=district)
    seminar = own_plan_items["1"].indicators.get()
    Actual.objects.create(indicator=seminar, month=1, service=service, value=3)
    new_users = own_plan_items["3.1"].indicators.get()
    Indicator.objects.filter(pk=new_users.pk).update(annual_target=250)
    Target.objects.filter(indicator=new_users, quarter=1).update(value=100)
    own = PlanItem(
        plan=plan, section=own_plan_items["1"].section, number="1a", title="Tuman o‘z tadbiri",
        unit=own_plan_items["1"].unit, deadline=own_plan_items["1"].deadline,
    )  # fmt: skip
    place_by_number(own)
    own.save()
    PlanItem.objects.filter(pk=own_plan_items["1"].pk).update(number="01")

    # The region changes its template: a title, a unit, a suggestion, a target for the empty
    # one, how an indicator adds up, and a new item.
    template = world.template
    world.item("1").__class__.objects.filter(pk=world.item("1").pk).update(title="Seminar-trening o‘tkazish")
    Indicator.objects.filter(item=world.item("2")).update(annual_target=1)
    Indicator.objects.filter(item=world.item("3.1")).update(annual_target=320)
    Indicator.objects.filter(item=world.item("3.2"), label="jismoniy shaxslar").update(aggregation="max")
    PlanItem.objects.filter(pk=world.item("3.2").pk).update(unit=Unit.objects.create(name="Kishi"))
    new = PlanItem.objects.create(
        plan=template, section=world.item("1").section, number="4", title="Ko‘rgazma",
        unit=world.item("1").unit, deadline=world.item("1").deadline, order=10,
    )  # fmt: skip
    Indicator.objects.create(item=new, annual_target=12)

    with translation.override("en"):
        [seen] = preview(template, [district])
    assert [line.number for line in seen.added_items] == ["4"]
    assert [(line.number, line.detail) for line in seen.changed_items] == [
        ("01", "activity"),
        ("3.2", "unit"),
    ]
    assert [(line.number, line.detail) for line in seen.changed_indicators] == [("3.2", "how it adds up")]
    assert [(line.number, line.detail) for line in seen.suggested_targets] == [("2", "target 1")]
    assert [line.number for line in seen.kept_targets] == ["3.1"]
    assert [(line.number, line.title) for line in seen.own_items] == [("1a", "Tuman o‘z tadbiri")]
    assert (seen.added_count, seen.changed_count) == (2, 4)

    send(template, [district], None)

    items = {item.number: item for item in plan.items.all()}
    assert set(items) == {"01", "1a", "2", "3", "3.1", "3.2", "4"}
    assert items["01"].title == "Seminar-trening o‘tkazish" and items["01"].pk == own_plan_items["1"].pk
    assert items["1a"].pk == own.pk and items["1a"].template_item is None
    assert items["4"].template_item == new
    assert Actual.objects.get(indicator=seminar).value == 3
    new_users.refresh_from_db()
    assert new_users.annual_target == 250
    assert list(new_users.targets.values_list("value", flat=True)) == [100, 75, 75, 75]
    report = items["2"].indicators.get()
    assert report.annual_target == 1 and report.targets.count() == 4
    assert items["3.2"].indicators.get(label="jismoniy shaxslar").aggregation == Aggregation.MAX
    assert items["3.2"].unit.name == "Kishi"
    # The new item stands by its number: after 3.2, the district's own item where it was.
    assert [item.number for item in plan.items.order_by("order")] == ["01", "1a", "2", "3", "3.1", "3.2", "4"]

    # Nothing changed since: a third send has nothing to do.
    [again] = preview(template, [district])
    assert (again.added_count, again.changed_count, again.unchanged) == (0, 0, True)


def test_a_first_send_links_the_items_of_a_plan_imported_before_by_number_and_activity(world):
    district = world.districts[1]
    send(world.template, [district], None)
    plan = district_plan(district)
    PlanItem.objects.filter(plan=plan).update(template_item=None)
    Indicator.objects.filter(item__plan=plan).update(template_indicator=None)

    [seen] = preview(world.template, [district])
    assert [line.number for line in seen.linked] == ["1", "2", "3", "3.1", "3.2"]
    assert (seen.added_count, seen.changed_count, seen.own_items) == (0, 5, [])
    send(world.template, [district], None)
    assert not PlanItem.objects.filter(plan=plan, template_item=None).exists()
    assert not Indicator.objects.filter(item__plan=plan, template_indicator=None).exists()


def test_a_taken_number_refuses_the_district_and_the_send_writes_nothing(world):
    first, second = world.districts
    send(world.template, [second], None)
    plan = district_plan(second)
    PlanItem.objects.filter(plan=plan, number="2").update(template_item=None, title="Boshqa ish")

    previews = preview(world.template, world.districts)
    assert previews[0].conflicts == []
    assert len(previews[1].conflicts) == 1 and "2" in previews[1].conflicts[0]
    with pytest.raises(SendRefused) as refused:
        send(world.template, world.districts, None)
    assert refused.value.messages[0].startswith("Guliston tuman AKM: ")
    assert not Plan.objects.own().filter(organization=first).exists()


def test_a_district_failing_midway_rolls_back_every_district(world, monkeypatch):
    real = template_send._set_services
    calls = []

    def failing(plan, new_items):
        calls.append(plan)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(plan, new_items)

    monkeypatch.setattr(template_send, "_set_services", failing)
    with pytest.raises(RuntimeError):
        send(world.template, world.districts, None)
    assert len(calls) == 2
    assert not Plan.objects.own().exists()
    assert not PlanItem.objects.exclude(plan=world.template).exists()


def test_a_stale_confirmation_is_refused(world):
    district = world.districts[0]
    seen = digest(preview(world.template, [district]))
    Indicator.objects.filter(item=world.item("1")).update(annual_target=5)
    with pytest.raises(SendRefused):
        send(world.template, [district], None, expected_digest=seen)
    assert not Plan.objects.own().exists()
    fresh = digest(preview(world.template, [district]))
    send(world.template, [district], None, expected_digest=fresh)
    assert Plan.objects.own().count() == 1


def test_only_the_regions_own_districts_take_its_template(world):
    with pytest.raises(ValueError):
        preview(world.template, [world.other_district])
    own_plan = Plan.objects.create(organization=world.districts[0], year=2024)
    with pytest.raises(ValueError):
        preview(own_plan, world.districts)


def count_send(world) -> tuple[int, int]:
    """Queries of a first send and of a second one with every item changed, to both districts."""
    with CaptureQueriesContext(connection) as first:
        send(world.template, world.districts, None)
    PlanItem.objects.filter(plan=world.template).update(steps="2. Yangi qadam")
    with CaptureQueriesContext(connection) as second:
        send(world.template, world.districts, None)
    return len(first), len(second)


@pytest.mark.parametrize("extra_items", [0, 30])
def test_the_queries_of_a_send_do_not_grow_with_the_items(extra_items):
    counts = count_send(build_world(extra_items))
    assert counts == PINNED_QUERIES


# First send, then a second one changing every item, both to two districts: plans, sections,
# deadlines, items in two batches with their history, services, indicators with their history and
# targets, per district; the template locked, it and the districts' plans read once; the notices
# to the districts' managers (their recipients per district, one insert).
PINNED_QUERIES = (43, 27)


def test_the_command_previews_then_sends(world):
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "send_template", "--centre", world.region.name, "--year", "2024",
            "--district", "Guliston tuman AKM", "--dry-run", stdout=out,
        )  # fmt: skip
    printed = out.getvalue()
    assert printed.splitlines()[0] == ("Guliston tuman AKM: new plan; 12 added, 0 changed, 0 own items kept")
    assert "  Items added (5)\n    1 Seminar o‘tkazish\n" in printed
    assert "    3.2 jismoniy shaxslar — target 200\n" in printed
    assert printed.endswith("Dry run: nothing was sent.\n")
    assert not Plan.objects.own().exists()

    out = io.StringIO()
    with translation.override("en"):
        call_command("send_template", "--centre", world.region.name, "--year", "2024", stdout=out)
    assert Plan.objects.own().count() == 2
    assert out.getvalue().endswith(
        "Sent Sirdaryo viloyat AKM, 2024 template for the districts to 2 districts.\n"
    )
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "send_template", "--centre", world.region.name, "--year", "2024", "--dry-run", stdout=out
        )
    assert "Boyovut tuman AKM: up to date; 0 added, 0 changed, 0 own items kept" in out.getvalue()


def test_the_command_refuses_what_it_cannot_send(world):
    with pytest.raises(CommandError, match="No centre"):
        call_command("send_template", "--centre", "Yo‘q", "--year", "2024")
    with pytest.raises(CommandError, match="no template for 2025"):
        call_command("send_template", "--centre", world.region.name, "--year", "2025")
    with pytest.raises(CommandError, match="Not districts of .*: Karmana tuman AKM"):
        call_command(
            "send_template",
            "--centre",
            world.region.name,
            "--year",
            "2024",
            "--district",
            "Karmana tuman AKM",
        )
    plan = Plan.objects.create(organization=world.districts[0], year=2024)
    PlanItem.objects.create(
        plan=plan, section=plan.sections.create(number="I", title="I"), number="1", title="Boshqa ish",
        unit=world.item("1").unit, deadline=plan.deadlines.create(text="yil", kind="year"),
    )  # fmt: skip
    with pytest.raises(CommandError, match="Boyovut tuman AKM: "):
        call_command("send_template", "--centre", world.region.name, "--year", "2024")
    assert Plan.objects.own().count() == 1


def test_a_send_locks_its_template_so_that_two_sends_follow_each_other(world):
    with CaptureQueriesContext(connection) as queries:
        send(world.template, world.districts[:1], None)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    # SQLite has no row locks (its writes are one at a time anyway).
    assert len(locks) == (0 if connection.vendor == "sqlite" else 1)


def test_an_item_moved_in_the_template_moves_in_the_district_with_its_figures(world):
    district = world.districts[0]
    send(world.template, [district], None)
    plan = district_plan(district)
    report = plan.items.get(number="2").indicators.get()
    Actual.objects.create(
        indicator=report, month=2, service=Service.objects.get(organization=district), value=1
    )
    second = world.template.sections.get(number="II")
    PlanItem.objects.filter(pk=world.item("2").pk).update(section=second)
    template_section_iii = world.template.sections.create(number="III", title="OAV bilan ishlash", order=3)
    PlanItem.objects.filter(pk=world.item("1").pk).update(section=template_section_iii)

    with translation.override("en"):
        [seen] = preview(world.template, [district])
    assert [(line.number, line.title) for line in seen.added_sections] == [("III", "OAV bilan ishlash")]
    assert [(line.number, line.detail) for line in seen.changed_items] == [("1", "section"), ("2", "section")]
    send(world.template, [district], None)
    moved = plan.items.select_related("section").get(number="2")
    assert moved.section.number == "II" and moved.indicators.get() == report
    assert Actual.objects.get(indicator=report).value == 1
    assert plan.items.get(number="1").section.title == "OAV bilan ishlash"
