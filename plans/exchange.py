"""A whole plan as a file: JSON and XLSX export, and import into a centre.

A regional centre sends its plan template to its districts this way. The JSON format
("akm-plan/1") is documented in README; the XLSX holds the same fields, one row per indicator.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from services.models import Organization, Service

from .deadlines import DeadlineError, parse_deadline
from .models import Deadline, Indicator, Plan, PlanItem, Section, Unit
from .targets import derive_quarter_targets

FORMAT = "akm-plan/1"

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


class PlanImportError(ValueError):
    """The file cannot become a plan; the message says where and why, in the user's language."""


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
    sheet.append(
        [
            "format",
            FORMAT,
            "year",
            data["year"],
            "centre",
            data["centre"],
            "services",
            "\n".join(data["services"]),
        ]
    )
    sheet.append(XLSX_COLUMNS)
    for section in data["sections"]:
        for item in section["items"]:
            indicators = item["indicators"] or [None]
            for indicator in indicators:
                sheet.append(
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_to_dict(content: bytes) -> dict[str, Any]:
    """Read an exported XLSX back into the JSON form, so both go through one importer."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise PlanImportError(_("The file is not a readable XLSX workbook.")) from error
    rows = sheet.iter_rows(values_only=True)
    meta = next(rows, None) or ()
    if len(meta) < 6 or meta[0] != "format" or meta[2] != "year":
        raise PlanImportError(_("The first row must name the format, the year and the centre."))
    header = [cell for cell in next(rows, ()) if cell is not None]
    if header != XLSX_COLUMNS:
        raise PlanImportError(
            _("The second row must hold the columns: %(columns)s.") % {"columns": ", ".join(XLSX_COLUMNS)}
        )
    sections: list[dict[str, Any]] = []
    items: dict[str, dict[str, Any]] = {}
    for values in rows:
        row = dict(zip(XLSX_COLUMNS, values, strict=False))
        if not any(value not in (None, "") for value in row.values()):
            continue
        if not sections or sections[-1]["number"] != str(row["section"]):
            sections.append({"number": str(row["section"]), "title": row["section_title"] or "", "items": []})
        number = str(row["number"])
        item = items.get(number)
        if item is None:
            item = items[number] = {
                "number": number,
                "parent": str(row["parent"]) if row["parent"] not in (None, "") else None,
                "title": row["title"] or "",
                "unit": row["unit"] or "",
                "steps": row["steps"] or "",
                "deadline": row["deadline"] or "",
                "services": [name for name in str(row["services"] or "").split("\n") if name],
                "all_services": str(row["all_services"]) == "1",
                "note": row["note"] or "",
                "indicators": [],
            }
            sections[-1]["items"].append(item)
        if row["indicator"] is not None or row["annual_target"] is not None:
            item["indicators"].append(
                {"label": row["indicator"] or "", "annual_target": row["annual_target"]}
            )
    services = str(meta[7] or "").split("\n") if len(meta) >= 8 else []
    return {
        "format": meta[1],
        "year": meta[3],
        "centre": meta[5],
        "services": [name for name in services if name],
        "sections": sections,
    }


def read_plan_file(content: bytes, filename: str) -> dict[str, Any]:
    if filename.lower().endswith(".xlsx"):
        return xlsx_to_dict(content)
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlanImportError(_("The file is not valid JSON: %(error)s") % {"error": error}) from error


@transaction.atomic
def import_plan(data: dict[str, Any], *, organization: Organization, year: int | None = None) -> Plan:
    """Create the plan the data describes for `organization`; all of it or, on any error, nothing.

    Services are matched by name within the centre and created when missing; units by name.
    `year` overrides the file's year (a template reused for another year).
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanImportError(_("This is not a plan file (format %(format)s).") % {"format": FORMAT})
    year = year or data.get("year")
    if not isinstance(year, int):
        raise PlanImportError(_("The plan file has no year."))
    if Plan.objects.own().filter(organization=organization, year=year).exists():
        raise PlanImportError(
            _("%(centre)s already has a plan for %(year)s.") % {"centre": organization, "year": year}
        )
    plan = Plan.objects.create(organization=organization, year=year)
    services = {service.name: service for service in organization.services.all()}
    # The centre's services first, in the file's order, so that the order survives a round trip.
    _services(data.get("services") or [], services, organization)
    units: dict[str, Unit] = {}
    deadlines: dict[str, Deadline] = {}
    items: dict[str, PlanItem] = {}
    indicators: list[Indicator] = []
    item_order = 0
    for section_order, section_data in enumerate(_as_list(data.get("sections"), _("sections")), start=1):
        section = Section.objects.create(
            plan=plan,
            number=_text(section_data, "number", _("section")),
            title=_text(section_data, "title", _("section")),
            order=section_order,
        )
        for item_data in _as_list(section_data.get("items"), _("items")):
            item_order += 1
            number = _text(item_data, "number", _("item"))
            where = _("item %(number)s") % {"number": number}
            if number in items:
                raise PlanImportError(_("Item %(number)s appears twice.") % {"number": number})
            parent_number = item_data.get("parent")
            if parent_number is not None and parent_number not in items:
                raise PlanImportError(
                    _("Item %(number)s names parent %(parent)s, which does not come before it.")
                    % {"number": number, "parent": parent_number}
                )
            deadline_text = _text(item_data, "deadline", where)
            if deadline_text not in deadlines:
                try:
                    window = parse_deadline(deadline_text)
                except DeadlineError:
                    raise PlanImportError(
                        _("Item %(number)s: the deadline “%(text)s” cannot be read.")
                        % {"number": number, "text": deadline_text}
                    ) from None
                deadlines[deadline_text] = Deadline.objects.create(
                    plan=plan,
                    text=deadline_text,
                    kind=window.kind,
                    first_month=window.first_month,
                    last_month=window.last_month,
                )
            unit_name = _text(item_data, "unit", where)
            if unit_name not in units:
                units[unit_name], _created = Unit.objects.get_or_create(name=unit_name)
            item = items[number] = PlanItem.objects.create(
                plan=plan,
                section=section,
                parent=items[parent_number] if parent_number is not None else None,
                number=number,
                title=_text(item_data, "title", where),
                unit=units[unit_name],
                steps=item_data.get("steps") or "",
                deadline=deadlines[deadline_text],
                all_services=bool(item_data.get("all_services")),
                order=item_order,
                note=item_data.get("note") or "",
            )
            item.services.set(_services(item_data.get("services") or [], services, organization))
            labels = set()
            for indicator_order, indicator_data in enumerate(
                _as_list(item_data.get("indicators"), where), start=1
            ):
                indicator = _indicator(item, indicator_data, indicator_order, where)
                if indicator.label in labels:
                    raise PlanImportError(
                        _("%(where)s: two indicators are labelled “%(label)s”.")
                        % {"where": where, "label": indicator.label}
                    )
                labels.add(indicator.label)
                indicators.append(indicator)
    parents = {item.parent.number for item in items.values() if item.parent}
    parents_with_figures = {indicator.item.number for indicator in indicators} & parents
    if parents_with_figures:
        raise PlanImportError(
            _("Items %(numbers)s have sub-items and so cannot have figures of their own.")
            % {"numbers": ", ".join(sorted(parents_with_figures))}
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


def _indicator(item: PlanItem, data: Any, order: int, where: str) -> Indicator:
    if not isinstance(data, dict):
        raise PlanImportError(_("%(where)s: an indicator must be an object.") % {"where": where})
    target = data.get("annual_target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, int) or target < 0):
        raise PlanImportError(
            _("%(where)s: the annual target must be a whole number of 0 or more, or empty; not “%(value)s”.")
            % {"where": where, "value": target}
        )
    return Indicator(item=item, label=data.get("label") or "", annual_target=target, order=order)


def _as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PlanImportError(_("%(where)s: a list was expected.") % {"where": where})
    return value


def _text(data: Any, key: str, where: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise PlanImportError(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
    return value
