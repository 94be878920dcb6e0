"""The consolidated report's figures: the districts' reports as sent, added up per template indicator."""

import pytest

from plans.aggregation import Aggregation, over_centres
from plans.figures import figures_of_plans
from plans.models import Indicator, PlanItem
from reports.consolidated import ConsolidatedTable, Source, build_consolidated, territory_of
from reports.workflow import do_return
from tests.reports.consolidated_world import build_region, send_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return build_region(3)


def _expected(region, sent: list[int]):
    """Per template indicator id: the districts' figures from the one figures selector, added up."""
    by_plan = figures_of_plans([region.plans[i] for i in sent], 3)
    expected: dict[int, dict[str, list]] = {}
    for index in sent:
        for figure in by_plan[region.plans[index].pk]:
            template_id = figure.indicator.template_indicator_id
            if template_id is None:
                continue
            fields = expected.setdefault(
                template_id, {"annual": [], "quarter": [], "done_q": [], "done_y": []}
            )
            fields["annual"].append(figure.annual_target)
            fields["quarter"].append(figure.quarter_target)
            fields["done_q"].append(figure.done_in_quarter)
            fields["done_y"].append(figure.done_to_date)
    return expected


def test_consolidated_figures_are_the_districts_figures_added_up_row_by_row(region):
    for index in range(3):
        send_district(region, index)
    table = build_consolidated(region.template, 1)
    expected = _expected(region, [0, 1, 2])
    rows = table.figure_rows()
    assert len(rows) == 6
    aggregations = set()
    for row in rows:
        fields = expected[row.template_indicator_id]
        how = row.aggregation
        aggregations.add(how)
        assert row.districts == 3
        assert row.annual_target == over_centres(how, fields["annual"])
        assert row.quarter_target == over_centres(how, fields["quarter"])
        assert row.done_in_quarter == over_centres(how, fields["done_q"])
        assert row.done_to_date == over_centres(how, fields["done_y"])
        assert row.percent == pytest.approx(100 * row.done_to_date / row.annual_target)
    assert aggregations == {Aggregation.SUM, Aggregation.LATEST, Aggregation.MAX}
    assert all(district.source == Source.SENT and district.version == 1 for district in table.districts)
    assert table.not_in_order == []


def test_a_district_with_no_report_is_missing_and_adds_nothing(region):
    send_district(region, 0)
    send_district(region, 2)
    table = build_consolidated(region.template, 1)
    expected = _expected(region, [0, 2])
    for row in table.figure_rows():
        assert row.districts == 2
        assert row.done_to_date == over_centres(
            row.aggregation, expected[row.template_indicator_id]["done_y"]
        )
    missing = [district.name for district in table.not_in_order]
    assert missing == [region.districts[1].name]
    assert table.districts[1].source == Source.MISSING
    assert table.districts[1].done_to_date == {}


def test_a_returned_report_is_not_counted_as_sent(region):
    for index in range(3):
        send_district(region, index)
    report = region.plans[1].reports.get(quarter=1)
    do_return(report, acting_user=region.users["region_reviewer"], comment="Raqamlar noto‘g‘ri")
    table = build_consolidated(region.template, 1)
    assert [d.name for d in table.not_in_order] == [region.districts[1].name]
    assert all(row.districts == 2 for row in table.figure_rows())


def test_live_figures_are_counted_only_when_asked_and_marked(region):
    send_district(region, 0)
    assert not build_consolidated(region.template, 1).includes_live
    table = build_consolidated(region.template, 1, include_drafts=True)
    assert table.includes_live
    assert [d.source for d in table.districts] == [Source.SENT, Source.LIVE, Source.LIVE]
    expected = _expected(region, [0, 1, 2])
    for row in table.figure_rows():
        assert row.districts == 3
        assert row.done_to_date == over_centres(
            row.aggregation, expected[row.template_indicator_id]["done_y"]
        )
    # A district counted live is still named on the first page: it has not sent its report.
    assert [d.name for d in table.not_in_order] == [d.name for d in region.districts[1:]]


def test_renumbering_a_district_item_keeps_it_consolidated(region):
    PlanItem.objects.filter(plan=region.plans[2], number="1").update(number="7")
    for index in range(3):
        send_district(region, index)
    table = build_consolidated(region.template, 1)
    first = next(row for row in table.figure_rows() if row.number == "1")
    assert first.districts == 3
    assert first.done_to_date == sum(_expected(region, [0, 1, 2])[first.template_indicator_id]["done_y"])


def test_a_district_own_item_is_listed_apart_and_never_summed(region):
    for index in range(3):
        send_district(region, index)
    table = build_consolidated(region.template, 1)
    [own] = table.own_rows
    assert (own.district, own.number, own.done_to_date, own.live) == (region.districts[0].name, "9", 1, False)
    own_indicator = Indicator.objects.get(item__plan=region.plans[0], item__number="9")
    assert own_indicator.template_indicator_id is None
    first = next(row for row in table.figure_rows() if row.number == "1")
    assert first.done_to_date == sum(_expected(region, [0, 1, 2])[first.template_indicator_id]["done_y"])
    assert "9" not in [row.number for row in table.rows]


def test_the_table_survives_json(region):
    send_district(region, 0)
    table = build_consolidated(region.template, 1)
    assert ConsolidatedTable.from_json(table.to_json()) == table


def test_the_title_names_the_territory(region):
    assert territory_of("Jizzax viloyat axborot-kutubxona markazi") == "Jizzax viloyati"
    assert territory_of("Toshkent shahar axborot-kutubxona markazi") == "Toshkent shahar"
    assert territory_of("Milliy kutubxona") == "Milliy kutubxona"
    table = build_consolidated(region.template, 1)
    assert table.title == (
        "Jizzax viloyati axborot-kutubxona markazlarining 2024-yil I chorak ish rejasi bajarilishi "
        "to‘g‘risida yig‘ma hisobot"
    )


@pytest.mark.parametrize("districts", [3, 6])
def test_the_consolidated_report_reads_in_a_fixed_number_of_queries(districts, django_assert_num_queries):
    region = build_region(districts)
    for index in range(districts - 1):
        send_district(region, index)
    with django_assert_num_queries(6):
        table = build_consolidated(region.template, 1)
    assert len(table.districts) == districts
    with django_assert_num_queries(13):
        build_consolidated(region.template, 1, include_drafts=True)
