"""The report as a PDF: the table's HTML laid out by WeasyPrint with the font shipped in static/fonts.

Nothing typed by a person reaches the PDF except as escaped HTML text: the page headers and
footers are elements of the document placed in the margins (`position: running()` in
report.css), not CSS strings built here. WeasyPrint reads only the app's static files
(reports/fetcher.py).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from plans.charts import STATUS_ORDER, status_summary

from .fetcher import PICTURE_ORIGIN, STATIC_ORIGIN, StaticFilesFetcher, static_url
from .tables import ReportTable

if TYPE_CHECKING:
    from evidence.selectors import EvidenceLine
    from plans.models import Amendment

STYLESHEET = "css/report.css"

# What the report's markup needs of a browser's default stylesheet. WeasyPrint's own (the full
# HTML5 one) is matched against every element and costs about a fifth of the PDF's time.
USER_AGENT_CSS = """
html, body, div, section, header, footer, p, h1, h2, h3 { display: block }
head, style, title, script { display: none }
table { display: table; border-collapse: separate }
thead { display: table-header-group } tbody { display: table-row-group }
tr { display: table-row } td, th { display: table-cell }
th, h1, h2, h3, strong { font-weight: bold }
p, h1, h2, h3 { margin: .5em 0 }
"""

# The counters a translated "Page %(page)s of %(pages)s" may name, and the class that prints each.
PAGE_COUNTERS = {"page": "counter-page", "pages": "counter-pages"}


class _ReportHTML(HTML):
    """The report's document with the small default stylesheet above.

    Overrides WeasyPrint's internal `_ua_stylesheets`; should a later WeasyPrint rename it, the
    full default stylesheet is used again and the report is only slower, never different.
    """

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_user_agent_stylesheet()]


def version_line(*, on: datetime.date, draft: bool, version: int | None) -> str:
    """What every page says of the document: a draft, or which version was sent when."""
    if draft:
        return _("Draft: not sent")
    if version is None:
        return ""
    return _("Version %(number)s, sent on %(date)s") % {"number": version, "date": on.strftime("%d.%m.%Y")}


@dataclass(frozen=True)
class AnnexGroup:
    """The evidence of one indicator in the annex: its number and name, its files."""

    number: str
    indicator: str
    files: list[tuple[EvidenceLine, str]]  # each with its thumbnail's URL ("" when none)


def annex(evidence: Sequence[EvidenceLine]) -> tuple[list[AnnexGroup], dict[str, bytes]]:
    """The annex's groups, one per indicator in the order given, and the thumbnails by URL."""
    groups: list[AnnexGroup] = []
    pictures: dict[str, bytes] = {}
    for index, line in enumerate(evidence):
        url = ""
        if line.thumbnail:
            url = f"{PICTURE_ORIGIN}{index}.jpg"
            pictures[url] = line.thumbnail
        if not groups or (groups[-1].number, groups[-1].indicator) != (line.number, line.indicator):
            groups.append(AnnexGroup(line.number, line.indicator, []))
        groups[-1].files.append((line, url))
    return groups, pictures


def report_html(
    table: ReportTable,
    *,
    on: datetime.date,
    draft: bool,
    version: int | None = None,
    annex_groups: Sequence[AnnexGroup] = (),
    amendments: Sequence[Amendment] = (),
) -> str:
    """The HTML WeasyPrint lays out (the print stylesheet is passed to it separately)."""
    table = table.in_reader_script()
    counts = table.status_counts()
    return render_to_string(
        "reports/pdf.html",
        {
            "table": table,
            "on": on,
            "draft": draft,
            "version_line": version_line(on=on, draft=draft, version=version),
            "page_of": page_parts(_("Page %(page)s of %(pages)s")),
            "counts": [(status.label, counts[status]) for status in STATUS_ORDER if counts.get(status)],
            "chart": status_summary(counts, prefix="pdf", width=640) if counts else "",
            "annex": annex_groups,
            "sections": table.section_summaries() if table.annual else [],
            "amendments": amendments,
        },
    )


def render_pdf(
    table: ReportTable,
    *,
    on: datetime.date,
    draft: bool = False,
    version: int | None = None,
    evidence: Sequence[EvidenceLine] = (),
    amendments: Sequence[Amendment] = (),
) -> bytes:
    """The report's PDF: A4 landscape, header row on every page, page X of Y, fonts embedded;
    then, when the plan was amended up to the quarter's end (plans.plan_pages.quarter_amendments),
    the amendments (what, old → new, why, when); then, when the quarter has evidence files, their
    annex (per indicator: names, dates and the photos' thumbnails). A sent version's PDF is stored
    as rendered when it was sent, so it lists the amendments known then.

    `on` is the date on the document: the day a sent version was sent (its `version` number
    printed on every page with it), or today for a draft.
    """
    groups, pictures = annex(evidence)
    html = report_html(table, on=on, draft=draft, version=version, annex_groups=groups, amendments=amendments)
    return html_to_pdf(html, pictures=pictures)


def html_to_pdf(
    html: str, stylesheet_name: str = STYLESHEET, pictures: Mapping[str, bytes] | None = None
) -> bytes:
    """Any of the app's documents as a PDF: its HTML (escaped text only) laid out with one of the
    static stylesheets, reading nothing but the app's static files and the `pictures` given by
    URL (the evidence annex's thumbnails; reports/fetcher.py)."""
    stylesheet, fonts = _stylesheet(stylesheet_name)
    document = _ReportHTML(
        string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticFilesFetcher(pictures)
    )
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


@cache
def _stylesheet(name: str = STYLESHEET) -> tuple[CSS, FontConfiguration]:
    # Parsed once per process: the stylesheet and its @font-face rules (static/fonts, read through
    # the same fetcher, so the PDF never depends on the system's fonts) do not change.
    fonts = FontConfiguration()
    stylesheet = CSS(url=static_url(name), url_fetcher=StaticFilesFetcher(), font_config=fonts)
    return stylesheet, fonts


@cache
def _user_agent_stylesheet() -> CSS:
    return CSS(string=USER_AGENT_CSS)


def page_parts(template: str) -> list[tuple[str, str]]:
    """A translated sentence with %(name)s placeholders as (text, counter class) pairs for the template.

    "Page %(page)s of %(pages)s" gives [("Page ", "counter-page"), (" of ", "counter-pages")]; the
    template prints each text escaped and an empty element the stylesheet fills with the counter.
    """
    parts = re.split(r"%\((\w+)\)s", template)
    pairs = []
    for index in range(0, len(parts), 2):
        name = parts[index + 1] if index + 1 < len(parts) else None
        counter = PAGE_COUNTERS[name] if name else ""
        if parts[index] or counter:
            pairs.append((parts[index], counter))
    return pairs
