"""Charts as inline SVG built from plain numbers: no JavaScript, nothing fetched, printable.

Pure functions: numbers in, markup out. Every chart has explicit width, height and viewBox and
names its font, so WeasyPrint lays it out in a PDF exactly as a browser does on screen; every
series is told apart by pattern, dash or marker as well as colour, so it reads in black and
white; every chart carries a <title> and an aria-label, and labels are translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .pacing import Status

FONT = "'DejaVu Sans', sans-serif"
INK = "#1d2430"
MUTED = "#5b6575"
GRID = "#d5dae2"
ACCENT = "#1f5fa8"
# Lines told apart by dash as well as colour, the same in the chart and its legend.
PACE_STROKE = f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 2"'
TARGET_STROKE = f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="1 3"'
# Last year's line: thin, dash-dotted, in a colour of its own.
LAST_YEAR_STROKE = 'stroke="#8a5a9e" stroke-width="1.5" stroke-dasharray="8 3 2 3"'


@dataclass(frozen=True)
class StatusStyle:
    fill: str
    pattern: str  # "solid", "hatch", "dots", "cross", "none"


# The dashboard's status colours (app.css), each with its own pattern for print.
STATUS_STYLES = {
    Status.DONE: StatusStyle("#1b5e20", "solid"),
    Status.ON_TRACK: StatusStyle("#66bb6a", "hatch"),
    Status.BEHIND: StatusStyle("#f0a030", "dots"),
    Status.OVERDUE: StatusStyle("#c62828", "cross"),
    Status.NOT_STARTED: StatusStyle("#b0b8c6", "none"),
    Status.NO_TARGET: StatusStyle("#eceff3", "none"),
}
STATUS_ORDER = [
    Status.DONE,
    Status.ON_TRACK,
    Status.NOT_STARTED,
    Status.BEHIND,
    Status.OVERDUE,
    Status.NO_TARGET,
]


def _svg(width: int, height: int, label: str, body: list[str], css_class: str) -> SafeString:
    title = escape(label)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="12" aria-label="{title}">'
        f"<title>{title}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: object, **attrs: object) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _patterns(prefix: str) -> str:
    """Pattern fills, one per status, with ids unique to this chart (several share a page)."""
    defs = []
    for status, style in STATUS_STYLES.items():
        marks = {
            "solid": "",
            "none": "",
            "hatch": '<path d="M0,6 L6,0" stroke="#fff" stroke-width="1.5"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
            "cross": '<path d="M0,0 L6,6 M0,6 L6,0" stroke="#fff" stroke-width="1.2"/>',
        }[style.pattern]
        defs.append(
            f'<pattern id="{prefix}-{status.value}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{style.fill}"/>{marks}</pattern>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _nice_max(value: float) -> int:
    """A round upper bound for an axis (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at or above
    `value`, at least 4 so that the four gridlines fall on whole numbers."""
    if value <= 4:
        return 4
    scale = 1
    while True:
        for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            if scale * factor >= value and (scale * factor) % 4 == 0:
                return int(scale * factor)
        scale *= 10


def month_label(month: int) -> str:
    return capfirst(str(MONTHS_3[month]))


def progress_bar(percent: float | None, expected_percent: float | None, status: Status) -> SafeString:
    """A small bar of done against the annual target, with a marker where the pace expects it."""
    width, height, bar = 150, 16, 10
    top = 3
    if percent is None:
        return _svg(width, height, _("No target"), [], "progress")
    shown = max(0.0, min(percent, 100.0))
    style = STATUS_STYLES.get(status, STATUS_STYLES[Status.NOT_STARTED])
    label = _("%(done)s%% of the annual target done") % {"done": f"{percent:.0f}"}
    body = [
        f'<rect x="0" y="{top}" width="{width}" height="{bar}" fill="#fff" stroke="{MUTED}"/>',
        f'<rect x="0" y="{top}" width="{width * shown / 100:.1f}" height="{bar}" fill="{style.fill}"/>',
    ]
    if expected_percent is not None:
        label += "; " + _("%(expected)s%% expected by now") % {"expected": f"{expected_percent:.0f}"}
        x = width * max(0.0, min(expected_percent, 100.0)) / 100
        x = min(max(x, 1.5), width - 1.5)
        # A black tick across the bar and notches above and below: visible on any fill.
        body.append(
            f'<path d="M{x:.1f},0 L{x:.1f},{height}" stroke="{INK}" stroke-width="2"/>'
            f'<path d="M{x - 3:.1f},0 L{x + 3:.1f},0 L{x:.1f},3 Z" fill="{INK}"/>'
        )
    return _svg(width, height, label, body, "progress")


def status_summary(
    counts: Mapping[Status, int],
    *,
    prefix: str = "st",
    width: int = 560,
    order: Sequence[Status] = tuple(STATUS_ORDER),
) -> SafeString:
    """A horizontal bar split by status (in `order`), each part patterned and counted, with a legend."""
    total = sum(counts.values())
    bar_height, legend_row = 28, 20
    present = [status for status in order if counts.get(status)]
    columns = 3
    rows = max(1, -(-len(present) // columns))
    height = bar_height + 12 + rows * legend_row
    parts = ", ".join(f"{status.label}: {counts[status]}" for status in present)
    label = _("Indicators by status") + (f" ({parts})" if parts else "")
    body = [_patterns(prefix)]
    x = 0.0
    for status in present:
        part = width * counts[status] / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{part:.1f}" height="{bar_height}" '
            f'fill="url(#{prefix}-{status.value})" stroke="#fff" stroke-width="1"/>'
        )
        if part >= 26:
            # The count sits on a white tag so it reads over any pattern.
            tag = 8 + 7 * len(str(counts[status]))
            middle = x + part / 2
            body.append(
                f'<rect x="{middle - tag / 2:.1f}" y="7" width="{tag}" height="15" rx="3" fill="#fff"/>'
                + _text(middle, 19, counts[status], text_anchor="middle", font_weight="bold", fill=INK)
            )
        x += part
    if not present:
        body.append(f'<rect x="0" y="0" width="{width}" height="{bar_height}" fill="none" stroke="{GRID}"/>')
        body.append(_text(width / 2, 19, _("No indicators"), text_anchor="middle", fill=MUTED))
    column_width = width / columns
    for index, status in enumerate(present):
        lx = (index % columns) * column_width
        ly = bar_height + 12 + (index // columns) * legend_row
        body.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="14" height="14" fill="url(#{prefix}-{status.value})" '
            f'stroke="{MUTED}" stroke-width="0.5"/>'
            + _text(lx + 20, ly + 11.5, f"{status.label}: {counts[status]}", fill=INK)
        )
    return _svg(width, height, label, body, "status-summary")


@dataclass(frozen=True)
class _Frame:
    """The plotting area of a month-by-month chart and how values map into it."""

    width: int
    height: int
    left: int = 48
    right: int = 12
    top: int = 30
    bottom: int = 24
    top_value: int = 1

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, month: int) -> float:
        """The middle of a month's slot."""
        return self.left + self.plot_width * (month - 0.5) / 12

    def y(self, value: float) -> float:
        return self.top + self.plot_height * (1 - value / self.top_value)

    def axes(self) -> list[str]:
        parts = []
        for step in range(5):
            value = self.top_value * step / 4
            y = self.y(value)
            parts.append(
                f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.width - self.right}" y2="{y:.1f}" '
                f'stroke="{GRID}"/>'
            )
            text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
            parts.append(_text(self.left - 6, y + 4, text, text_anchor="end", fill=MUTED, font_size="11"))
        for month in range(1, 13):
            parts.append(
                _text(
                    self.x(month),
                    self.height - 8,
                    month_label(month),
                    text_anchor="middle",
                    fill=MUTED,
                    font_size="11",
                )
            )
        return parts


