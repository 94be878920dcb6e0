"""The report's table: built from the figures selector, in the plan's order, never summing across units."""

from plans.figures import indicator_figures, parent_totals
from reports.tables import FIGURES, HEADING, SECTION, ReportTable, build_table

from .conftest import add_actual


def test_every_indicator_appears_once_with_the_selectors_figures(plan_2024):
    table = build_table(plan_2024, 1)
    figures = {figure.indicator.pk: figure for figure in indicator_figures(plan_2024, 3)}
    rows = {row.indicator_id: row for row in table.rows if row.indicator_id}
    assert rows.keys() == figures.keys()
    for pk, figure in figures.items():
        row = rows[pk]
        assert (row.annual_target, row.quarter_target, row.done_in_quarter, row.done_to_date) == (
            figure.annual_target,
            figure.quarter_target,
            figure.done_in_quarter,
            figure.done_to_date,
        )
        assert row.percent == figure.percent
        assert row.status == figure.status.value


def test_sections_head_their_items_in_the_plans_order(plan_2024):
    table = build_table(plan_2024, 1)
    assert [row.number for row in table.rows if row.kind == SECTION] == ["I", "II", "III", "IV", "V"]
    numbers = [row.number for row in table.rows if row.kind != SECTION and row.number]
    assert numbers[:3] == ["1", "2", "3"]
    assert numbers.index("12") < numbers.index("12.1") < numbers.index("12.4") < numbers.index("13")


def test_parent_item_row_sums_its_sub_items_from_parent_totals(plan_2024):
    table = build_table(plan_2024, 1)
    figures = indicator_figures(plan_2024, 3)
    totals = next(iter(parent_totals(figures).values()))
    row = next(row for row in table.rows if row.number == "12")
    assert row.kind == FIGURES
    assert (row.annual_target, row.done_in_quarter, row.done_to_date) == (
        totals.annual_target,
        totals.done_in_quarter,
        totals.done_to_date,
    )
    assert row.annual_target == 1170
    assert row.indicator_id is None


def test_sub_items_are_indented_and_labelled_indicators_one_step_further(plan_2024):
    table = build_table(plan_2024, 1)
    by_activity = {row.activity: row for row in table.rows}
    assert next(row for row in table.rows if row.number == "12.1").level == 1
    assert next(row for row in table.rows if row.number == "12.4").kind == HEADING
    assert by_activity["Jismoniy shaxslar"].level == 2
    assert by_activity["Yangi"].level == 1


def test_item_with_several_indicators_gets_a_heading_and_no_sum(plan_2024):
    table = build_table(plan_2024, 1)
    heading = next(row for row in table.rows if row.number == "14")
    assert heading.kind == HEADING
    assert heading.annual_target is None and heading.done_to_date is None


def test_quarter_figures_follow_the_quarter(plan_2024):
    add_actual(plan_2024, "15", 5, 100)
    q1 = next(row for row in build_table(plan_2024, 1).rows if row.number == "15")
    q2 = next(row for row in build_table(plan_2024, 2).rows if row.number == "15")
    assert q2.done_in_quarter == 100
    assert q2.done_to_date == q1.done_to_date + 100


def test_behind_indicators_without_a_note_are_listed_as_missing(plan_2024):
    table = build_table(plan_2024, 1)
    missing = table.missing_notes()
    assert missing and all(row.status in ("behind", "overdue") for row in missing)
    noted = build_table(plan_2024, 1, notes={row.indicator_id: "sabab" for row in missing})
    assert noted.missing_notes() == []


def test_table_survives_its_json_round_trip(plan_2024):
    table = build_table(plan_2024, 1, notes={})
    assert ReportTable.from_json(table.to_json()) == table


def test_title_names_the_centre_year_and_quarter_in_uzbek(plan_2024):
    from django.utils import translation

    with translation.override("uz"):
        title = build_table(plan_2024, 1).title
    assert title == (
        "Sharof Rashidov tuman axborot-kutubxona markazining 2024-yil I chorak ish rejasi "
        "bajarilishi to‘g‘risida hisobot"
    )


def test_building_the_table_takes_the_selectors_four_queries(plan_2024, django_assert_num_queries):
    from plans.models import Plan

    plan = Plan.objects.select_related("organization").get(pk=plan_2024.pk)
    with django_assert_num_queries(4):
        build_table(plan, 1)
