"""The report's table, built once from the figures selector and shared by HTML, PDF, XLSX, DOCX and
the command: a quarter's (build_table) or the whole year's (build_annual_table, the annual report:
each quarter's figures I–IV and the year's).

A table is plain data (no model instances), so a submitted report freezes it as JSON and every
later rendering of that version reads the JSON, never the live figures. The JSON carries a
format version (FORMAT); a version stored in an older format is read by that format's upgrade,
so a report sent years ago opens after fields here are renamed.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from plans.charts import STATUS_ORDER
from plans.cyrillic import fresh_corrections, reads_cyrillic, shown
from plans.deadlines import WHOLE_YEAR
from plans.figures import Figures, ParentTotals, indicator_figures, parent_totals, year_figures
from plans.models import Plan, PlanItem
from plans.pacing import Status

from .rules import is_year, roman

# A row of the table is one of these.
SECTION = "section"  # a section heading across the table
HEADING = "heading"  # an item whose figures are on the rows below it (several indicators)
FIGURES = "figures"  # a row with figures: an indicator, or a parent item summing its sub-items

NEEDS_NOTE = {Status.BEHIND, Status.OVERDUE}

# A note longer than this is printed in the PDF on a full-width row under its row, not in the
# narrow note column (reports/_table.html with notes_below).
LONG_NOTE = 80

# The format of a stored table (ReportVersion.table), under the key "format". A change to the
# stored keys raises it and adds to UPGRADES a function turning the format before into the new
# one (rename a key there, fill a new one); the format written is always FORMAT.
#   1: the first sent reports: the dataclass fields as they were, no "format" key.
#   2: the same keys, with "format"; written and read key by key, not from the dataclass.
#   3: "done_by_quarter" (the annual report's quarters I–IV; empty on a quarter's rows).
FORMAT = 3
ROW_KEYS = (
    "kind", "number", "activity", "level", "unit", "annual_target", "quarter_target",
    "done_in_quarter", "done_to_date", "percent", "status", "services", "all_services", "note",
    "indicator_id", "done_by_quarter",
)  # fmt: skip


@dataclass(frozen=True)
class ReportRow:
    kind: str
    number: str
    activity: str
    level: int = 0  # indentation: 1 for sub-items and for the indicators of an item, 2 for both
    unit: str = ""
    annual_target: int | None = None
    quarter_target: int | None = None
    done_in_quarter: int | None = None
    done_to_date: int | None = None
    percent: float | None = None
    status: str = ""
    services: list[str] = field(default_factory=list)
    all_services: bool = False
    note: str = ""
    # Set on rows a note can be written for (one per indicator); None on headings and sums.
    indicator_id: int | None = None
    # The annual report's rows: what was done in each quarter I–IV (the year's is done_to_date);
    # empty on a quarter's report, whose rows have quarter_target and done_in_quarter instead.
    done_by_quarter: list[int] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        return self.kind == FIGURES

    @property
    def needs_note(self) -> bool:
        return self.indicator_id is not None and self.status in NEEDS_NOTE

    @property
    def long_note(self) -> bool:
        return len(self.note.strip()) > LONG_NOTE

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def responsible(self) -> str:
        if self.all_services:
            return _("All services")
        return "; ".join(self.services)

    def figure_cells(self, annual: bool) -> list[int | float | None]:
        return figure_cells(self, annual)


def figure_cells(row: Any, annual: bool) -> list[int | float | None]:
    """A row's numbers (a district's ReportRow or a consolidated row: the same fields) in the order
    of figure_headers(annual); None where a row has none (a heading). The percent is of the annual
    target."""
    if not row.has_figures:
        return [None] * len(figure_headers(annual))
    if annual:
        quarters = list(row.done_by_quarter) or [None] * 4
        return [row.annual_target, *quarters, row.done_to_date, row.percent]
    return [row.annual_target, row.quarter_target, row.done_in_quarter, row.done_to_date, row.percent]


def figure_headers(annual: bool) -> list[str]:
    """The headers of a report's figure columns (the last is the percent of the annual target):
    a quarter's, or the annual report's quarters I–IV and the year."""
    if annual:
        quarters = [_("Done in quarter %(quarter)s") % {"quarter": roman(q)} for q in range(1, 5)]
        return [_("Annual target"), *quarters, _("Done in the year"), _("Percent of annual target")]
    return [
        _("Annual target"),
        _("Quarter target"),
        _("Done in the quarter"),
        _("Done since the start of the year"),
        _("Percent of annual target"),
    ]


def headers(annual: bool = False) -> list[str]:
    """Every column of the report's table, as the XLSX and the DOCX print them."""
    return ["№", _("Activity"), _("Unit"), *figure_headers(annual), _("Responsible service"), _("Note")]


