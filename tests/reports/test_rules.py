"""The report's pure rules: due dates, punctuality, which moves are allowed."""

import datetime

import pytest

from reports import rules
from reports.rules import Punctuality


def test_due_date_is_the_regions_day_of_the_month_after_the_quarter():
    assert rules.due_date(2024, 1, 5) == datetime.date(2024, 4, 5)
    assert rules.due_date(2024, 3, 10) == datetime.date(2024, 10, 10)


def test_fourth_quarter_is_due_in_january_of_the_next_year():
    assert rules.due_date(2024, 4, 5) == datetime.date(2025, 1, 5)


def test_quarter_outside_one_to_four_is_refused():
    with pytest.raises(ValueError):
        rules.due_date(2024, 5, 5)


def test_sent_by_the_due_day_is_on_time_and_after_it_late():
    due = datetime.date(2024, 4, 5)
    assert rules.punctuality(due, sent_on=due, today=due) == Punctuality.ON_TIME
    assert rules.punctuality(due, sent_on=datetime.date(2024, 4, 6), today=due) == Punctuality.LATE


def test_not_sent_is_pending_until_the_due_day_then_overdue():
    due = datetime.date(2024, 4, 5)
    assert rules.punctuality(due, sent_on=None, today=due) == Punctuality.PENDING
    assert rules.punctuality(due, sent_on=None, today=datetime.date(2024, 4, 6)) == Punctuality.OVERDUE


@pytest.mark.parametrize(
    ("state", "to", "allowed"),
    [
        ("draft", "submitted", True),
        ("returned", "submitted", True),
        ("submitted", "submitted", False),
        ("accepted", "submitted", False),
        ("submitted", "accepted", True),
        ("draft", "accepted", False),
        ("returned", "accepted", False),
        ("submitted", "returned", True),
        ("accepted", "returned", False),
        ("draft", "returned", False),
    ],
)
def test_moves_allowed_from_each_state(state, to, allowed):
    assert rules.can_move(state, to) is allowed


def test_notes_are_editable_only_while_the_report_is_with_the_centre():
    assert [s for s in ("draft", "submitted", "accepted", "returned") if rules.notes_editable(s)] == [
        "draft",
        "returned",
    ]


def test_a_report_can_be_sent_from_the_first_day_of_the_quarters_last_month():
    assert rules.sendable_from(2024, 1) == datetime.date(2024, 3, 1)
    assert rules.sendable_from(2024, 4) == datetime.date(2024, 12, 1)
