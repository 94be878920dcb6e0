"""Word files for the tests, built as centres type them: header words of their own, merged
section rows, a deadline merged down several rows, a row cut in two at a page break."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document

SEED_HEADER = [
    "T/r",
    "Ishlar nomi",
    "O‘lchov birligi",
    "Reja",
    "Bajarildi",
    "Amalga oshirish mexanizmi",
    "Muddati",
    "Mas’ul xizmat",
]

AB = "Axborot-bibliografiya xizmati"
FOND = "Axborot-kutubxona fondlarini saqlash, butlash va ularga ishlov berish xizmati"

# Rows as typed: a string is a merged section row; a list is one row of cells (a cell of several
# lines is a list of its lines); None in the deadline column continues the cell above (merged
# down).
SEED_ROWS: list = [
    "I. Ilmiy-metodik faoliyat",
    ["1.", "Metodik qo‘llanmalar ishlab chiqish", "Hujjat", "2", "1",
     ["1. Tartibni belgilash;", "2. Ma’lumot yig‘ish"], "2025-yil davomida", [AB, "barcha xizmatlar"]],
    # A row cut in two at a page break: the rest of its steps on a row of its own.
    ["", "", "", "", "", ["3. Chop etish"], "", []],
    "II. Asosiy ishlab chiqarish faoliyati",
    ["12", "Fondlarni to‘ldirish", "Nusxa", "jami 1170", "100", "Qabul qilish", "2025-yil davomida", [FOND]],
    ["12.1", "Majburiy nusxa", "Nusxa", "20", "3", "", None, [FOND]],
    ["12.2", "Xarid qilish orqali", "Nusxa", "250", "-", "", None, [FOND]],
    ["12.4", "Sovg‘a tariqasida", "Nusxa", "900", "50", "", None, [FOND]],
    ["", "Jismoniy shaxslar", "", "900", "50", "", "", []],
    ["", "Yuridik shaxslar", "", "-", "-", "", "", []],
    ["18.1", "Hisobot tayyorlash", "Hujjat", "-", "", "", "2025-yil I chorak", [AB]],
]  # fmt: skip


def word_table(
    rows: Sequence,
    *,
    header: Sequence[str] | None = SEED_HEADER,
    title: str | None = "Sinov tuman axborot-kutubxona markazining 2025-yil uchun ish rejasi",
    approval_table: bool = True,
    column_numbers: bool = True,
) -> bytes:
    """A .docx holding the plan table (and, above it, the approval block laid out as a table)."""
    document = Document()
    if approval_table:
        block = document.add_table(rows=1, cols=2)
        block.cell(0, 1).text = "TASDIQLAYMAN\nDirektor ________"
    if title:
        document.add_paragraph(title)
    width = len(header) if header else len(next(row for row in rows if not isinstance(row, str)))
    table = document.add_table(rows=0, cols=width)
    if header:
        _fill(table.add_row().cells, header)
        if column_numbers:
            _fill(table.add_row().cells, [str(number) for number in range(1, width + 1)])
    above = None
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
            continue
        values = list(row)
        for column, value in enumerate(values):
            if value is None and above is not None:
                above[column].merge(cells[column])
                values[column] = ""
        _fill(cells, values)
        above = cells
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fill(cells, values) -> None:
    for cell, value in zip(cells, values, strict=False):
        lines = value if isinstance(value, list) else [value]
        if not any(lines):
            continue
        if cell.text:  # the lower part of a cell merged down keeps the text above
            continue
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
