"""A plan read from a Word (.docx) table laid out as centres print their plans (the seed's layout).

`read_word_plan` reads the table into WordRows, each with the problems found in it, and into
the plan file's JSON form (plans.plan_file), so that a Word plan is created by the same code as
`import_plan` (plans.exchange.write_plan after plans.plan_file.read_plan_data). No ORM here:
the centre's service names are passed in.

How the table is read, as the seed prints it:
- the header row(s) name the columns; their words vary ("T/r" or "№", "Ishlar nomi" or "Amalga
  oshiriladigan ishlar nomi", …), so columns are recognised by keywords (HEADER_WORDS) or
  mapped by the person (`roles`); a row "1 2 3 …" numbering the columns is skipped;
- a row of one text across the table (merged) or a Roman numeral in the number column is a
  section ("I. Ilmiy-metodik faoliyat");
- a number (1, 12.1) starts an item; 12.1 is a sub-item of 12 when 12 came before (18.1
  without an 18 is an item of its own, reported);
- a row without a number but with a figure is an indicator of the item above (12.4's
  "Jismoniy shaxslar"), labelled by its activity cell; a row without a number or figure
  continues the row above (a row cut in two at a page break);
- the first figure column is the annual target; `-` means no target; the second ("Bajarildi")
  is ignored; a parent's figure ("jami 1170") or an item's figure above its indicators is a
  check of their sum, reported when it differs;
- steps and services are the lines (paragraphs) of their cells; "barcha xizmatlar" means every
  service.

A file that cannot be read at all (not a .docx, too large, a zip bomb, no table, a table of
other columns) raises WordPlanRefused (a PlanImportError) and nothing is read.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.sheet_reader import LIMITS, SheetRefused, check_file_size
from common.text import NUL, NUL_MESSAGE, clean_text

from .deadlines import DeadlineError, parse_deadline
from .pacing import DeadlineKind
from .plan_file import FORMAT, Path, PlanImportError

# The columns a plan table has; "" is a column that is not read.
NUMBER, TITLE, UNIT, TARGET, DONE, STEPS, DEADLINE, SERVICES = (
    "number",
    "title",
    "unit",
    "target",
    "done",
    "steps",
    "deadline",
    "services",
)
ROLES = (NUMBER, TITLE, UNIT, TARGET, DONE, STEPS, DEADLINE, SERVICES)
ROLE_LABELS = {
    NUMBER: gettext_lazy("Number (№)"),
    TITLE: gettext_lazy("Activity"),
    UNIT: gettext_lazy("Unit"),
    TARGET: gettext_lazy("Annual target (reja)"),
    DONE: gettext_lazy("Done (bajarildi), not read"),
    STEPS: gettext_lazy("Steps"),
    DEADLINE: gettext_lazy("Deadline"),
    SERVICES: gettext_lazy("Responsible services"),
    "": gettext_lazy("Not read"),
}
REQUIRED_ROLES = (NUMBER, TITLE, UNIT, TARGET, DEADLINE)

# Header words of each column, in the order they are tried (normalised: lower case, one
# apostrophe). "Amalga oshiriladigan ishlar nomi" is the activity, "Amalga oshirish mexanizmi"
# the steps: "nomi" is tried first.
HEADER_WORDS = (
    (NUMBER, ("№", "t/r", "n", "#", "tr", "no", "п/п", "т/р")),
    (DONE, ("bajaril", "amalda", "выполн")),
    (TITLE, ("nomi", "ishlar", "tadbirlar", "faoliyat", "наименование", "мероприят")),
    (UNIT, ("o'lchov", "birlig", "единиц")),
    (TARGET, ("reja", "miqdor", "soni", "ko'rsatkich", "план", "количество")),
    (STEPS, ("mexanizm", "bosqich", "tartibi", "механизм")),
    (DEADLINE, ("muddat", "срок")),
    (SERVICES, ("mas'ul", "ijrochi", "xizmat", "ответствен")),
)

ALL_SERVICES_WORDS = ("barcha xizmatlar", "boshqa xizmatlar", "barcha bo'limlar")
DASHES = {"-", "–", "—", "--", "―"}
ROMAN = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))(?:[.)]\s*(.*)|\s+(.*)|)$")
ITEM_NUMBER = re.compile(r"^(\d{1,4}(?:\.\d{1,4})*)\.?$")
TOTAL = re.compile(r"^(?:jami|жами|итого|всего|total)\s*[:\-–]?\s*(\d[\d\s]*)$", re.IGNORECASE)
WHOLE = re.compile(r"^\d[\d\s]*$")
TITLE_LINE = re.compile(
    r"^(?P<centre>.+?markaz)(?:ining|i)\s+(?P<year>\d{4})\s*-\s*yil\s+uchun\s+ish\s+rejasi", re.IGNORECASE
)
# Apostrophes people type for o‘, g‘ and the tutuq belgisi: all one letter when names are compared.
APOSTROPHES = str.maketrans({"‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "`": "'", "´": "'"})
MAX_ROWS = 5_000


class WordPlanRefused(PlanImportError):
    """The file cannot be read as a plan table; the message says why."""


class ColumnsUnknown(WordPlanRefused):
    """The table's header is not one of the known layouts: the columns must be mapped by hand.

    `header` holds each column's header text (or its first row's), `roles` the roles guessed."""

    def __init__(self, message: str, *, header: list[str], roles: list[str]) -> None:
        super().__init__(message)
        self.header = header
        self.roles = roles


@dataclass
class Problem:
    text: str
    blocking: bool = True


@dataclass
class ServiceName:
    printed: str
    name: str  # the centre's service it is read as ("" when none)
    suggestions: tuple[str, ...] = ()


@dataclass
class WordRow:
    """One row of the table as read, with its problems."""

    row: int  # the row's number in the table, the header included, from 1
    kind: str  # "section", "item" or "indicator"
    number: str = ""
    parent: str | None = None
    title: str = ""
    unit: str = ""
    figure: str = ""  # the target column as printed
    target: int | None = None
    check: int | None = None  # a "jami N" (or an item's figure over its indicators)
    steps: str = ""
    deadline: str = ""
    deadline_reading: str = ""
    services: list[ServiceName] = field(default_factory=list)
    all_services: bool = False
    problems: list[Problem] = field(default_factory=list)
    # Filled while reading.
    indicators: list[WordRow] = field(default_factory=list)
    children: list[WordRow] = field(default_factory=list)
    figure_kind: str = ""  # empty, none, total, number or text

    def problem(self, text: str, *, blocking: bool = True) -> None:
        self.problems.append(Problem(text, blocking))


@dataclass
class WordPlan:
    header: list[str]
    roles: list[str]
    rows: list[WordRow]
    year: int | None  # from the title above the table ("… 2025-yil uchun ish rejasi"), if any
    centre: str  # from that title, if any

    @property
    def blocking(self) -> list[tuple[WordRow, Problem]]:
        return [(row, problem) for row in self.rows for problem in row.problems if problem.blocking]

    @property
    def unknown_services(self) -> list[ServiceName]:
        """Each service name of the file not read as one of the centre's, once."""
        seen: dict[str, ServiceName] = {}
        for row in self.rows:
            for service in row.services:
                if not service.name:
                    seen.setdefault(service.printed, service)
        return list(seen.values())

    def problem_summary(self, limit: int = 20) -> str:
        lines = [
            _("row %(row)s: %(problem)s") % {"row": row.row, "problem": problem.text}
            for row, problem in self.blocking
        ]
        if len(lines) > limit:
            lines = [*lines[:limit], _("… and %(count)s more.") % {"count": len(lines) - limit}]
        return "\n".join(lines)

    def plan_data(self, *, year: int, centre: str) -> dict[str, Any]:
        """The plan in plan_file's JSON form (for read_plan_data); only when nothing blocks."""
        assert not self.blocking, "a plan with problems is not written"
        services: list[str] = []
        sections: list[dict[str, Any]] = []
        for row in self.rows:
            if row.kind == "section":
                sections.append({"number": row.number, "title": row.title, "items": []})
            elif row.kind == "item":
                names = [service.name for service in row.services]
                services.extend(name for name in names if name not in services)
                sections[-1]["items"].append(
                    {
                        "number": row.number,
                        "parent": row.parent,
                        "title": row.title,
                        "unit": row.unit,
                        "steps": row.steps,
                        "deadline": row.deadline,
                        "services": names,
                        "all_services": row.all_services,
                        "indicators": _indicators(row),
                    }
                )
        return {"format": FORMAT, "year": year, "centre": centre, "services": services, "sections": sections}

    def locate(self, path: Path) -> str:
        """The table's row of a place in the JSON form (plan_file names places so)."""
        rows = self._places()
        for length in range(len(path), 0, -1):
            if path[:length] in rows:
                return _("table row %(row)s") % {"row": rows[path[:length]]}
        return _("the table")

    def _places(self) -> dict[Path, int]:
        places: dict[Path, int] = {}
        section = item = -1
        for row in self.rows:
            if row.kind == "section":
                section, item = section + 1, -1
                places[("sections", section)] = row.row
            elif row.kind == "item":
                item += 1
                places[("sections", section, "items", item)] = row.row
                for index, indicator in enumerate(row.indicators):
                    places[("sections", section, "items", item, "indicators", index)] = indicator.row
        return places


