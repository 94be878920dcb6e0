"""The report as a PDF: the table's HTML laid out by WeasyPrint with the font shipped in static/fonts."""

from __future__ import annotations

import datetime
import re
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from plans.charts import status_summary
from plans.pacing import Status

from .tables import ReportTable

STYLESHEET = "css/report.css"

# What the report's markup needs of a browser's default stylesheet. WeasyPrint's own (the full
# HTML5 one) is matched against every element and costs about a fifth of the PDF's time.
USER_AGENT_CSS = """
html, body, div, section, header, footer, p, h1, h2 { display: block }
head, style, title, script { display: none }
table { display: table; border-collapse: separate }
thead { display: table-header-group } tbody { display: table-row-group }
tr { display: table-row } td, th { display: table-cell }
th, h1, h2, strong { font-weight: bold }
p, h1, h2 { margin: .5em 0 }
"""


class _ReportHTML(HTML):
    """The report's document with the small default stylesheet above.

    Overrides WeasyPrint's internal `_ua_stylesheets`; should a later WeasyPrint rename it, the
    full default stylesheet is used again and the report is only slower, never different.
    """

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_user_agent_stylesheet()]


def report_html(table: ReportTable, *, on: datetime.date, draft: bool) -> str:
    """The HTML WeasyPrint lays out (the print stylesheet is passed to it separately)."""
    counts = table.status_counts()
    return render_to_string(
        "reports/pdf.html",
        {
            "table": table,
            "on": on,
            "draft": draft,
            "page_css": _page_css(table, draft=draft),
            "counts": [(Status(status).label, counts[status]) for status in Status if counts.get(status)],
            "chart": status_summary(counts, prefix="pdf", width=640) if counts else "",
        },
    )


def render_pdf(table: ReportTable, *, on: datetime.date, draft: bool = False) -> bytes:
    """The report's PDF: A4 landscape, header row on every page, page X of Y, fonts embedded."""
    stylesheet, fonts = _stylesheet()
    document = _ReportHTML(string=report_html(table, on=on, draft=draft), base_url=_static_root())
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


@cache
def _stylesheet() -> tuple[CSS, FontConfiguration]:
    # Parsed once per process: the stylesheet and its @font-face rules (which point at
    # static/fonts by file URL, so the PDF never depends on the system's fonts) do not change.
    fonts = FontConfiguration()
    path = finders.find(STYLESHEET)
    if path is None:
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    return CSS(filename=path, font_config=fonts), fonts


@cache
def _user_agent_stylesheet() -> CSS:
    return CSS(string=USER_AGENT_CSS)


def _static_root() -> str:
    return str(finders.find(STYLESHEET)).removesuffix(STYLESHEET)


def _page_css(table: ReportTable, *, draft: bool) -> str:
    """The page's margin boxes, whose words are translated (CSS cannot call gettext)."""
    page = _counter_text(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)")
    marker = _css_string(_("Draft: not sent")) if draft else '""'
    return (
        f"@page {{ @top-left {{ content: {_css_string(table.centre)}; }}"
        f" @top-right {{ content: {marker}; }}"
        f" @bottom-right {{ content: {page}; }} }}"
    )


def _css_string(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text).replace("\n", " ") + '"'


def _counter_text(template: str, **counters: str) -> str:
    """A translated sentence with %(name)s placeholders as a CSS `content` value with counters."""
    parts = re.split(r"%\((\w+)\)s", template)
    values = []
    for index, part in enumerate(parts):
        if index % 2:
            values.append(counters[part])
        elif part:
            values.append(_css_string(part))
    return " ".join(values)
