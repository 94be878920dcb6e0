"""A whole plan as a file: JSON and XLSX export, and import into a centre.

A regional centre sends its plan template to its districts this way. The JSON format
("akm-plan/1") is documented in README; the XLSX holds the same fields, one row per indicator.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.sheet_reader import SheetRefused, check_file_size, read_xlsx
from common.sheet_writer import write_row
from services.models import Organization, Service

from .models import Deadline, Indicator, Plan, PlanItem, Section, Unit
from .plan_file import (
    FIRST_YEAR,
    FORMAT,
    LAST_YEAR,
    Locate,
    Path,
    PlanFile,
    PlanImportError,
    json_path,
    read_plan_data,
)
from .targets import derive_quarter_targets

XLSX_COLUMNS = [
    "section",
    "section_title",
    "number",
    "parent",
    "title",
    "unit",
    "steps",
    "deadline",
    "services",
    "all_services",
    "note",
    "indicator",
    "annual_target",
]


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    items = (
        PlanItem.objects.filter(plan=plan)
        .select_related("unit", "deadline", "parent")
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("order", "name")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order")),
        )
        .order_by("order")
    )
    items_by_section: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        items_by_section.setdefault(item.section_id, []).append(
            {
                "number": item.number,
                "parent": item.parent.number if item.parent else None,
                "title": item.title,
                "unit": item.unit.name,
                "steps": item.steps,
                "deadline": item.deadline.text,
                "services": [service.name for service in item.services.all()],
                "all_services": item.all_services,
                "note": item.note,
                "indicators": [
                    {"label": indicator.label, "annual_target": indicator.annual_target}
                    for indicator in item.indicators.all()
                ],
            }
        )
    return {
        "format": FORMAT,
        "year": plan.year,
        "centre": plan.organization.name,
        "services": list(plan.organization.services.order_by("order", "name").values_list("name", flat=True)),
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "items": items_by_section.get(section.pk, []),
            }
            for section in plan.sections.order_by("order")
        ],
    }


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"


def plan_to_xlsx(plan: Plan) -> bytes:
    data = plan_to_dict(plan)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(data["year"])
    rows: list[list[Any]] = [
        [
            "format",
            FORMAT,
            "year",
            data["year"],
            "centre",
            data["centre"],
            "services",
            "\n".join(data["services"]),
        ],
        XLSX_COLUMNS,
    ]
    for section in data["sections"]:
        for item in section["items"]:
            indicators = item["indicators"] or [None]
            for indicator in indicators:
                rows.append(
                    [
                        section["number"],
                        section["title"],
                        item["number"],
                        item["parent"],
                        item["title"],
                        item["unit"],
                        item["steps"],
                        item["deadline"],
                        "\n".join(item["services"]),
                        "1" if item["all_services"] else "0",
                        item["note"],
                        None if indicator is None else indicator["label"],
                        None if indicator is None else indicator["annual_target"],
                    ]
                )
    for number, values in enumerate(rows, start=1):
        write_row(sheet, number, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Where a key of the JSON form sits in the XLSX: the column's name.
_ITEM_COLUMNS = {"label": "indicator", **{name: name for name in XLSX_COLUMNS}}
_SECTION_COLUMNS = {"number": "section", "title": "section_title"}


def xlsx_to_dict(content: bytes) -> tuple[dict[str, Any], Locate]:
    """Read an exported XLSX back into the JSON form, so both go through one importer; with it,
    how to name the row and column of a place in that form."""
    try:
        rows = read_xlsx(content)
    except SheetRefused as error:
        raise PlanImportError(str(error)) from error
    meta = rows[0] if rows else []
    if len(meta) < 6 or meta[0] != "format" or meta[2] != "year":
        raise PlanImportError(_("The first row must name the format, the year and the centre."))
    header = [cell for cell in (rows[1] if len(rows) > 1 else []) if cell is not None]
    if header != XLSX_COLUMNS:
        raise PlanImportError(
            _("The second row must hold the columns: %(columns)s.") % {"columns": ", ".join(XLSX_COLUMNS)}
        )
    sections: list[dict[str, Any]] = []
    item: dict[str, Any] | None = None
    # The sheet's row of each section, item and indicator, by their place in the JSON form.
    places: dict[Path, int] = {}
    for row_number, values in enumerate(rows[2:], start=3):
        row = dict(zip(XLSX_COLUMNS, values, strict=False))
        if not any(value not in (None, "") for value in row.values()):
            continue
        section_number = _cell_text(row.get("section"))
        if not sections or sections[-1]["number"] != section_number:
            title = _cell_text(row.get("section_title"))
            sections.append({"number": section_number, "title": title, "items": []})
            places[("sections", len(sections) - 1)] = row_number
            item = None
        number = _cell_text(row.get("number"))
        # Consecutive rows of one number are one item's indicators; a number met again later is
        # another item with the same number, which the importer refuses.
        if item is None or item["number"] != number:
            parent = _cell_text(row.get("parent"))
            item = {
                "number": number,
                "parent": parent or None,
                "title": _cell_text(row.get("title")),
                "unit": _cell_text(row.get("unit")),
                "steps": _cell_text(row.get("steps")),
                "deadline": _cell_text(row.get("deadline")),
                "services": [name for name in _cell_text(row.get("services")).split("\n") if name],
                "all_services": _flag(row.get("all_services")),
                "note": _cell_text(row.get("note")),
                "indicators": [],
            }
            sections[-1]["items"].append(item)
            places[("sections", len(sections) - 1, "items", len(sections[-1]["items"]) - 1)] = row_number
        if row.get("indicator") is not None or row.get("annual_target") is not None:
            item["indicators"].append(
                {"label": _cell_text(row.get("indicator")), "annual_target": _whole(row.get("annual_target"))}
            )
            item_path = ("sections", len(sections) - 1, "items", len(sections[-1]["items"]) - 1)
            places[(*item_path, "indicators", len(item["indicators"]) - 1)] = row_number
    services = _cell_text(meta[7]).split("\n") if len(meta) >= 8 else []
    data = {
        "format": meta[1],
        "year": _whole(meta[3]),
        "centre": meta[5],
        "services": [name for name in services if name],
        "sections": sections,
    }
    return data, partial(_sheet_place, places)


def _sheet_place(places: dict[Path, int], path: Path) -> str:
    """The row (and column) of a place in the JSON form read from a sheet."""
    for length in range(len(path), 0, -1):
        row = places.get(path[:length])
        if row is None:
            continue
        key = next((part for part in path[length:] if isinstance(part, str)), None)
        columns = _SECTION_COLUMNS if length == 2 else _ITEM_COLUMNS
        if key in columns:
            return _("row %(row)s, column “%(column)s”") % {"row": row, "column": columns[key]}
        return _("row %(row)s") % {"row": row}
    return _("row 1")


def _cell_text(value: Any) -> str:
    """A cell as text; a number typed in a text column (an item number 15) reads as "15"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _flag(value: Any) -> Any:
    """The all_services column: 1 or 0 as we write it, or Excel's TRUE/FALSE; anything else is
    left for the checker to refuse."""
    if value in (None, "", "0", 0, False):
        return False
    if value in ("1", 1, True):
        return True
    return value