def _indicators(row: WordRow) -> list[dict[str, Any]]:
    if row.children:
        return []
    if row.indicators:
        return [{"label": ind.title, "annual_target": ind.target} for ind in row.indicators]
    return [{"label": "", "annual_target": row.target}]


def normalise(text: str) -> str:
    """A name as compared: one apostrophe, lower case, single spaces."""
    return " ".join(text.translate(APOSTROPHES).lower().split())


# --- Reading the file ---------------------------------------------------------------------------


def read_word_plan(
    content: bytes,
    *,
    services: Sequence[str] | None,
    roles: Sequence[str] | None = None,
    service_map: dict[str, str] | None = None,
) -> WordPlan:
    """The plan table of a .docx, read row by row with its problems; WordPlanRefused when the
    file cannot be read (ColumnsUnknown when its columns must be mapped).

    `services`: the centre's service names (a name of the file not among them is a problem,
    with the closest names suggested); None when the file's services are to be created.
    `roles`: the role of each column, when the person mapped them. `service_map`: a printed
    service name → the centre's service it means, or "" to create it under the printed name.
    """
    document = _open(content)
    table = _plan_table(document, roles)
    grid = _grid(table)
    if roles is None:
        header_count = _header_rows(grid)
    else:
        header_count = _header_rows(grid, number_column=_index(roles, NUMBER), named=False)
    header = [
        " ".join(dict.fromkeys(text for row in grid[:header_count] if (text := row[col][0])))
        for col in range(len(grid[0]))
    ]
    if roles is None:
        guessed = guess_roles(header)
        missing = [role for role in REQUIRED_ROLES if role not in guessed]
        if missing:
            samples = header if header_count else [text for text, _lines in grid[0]]
            raise ColumnsUnknown(
                _("The table's columns are not the plan's (no column for: %(missing)s). Map the columns.")
                % {"missing": ", ".join(str(ROLE_LABELS[role]) for role in missing)},
                header=samples,
                roles=guessed,
            )
        roles = guessed
    roles = list(roles)[: len(header)] + [""] * (len(header) - len(roles))
    missing = [role for role in REQUIRED_ROLES if role not in roles]
    if missing:
        raise WordPlanRefused(
            _("No column is marked as: %(missing)s.")
            % {"missing": ", ".join(str(ROLE_LABELS[role]) for role in missing)}
        )
    reader = _RowReader(roles, services, service_map or {})
    for index, cells in enumerate(grid[header_count:], start=header_count + 1):
        if _is_header_again(cells, grid[:header_count]) or _is_column_numbers(cells):
            continue
        reader.read(index, cells)
    rows = reader.finish()
    if not any(row.kind == "item" for row in rows):
        raise WordPlanRefused(_("The table has no numbered rows: no plan item was found."))
    year, centre = _title(document)
    return WordPlan(header=header, roles=roles, rows=rows, year=year, centre=centre)