@dataclass(frozen=True)
class SectionSummary:
    """What the annual report says under a section: its indicators counted by status at the year's
    end, and those not done (named as in a message: number, or number and label)."""

    number: str
    title: str
    counts: list[tuple[str, int]]  # (status label, count), in the charts' order, none left at 0
    not_done: list[str]


@dataclass(frozen=True)
class ReportTable:
    """What a report prints: whose it is, for when, and its rows in the plan's order."""

    centre: str
    director: str
    year: int
    quarter: int
    rows: list[ReportRow]

    @property
    def annual(self) -> bool:
        """Whether this is the annual report (the whole year) rather than a quarter's."""
        return is_year(self.quarter)

    @property
    def quarter_roman(self) -> str:
        return "" if self.annual else roman(self.quarter)

    @property
    def column_count(self) -> int:
        return len(headers(self.annual))

    @property
    def figure_headers(self) -> list[str]:
        return figure_headers(self.annual)

    @property
    def title(self) -> str:
        """The document's title in the active language; the centre's name as stored."""
        if self.annual:
            return _("Annual report on the execution of the %(year)s work plan of %(centre)s") % {
                "centre": self.centre,
                "year": self.year,
            }
        return _(
            "Report on the execution of the %(year)s work plan of %(centre)s for quarter %(quarter)s"
        ) % {"centre": self.centre, "year": self.year, "quarter": self.quarter_roman}

    @property
    def short_title(self) -> str:
        """The title without the centre's name: under the name on the PDF's first page, then atop the rest."""
        if self.annual:
            return _("Annual report on the execution of the %(year)s work plan") % {"year": self.year}
        return _("Report on the execution of the %(year)s work plan for quarter %(quarter)s") % {
            "year": self.year,
            "quarter": self.quarter_roman,
        }

    def in_reader_script(self) -> ReportTable:
        """The table with the plan's text, the centre's and the director's names in the reader's
        script (plans.cyrillic): Cyrillic for Ўзбекча, else itself. A stored version stays Latin;
        each document printed from it reads the corrections of now."""
        if not reads_cyrillic():
            return self
        fresh_corrections()
        return replace(
            self,
            centre=shown(self.centre),
            director=shown(self.director),
            rows=[
                replace(
                    row,
                    activity=shown(row.activity),
                    unit=shown(row.unit),
                    services=[shown(service) for service in row.services],
                    note=shown(row.note),
                )
                for row in self.rows
            ],
        )

    def figure_rows(self) -> list[ReportRow]:
        return [row for row in self.rows if row.has_figures]

    def missing_notes(self) -> list[ReportRow]:
        """Indicators behind or overdue without a note: the report cannot be sent without them."""
        return [row for row in self.rows if row.needs_note and not row.note.strip()]

    def status_counts(self) -> dict[Status, int]:
        counts = Counter(Status(row.status) for row in self.rows if row.indicator_id is not None)
        return dict(counts)

    def row_name(self, row: ReportRow) -> str:
        """How a row is named in a message: its number, or its item's number and its label."""
        if row.number:
            return row.number
        index = self.rows.index(row)
        parent = next((r for r in reversed(self.rows[:index]) if r.number and r.level < row.level), None)
        return f"{parent.number} ({row.activity})" if parent else row.activity

    def section_summaries(self) -> list[SectionSummary]:
        """Each section's indicators counted by status, and those not done (a target not met),
        in the plan's order: the annual report's summary."""
        summaries = []
        for section, rows in _by_section(self.rows):
            indicators = [row for row in rows if row.indicator_id is not None]
            counts = Counter(Status(row.status) for row in indicators)
            summaries.append(
                SectionSummary(
                    number=section.number,
                    title=section.activity,
                    counts=[(str(status.label), counts[status]) for status in STATUS_ORDER if counts[status]],
                    not_done=[
                        self.row_name(row)
                        for row in indicators
                        if row.status not in (Status.DONE, Status.NO_TARGET)
                    ],
                )
            )
        return summaries

    def to_json(self) -> dict[str, Any]:
        """The table as stored with a sent version, in format FORMAT."""
        return {
            "format": FORMAT,
            "centre": self.centre,
            "director": self.director,
            "year": self.year,
            "quarter": self.quarter,
            "rows": [{key: _stored(getattr(row, key)) for key in ROW_KEYS} for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportTable:
        """A stored table in any format ever written: upgraded step by step to FORMAT, then read."""
        version = data.get("format", 1)
        if version not in UPGRADES and version != FORMAT:
            raise ValueError(f"Unknown format of a stored report table: {version!r}")
        while version != FORMAT:
            data = UPGRADES[version](data)
            version = data["format"]
        return cls(
            centre=data["centre"],
            director=data["director"],
            year=data["year"],
            quarter=data["quarter"],
            rows=[ReportRow(**{key: row[key] for key in ROW_KEYS}) for row in data["rows"]],
        )


def _stored(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _upgrade_v1(data: Mapping[str, Any]) -> dict[str, Any]:
    """Format 1 (no "format" key) has format 2's keys."""
    return {**data, "format": 2}


def _upgrade_v2(data: Mapping[str, Any]) -> dict[str, Any]:
    """Format 2 was written by quarterly reports only: their rows have no quarters I–IV."""
    return {**data, "format": 3, "rows": [{**row, "done_by_quarter": []} for row in data["rows"]]}


# The reader of each older format: it returns the data in the next format.
UPGRADES: dict[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {1: _upgrade_v1, 2: _upgrade_v2}


def _by_section(rows: list[ReportRow]) -> list[tuple[ReportRow, list[ReportRow]]]:
    """The rows under each section heading, in order."""
    sections: list[tuple[ReportRow, list[ReportRow]]] = []
    for row in rows:
        if row.kind == SECTION:
            sections.append((row, []))
        elif sections:
            sections[-1][1].append(row)
    return sections


def build_table(plan: Plan, quarter: int, *, notes: Mapping[int, str] | None = None) -> ReportTable:
    """The report on `quarter` of `plan` from the live figures at the quarter's last month (for
    WHOLE_YEAR, the annual report: build_annual_table).

    Four queries (the selector's); `plan.organization` should come with the plan. `notes` are
    the report's notes by indicator id.
    """
    if is_year(quarter):
        return build_annual_table(plan, notes=notes)
    notes = notes or {}
    figures = indicator_figures(plan, 3 * quarter)
    parents = parent_totals(figures)
    rows = _rows(
        figures,
        lambda figure, number, activity, level: _figures_row(figure, number, activity, level, notes),
        lambda parent, unit: _parent_row(parent, parents.get(parent.pk), unit),
    )
    return _table(plan, quarter, rows)


def build_annual_table(plan: Plan, *, notes: Mapping[int, str] | None = None) -> ReportTable:
    """The annual report of `plan`: per indicator the annual target, what was done in each quarter
    I–IV and in the year, the percent and the status at the year's end, all from the figures
    selector (plans.figures.year_figures: ten queries); `notes` are the year's notes by indicator."""
    notes = notes or {}
    year = year_figures(plan)
    done = year.done_by_quarter()
    parents = [parent_totals(figures) for figures in year.by_quarter]

    def figures_row(figure: Figures, number: str, activity: str, level: int) -> ReportRow:
        row = _figures_row(figure, number, activity, level, notes)
        by_quarter = done[figure.indicator.pk]
        return replace(row, quarter_target=None, done_in_quarter=None, done_by_quarter=by_quarter)

    def parent_row(parent: PlanItem, unit: str) -> ReportRow:
        row = _parent_row(parent, parents[-1].get(parent.pk), unit)
        if row.kind != FIGURES:
            return row
        by_quarter = [totals[parent.pk].done_in_quarter for totals in parents]
        return replace(row, quarter_target=None, done_in_quarter=None, done_by_quarter=by_quarter)

    return _table(plan, WHOLE_YEAR, _rows(year.at_year_end, figures_row, parent_row))


def _table(plan: Plan, quarter: int, rows: list[ReportRow]) -> ReportTable:
    organization = plan.organization
    return ReportTable(
        centre=organization.name,
        director=organization.director_name,
        year=plan.year,
        quarter=quarter,
        rows=rows,
    )


def _rows(
    figures: list[Figures],
    figures_row: Callable[[Figures, str, str, int], ReportRow],
    parent_row: Callable[[PlanItem, str], ReportRow],
) -> list[ReportRow]:
    """The table's rows in the plan's order: sections, parents (by `parent_row`, given the unit
    their sums are in, "" when not their own), items and their indicators (by `figures_row`)."""
    rows: list[ReportRow] = []
    section_id = None
    parents_done: set[int] = set()
    for item, group in itertools.groupby(figures, key=lambda figure: figure.item):
        members = list(group)
        if item.section_id != section_id:
            section_id = item.section_id
            rows.append(ReportRow(kind=SECTION, number=item.section.number, activity=item.section.title))
        level = 0
        if item.parent_id is not None:
            level = 1
            if item.parent_id not in parents_done:
                parents_done.add(item.parent_id)
                unit = item.unit.name if item.unit_id == item.parent.unit_id else ""
                rows.append(parent_row(item.parent, unit))
        if len(members) == 1 and not members[0].indicator.label:
            rows.append(figures_row(members[0], item.number, item.title, level))
            continue
        rows.append(
            ReportRow(
                kind=HEADING, number=item.number, activity=item.title, level=level, **_item_fields(item)
            )
        )
        for figure in members:
            rows.append(figures_row(figure, "", figure.indicator.label, level + 1))
    return rows


def _item_fields(item: PlanItem) -> dict[str, Any]:
    return {
        "unit": item.unit.name,
        "services": [service.name for service in item.services.all()],
        "all_services": item.all_services,
    }


def _figures_row(
    figure: Figures, number: str, activity: str, level: int, notes: Mapping[int, str]
) -> ReportRow:
    return ReportRow(
        kind=FIGURES,
        number=number,
        activity=activity,
        level=level,
        annual_target=figure.annual_target,
        quarter_target=figure.quarter_target,
        done_in_quarter=figure.done_in_quarter,
        done_to_date=figure.done_to_date,
        percent=figure.percent,
        status=figure.status.value,
        note=notes.get(figure.indicator.pk, ""),
        indicator_id=figure.indicator.pk,
        **_item_fields(figure.item),
    )


def _parent_row(parent: PlanItem, totals: ParentTotals | None, unit: str) -> ReportRow:
    """A parent item's row: the sums of its sub-items in its own unit, else a heading.

    The parent is the selector's `item.parent`, loaded without its unit or services: the unit
    is read from a sub-item of the same unit, and the services are printed on the sub-items.
    """
    if totals is None:
        return ReportRow(kind=HEADING, number=parent.number, activity=parent.title)
    return ReportRow(
        kind=FIGURES,
        number=parent.number,
        activity=parent.title,
        unit=unit,
        annual_target=totals.annual_target,
        quarter_target=totals.quarter_target,
        done_in_quarter=totals.done_in_quarter,
        done_to_date=totals.done_to_date,
        percent=totals.percent,
        status=totals.status.value,
    )
