"""What a plan file ("akm-plan/1") must hold, checked whole before anything is written.

`read_plan_data` takes the file as JSON gives it (or as plans.exchange reads an XLSX into the
same form) and returns a PlanFile of plain, checked, cleaned values, or raises PlanImportError
naming the place of the first problem (`sections[2].items[4].services`, or the sheet's row and
column) in the user's language. No ORM here: the rules are about the file alone; whether the
centre already has a plan for the year is asked by the writer.

The checks: every key of the format, each of its type (a list of service names, not a text; a
true/false, not "false"); no unknown keys (a misspelt key would be ignored without a word);
text as long as the model's field holds (text fields of no length: TEXT_LIMIT, which fits an
XLSX cell), cleaned by common.text.clean_text, a NUL refused; years and targets in range;
item numbers unique; a parent named before its sub-items and not itself a sub-item; a
parent without figures of its own; indicator labels unique within their item; deadlines the
deadline reader understands; the services of an item among the centre's listed at the top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from common.text import NUL, NUL_MESSAGE, clean_text
from services.models import Organization, Service

from .deadlines import DeadlineError, Window, parse_deadline
from .models import Deadline, Indicator, PlanItem, Section, Unit

FORMAT = "akm-plan/1"
# The longest title, steps or note a plan file may hold (the model's text fields have no limit;
# this keeps every one of them within an XLSX cell and a printed page).
TEXT_LIMIT = 10_000
# PositiveIntegerField's upper end on every database.
TARGET_LIMIT = 2_147_483_647
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the plan_year_in_range constraint

Path = tuple[str | int, ...]
Locate = Callable[[Path], str]


class PlanImportError(ValueError):
    """The file cannot become a plan; the message says where and why, in the user's language."""


@dataclass(frozen=True)
class PlanFileIndicator:
    label: str
    annual_target: int | None


@dataclass(frozen=True)
class PlanFileItem:
    number: str
    parent: str | None
    title: str
    unit: str
    steps: str
    deadline: str
    window: Window
    services: tuple[str, ...]
    all_services: bool
    note: str
    indicators: tuple[PlanFileIndicator, ...]


@dataclass(frozen=True)
class PlanFileSection:
    number: str
    title: str
    items: tuple[PlanFileItem, ...]


@dataclass(frozen=True)
class PlanFile:
    year: int
    centre: str
    services: tuple[str, ...]
    sections: tuple[PlanFileSection, ...]


def json_path(path: Path) -> str:
    """("sections", 2, "items", 4, "services") → "sections[2].items[4].services"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or _("the file")


def read_plan_data(data: Any, *, locate: Locate = json_path) -> PlanFile:
    """The checked plan, or PlanImportError naming where the file is wrong."""
    return _Reader(locate).plan(data)


def check_centre_name(name: Any, *, where: str) -> str:
    """A centre's name fit to create the centre with, or PlanImportError."""
    return _Reader(lambda path: where).text(name, (), limit=_limit(Organization, "name"))


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length or TEXT_LIMIT


