"""Numbers read from a request's query or form: ASCII digits only, and not too many of them.

`str.isdigit()` accepts "²" and "٣", which `int()` then refuses or reads; and `int()` of a few
thousand digits raises. Every number a view takes from request.GET or request.POST is read here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from django.core.exceptions import BadRequest

# Ids, years, months and quarters all fit in 18 digits (a bigint), with room to spare.
MAX_DIGITS = 18
_DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def parse_int(text: str | None) -> int | None:
    """The whole number `text` spells in ASCII digits, else None (missing, empty, anything else)."""
    if text is None:
        return None
    text = text.strip()
    return int(text) if _DIGITS.fullmatch(text) else None


def int_param(params: Mapping[str, str], name: str) -> int | None:
    """request.GET[name] or request.POST[name] as a whole number, None when it is missing or empty;
    anything else is a bad request (400), never a server error."""
    text = params.get(name, "").strip()
    if not text:
        return None
    number = parse_int(text)
    if number is None:
        raise BadRequest(f"{name} is not a number")
    return number


def choice_param(params: Mapping[str, str], name: str, choices: Collection[str]) -> str | None:
    """request.GET[name] when it is one of `choices`, None when it is missing or empty; anything
    else is a bad request (400)."""
    text = params.get(name, "").strip()
    if not text:
        return None
    if text not in choices:
        raise BadRequest(f"{name} is not one of the choices")
    return text
