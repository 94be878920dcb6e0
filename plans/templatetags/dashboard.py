"""Template helpers for the dashboards: the progress bar chart of a row or a summary."""

from django import template
from django.utils.safestring import SafeString

from .. import charts
from ..dashboards import Summary
from ..figures import Figures

register = template.Library()


@register.simple_tag
def progress_bar(figures: Figures | Summary) -> SafeString:
    """The bar of done against target with its expected-by-now marker (see plans.charts)."""
    if isinstance(figures, Summary):
        return charts.progress_bar(figures.done_percent, figures.expected_percent, figures.status)
    return charts.progress_bar(figures.percent, figures.expected_percent, figures.status)


@register.filter
def count_of(counts: dict, status: str) -> int:
    """How many indicators of a summary have this status (0 when none)."""
    return counts.get(status, 0)