def _open(content: bytes):
    """The python-docx Document, after the checks that keep a hostile file from costing much."""
    try:
        check_file_size(content)
    except SheetRefused as error:
        raise WordPlanRefused(str(error)) from error
    not_word = _("The file is not a Word document (.docx). In Word, save it as “Word Document (*.docx)”.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        names = {member.filename for member in members}
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise WordPlanRefused(not_word) from error
    if "word/document.xml" not in names:
        raise WordPlanRefused(not_word)
    unpacked = sum(member.file_size for member in members)
    if len(members) > LIMITS.members or unpacked > LIMITS.unpacked_bytes:
        raise WordPlanRefused(
            _(
                "The document would unpack to %(size)s MB in %(count)s parts; a plan takes at most "
                "%(limit)s MB. The file is not read."
            )
            % {
                "size": -(-unpacked // (1024 * 1024)),
                "count": len(members),
                "limit": LIMITS.unpacked_bytes // (1024 * 1024),
            }
        )
    import docx  # python-docx; imported here, as only this reader needs it

    try:
        return docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise WordPlanRefused(not_word) from error


def _index(roles: Sequence[str], role: str) -> int:
    return list(roles).index(role) if role in roles else 0


def _plan_table(document, roles: Sequence[str] | None):
    """The table holding the plan: the first whose header is a plan's, else (to be mapped) the
    largest. A table above it (an approval block laid out as a table) is passed over."""
    tables = list(document.tables)
    if not tables:
        raise WordPlanRefused(
            _("The document has no table; the plan must be a table (№, activity, unit, target, …).")
        )
    if roles is None:
        for table in tables:
            grid = _grid(table, limit=4)
            count = _header_rows(grid)
            header = [" ".join(row[col][0] for row in grid[:count]) for col in range(len(grid[0]))]
            if all(role in guess_roles(header) for role in REQUIRED_ROLES):
                return table
    return max(tables, key=lambda table: len(table._tbl.tr_lst))


Cell = tuple[str, list[str]]  # the text on one line, and its lines


def _grid(table, *, limit: int | None = None) -> list[list[Cell]]:
    """The table's rows as cells of text (a cell merged across columns is read once, in its first
    column; one merged down the rows is read in each row, as it applies to each)."""
    rows = table.rows
    if len(rows) > MAX_ROWS:
        raise WordPlanRefused(
            _("The table has %(count)s rows; a plan has at most %(limit)s.")
            % {"count": len(rows), "limit": MAX_ROWS}
        )
    grid: list[list[Cell]] = []
    width = 0
    for row in rows[:limit]:
        try:
            cells = row.cells
        except Exception as error:  # a damaged table: merges that point at no cell
            raise WordPlanRefused(
                _("The table's cells cannot be read (damaged merged cells). Save the file again in Word.")
            ) from error
        if len(cells) > LIMITS.columns:
            raise WordPlanRefused(
                _("The table has %(count)s columns; a plan table has at most %(limit)s.")
                % {"count": len(cells), "limit": LIMITS.columns}
            )
        values: list[Cell] = []
        previous = None
        for cell in cells:
            if previous is not None and cell._tc is previous._tc:
                values.append(("", []))
                continue
            previous = cell
            lines = [_line(paragraph.text) for paragraph in cell.paragraphs]
            lines = [line for line in lines if line]
            values.append((" ".join(lines), lines))
        grid.append(values)
        width = max(width, len(values))
    if not grid or width == 0:
        raise WordPlanRefused(_("The document's table is empty."))
    for values in grid:
        values.extend([("", [])] * (width - len(values)))
    return grid


def _line(text: str) -> str:
    if NUL in text:
        raise WordPlanRefused(str(NUL_MESSAGE))
    return " ".join(clean_text(text).split())


def _header_rows(grid: list[list[Cell]], *, number_column: int = 0, named: bool = True) -> int:
    """How many rows at the top are the header: those before the first section or numbered row
    (at most three) and, unless the columns were mapped by hand (`named` False), that name at
    least two columns."""
    count = 0
    for cells in grid[:3]:
        first = cells[number_column][0] if number_column < len(cells) else ""
        if ITEM_NUMBER.match(first) or (first and _section_number(first) is not None):
            break
        if named and sum(1 for role in guess_roles([text for text, _lines in cells]) if role) < 2:
            break
        count += 1
    return count


def guess_roles(header: Sequence[str]) -> list[str]:
    """Each column's role by its header words; "" where none is recognised. A second target
    column is the done one (a merged "Ko‘rsatkich" over two figures)."""
    roles: list[str] = []
    for text in header:
        words = set(re.split(r"[\s,.;:()]+", normalise(text))) - {""}
        role = ""
        for candidate, keys in HEADER_WORDS:
            if not _names(words, keys):
                continue
            if candidate not in roles:
                role = candidate
                break
            if candidate == TARGET and DONE not in roles:
                role = DONE
                break
        roles.append(role)
    return roles


def _names(words: set[str], keys: Sequence[str]) -> bool:
    """A header word is a key, or (keys of four letters or more) starts with one: "muddatlari"."""
    return any(word == key or (len(key) >= 4 and word.startswith(key)) for word in words for key in keys)


def _is_header_again(cells: list[Cell], header: list[list[Cell]]) -> bool:
    """A header row repeated inside the table (a table pasted from several pages)."""
    return any([text for text, _l in cells] == [text for text, _l in row] for row in header)


def _is_column_numbers(cells: list[Cell]) -> bool:
    texts = [text for text, _lines in cells if text]
    return len(texts) >= 3 and texts == [str(number) for number in range(1, len(texts) + 1)]


def _section_number(text: str) -> tuple[str, str] | None:
    """("III", "Asosiy …") for "III. Asosiy …"; None when the text does not start with a numeral."""
    match = ROMAN.match(text)
    if not match or not match.group(1):
        return None
    return match.group(1), (match.group(2) or match.group(3) or "").strip()


def _title(document) -> tuple[int | None, str]:
    """The year and centre the title above the table names ("… markazining 2025-yil uchun ish rejasi")."""
    for paragraph in document.paragraphs[:40]:
        match = TITLE_LINE.search(" ".join(paragraph.text.split()))
        if match:
            return int(match.group("year")), match.group("centre").strip() + "i"
    return None, ""


def read_figure(text: str) -> tuple[str, int | None]:
    """A figure cell: ("empty"|"none"|"total"|"number"|"text", value)."""
    text = text.replace("\u00a0", " ").strip()
    if not text:
        return "empty", None
    if text in DASHES:
        return "none", None
    total = TOTAL.match(text)
    if total:
        return "total", int(re.sub(r"\s", "", total.group(1)))
    if WHOLE.match(text) and text.isascii():
        return "number", int(re.sub(r"\s", "", text))
    return "text", None


def reading_of(deadline: str) -> str:
    """What the deadline is read as, in words, or "" when it cannot be read."""
    try:
        window = parse_deadline(deadline)
    except DeadlineError:
        return ""
    kind = DeadlineKind(window.kind).label
    if (window.first_month, window.last_month) == (1, 12):
        return str(kind)
    return _("%(kind)s, months %(first)s–%(last)s") % {
        "kind": kind,
        "first": window.first_month,
        "last": window.last_month,
    }


class _RowReader:
    def __init__(self, roles: list[str], services: Sequence[str] | None, service_map: dict[str, str]):
        self.columns = {role: roles.index(role) for role in ROLES if role in roles}
        self.services = {normalise(name): name for name in services} if services is not None else None
        self.service_map = service_map
        self.rows: list[WordRow] = []
        self.items: dict[str, WordRow] = {}
        self.item: WordRow | None = None  # the item rows below belong to
        self.sections = 0

    def cell(self, cells: list[Cell], role: str) -> Cell:
        column = self.columns.get(role)
        return cells[column] if column is not None else ("", [])

    def read(self, number: int, cells: list[Cell]) -> None:
        if not any(text for text, _lines in cells):
            return
        printed = self.cell(cells, NUMBER)[0]
        number_column = self.columns[NUMBER]
        others = [text for column, (text, _lines) in enumerate(cells) if text and column != number_column]
        if printed and not ITEM_NUMBER.match(printed):
            section = _section_number(printed)
            if not others:  # one text across the row: a merged heading
                self.section(number, printed, cells, merged=True)
            elif section:
                self.section(number, printed, cells, merged=False)
            else:
                self.new_item(number, printed, cells)
            return
        if not printed:
            title = self.cell(cells, TITLE)[0]
            heading = _section_number(title) if title else None
            if others == [title] and heading and heading[1]:
                self.section(number, title, cells, merged=True)
            elif read_figure(self.cell(cells, TARGET)[0])[0] != "empty":
                self.indicator(number, cells)
            else:
                self.continuation(number, cells)
            return
        self.new_item(number, printed, cells)

    def section(self, number: int, text: str, cells: list[Cell], merged: bool) -> None:
        self.sections += 1
        found = _section_number(text)
        numeral, title = found if found else (_roman(self.sections), text)
        if not merged and not title:
            title = self.cell(cells, TITLE)[0]
        row = WordRow(row=number, kind="section", number=numeral, title=title)
        if not title:
            row.problem(_("a section heading without a title."))
        taken = {other.number for other in self.rows if other.kind == "section"}
        if numeral in taken:
            # The 2024 plan prints its fourth section as a second "III": read by its place.
            placed = _roman(self.sections)
            if placed in taken:
                row.problem(_("section %(number)s appears twice.") % {"number": numeral})
            else:
                row.number = placed
                row.problem(
                    _("a second section %(printed)s: read as section %(number)s.")
                    % {"printed": numeral, "number": placed},
                    blocking=False,
                )
        self.rows.append(row)
        self.item = None

    def new_item(self, number: int, printed: str, cells: list[Cell]) -> None:
        row = WordRow(row=number, kind="item")
        self.fill(row, cells)
        match = ITEM_NUMBER.match(printed)
        if not match:
            row.number = printed
            row.problem(
                _("the number column holds text, “%(text)s”, not an item number.") % {"text": printed}
            )
        else:
            row.number = match.group(1)
            if row.number.count(".") > 1:
                row.problem(
                    _("item %(number)s: sub-items have one level only (12.1 under 12).")
                    % {"number": row.number}
                )
            elif "." in row.number:
                parent_number = row.number.rsplit(".", 1)[0]
                parent = self.items.get(parent_number)
                if parent is None:
                    row.problem(
                        _("there is no item %(parent)s above it: read as an item of its own.")
                        % {"parent": parent_number},
                        blocking=False,
                    )
                elif parent.parent is not None:
                    row.problem(_("item %(parent)s is itself a sub-item.") % {"parent": parent_number})
                else:
                    row.parent = parent_number
                    parent.children.append(row)
            if row.number in self.items:
                row.problem(_("item %(number)s appears twice.") % {"number": row.number})
            self.items.setdefault(row.number, row)
        if not any(row.kind == "section" for row in self.rows):
            row.problem(_("no section heading (I., II., …) above this row."))
        self.rows.append(row)
        self.item = row

    def fill(self, row: WordRow, cells: list[Cell]) -> None:
        row.title = self.cell(cells, TITLE)[0]
        row.unit = self.cell(cells, UNIT)[0]
        row.figure = self.cell(cells, TARGET)[0]
        row.steps = "\n".join(self.cell(cells, STEPS)[1])
        row.deadline = self.cell(cells, DEADLINE)[0]
        self.add_services(row, self.cell(cells, SERVICES)[1])

    def indicator(self, number: int, cells: list[Cell]) -> None:
        row = WordRow(row=number, kind="indicator")
        row.title = self.cell(cells, TITLE)[0]
        row.unit = self.cell(cells, UNIT)[0]
        row.figure = self.cell(cells, TARGET)[0]
        if self.item is None:
            row.problem(_("a figure without an item number, and no item above it."))
        else:
            if any(other.title == row.title for other in self.item.indicators):
                row.problem(
                    _("two indicators of item %(number)s are labelled “%(label)s”.")
                    % {"number": self.item.number, "label": row.title}
                )
            self.item.indicators.append(row)
            row.parent = self.item.number
        self.rows.append(row)

    def continuation(self, number: int, cells: list[Cell]) -> None:
        """A row without a number or figure: the rest of the row above, cut at a page break."""
        target = self.item
        if target is None:
            row = WordRow(row=number, kind="indicator", title=self.cell(cells, TITLE)[0])
            row.problem(_("a row without an item number, and no item above it."))
            self.rows.append(row)
            return
        last = target.indicators[-1] if target.indicators else target
        last.title = " ".join(filter(None, (last.title, self.cell(cells, TITLE)[0])))
        if last is target:
            target.unit = " ".join(filter(None, (target.unit, self.cell(cells, UNIT)[0])))
            target.steps = "\n".join(filter(None, (target.steps, *self.cell(cells, STEPS)[1])))
            target.deadline = " ".join(filter(None, (target.deadline, self.cell(cells, DEADLINE)[0])))
        self.add_services(target, self.cell(cells, SERVICES)[1])

    def add_services(self, row: WordRow, lines: list[str]) -> None:
        for line in lines:
            line = re.sub(r"^va\s+|\s+va$|[,;]$", "", line.strip()).strip()
            if not line or line == "va":
                continue
            lowered = normalise(line)
            for words in ALL_SERVICES_WORDS:
                if lowered.endswith(words):
                    row.all_services = True
                    line = re.sub(r"\s+va$", "", line[: len(line) - len(words)].strip()).strip()
                    break
            if line and not any(service.printed == line for service in row.services):
                row.services.append(self.service(line))

    def service(self, printed: str) -> ServiceName:
        if printed in self.service_map:
            return ServiceName(printed, self.service_map[printed] or printed)
        if self.services is None:
            return ServiceName(printed, printed)
        known = self.services.get(normalise(printed))
        if known:
            return ServiceName(printed, known)
        close = difflib.get_close_matches(normalise(printed), list(self.services), n=3, cutoff=0.5)
        return ServiceName(printed, "", tuple(self.services[name] for name in close))

    def finish(self) -> list[WordRow]:
        for row in self.rows:
            if row.kind == "item":
                self.check_item(row)
            elif row.kind == "indicator" and row.parent is not None:
                kind, value = read_figure(row.figure)
                if kind == "text":
                    row.problem(
                        _("the target column holds text, “%(text)s”, not a number.") % {"text": row.figure}
                    )
                row.target = value
        return self.rows

    def check_item(self, row: WordRow) -> None:
        kind, value = read_figure(row.figure)
        row.figure_kind = kind
        if kind == "text":
            row.problem(_("the target column holds text, “%(text)s”, not a number.") % {"text": row.figure})
        if not row.title:
            row.problem(_("no activity."))
        if not row.unit:
            row.problem(_("no unit."))
        if not row.deadline:
            row.problem(_("no deadline."))
        else:
            row.deadline_reading = reading_of(row.deadline)
            if not row.deadline_reading:
                row.problem(
                    _(
                        "the deadline “%(text)s” cannot be read (for example: “2025-yil davomida”, "
                        "“2025-yil I–II chorak”, “har oyda”)."
                    )
                    % {"text": row.deadline}
                )
        for service in row.services:
            if not service.name:
                if service.suggestions:
                    row.problem(
                        _("“%(name)s” is not a service of the centre; the closest: %(names)s.")
                        % {"name": service.printed, "names": "; ".join(service.suggestions)}
                    )
                else:
                    row.problem(_("“%(name)s” is not a service of the centre.") % {"name": service.printed})
        parts = row.children or row.indicators
        if row.children and row.indicators:
            row.problem(_("an item with sub-items cannot have indicators of its own."))
        if parts:
            if kind in ("total", "number"):
                row.check = value
                total = sum(_target(part) or 0 for part in parts)
                if total != value:
                    row.problem(
                        _("the row prints %(printed)s, but its parts add up to %(total)s.")
                        % {"printed": value, "total": total},
                        blocking=False,
                    )
        elif kind == "total":
            row.problem(
                _("“%(text)s” is a total, but the item has no sub-items or indicators below it.")
                % {"text": row.figure}
            )
        else:
            row.target = value


def _target(row: WordRow) -> int | None:
    if row.kind == "indicator":
        return read_figure(row.figure)[1]
    if row.indicators:
        return sum(read_figure(ind.figure)[1] or 0 for ind in row.indicators)
    return read_figure(row.figure)[1]


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text
