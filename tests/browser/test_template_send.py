"""The region's manager sends the template to the districts: choose, preview, confirm."""

import pytest

from plans.models import Indicator, Plan, PlanItem
from region.template_send import send
from tests.region.template_world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_regional_manager_previews_and_sends_the_template(page, log_in):
    world = build_world(extra_items=3)
    manager = world.users["viloyat-direktor"]
    manager.set_password("demo-password")
    manager.save()
    # Boyovut took last year's send; since, it added an item of its own, and the region changed
    # a title and a suggestion.
    boyovut, guliston = world.districts
    send(world.template, [boyovut], None)
    plan = Plan.objects.own().get(organization=boyovut)
    first = plan.items.get(number="1")
    PlanItem.objects.create(
        plan=plan, section=first.section, number="7", title="Tumanning o‘z ko‘rgazmasi",
        unit=first.unit, deadline=first.deadline, order=99,
    )  # fmt: skip
    PlanItem.objects.filter(pk=world.item("1").pk).update(title="Seminar-trening o‘tkazish")
    Indicator.objects.filter(item=world.item("2")).update(annual_target=2)

    log_in("viloyat-direktor")
    page.get_by_role("link", name="Tumanlar uchun namunaviy reja").click()
    assert page.locator("input[name=district]:checked").count() == 2
    page.get_by_role("button", name="Oldindan ko‘rish").click()

    summary = page.locator(".template-summary tbody tr")
    assert summary.nth(0).inner_text().split("\t")[1:] == ["yangilanadi", "0", "2", "1"]
    assert summary.nth(1).inner_text().split("\t")[1:] == ["yangi reja", "18", "0", "0"]
    # The district's own items are listed apart, folded: opened, they show.
    district = page.locator(f"#district-{boyovut.pk}")
    assert "Tumanning o‘z ko‘rgazmasi" not in district.inner_text()
    district.get_by_text("Tumanning o‘z bandlari o‘zgarishsiz qoladi").click()
    assert "7 Tumanning o‘z ko‘rgazmasi" in district.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/templates-preview.png", full_page=True)

    page.get_by_role("button", name="2 ta tumanga yuborish").click()
    messages = page.locator(".messages").inner_text()
    assert "Namunaviy reja 2 ta tumanga yuborildi." in messages
    page.screenshot(path="/tmp/templates-sent.png", full_page=True)
    assert PlanItem.objects.get(plan=plan, number="1").title == "Seminar-trening o‘tkazish"
    assert Plan.objects.own().get(organization=guliston).items.count() == 8