def _legend(frame: _Frame, entries: list[tuple[str, str]]) -> list[str]:
    """Legend entries across the top: (sample markup at origin, text); an entry that would pass
    the right edge starts a second row (leave `frame.top` room for it)."""
    parts = []
    x, y = frame.left, 8
    for sample, text in entries:
        wide = 34 + 7 * len(text)
        if x > frame.left and x + wide - 8 > frame.width:
            x, y = frame.left, y + 16
        parts.append(f'<g transform="translate({x},{y})">{sample}</g>')
        parts.append(_text(x + 26, y + 10, text, fill=INK))
        x += wide
    return parts


def monthly_bars(
    done: Sequence[int | None], pace: Sequence[int | None], *, width: int = 640, height: int = 240
) -> SafeString:
    """Done in each month (bars, labelled) against the monthly pace (a dashed step per month).

    `done` and `pace` hold twelve values; None is a month not reached yet (no bar) or a
    target-less indicator (no pace).
    """
    frame = _Frame(
        width, height, top_value=_nice_max(max([*(v or 0 for v in done), *(v or 0 for v in pace)]))
    )
    slot = frame.plot_width / 12
    body = frame.axes()
    for month in range(1, 13):
        value = done[month - 1]
        if value is None:
            continue
        top = frame.y(value)
        body.append(
            f'<rect x="{frame.x(month) - slot * 0.3:.1f}" y="{top:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{frame.y(0) - top:.1f}" fill="{ACCENT}"/>'
        )
        body.append(_text(frame.x(month), top - 4, value, text_anchor="middle", fill=INK, font_size="11"))
    for month in range(1, 13):
        value = pace[month - 1]
        if value is None:
            continue
        y = frame.y(value)
        body.append(
            f'<line x1="{frame.x(month) - slot * 0.45:.1f}" y1="{y:.1f}" '
            f'x2="{frame.x(month) + slot * 0.45:.1f}" y2="{y:.1f}" {PACE_STROKE}/>'
        )
    body += _legend(
        frame,
        [
            (f'<rect x="0" y="0" width="20" height="12" fill="{ACCENT}"/>', _("Done in the month")),
            (
                f'<line x1="0" y1="6" x2="20" y2="6" {PACE_STROKE}/>',
                _("Monthly pace"),
            ),
        ],
    )
    label = (
        _("Done by month against the monthly pace")
        + ": "
        + ", ".join(f"{month_label(m)} {done[m - 1]}" for m in range(1, 13) if done[m - 1] is not None)
    )
    return _svg(width, height, label, body, "monthly-bars")


