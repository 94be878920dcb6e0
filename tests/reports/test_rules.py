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
    # 5 is the whole year (plans.deadlines.WHOLE_YEAR): the annual report, tested in test_annual.
    for period in (0, 6):
        with pytest.raises(ValueError):
            rules.due_date(2024, period, 5)
        with pytest.raises(ValueError):
            rules.sendable_from(2024, period)


def test_sent_by_the_due_day_is_on_time_and_after_it_late():
    due = datetime.date(2024, 4, 5)
    assert rules.punctuality(due, sent_on=due, today=due) == Punctuality.ON_TIME
    assert rules.punctuality(due, sent_on=datetime.date(2024, 4, 6), today=due) == Punctuality.LATE


def test_not_sent_is_pending_until_the_due_day_then_overdue():
    due = datetime.date(2024, 4, 5)
    assert rules.punctuality(due, sent_on=None, today=due) == Punctuality.PENDING
    assert rules.punctuality(due, sent_on=None, today=datetime.date(2024, 4, 6)) == Punctuality.OVERDUE


S = rules.ReportState
M = rules.Move


@pytest.mark.parametrize(
    ("state", "moves"),
    [
        (S.DRAFT, [M.SUBMIT]),
        (S.SUBMITTED, [M.ACCEPT, M.RETURN]),
        (S.ACCEPTED, [M.WITHDRAW_ACCEPTANCE]),
        (S.RETURNED, [M.SUBMIT]),
    ],
)
def test_moves_allowed_from_each_state(state, moves):
    assert rules.moves_from(state) == moves


@pytest.mark.parametrize(
    ("state", "move", "after"),
    [
        (S.DRAFT, M.SUBMIT, S.SUBMITTED),
        (S.RETURNED, M.SUBMIT, S.SUBMITTED),
        (S.SUBMITTED, M.ACCEPT, S.ACCEPTED),
        (S.SUBMITTED, M.RETURN, S.RETURNED),
        (S.ACCEPTED, M.WITHDRAW_ACCEPTANCE, S.RETURNED),
    ],
)
def test_each_move_leads_to_its_state(state, move, after):
    assert rules.state_after(state, move) == after


def test_a_move_not_allowed_has_no_state_after():
    with pytest.raises(ValueError):
        rules.state_after(S.ACCEPTED, M.RETURN)


def test_an_accepted_report_cannot_be_returned_or_sent_again_without_taking_the_acceptance_back():
    assert not rules.can_move(S.ACCEPTED, M.RETURN)
    assert not rules.can_move(S.ACCEPTED, M.SUBMIT)
    back = rules.state_after(S.ACCEPTED, M.WITHDRAW_ACCEPTANCE)
    assert rules.notes_editable(back) and rules.can_move(back, M.SUBMIT)


def test_from_every_state_the_report_can_still_reach_acceptance():
    """No dead end: whatever happened, a chain of allowed moves leads to an accepted report."""

    def reaches_acceptance(state, seen=frozenset()):
        if state == S.ACCEPTED:
            return True
        return any(
            reaches_acceptance(rules.state_after(state, move), seen | {state})
            for move in rules.moves_from(state)
            if rules.state_after(state, move) not in seen
        )

    assert all(reaches_acceptance(state) for state in S)


def test_notes_are_editable_only_while_the_report_is_with_the_centre():
    assert [s for s in ("draft", "submitted", "accepted", "returned") if rules.notes_editable(s)] == [
        "draft",
        "returned",
    ]


def test_a_report_can_be_sent_from_the_first_day_of_the_quarters_last_month():
    assert rules.sendable_from(2024, 1) == datetime.date(2024, 3, 1)
    assert rules.sendable_from(2024, 4) == datetime.date(2024, 12, 1)
