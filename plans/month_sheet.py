"""The month sheet: a service's month as an XLSX to fill in Excel, and the filled sheet read back.

The sheet lists the service's rows as the entry page does; only the value and note cells are
unlocked, the rest of the sheet is protected. Hidden columns hold each row's indicator id and
the value and note it was downloaded with (so that what others saved since is found as a
conflict, as on the web form), and a hidden row holds the sheet's identity: plan, service, month
and a signed digest of the ids and downloaded values. Protection in Excel is no security, so the
signature is what refuses a sheet whose structure was changed: a row added, removed, moved or
given another id, or a downloaded value edited.

Writing goes through common.sheet_writer (text is text, never a formula), reading through
common.sheet_reader (limits on size and unpacking). What a sheet asks for is checked and
saved by the same form and action as the entry page (plans.forms.MonthEntryForm,
plans.entry.do_save_month); nothing here writes to the database.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from common.sheet_reader import Rows, SheetRefused, read_xlsx
from common.sheet_writer import sheet_text, write_cell, write_row

from .cyrillic import shown
from .entry import SubmittedRow
from .selectors import EntryPageRow, person_name

FORMAT = "akm-month-sheet"
VERSION = 1
SALT = "plans.month_sheet"
TITLE_ROW, IDENTITY_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
# Columns, 1-based: what the person sees, then the hidden ones.
NUMBER, ACTIVITY, UNIT, TARGET, BEFORE, VALUE, NOTE, ID, LOADED_VALUE, LOADED_NOTE = range(1, 11)
WIDTHS = {NUMBER: 7, ACTIVITY: 60, UNIT: 14, TARGET: 11, BEFORE: 13, VALUE: 13, NOTE: 40}
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="E6E9EE")


@dataclass(frozen=True)
class SheetIdentity:
    """Whose month a sheet is."""

    plan_id: int
    service_id: int
    month: int


@dataclass(frozen=True)
class SheetRow:
    """A row of a filled sheet: its indicator, the cells as typed (text, as a form would send
    them) and the value and note the row was downloaded with."""

    line: int
    indicator_id: int
    value: str
    note: str
    loaded_value: int | None
    loaded_note: str


@dataclass(frozen=True)
class FilledSheet:
    identity: SheetIdentity
    rows: list[SheetRow]

    def form_data(self) -> dict[str, str]:
        """The rows as the entry form would post them (plans.forms.MonthEntryForm)."""
        data: dict[str, str] = {}
        for row in self.rows:
            pk = row.indicator_id
            data[f"value-{pk}"] = row.value
            data[f"note-{pk}"] = row.note
            data[f"was-{pk}"] = "" if row.loaded_value is None else str(row.loaded_value)
            data[f"was_note-{pk}"] = row.loaded_note
        return data


def _digest(identity: SheetIdentity, rows: Sequence[tuple[int, int | None, str]]) -> str:
    payload = json.dumps(
        [identity.plan_id, identity.service_id, identity.month, list(rows)], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _signature(identity: SheetIdentity, rows: Sequence[tuple[int, int | None, str]]) -> str:
    return signing.dumps(
        {"v": VERSION, "p": identity.plan_id, "s": identity.service_id, "m": identity.month,
         "d": _digest(identity, rows)},
        salt=SALT,
    )  # fmt: skip


def write_month_sheet(identity: SheetIdentity, title: str, rows: Sequence[EntryPageRow]) -> bytes:
    """The month sheet's bytes for the service's rows as the entry page shows them: the plan's text
    in the reader's script (plans.cyrillic), the notes to edit as stored (as the entry page's
    inputs hold them), so a sheet filled in Cyrillic reads back like one filled in Latin."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Month")
    write_cell(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=12)
    # Notes as the cell holds them, so that the digest read back is the digest written.
    loaded = [
        (row.indicator.pk, row.own.value if row.own else None, sheet_text(row.own.note) if row.own else "")
        for row in rows
    ]
    write_row(sheet, IDENTITY_ROW, [FORMAT, VERSION, _signature(identity, loaded)])
    sheet.row_dimensions[IDENTITY_ROW].hidden = True
    headers = [
        "№",
        _("Activity"),
        _("Unit"),
        _("Annual target"),
        _("Done before this month"),
        _("This month"),
        _("Note"),
        "id",
        "loaded value",
        "loaded note",
    ]
    for cell in write_row(sheet, HEADER_ROW, headers):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line, (row, (pk, value, note)) in enumerate(zip(rows, loaded, strict=True), start=FIRST_ROW):
        activity = shown(row.item.title) if row.first_of_item else ""
        if row.indicator.label:
            label = shown(row.indicator.label)
            activity = f"{activity} · {label}" if activity else f"· {label}"
        cells = write_row(
            sheet,
            line,
            [
                row.item.number,
                activity,
                shown(row.item.unit.name),
                row.figures.annual_target,
                row.figures.done_before_month,
                value,
                note,
                pk,
                value,
                note,
            ],
        )
        cells[ACTIVITY - 1].alignment = Alignment(wrap_text=True, vertical="top")
        for column in (VALUE, NOTE):
            cells[column - 1].protection = Protection(locked=False)
            cells[column - 1].fill = INPUT_FILL
        cells[VALUE - 1].number_format = "0"
        cells[NOTE - 1].number_format = "@"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in (ID, LOADED_VALUE, LOADED_NOTE):
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    # Protection keeps the cells in place while the sheet is filled; the signature is what
    # refuses a sheet changed anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value: object) -> str:
    """A cell as a form field would hold it: Excel keeps 12 as 12.0, which is still the whole 12."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _whole(value: object) -> int | None:
    """A whole number as a spreadsheet may have kept it (5, or 5.0 after another program saved
    the file); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _cell(row: list[object], column: int) -> object:
    return row[column - 1] if len(row) >= column else None


