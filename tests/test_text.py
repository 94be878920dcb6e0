"""Typed text made fit to store (common.text), and numbers read from requests (common.params)."""

import pytest
from django.core.exceptions import BadRequest, ValidationError

from common.params import int_param, parse_int
from common.text import CleanCharField, clean_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("oddiy matn", "oddiy matn"),
        ("qator\r\nqator\rqator", "qator\nqator\nqator"),
        ("Word\x0bqator\x0csahifa", "Word\nqator\nsahifa"),
        ("ustun\tustun", "ustun\tustun"),
        ("a\x01b\x08c\x1bd\x7fe\x85f\ufffeg", "abcdefg"),
        ("ma’lumot oʻ gʻ ʼ", "ma’lumot oʻ gʻ ʼ"),
    ],
)
def test_clean_text_keeps_words_and_drops_control_characters(typed, stored):
    assert clean_text(typed) == stored


def test_a_form_field_refuses_a_nul_with_its_own_message_and_cleans_the_rest():
    field = CleanCharField(max_length=10)
    with pytest.raises(ValidationError) as refused:
        field.clean("izoh\x00")
    assert refused.value.code == "null_characters_not_allowed"
    assert "NUL" in refused.value.messages[0]
    assert field.clean(" izoh\x0b ") == "izoh"
    assert field.clean("x\x01" * 6) == "xxxxxx"  # the limit counts what is stored
    with pytest.raises(ValidationError):
        field.clean("x" * 11)


@pytest.mark.parametrize(("text", "number"), [("12", 12), (" 7 ", 7), ("0", 0), (None, None), ("", None)])
def test_parse_int_reads_ascii_digits(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize("text", ["²", "٣", "1²", "-1", "+1", "1.0", "1e3", "0x10", "9" * 19])
def test_parse_int_refuses_anything_else(text):
    assert parse_int(text) is None


def test_int_param_is_a_bad_request_when_present_and_not_a_number():
    assert int_param({}, "month") is None
    assert int_param({"month": " "}, "month") is None
    assert int_param({"month": "3"}, "month") == 3
    with pytest.raises(BadRequest):
        int_param({"month": "9" * 5000}, "month")