def _whole(value: Any) -> Any:
    """A number typed as 20.0 or "20" reads as 20; anything else is left for the checker."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return value


def read_plan_file(content: bytes, filename: str) -> Any:
    """The file in the JSON form (see plan_file); for an XLSX use read_plan_upload."""
    return read_plan_upload(content, filename)[0]


def read_plan_upload(content: bytes, filename: str) -> tuple[Any, Locate]:
    """The file in the JSON form, and how to name a place of that form in the file."""
    try:
        check_file_size(content)
    except SheetRefused as error:
        raise PlanImportError(str(error)) from error
    if filename.lower().endswith(".xlsx"):
        return xlsx_to_dict(content)
    try:
        return json.loads(content.decode("utf-8")), json_path
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlanImportError(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
    except (ValueError, RecursionError) as error:  # a number of thousands of digits, nesting without end
        raise PlanImportError(_("The file is not valid JSON.")) from error


def import_plan(
    data: Any, *, organization: Organization, year: int | None = None, locate: Locate = json_path
) -> Plan:
    """Create the plan the data describes for `organization`; all of it or, on any error, nothing.

    The whole file is checked first (plans.plan_file); only then is anything written.
    `year` overrides the file's year (a template reused for another year).
    """
    return write_plan(read_plan_data(data, locate=locate), organization=organization, year=year)


@transaction.atomic
def write_plan(plan_file: PlanFile, *, organization: Organization, year: int | None = None) -> Plan:
    """Create the checked plan for `organization`.

    Services are matched by name within the centre and created when missing; units by name.
    """
    year = year or plan_file.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PlanImportError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if Plan.objects.own().filter(organization=organization, year=year).exists():
        raise PlanImportError(
            _("%(centre)s already has a plan for %(year)s.") % {"centre": organization, "year": year}
        )
    plan = Plan.objects.create(organization=organization, year=year)
    services = {service.name: service for service in organization.services.all()}
    # The centre's services first, in the file's order, so that the order survives a round trip.
    _services(plan_file.services, services, organization)
    units: dict[str, Unit] = {}
    deadlines: dict[str, Deadline] = {}
    items: dict[str, PlanItem] = {}
    indicators: list[Indicator] = []
    item_order = 0
    for section_order, section_data in enumerate(plan_file.sections, start=1):
        section = Section.objects.create(
            plan=plan, number=section_data.number, title=section_data.title, order=section_order
        )
        for item_data in section_data.items:
            item_order += 1
            if item_data.deadline not in deadlines:
                window = item_data.window
                deadlines[item_data.deadline] = Deadline.objects.create(
                    plan=plan,
                    text=item_data.deadline,
                    kind=window.kind,
                    first_month=window.first_month,
                    last_month=window.last_month,
                )
            if item_data.unit not in units:
                units[item_data.unit], _created = Unit.objects.get_or_create(name=item_data.unit)
            item = items[item_data.number] = PlanItem.objects.create(
                plan=plan,
                section=section,
                parent=items[item_data.parent] if item_data.parent is not None else None,
                number=item_data.number,
                title=item_data.title,
                unit=units[item_data.unit],
                steps=item_data.steps,
                deadline=deadlines[item_data.deadline],
                all_services=item_data.all_services,
                order=item_order,
                note=item_data.note,
            )
            item.services.set(_services(item_data.services, services, organization))
            indicators.extend(
                Indicator(item=item, label=figure.label, annual_target=figure.annual_target, order=order)
                for order, figure in enumerate(item_data.indicators, start=1)
            )
    Indicator.objects.bulk_create(indicators)
    derive_quarter_targets(indicators)
    return plan


def _services(names: Iterable[str], known: dict[str, Service], organization: Organization) -> list[Service]:
    result = []
    for name in names:
        if name not in known:
            known[name] = Service.objects.create(organization=organization, name=name, order=len(known) + 1)
        result.append(known[name])
    return result
