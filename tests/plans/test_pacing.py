"""Pacing and status over every deadline kind, without a database."""

from fractions import Fraction

import pytest

from plans.deadlines import DeadlineError, parse_deadline
from plans.pacing import (
    DeadlineKind,
    Status,
    Window,
    expected_amount,
    expected_share,
    quarter_targets,
    status,
)

QUARTER_ENDS = (3, 6, 9, 12)


def shares_at_quarter_ends(window: Window) -> list[Fraction]:
    return [expected_share(window, month) for month in QUARTER_ENDS]


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("2024-yil davomida", Window(DeadlineKind.YEAR)),
        ("2024-yil davomida. Har bir AKM muddatini o‘zi belgilaydi", Window(DeadlineKind.YEAR)),
        ("2024-yil I–III chorak", Window(DeadlineKind.QUARTERS, 1, 9)),
        ("2024-yil I—II chorak", Window(DeadlineKind.QUARTERS, 1, 6)),
        ("2024-yil I-II chorak", Window(DeadlineKind.QUARTERS, 1, 6)),
        ("2024-yil II chorak", Window(DeadlineKind.QUARTERS, 4, 6)),
        ("2024-yil IV chorak", Window(DeadlineKind.QUARTERS, 10, 12)),
        ("2024-yil I chorak", Window(DeadlineKind.QUARTERS, 1, 3)),
        ("2024-yil har chorakda", Window(DeadlineKind.EACH_QUARTER)),
        ("2024-yil har chorakda bir marta", Window(DeadlineKind.EACH_QUARTER)),
        ("2024-yilning har oyida", Window(DeadlineKind.MONTHLY)),
        ("2024-yil har haftada", Window(DeadlineKind.WEEKLY)),
        ("2024-yil sentyabr–dekabr", Window(DeadlineKind.MONTHS, 9, 12)),
        ("2024-yilda ikki marotaba", Window(DeadlineKind.TWICE_A_YEAR)),
    ],
)
def test_parse_deadline_reads_every_printed_form(text, window):
    assert parse_deadline(text) == window


@pytest.mark.parametrize("text", ["", "tez orada", "2024-yil III–I chorak", "dekabr–mart"])
def test_parse_deadline_refuses_what_it_cannot_read(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Window(DeadlineKind.YEAR), [Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]),
        (Window(DeadlineKind.QUARTERS, 1, 9), [Fraction(1, 3), Fraction(2, 3), 1, 1]),
        (Window(DeadlineKind.QUARTERS, 1, 6), [Fraction(1, 2), 1, 1, 1]),
        (Window(DeadlineKind.QUARTERS, 4, 6), [0, 1, 1, 1]),
        (Window(DeadlineKind.QUARTERS, 10, 12), [0, 0, 0, 1]),
        (Window(DeadlineKind.QUARTERS, 1, 3), [1, 1, 1, 1]),
        (Window(DeadlineKind.EACH_QUARTER), [Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]),
        (Window(DeadlineKind.MONTHLY), [Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]),
        (Window(DeadlineKind.WEEKLY), [Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]),
        (Window(DeadlineKind.MONTHS, 9, 12), [0, 0, Fraction(1, 4), 1]),
        (Window(DeadlineKind.TWICE_A_YEAR), [0, Fraction(1, 2), Fraction(1, 2), 1]),
    ],
)
def test_expected_share_at_quarter_ends_follows_domain_table(window, expected):
    assert shares_at_quarter_ends(window) == expected


def test_each_quarter_expects_a_share_only_when_the_quarter_ends():
    window = Window(DeadlineKind.EACH_QUARTER)
    assert [expected_share(window, m) for m in (1, 2, 3, 4)] == [0, 0, Fraction(1, 4), Fraction(1, 4)]


def test_inside_a_quarter_the_share_grows_month_by_month():
    window = Window(DeadlineKind.QUARTERS, 4, 6)
    assert [expected_share(window, m) for m in (3, 4, 5, 6)] == [0, Fraction(1, 3), Fraction(2, 3), 1]


def test_twice_a_year_is_half_from_june_and_whole_in_december():
    window = Window(DeadlineKind.TWICE_A_YEAR)
    assert [expected_share(window, m) for m in (5, 6, 11, 12)] == [0, Fraction(1, 2), Fraction(1, 2), 1]


