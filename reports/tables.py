"""The report's table, built once from the figures selector and shared by HTML, PDF, XLSX and the command.

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

from plans.cyrillic import fresh_corrections, reads_cyrillic, shown
from plans.figures import Figures, ParentTotals, indicator_figures, parent_totals
from plans.models import Plan, PlanItem
from plans.pacing import Status

from .rules import roman

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
FORMAT = 2
ROW_KEYS = (
    "kind", "number", "activity", "level", "unit", "annual_target", "quarter_target",
    "done_in_quarter", "done_to_date", "percent", "status", "services", "all_services", "note",
    "indicator_id",
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


@dataclass(frozen=True)
class ReportTable:
    """What a report prints: whose it is, for when, and its rows in the plan's order."""

    centre: str
    director: str
    year: int
    quarter: int
    rows: list[ReportRow]

    @property
    def quarter_roman(self) -> str:
        return roman(self.quarter)

    @property
    def title(self) -> str:
        """The document's title in the active language; the centre's name as stored."""
        return _(
            "Report on the execution of the %(year)s work plan of %(centre)s for quarter %(quarter)s"
        ) % {"centre": self.centre, "year": self.year, "quarter": self.quarter_roman}

    @property
    def short_title(self) -> str:
        """The title without the centre's name: under the name on the PDF's first page, then atop the rest."""
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


# The reader of each older format: it returns the data in the next format.
UPGRADES: dict[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {1: _upgrade_v1}


def build_table(plan: Plan, quarter: int, *, notes: Mapping[int, str] | None = None) -> ReportTable:
    """The report on `quarter` of `plan` from the live figures at the quarter's last month.

    Four queries (the selector's); `plan.organization` should come with the plan. `notes` are
    the report's notes by indicator id.
    """
    notes = notes or {}
    figures = indicator_figures(plan, 3 * quarter)
    parents = parent_totals(figures)
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
                rows.append(_parent_row(item.parent, parents.get(item.parent_id), unit))
        if len(members) == 1 and not members[0].indicator.label:
            rows.append(_figures_row(members[0], item.number, item.title, level, notes))
            continue
        rows.append(
            ReportRow(
                kind=HEADING, number=item.number, activity=item.title, level=level, **_item_fields(item)
            )
        )
        for figure in members:
            rows.append(_figures_row(figure, "", figure.indicator.label, level + 1, notes))
    organization = plan.organization
    return ReportTable(
        centre=organization.name,
        director=organization.director_name,
        year=plan.year,
        quarter=quarter,
        rows=rows,
    )


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
