"""On a 390 px phone: the entry page as compact cards with a one-line save bar; the dashboards'
behind list as cards; the reviewers' report list scrolling inside its own box."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def box(locator):
    return locator.bounding_box()


def test_entry_rows_are_compact_cards_that_name_their_item(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("xodim-abonement")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visitors = page.locator(f"#row-{Indicator.objects.get(item__plan=demo.plan, item__number='15').pk}")
    # Number and title on the first line, then this month's field with the total beside it.
    number, title = box(visitors.locator("td.no")), box(visitors.locator("td.activity"))
    field, total = box(visitors.locator("input.value")), box(visitors.locator("td.total"))
    assert abs(number["y"] - title["y"]) < 4
    assert (
        field["y"] > title["y"]
        and abs((field["y"] + field["height"] / 2) - (total["y"] + total["height"] / 2)) < 12
    )
    assert box(visitors)["height"] < 200
    cards = page.locator("table.entry tr.row")
    heights = [box(cards.nth(n))["height"] for n in range(cards.count())]
    assert max(heights) < 260  # long titles are cut to three lines
    # The second indicator of item 14 ("Qayta") names its item's number too.
    again = page.locator("tr.row", has=page.locator(".label", has_text="Qayta"))
    expect(again.locator("td.no")).to_have_text("14")


def test_every_indicator_of_a_sub_item_shows_the_sub_items_number(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("xodim-fond")
    gifts = Indicator.objects.filter(item__plan=demo.plan, item__number="12.4")
    assert gifts.count() == 2
    for gift in gifts:
        expect(page.locator(f"#row-{gift.pk} td.no")).to_have_text("12.4")
        expect(page.locator(f"#row-{gift.pk} td.no")).to_be_visible()


def test_the_save_bar_is_one_line_at_the_bottom_of_the_screen(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("xodim-abonement")
    bar = page.locator(".entry-actions")
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    bar_box = box(bar)
    assert bar_box["height"] < 60
    assert abs(bar_box["y"] + bar_box["height"] - PHONE["height"]) < 2
    expect(bar.get_by_role("button", name="Oyni saqlash")).to_be_in_viewport()


def test_dashboard_behind_list_is_cards_without_sideways_scrolling(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("direktor")
    attention = page.locator("#attention")
    assert attention.evaluate("section => section.scrollWidth <= section.clientWidth")
    card = attention.locator("tbody tr", has=page.locator("td.no", has_text=re.compile(r"^15$")))
    expect(card.locator("td.short")).to_have_text("798")
    expect(card.locator("a.entry-link")).to_be_visible()
    assert box(card)["width"] <= PHONE["width"]
    # The headline's count leads to the list.
    page.locator(".dash-big a").click()
    assert page.url.endswith("#attention")
    expect(attention.locator("h2")).to_be_in_viewport()


def test_the_reviewers_report_list_scrolls_inside_its_box_not_the_page(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("viloyat")
    page.goto("/reports/")
    expect(page.locator("table.report-list").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth"), "the table is wider than a phone"