def cumulative_line(
    done: Sequence[int | None],
    expected: Sequence[int | None],
    target: int | None,
    *,
    last_year: Sequence[int | None] | None = None,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Done since January (solid line with dots) against what the pace expects (dashed) and
    the annual target (dotted, labelled); with `last_year`, the same item's line of the year
    before (dash-dotted, thin)."""
    last_year = last_year or []
    highest = max(
        [*(v or 0 for v in done), *(v or 0 for v in expected), *(v or 0 for v in last_year), target or 0]
    )
    # Four legend entries take two rows.
    frame = _Frame(
        width, height, top=46 if last_year else 30, top_value=_nice_max(highest * 1.05 if target else highest)
    )
    body = frame.axes()
    if target is not None:
        y = frame.y(target)
        body.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{width - frame.right}" y2="{y:.1f}" {TARGET_STROKE}/>'
        )
        body.append(
            _text(
                width - frame.right - 4,
                y - 4,
                _("Target: %(target)s") % {"target": target},
                text_anchor="end",
                fill=INK,
                font_size="11",
            )
        )
    expected_points = [(frame.x(m), frame.y(v)) for m, v in enumerate(expected, start=1) if v is not None]
    if expected_points:
        body.append(
            '<polyline fill="none" stroke="#888" stroke-width="2" stroke-dasharray="6 3" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in expected_points)
            + '"/>'
        )
    last_year_points = [(frame.x(m), frame.y(v)) for m, v in enumerate(last_year, start=1) if v is not None]
    if last_year_points:
        body.append(
            f'<polyline fill="none" {LAST_YEAR_STROKE} points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in last_year_points)
            + '"/>'
        )
    done_points = [(m, frame.x(m), frame.y(v), v) for m, v in enumerate(done, start=1) if v is not None]
    if done_points:
        body.append(
            f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2.5" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for _m, x, y, _v in done_points)
            + '"/>'
        )
        for _m, x, y, _v in done_points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}" stroke="#fff"/>')
        _m, x, y, last = done_points[-1]
        body.append(_text(x + 6, y - 6, last, fill=INK, font_weight="bold", font_size="11"))
    legend = [
        (
            f'<line x1="0" y1="6" x2="20" y2="6" stroke="{ACCENT}" stroke-width="2.5"/>'
            f'<circle cx="10" cy="6" r="3.5" fill="{ACCENT}"/>',
            _("Done since January"),
        ),
        (
            '<line x1="0" y1="6" x2="20" y2="6" stroke="#888" stroke-width="2" stroke-dasharray="6 3"/>',
            _("Expected by the pace"),
        ),
    ]
    if target is not None:
        legend.append(
            (
                f'<line x1="0" y1="6" x2="20" y2="6" {TARGET_STROKE}/>',
                _("Annual target"),
            )
        )
    if last_year_points:
        legend.append(
            (
                f'<line x1="0" y1="6" x2="20" y2="6" {LAST_YEAR_STROKE}/>',
                _("Last year"),
            )
        )
    body += _legend(frame, legend)
    latest = done_points[-1][3] if done_points else 0
    label = _("Done since January against the target") + f": {latest}" + (f" / {target}" if target else "")
    return _svg(width, height, label, body, "cumulative-line")


def status_grid(
    rows: Sequence[tuple[str, Sequence[Status | None]]],
    columns: Sequence[str],
    *,
    prefix: str = "grid",
    label_width: int = 210,
) -> SafeString:
    """Centres (rows) × sections (columns): each cell filled with its status's colour and pattern
    (so it reads in black and white), a legend below; a cell with no indicator is white with a
    dash. Names longer than the label column are cut with an ellipsis (each cell's title has it
    whole)."""
    cell_w, cell_h, head = 52, 26, 22
    legend_row = 20
    statuses = [status for status in STATUS_ORDER if any(status in cells for _name, cells in rows)]
    width = label_width + cell_w * max(len(columns), 1) + 8
    legend_columns = max(1, min(3, (width - 8) // 170))
    legend_rows = -(-len(statuses) // legend_columns) if statuses else 0
    height = head + cell_h * len(rows) + 12 + legend_rows * legend_row
    body = [_patterns(prefix)]
    for index, column in enumerate(columns):
        x = label_width + cell_w * index + cell_w / 2
        body.append(_text(x, 15, column, text_anchor="middle", font_weight="bold", fill=INK))
    described = []
    for row_index, (name, cells) in enumerate(rows):
        y = head + cell_h * row_index
        shown = name if len(name) <= 28 else name[:27] + "…"
        body.append(_text(label_width - 8, y + 17, shown, text_anchor="end", fill=INK))
        for index, status in enumerate(cells):
            x = label_width + cell_w * index
            if status is None:
                body.append(
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                    f'fill="#fff" stroke="{GRID}"/>'
                    + _text(x + cell_w / 2, y + 17, "–", text_anchor="middle", fill=MUTED)
                )
                continue
            body.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="url(#{prefix}-{status.value})" stroke="{MUTED}" stroke-width="0.5">'
                f"<title>{escape(name)} · {escape(columns[index])}: {escape(status.label)}</title></rect>"
            )
        described.append(
            f"{name}: "
            + ", ".join(
                f"{columns[i]} {status.label}" for i, status in enumerate(cells) if status is not None
            )
        )
    top = head + cell_h * len(rows) + 12
    column_width = (width - 8) / legend_columns
    for index, status in enumerate(statuses):
        lx = 4 + (index % legend_columns) * column_width
        ly = top + (index // legend_columns) * legend_row
        body.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="14" height="14" fill="url(#{prefix}-{status.value})" '
            f'stroke="{MUTED}" stroke-width="0.5"/>' + _text(lx + 20, ly + 11.5, status.label, fill=INK)
        )
    label = _("Status by section") + (": " + "; ".join(described) if described else "")
    return _svg(width, height, label, body, "status-grid")