def _tampered() -> SheetRefused:
    return SheetRefused(
        _(
            "The sheet's structure was changed (rows or hidden columns), so it cannot be read. "
            "Download the month again and fill in only the “This month” and “Note” columns."
        )
    )


def read_month_sheet(content: bytes) -> FilledSheet:
    """The filled sheet's identity and rows, or SheetRefused (not a month sheet, or tampered)."""
    rows: Rows = read_xlsx(content)
    identity_row = rows[IDENTITY_ROW - 1] if len(rows) >= IDENTITY_ROW else []
    if _cell(identity_row, 1) != FORMAT:
        raise SheetRefused(_("This is not a month sheet downloaded from the entry page."))
    try:
        signed = signing.loads(str(_cell(identity_row, 3) or ""), salt=SALT)
        identity = SheetIdentity(
            plan_id=int(signed["p"]), service_id=int(signed["s"]), month=int(signed["m"])
        )
        version, digest = signed["v"], signed["d"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _tampered() from None
    if version != VERSION:
        raise _tampered()
    sheet_rows: list[SheetRow] = []
    loaded: list[tuple[int, int | None, str]] = []
    for line, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        pk, loaded_value = _whole(_cell(row, ID)), _cell(row, LOADED_VALUE)
        if loaded_value is not None:
            loaded_value = _whole(loaded_value)
            if loaded_value is None:
                raise _tampered()
        if pk is None:
            raise _tampered()
        loaded_note = _text(_cell(row, LOADED_NOTE))
        loaded.append((pk, loaded_value, loaded_note))
        sheet_rows.append(
            SheetRow(
                line=line,
                indicator_id=pk,
                value=_text(_cell(row, VALUE)),
                note=_text(_cell(row, NOTE)),
                loaded_value=loaded_value,
                loaded_note=loaded_note,
            )
        )
    if _digest(identity, loaded) != digest:
        raise _tampered()
    return FilledSheet(identity=identity, rows=sheet_rows)


@dataclass(frozen=True)
class SheetRowChange:
    """A row the confirmed sheet would change: the figure as saved now, and as the sheet has it.
    `conflict` names whoever saved the row after the sheet was downloaded (the sheet's value
    replaces theirs once confirmed)."""

    row: EntryPageRow
    old_value: int | None
    old_note: str
    new_value: int | None
    new_note: str
    conflict: bool = False

    @property
    def changed_by(self) -> str:
        return person_name(self.row.own.entered_by) if self.row.own else ""


def sheet_changes(rows: Sequence[EntryPageRow], entries: Sequence[SubmittedRow]) -> list[SheetRowChange]:
    """The rows whose figure the sheet changes, in page order, each marked when someone saved it
    after the download. Rows the sheet leaves as downloaded are not changes, whatever was saved
    since (as on the entry page)."""
    by_id = {entry.indicator_id: entry for entry in entries}
    changes = []
    for row in rows:
        entry = by_id.get(row.indicator.pk)
        if entry is None or not entry.changed:
            continue
        old = (row.own.value, row.own.note) if row.own else (None, "")
        if old == (entry.value, entry.note):
            continue
        changes.append(
            SheetRowChange(
                row=row,
                old_value=old[0],
                old_note=old[1],
                new_value=entry.value,
                new_note=entry.note,
                conflict=old != (entry.loaded_value, entry.loaded_note),
            )
        )
    return changes