@pytest.mark.parametrize("month", [0, 13])
def test_expected_share_refuses_a_month_outside_the_year(month):
    with pytest.raises(ValueError):
        expected_share(Window(DeadlineKind.YEAR), month)


def test_window_refuses_months_out_of_order():
    with pytest.raises(ValueError):
        Window(DeadlineKind.MONTHS, 12, 9)


def test_expected_amount_rounds_down_to_whole_units():
    assert expected_amount(5114, Window(DeadlineKind.YEAR), 3) == 1278
    assert expected_amount(1, Window(DeadlineKind.YEAR), 9) == 0


@pytest.mark.parametrize("kind", list(DeadlineKind))
def test_quarter_targets_sum_to_the_annual_target_for_every_kind(kind):
    window = {
        DeadlineKind.QUARTERS: Window(kind, 4, 9),
        DeadlineKind.MONTHS: Window(kind, 9, 12),
    }.get(kind, Window(kind))
    for target in (0, 1, 2, 7, 193, 5114):
        parts = quarter_targets(target, window)
        assert sum(parts) == target
        assert all(part >= 0 for part in parts)


def test_quarter_targets_follow_the_window():
    assert quarter_targets(193, Window(DeadlineKind.YEAR)) == [48, 48, 48, 49]
    assert quarter_targets(10, Window(DeadlineKind.QUARTERS, 1, 9)) == [3, 3, 4, 0]
    assert quarter_targets(4, Window(DeadlineKind.QUARTERS, 10, 12)) == [0, 0, 0, 4]


@pytest.mark.parametrize(
    ("target", "done", "window", "month", "expected"),
    [
        (None, 3, Window(DeadlineKind.YEAR), 6, Status.NO_TARGET),
        (0, 0, Window(DeadlineKind.YEAR), 1, Status.DONE),
        (100, 100, Window(DeadlineKind.YEAR), 2, Status.DONE),
        (100, 120, Window(DeadlineKind.YEAR), 2, Status.DONE),
        (100, 25, Window(DeadlineKind.YEAR), 3, Status.ON_TRACK),
        (100, 24, Window(DeadlineKind.YEAR), 3, Status.BEHIND),
        (100, 99, Window(DeadlineKind.YEAR), 12, Status.OVERDUE),
        (4, 0, Window(DeadlineKind.QUARTERS, 10, 12), 6, Status.NOT_STARTED),
        (4, 1, Window(DeadlineKind.QUARTERS, 10, 12), 6, Status.ON_TRACK),
        (4, 1, Window(DeadlineKind.QUARTERS, 10, 12), 11, Status.BEHIND),
        (1, 0, Window(DeadlineKind.QUARTERS, 1, 3), 3, Status.OVERDUE),
        (1, 0, Window(DeadlineKind.QUARTERS, 1, 6), 7, Status.OVERDUE),
        (4, 0, Window(DeadlineKind.EACH_QUARTER), 2, Status.NOT_STARTED),
        (4, 0, Window(DeadlineKind.EACH_QUARTER), 3, Status.BEHIND),
        (4, 1, Window(DeadlineKind.EACH_QUARTER), 5, Status.ON_TRACK),
        (12, 5, Window(DeadlineKind.MONTHLY), 6, Status.BEHIND),
        (144, 36, Window(DeadlineKind.WEEKLY), 3, Status.ON_TRACK),
        (2, 0, Window(DeadlineKind.MONTHS, 9, 12), 8, Status.NOT_STARTED),
        (2, 0, Window(DeadlineKind.MONTHS, 9, 12), 10, Status.BEHIND),
        (2, 1, Window(DeadlineKind.MONTHS, 9, 12), 12, Status.OVERDUE),
        (4, 1, Window(DeadlineKind.TWICE_A_YEAR), 6, Status.BEHIND),
        (4, 2, Window(DeadlineKind.TWICE_A_YEAR), 6, Status.ON_TRACK),
        (4, 0, Window(DeadlineKind.TWICE_A_YEAR), 5, Status.NOT_STARTED),
    ],
)
def test_status_over_every_deadline_kind(target, done, window, month, expected):
    assert status(target, done, window, month) == expected
