"""The report table's notes: the note proposed for a row (reports.selectors.proposed_notes)."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def proposed_note(proposals: Mapping[int, str] | None, indicator_id: int | None) -> str:
    """The note proposed for the indicator from its months' notes; "" when none."""
    if not proposals or indicator_id is None:
        return ""
    return proposals.get(indicator_id, "")
