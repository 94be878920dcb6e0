"""Open, closed and sealed months: the pure date rule, and closing, reopening and sealing them (recorded)."""

import datetime

import pytest

from plans.entry import (
    REPORT_SUBMITTED,
    MonthSealed,
    do_close_month,
    do_close_quarter,
    do_reopen_month,
    do_return_quarter,
    do_seal_quarter,
    do_unseal_quarter,
)
from plans.locks import Decision, MonthState, lock_date, manager_may_decide, month_state
from plans.models import MonthEvent, MonthLock
from plans.selectors import entry_window, month_is_open, month_states, returned_quarters

D = datetime.date


def test_lock_date_is_the_lock_day_of_the_following_month():
    assert lock_date(2024, 3, 5) == D(2024, 4, 5)
    assert lock_date(2024, 12, 10) == D(2025, 1, 10)


def test_month_is_open_through_its_lock_day_included():
    assert month_state(2024, 3, today=D(2024, 4, 5), lock_day=5) == MonthState.OPEN
    assert month_state(2024, 3, today=D(2024, 4, 6), lock_day=5) == MonthState.LOCKED


def test_current_month_is_open_and_next_month_is_future():
    assert month_state(2024, 4, today=D(2024, 4, 3), lock_day=5) == MonthState.OPEN
    assert month_state(2024, 5, today=D(2024, 4, 30), lock_day=5) == MonthState.FUTURE


def test_a_later_lock_day_keeps_the_month_open_longer():
    assert month_state(2024, 3, today=D(2024, 4, 20), lock_day=20) == MonthState.OPEN


def test_closing_decision_closes_before_the_lock_date():
    assert month_state(2024, 3, today=D(2024, 4, 1), lock_day=5, decision="closed") == MonthState.CLOSED


def test_reopening_decision_opens_after_the_lock_date():
    assert month_state(2024, 1, today=D(2024, 11, 1), lock_day=5, decision="reopened") == MonthState.OPEN


def test_no_decision_opens_a_month_that_has_not_begun():
    assert month_state(2024, 6, today=D(2024, 4, 3), lock_day=5, decision="reopened") == MonthState.FUTURE


def test_a_returned_report_reopens_a_month_past_its_lock_date():
    assert month_state(2024, 1, today=D(2024, 11, 1), lock_day=5, decision="returned") == MonthState.OPEN


def test_a_sealed_month_is_sealed_even_before_its_lock_date():
    assert month_state(2024, 3, today=D(2024, 4, 3), lock_day=5, decision="sealed") == MonthState.SEALED
    assert not MonthState.SEALED.is_open


def test_managers_may_decide_on_every_month_but_a_sealed_one():
    assert [d for d in [None, *Decision.values] if not manager_may_decide(d)] == ["sealed"]


def test_december_locks_in_january_of_the_next_year():
    assert month_state(2024, 12, today=D(2025, 1, 5), lock_day=5) == MonthState.OPEN
    assert month_state(2024, 12, today=D(2025, 1, 6), lock_day=5) == MonthState.LOCKED


