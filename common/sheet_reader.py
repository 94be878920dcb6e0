"""Every spreadsheet the app reads (admin imports, plan files, the month sheet): one reader, with limits.

An XLSX is a zip of XML files, and what it says about itself cannot be trusted: a 4.9 KB file
declaring the range A1:XFD1048576 made the admin's import build a billion empty cells (23 GB),
and a zip member of a few kilobytes can unpack to gigabytes. So, before openpyxl parses
anything, the file's size and the unpacked sizes of its members are checked; then the first
sheet is read in read-only mode, ignoring its declared dimension, row by row and never past
LIMITS.columns + 1 columns. Every text value is cleaned (common.text.clean_text) and a NUL is
refused naming its cell. Whatever is refused raises SheetRefused, whose message is in the
user's language.

The result is a list of rows (row 1 first), each a list of cell values (str, int, float, bool,
datetime; None for an empty cell) with empty cells at the end of a row and empty rows at the
end of the sheet left out, so that `rows[n - 1]` is the sheet's row n.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .sheet_writer import CSV_PREFIX, CSV_PREFIXED
from .text import NUL, NUL_MESSAGE, clean_text

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a file may hold. The defaults are ten times what the largest real file needs (a
    district's year of actuals is about 2,000 rows of 10 columns, 150 KB as XLSX)."""

    file_bytes: int = 5 * MB
    # The XML inside an XLSX: 20,000 rows of actuals unpack to about 13 MB.
    unpacked_bytes: int = 50 * MB
    members: int = 500
    rows: int = 20_000
    columns: int = 50


LIMITS = Limits()

Rows = list[list[object]]


class SheetRefused(ValueError):
    """The file is not read; the message says why, in the user's language."""


def check_file_size(content: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a file larger than the limit (plan files in JSON are held to it too)."""
    if len(content) > limits.file_bytes:
        raise SheetRefused(
            _("The file is %(size)s MB; files of up to %(limit)s MB are read. Split it into smaller files.")
            % {"size": _megabytes(len(content), up=True), "limit": _megabytes(limits.file_bytes)}
        )


def read_xlsx(content: bytes, *, limits: Limits = LIMITS) -> Rows:
    """The first sheet's rows, or SheetRefused."""
    check_file_size(content, limits)
    _check_archive(content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not an XLSX
        raise SheetRefused(_("The file is not a readable XLSX workbook.")) from error
    try:
        if not book.worksheets:
            raise SheetRefused(_("The workbook has no sheet."))
        sheet = book.worksheets[0]
        # The declared dimension is the file's own claim; rows are read as they come instead.
        sheet.reset_dimensions()
        return _limited(sheet.iter_rows(max_col=limits.columns + 1, values_only=True), limits, _xlsx_value)
    except SheetRefused:
        raise
    except Exception as error:  # damaged XML, a member that does not match its checksum
        raise SheetRefused(_("The file is not a readable XLSX workbook.")) from error
    finally:
        book.close()


def read_csv(content: bytes, *, limits: Limits = LIMITS) -> Rows:
    """The rows of a UTF-8 CSV file (comma-separated, as we export it), or SheetRefused.

    Cells are text. An apostrophe that our CSV writer put in front of a formula-like cell
    (sheet_writer.csv_cell) is taken away again, so an exported file imports unchanged.
    """
    check_file_size(content, limits)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetRefused(
            _("The CSV file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”.")
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _limited((tuple(row) for row in reader), limits, _csv_value)
    except csv.Error as error:
        raise SheetRefused(
            _("The CSV file cannot be read at line %(line)s.") % {"line": reader.line_num}
        ) from error


def _check_archive(content: bytes, limits: Limits) -> None:
    """Refuse a zip that would unpack past the limit, by the sizes its members declare.

    zipfile never gives more bytes of a member than its declared size (a member that lies gets
    a checksum error instead), so the declared sizes bound what openpyxl can unpack.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SheetRefused(_("The file is not a readable XLSX workbook.")) from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > limits.members or unpacked > limits.unpacked_bytes:
        raise SheetRefused(
            _(
                "The workbook would unpack to %(size)s MB in %(count)s parts; a table of figures "
                "takes at most %(limit)s MB. The file is not read."
            )
            % {
                "size": _megabytes(unpacked, up=True),
                "count": len(members),
                "limit": _megabytes(limits.unpacked_bytes),
            }
        )


def _limited(rows: Iterable[tuple], limits: Limits, value_of: Callable[[object, int, int], object]) -> Rows:
    result: Rows = []
    for number, row in enumerate(rows, start=1):
        # Empty rows come as tuples of None, up to a million of them: skip those at C speed.
        if row.count(None) == len(row) or not any(_filled(value) for value in row):
            if number <= limits.rows:
                result.append([])
            continue
        if number > limits.rows:
            raise SheetRefused(
                _(
                    "The sheet has more than %(limit)s rows (row %(row)s holds data). "
                    "Split it into smaller files."
                )
                % {"limit": limits.rows, "row": number}
            )
        for column in range(limits.columns, len(row)):
            if _filled(row[column]):
                raise SheetRefused(
                    _("Row %(row)s has data in column %(column)s; a sheet may use %(limit)s columns.")
                    % {"row": number, "column": get_column_letter(column + 1), "limit": limits.columns}
                )
        values = [
            value_of(value, number, column) for column, value in enumerate(row[: limits.columns], start=1)
        ]
        while values and not _filled(values[-1]):
            values.pop()
        result.append(values)
    while result and not result[-1]:
        result.pop()
    return result


def _filled(value: object) -> bool:
    return value is not None and value != ""


# Excel writes characters XML cannot hold as _xHHHH_ (a vertical tab as _x000B_); openpyxl
# leaves them so.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xlsx_value(value: object, row: int, column: int) -> object:
    if not isinstance(value, str):
        return value
    return _text(_EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value), row, column)


def _csv_value(value: object, row: int, column: int) -> object:
    text = str(value)
    if text[:1] == CSV_PREFIX and text[1:2] in CSV_PREFIXED:
        text = text[1:]
    return _text(text, row, column)


def _text(text: str, row: int, column: int) -> str:
    if NUL in text:
        raise SheetRefused(
            _("Row %(row)s, column %(column)s: %(problem)s")
            % {"row": row, "column": get_column_letter(column), "problem": NUL_MESSAGE}
        )
    return clean_text(text)


def _megabytes(size: int, *, up: bool = False) -> str:
    """Megabytes to one decimal; a size over a limit rounded up, so that it never reads as the limit."""
    tenths = -(-size * 10 // MB) if up else round(size * 10 / MB)
    return f"{tenths / 10:.1f}".removesuffix(".0")
