"""Item numbers sort as people read them."""

from plans.ordering import number_key


def test_numbers_sort_as_printed():
    printed = ["1", "2", "10", "12", "12.1", "12.4", "12.10", "13", "18.1", "28.1", "34"]
    assert sorted(reversed(printed), key=number_key) == printed


def test_letters_in_numbers_sort_after_digits():
    assert sorted(["5b", "5", "5a", "4"], key=number_key) == ["4", "5", "5a", "5b"]