@pytest.mark.django_db
class TestDecisions:
    def test_on_3_april_march_and_april_are_open(self, plan_2024):
        states = month_states(plan_2024)
        assert states[2] == MonthState.LOCKED
        assert states[3] == MonthState.OPEN
        assert states[4] == MonthState.OPEN
        assert states[5] == MonthState.FUTURE

    def test_month_states_take_one_query(self, plan_2024, django_assert_num_queries):
        plan_2024.organization  # noqa: B018 - loaded before counting, as views select it with the plan
        with django_assert_num_queries(1):
            month_states(plan_2024)

    def test_centre_lock_day_is_used(self, plan_2024, settings):
        settings.AKM_TODAY = D(2024, 4, 10)
        assert not month_is_open(plan_2024, 3)
        plan_2024.organization.entry_lock_day = 15
        plan_2024.organization.save()
        assert month_is_open(plan_2024, 3)

    def test_close_quarter_closes_its_three_months_and_records_it(self, plan_2024, demo):
        director = demo.users["direktor"]
        do_close_quarter(plan_2024, 1, acting_user=director)
        states = month_states(plan_2024)
        assert [states[m] for m in (1, 2, 3)] == [MonthState.CLOSED] * 3
        assert states[4] == MonthState.OPEN
        events = list(MonthEvent.objects.filter(plan=plan_2024))
        assert [(e.month, e.action, e.acting_user) for e in events] == [
            (m, MonthEvent.Action.CLOSED, director) for m in (1, 2, 3)
        ]
        assert events[0].reason == REPORT_SUBMITTED

    def test_return_quarter_opens_months_past_their_lock_date_with_comment(
        self, plan_2024, demo, settings
    ):
        settings.AKM_TODAY = D(2024, 8, 1)
        reviewer = demo.users["viloyat"]
        comment = "12.1 ni tekshiring. " * 60  # longer than the 255 characters a typed reason has
        do_return_quarter(plan_2024, 2, acting_user=reviewer, comment=comment)
        assert all(month_is_open(plan_2024, m) for m in (4, 5, 6))
        assert not month_is_open(plan_2024, 3)
        event = MonthEvent.objects.get(plan=plan_2024, month=5)
        assert (event.action, event.reason, event.acting_user) == ("returned", comment, reviewer)
        assert MonthLock.objects.get(plan=plan_2024, month=5).state == Decision.RETURNED

    def test_a_returned_quarter_names_its_comment_reviewer_and_months(self, plan_2024, demo):
        reviewer = demo.users["viloyat"]
        do_close_quarter(plan_2024, 1, acting_user=demo.users["direktor"])
        do_return_quarter(plan_2024, 1, acting_user=reviewer, comment="Tuzating")
        [returned] = returned_quarters(plan_2024)
        assert (returned.quarter, returned.quarter_roman, returned.months) == (1, "I", [1, 2, 3])
        assert (returned.comment, returned.by) == ("Tuzating", reviewer.get_full_name() or "viloyat")
        standing = entry_window(plan_2024, 2)
        assert standing.state == MonthState.OPEN
        assert (standing.returned.quarter, standing.returned.comment) == (1, "Tuzating")

    def test_a_returned_quarter_closed_again_no_longer_says_it_was_returned(self, plan_2024, demo):
        do_return_quarter(plan_2024, 1, acting_user=demo.users["viloyat"], comment="Tuzating")
        do_close_quarter(plan_2024, 1, acting_user=demo.users["direktor"])
        assert returned_quarters(plan_2024) == []
        assert entry_window(plan_2024, 3).returned is None

    def test_a_manager_reopening_a_month_is_not_a_return(self, plan_2024, demo):
        do_reopen_month(plan_2024, 2, acting_user=demo.users["direktor"], reason="tuzatish")
        assert returned_quarters(plan_2024) == []

    def test_sealing_keeps_a_quarter_closed_and_records_it(self, plan_2024, demo):
        do_seal_quarter(plan_2024, 1, acting_user=demo.users["viloyat"])
        states = month_states(plan_2024)
        assert [states[m] for m in (1, 2, 3, 4)] == [MonthState.SEALED] * 3 + [MonthState.OPEN]
        assert set(MonthEvent.objects.values_list("action", flat=True)) == {"sealed"}

    @pytest.mark.parametrize("decide", ["reopen", "close"])
    def test_a_sealed_month_cannot_be_reopened_or_closed_and_nothing_is_recorded(
        self, plan_2024, demo, decide
    ):
        director = demo.users["direktor"]
        do_seal_quarter(plan_2024, 1, acting_user=demo.users["viloyat"])
        events = MonthEvent.objects.count()
        with pytest.raises(MonthSealed):
            if decide == "reopen":
                do_reopen_month(plan_2024, 3, acting_user=director, reason="tuzatish")
            else:
                do_close_month(plan_2024, 3, acting_user=director)
        assert month_states(plan_2024)[3] == MonthState.SEALED
        assert MonthEvent.objects.count() == events

    def test_unsealing_closes_the_months_and_lets_a_manager_reopen_them(self, plan_2024, demo):
        director, reviewer = demo.users["direktor"], demo.users["viloyat"]
        do_seal_quarter(plan_2024, 1, acting_user=reviewer)
        do_unseal_quarter(plan_2024, 1, acting_user=reviewer, reason="15-band xato")
        assert [month_states(plan_2024)[m] for m in (1, 2, 3)] == [MonthState.CLOSED] * 3
        assert MonthEvent.objects.filter(action="unsealed", reason="15-band xato").count() == 3
        do_reopen_month(plan_2024, 3, acting_user=director, reason="tuzatish")
        assert month_is_open(plan_2024, 3)

    def test_close_after_reopen_closes_again_with_one_decision_per_month(self, plan_2024, demo):
        director = demo.users["direktor"]
        do_reopen_month(plan_2024, 3, acting_user=director, reason="tuzatish")
        do_close_month(plan_2024, 3, acting_user=director)
        assert not month_is_open(plan_2024, 3)
        assert MonthLock.objects.filter(plan=plan_2024, month=3).count() == 1
        assert MonthEvent.objects.filter(plan=plan_2024, month=3).count() == 2

    def test_report_reason_is_shown_in_the_readers_language(self, plan_2024, demo):
        do_close_quarter(plan_2024, 1, acting_user=demo.users["direktor"])
        event = MonthEvent.objects.filter(plan=plan_2024).first()
        assert event.reason_display == "Choraklik hisobot topshirildi"

    def test_quarter_outside_1_to_4_is_refused(self, plan_2024, demo):
        with pytest.raises(ValueError):
            do_close_quarter(plan_2024, 5, acting_user=demo.users["direktor"])
        assert not MonthLock.objects.exists()