class _Reader:
    def __init__(self, locate: Locate) -> None:
        self.locate = locate

    def fail(self, path: Path, problem: str) -> PlanImportError:
        return PlanImportError(_("%(where)s: %(problem)s") % {"where": self.locate(path), "problem": problem})

    # --- The format's parts -------------------------------------------------------------------

    def plan(self, data: Any) -> PlanFile:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise PlanImportError(_("This is not a plan file (format %(format)s).") % {"format": FORMAT})
        data = self.keys(data, (), required=("format", "year", "centre", "sections"), optional=("services",))
        year = self.whole(data["year"], ("year",), low=FIRST_YEAR, high=LAST_YEAR)
        centre = self.text(data["centre"], ("centre",), limit=_limit(Organization, "name"))
        services = self.services(data.get("services", []), ("services",), known=None)
        sections = self.sequence(data["sections"], ("sections",))
        if not sections:
            raise self.fail(("sections",), _("the plan has no sections."))
        checked = tuple(
            self.section(section, ("sections", index), set(services))
            for index, section in enumerate(sections)
        )
        self.check_items(checked)
        return PlanFile(year=year, centre=centre, services=services, sections=checked)

    def section(self, data: Any, path: Path, services: set[str]) -> PlanFileSection:
        data = self.keys(data, path, required=("number", "title", "items"))
        return PlanFileSection(
            number=self.text(data["number"], (*path, "number"), limit=_limit(Section, "number")),
            title=self.text(data["title"], (*path, "title"), limit=_limit(Section, "title")),
            items=tuple(
                self.item(item, (*path, "items", index), services)
                for index, item in enumerate(self.sequence(data["items"], (*path, "items")))
            ),
        )

    def item(self, data: Any, path: Path, services: set[str]) -> PlanFileItem:
        data = self.keys(
            data,
            path,
            required=("number", "title", "unit", "deadline", "indicators"),
            optional=("parent", "steps", "services", "all_services", "note"),
        )
        number_limit = _limit(PlanItem, "number")
        parent = data.get("parent")
        if parent is not None:
            parent = self.text(parent, (*path, "parent"), limit=number_limit)
        deadline = self.text(data["deadline"], (*path, "deadline"), limit=_limit(Deadline, "text"))
        try:
            window = parse_deadline(deadline)
        except DeadlineError:
            raise self.fail(
                (*path, "deadline"), _("the deadline “%(text)s” cannot be read.") % {"text": deadline}
            ) from None
        all_services = data.get("all_services", False)
        if not isinstance(all_services, bool):
            raise self.wrong_type(all_services, (*path, "all_services"), _("true or false"))
        return PlanFileItem(
            number=self.text(data["number"], (*path, "number"), limit=number_limit),
            parent=parent,
            title=self.text(data["title"], (*path, "title"), limit=TEXT_LIMIT),
            unit=self.text(data["unit"], (*path, "unit"), limit=_limit(Unit, "name")),
            steps=self.text(data.get("steps", ""), (*path, "steps"), limit=TEXT_LIMIT, required=False),
            deadline=deadline,
            window=window,
            services=self.services(data.get("services", []), (*path, "services"), known=services),
            all_services=all_services,
            note=self.text(data.get("note", ""), (*path, "note"), limit=TEXT_LIMIT, required=False),
            indicators=self.indicators(data["indicators"], (*path, "indicators")),
        )

    def indicators(self, data: Any, path: Path) -> tuple[PlanFileIndicator, ...]:
        result = []
        labels: set[str] = set()
        for index, indicator in enumerate(self.sequence(data, path)):
            here = (*path, index)
            indicator = self.keys(indicator, here, required=("annual_target",), optional=("label",))
            label = self.text(
                indicator.get("label", ""), (*here, "label"), limit=_limit(Indicator, "label"), required=False
            )
            if label in labels:
                raise self.fail(here, _("two indicators are labelled “%(label)s”.") % {"label": label})
            labels.add(label)
            target = indicator["annual_target"]
            if target is not None:
                target = self.whole(target, (*here, "annual_target"), low=0, high=TARGET_LIMIT)
            result.append(PlanFileIndicator(label=label, annual_target=target))
        return tuple(result)

    def services(self, data: Any, path: Path, *, known: set[str] | None) -> tuple[str, ...]:
        names: list[str] = []
        for index, name in enumerate(self.sequence(data, path)):
            name = self.text(name, (*path, index), limit=_limit(Service, "name"))
            if known is not None and name not in known:
                raise self.fail(
                    (*path, index),
                    _("“%(name)s” is not one of the centre's services listed at the top of the file.")
                    % {"name": name},
                )
            if name in names:
                if known is None:
                    raise self.fail((*path, index), _("“%(name)s” is listed twice.") % {"name": name})
                continue
            names.append(name)
        return tuple(names)

    def check_items(self, sections: tuple[PlanFileSection, ...]) -> None:
        """Rules across items: unique numbers, parents before their sub-items, figures on leaves."""
        seen: dict[str, PlanFileItem] = {}
        for section_index, section in enumerate(sections):
            for item_index, item in enumerate(section.items):
                path = ("sections", section_index, "items", item_index)
                if item.number in seen:
                    raise self.fail(
                        (*path, "number"), _("item %(number)s appears twice.") % {"number": item.number}
                    )
                if item.parent is not None:
                    parent = seen.get(item.parent)
                    if parent is None:
                        raise self.fail(
                            (*path, "parent"),
                            _("item %(number)s names parent %(parent)s, which does not come before it.")
                            % {"number": item.number, "parent": item.parent},
                        )
                    if parent.parent is not None:
                        raise self.fail(
                            (*path, "parent"),
                            _("item %(parent)s is itself a sub-item and cannot have sub-items.")
                            % {"parent": item.parent},
                        )
                    if parent.indicators:
                        raise self.fail(
                            (*path, "parent"),
                            _("item %(parent)s has sub-items and so cannot have figures of its own.")
                            % {"parent": item.parent},
                        )
                seen[item.number] = item

    # --- Values -------------------------------------------------------------------------------

    def keys(
        self, data: Any, path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.wrong_type(data, path, _("an object with keys"))
        for key in data:
            if key not in required and key not in optional:
                raise self.fail(
                    path,
                    _("unknown key “%(key)s”; the keys are: %(keys)s.")
                    % {"key": key, "keys": ", ".join((*required, *optional))},
                )
        for key in required:
            if key not in data:
                raise self.fail((*path, key), _("missing."))
        return data

    def sequence(self, data: Any, path: Path) -> list[Any]:
        if not isinstance(data, list):
            raise self.wrong_type(data, path, _("a list"))
        return data

    def text(self, data: Any, path: Path, *, limit: int, required: bool = True) -> str:
        if not isinstance(data, str):
            raise self.wrong_type(data, path, _("text"))
        if NUL in data:
            raise self.fail(path, str(NUL_MESSAGE))
        text = clean_text(data)
        if required and not text.strip():
            raise self.fail(path, _("empty."))
        if len(text) > limit:
            raise self.fail(
                path,
                _("%(length)s characters long; at most %(limit)s are allowed.")
                % {"length": len(text), "limit": limit},
            )
        return text

    def whole(self, data: Any, path: Path, *, low: int, high: int) -> int:
        if isinstance(data, bool) or not isinstance(data, int) or not low <= data <= high:
            raise self.fail(
                path,
                _("a whole number from %(low)s to %(high)s was expected, not “%(value)s”.")
                % {"low": low, "high": high, "value": _shown(data)},
            )
        return data

    def wrong_type(self, data: Any, path: Path, expected: str) -> PlanImportError:
        return self.fail(
            path,
            _("%(expected)s was expected, not %(found)s.") % {"expected": expected, "found": _kind(data)},
        )


def _kind(value: Any) -> str:
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__  # pragma: no cover (JSON has no other kinds)


def _shown(value: Any) -> str:
    """A value as the message shows it: short, whatever it holds."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
