"""Template helpers for the dashboards: progress bars, and the rows of the indicator tables.

The tables' rows are built here as plain strings rather than in template loops: a centre's
plan lists about fifty indicators in up to three tables, and resolving each row's dozen values
through the template language (or format_html, whose escaping checks every value for lazy
strings) took most of the page's time. Every value still goes through `_e` (the standard
library's html.escape, which is what Django's escape calls) unless it is markup built here, and
numbers, dates and labels are localized and translated by the same Django functions as before.
"""

import datetime
import html
import unicodedata
from collections.abc import Iterable, Sequence

from django import template
from django.template.defaultfilters import date, floatformat
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from .. import charts
from ..cyrillic import shown
from ..dashboards import DashboardRow
from ..figures import Figures

register = template.Library()

# How much of an item's title the tables show.
TITLE_CHARS = 90


@register.simple_tag
def progress_bar(figures: Figures) -> SafeString:
    """An indicator's bar of done against target with its expected-by-now marker (see plans.charts)."""
    return charts.progress_bar(figures.percent, figures.expected_percent, figures.status)


def _e(value: object) -> str:
    """A value as escaped text, as {{ value }} renders it (numbers localized, None as "None")."""
    return html.escape(str(localize(value)))


def _p(value: object) -> str:
    """The plan's own text (a title, unit, service, deadline) escaped, in the reader's script."""
    return _e(shown(str(value)))


def _title(f: Figures) -> str:
    """The item's title, shortened as |truncatechars does, with the indicator's label if any."""
    title = unicodedata.normalize("NFC", shown(f.item.title))
    if len(title) > TITLE_CHARS:  # shorter titles come back from Truncator unchanged
        title = Truncator(title).chars(TITLE_CHARS)
    if f.indicator.label:
        return f"{_e(title)} · {_p(f.indicator.label)}"
    return _e(title)


def _status(f: Figures) -> str:
    return f'<span class="status status-{_e(f.status)}">{_e(f.status.label)}</span>'


def _who(row: DashboardRow, service_entry_url: str | None) -> str:
    """Who enters the figure: on a service's dashboard its own entry page, else each responsible
    service's."""
    # Translated outside the f-strings: xgettext does not look inside them.
    if service_entry_url:
        text = gettext("Enter the figure")
        url = f"{service_entry_url}#row-{row.figures.indicator.pk}"
        return f'<a class="entry-link" href="{_e(url)}">{_e(text)}</a>'
    if not row.entry_links:
        text = gettext("No service named")
        return f'<span class="muted">{_e(text)}</span>'
    return "".join(
        f'<a class="entry-link" href="{_e(link.url)}">{_p(link.service.name)}</a>' for link in row.entry_links
    )


@register.simple_tag
def indicator_rows(rows: Sequence[DashboardRow]) -> SafeString:
    """The indicator list's rows, under a heading row for each section."""
    if not rows:
        text = gettext("No indicators match.")
        return mark_safe(f'<tr><td colspan="8">{_e(text)}</td></tr>')
    parts = []
    section_id = None
    # Rows entered together share a day: each day is formatted once.
    days: dict[datetime.date, str] = {}
    for row in rows:
        f = row.figures
        url = _e(row.url)
        if f.item.section_id != section_id:
            section_id = f.item.section_id
            parts.append(
                f'<tr class="section-row"><th colspan="8" scope="rowgroup">{_p(f.item.section)}</th></tr>'
            )
        if f.last_entry_at:
            day = template_localtime(f.last_entry_at).date()
            if day not in days:
                days[day] = _e(date(day, "SHORT_DATE_FORMAT"))
            last_entry = f'<a href="{url}#history">{days[day]}</a>'
        else:
            last_entry = '<span class="muted">–</span>'
        sub = ' class="sub"' if f.item.parent_id else ""
        percent = "" if f.percent is None else f' <span class="pct">{_e(floatformat(f.percent, 0))}%</span>'
        parts.append(
            f"<tr><td>{_e(f.item.number)}</td>"
            f'<td{sub}><a href="{url}">{_title(f)}</a></td>'
            f"<td>{_p(f.item.unit)}</td>"
            f'<td class="num">{"–" if f.annual_target is None else _e(f.annual_target)}</td>'
            f'<td class="num"><a href="{url}#months">{_e(f.done_to_date)}</a></td>'
            f"<td>{progress_bar(f)}{percent}</td>"
            f"<td>{_status(f)}</td>"
            f"<td>{last_entry}</td></tr>"
        )
    return mark_safe("".join(parts))


def _labels(*texts: str) -> list[str]:
    """Cell labels a phone shows on each card (the table's header is hidden there), escaped once."""
    return [_e(text) for text in texts]


@register.simple_tag
def attention_rows(rows: Iterable[DashboardRow], service_entry_url: str | None = None) -> SafeString:
    """The rows of the list of indicators behind or overdue."""
    done, expected, target, short, who = _labels(
        gettext("Done"),
        gettext("Expected"),
        gettext("Target"),
        gettext("Short by"),
        gettext("Responsible · enter the figure"),
    )
    parts = []
    for row in rows:
        f, url = row.figures, _e(row.url)
        parts.append(
            f'<tr class="row-{_e(f.status)}"><td class="no"><a href="{url}">{_e(f.item.number)}</a></td>'
            f'<td class="what"><a href="{url}">{_title(f)}</a>'
            f' <span class="muted">({_p(f.item.unit)})</span></td>'
            f'<td class="state">{_status(f)}</td>'
            f'<td class="num" data-label="{done}"><a href="{url}#months">{_e(f.done_to_date)}</a></td>'
            f'<td class="num" data-label="{expected}">{_e(f.expected)}</td>'
            f'<td class="num" data-label="{target}">{_e(f.annual_target)}</td>'
            f'<td class="num short" data-label="{short}">{_e(row.shortfall)}</td>'
            f'<td class="who" data-label="{who}">{_who(row, service_entry_url)}</td></tr>'
        )
    return mark_safe("".join(parts))


@register.simple_tag
def due_rows(rows: Iterable[DashboardRow], service_entry_url: str | None = None) -> SafeString:
    """The rows of the list of indicators falling due soon."""
    deadline, done, target, who = _labels(
        gettext("Deadline"), gettext("Done"), gettext("Target"), gettext("Responsible · enter the figure")
    )
    parts = []
    for row in rows:
        f, url = row.figures, _e(row.url)
        parts.append(
            f'<tr><td class="no"><a href="{url}">{_e(f.item.number)}</a></td>'
            f'<td class="what"><a href="{url}">{_title(f)}</a></td>'
            f'<td data-label="{deadline}">{_p(f.item.deadline.text)}</td>'
            f'<td class="num" data-label="{done}"><a href="{url}#months">{_e(f.done_to_date)}</a></td>'
            f'<td class="num" data-label="{target}">{_e(f.annual_target)}</td>'
            f'<td class="who" data-label="{who}">{_who(row, service_entry_url)}</td></tr>'
        )
    return mark_safe("".join(parts))
