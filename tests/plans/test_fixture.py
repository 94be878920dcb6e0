"""The 2024 plan as shipped: every row, the readings, and the printed numbers."""

import datetime
import json

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from demo.district import PLAN_FILE
from plans.models import Actual, Indicator, PlanItem

pytestmark = pytest.mark.django_db

EXPECTED_NUMBERS = (
    [str(n) for n in range(1, 13)]
    + ["12.1", "12.2", "12.3", "12.4"]
    + [str(n) for n in range(13, 18)]
    + ["18.1", "18.2"]
    + [str(n) for n in range(19, 28)]
    + ["28.1"]
    + [str(n) for n in range(29, 35)]
)


def test_the_plan_has_every_printed_row_in_order(plan_2024):
    numbers = list(plan_2024.items.order_by("order").values_list("number", flat=True))
    assert numbers == EXPECTED_NUMBERS
    assert len(numbers) == 39


def test_items_per_section(plan_2024):
    counts = dict(plan_2024.sections.annotate(n=Count("items")).values_list("number", "n"))
    assert counts == {"I": 7, "II": 4, "III": 23, "IV": 3, "V": 2}


def test_no_invented_parents_for_18_and_28(plan_2024):
    assert not plan_2024.items.filter(number__in=["18", "28"]).exists()
    assert plan_2024.items.get(number="18.1").parent is None
    assert plan_2024.items.get(number="28.1").parent is None


def test_item_12_is_the_sum_of_its_sub_items(plan_2024):
    item = plan_2024.items.get(number="12")
    assert sorted(item.children.values_list("number", flat=True)) == ["12.1", "12.2", "12.3", "12.4"]
    assert not item.indicators.exists()
    total = Indicator.objects.filter(item__parent=item).aggregate(total=Sum("annual_target"))["total"]
    assert total == 1170


@pytest.mark.parametrize(
    ("number", "labels"),
    [
        ("12.4", ["Jismoniy shaxslar", "Yuridik shaxslar"]),
        ("13", 2),
        ("14", ["Yangi", "Qayta"]),
        ("21", 3),
        ("31", 5),
    ],
)
def test_items_with_several_indicators(plan_2024, number, labels):
    found = list(plan_2024.items.get(number=number).indicators.values_list("label", flat=True))
    if isinstance(labels, int):
        assert len(found) == labels
    else:
        assert found == labels


def test_ambiguous_rows_say_how_they_were_read(plan_2024):
    for number in ["12.4", "13", "14", "21", "31"]:
        assert plan_2024.items.get(number=number).note.strip()


def test_first_printed_number_is_the_annual_target(plan_2024):
    targets = {
        (i.item.number, i.label): i.annual_target
        for i in Indicator.objects.filter(item__plan=plan_2024).select_related("item")
    }
    assert targets[("15", "")] == 5114
    assert targets[("16", "")] == 16095
    assert targets[("17", "")] == 193
    assert targets[("18.1", "")] is None
    assert targets[("4", "")] == 4


def test_second_printed_number_is_done_in_march_by_the_first_service(plan_2024):
    actual = Actual.objects.select_related("service").get(
        indicator__item__number="15", indicator__item__plan=plan_2024
    )
    assert (actual.month, actual.value) == (3, 480)
    assert actual.service.name.startswith("Abonement")
    assert Actual.objects.filter(indicator__item__plan=plan_2024).exclude(month=3).count() == 0
    assert Actual.objects.get(indicator__item__number="4").value == 10


def test_every_indicator_with_a_target_has_four_quarter_targets_summing_to_it(plan_2024):
    for indicator in Indicator.objects.filter(item__plan=plan_2024).prefetch_related("targets"):
        values = [t.value for t in indicator.targets.all()]
        if indicator.annual_target is None:
            assert values == []
        else:
            assert len(values) == 4 and sum(values) == indicator.annual_target


def test_deadlines_are_kept_as_printed_and_parsed(plan_2024):
    item = PlanItem.objects.select_related("deadline").get(plan=plan_2024, number="24")
    assert item.deadline.text == "2024-yil sentyabr–dekabr"
    assert (item.deadline.kind, item.deadline.first_month, item.deadline.last_month) == ("months", 9, 12)


def test_all_services_flag_for_barcha_xizmatlar(plan_2024):
    assert plan_2024.items.get(number="4").all_services
    assert not plan_2024.items.get(number="15").all_services


def test_fixture_file_has_no_plain_apostrophes():
    text = PLAN_FILE.read_text(encoding="utf-8")
    data = json.loads(text)
    titles = [item["title"] for section in data["sections"] for item in section["items"]]
    assert not any("'" in title or "ʻ" in title for title in titles)


def test_the_demos_printed_figures_are_dated_by_the_demos_clock_and_have_a_history(plan_2024):
    actuals = Actual.objects.filter(indicator__item__plan=plan_2024)
    assert actuals.exists()
    assert {timezone.localtime(a.entered_at).date() for a in actuals} == {datetime.date(2024, 4, 3)}
    history = Actual.history.filter(indicator__item__plan=plan_2024)
    assert history.count() == actuals.count()
    assert {timezone.localtime(h.history_date).date() for h in history} == {datetime.date(2024, 4, 3)}


def test_item_31_keeps_its_printed_title(plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="31")
    assert item.title == "Tuman axborot-kutubxona markazlari mutaxassislari va boshqa kutubxonachilar uchun:"
