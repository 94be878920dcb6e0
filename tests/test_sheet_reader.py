"""The one spreadsheet reader (common.sheet_reader): hostile files refused or read within limits."""

import pytest
from django.utils import translation

from common.sheet_reader import LIMITS, MB, Limits, SheetRefused, read_csv, read_xlsx
from tests.spreadsheets import (
    far_corner_xlsx,
    read_with_little_memory,
    replaced_member,
    understated,
    with_member,
    xlsx_of,
)

ROWS = [["centre", "year", "value"], ["Markaz", 2024, 5], ["Markaz", 2024, 7]]


def test_the_far_corner_file_reads_as_its_real_rows_within_a_gigabyte(tmp_path):
    content = far_corner_xlsx(ROWS)
    assert len(content) < 5000

    outcome = read_with_little_memory("common.sheet_reader:read_xlsx", content, tmp_path)

    assert outcome.get("rows") == len(ROWS), outcome
    assert outcome["seconds"] < 5


def test_the_far_corner_cell_itself_is_never_read():
    assert read_xlsx(far_corner_xlsx(ROWS)) == ROWS


def test_a_value_past_the_row_limit_refuses_the_file():
    content = xlsx_of(ROWS, cells={"A1048576": "x"})

    with translation.override("en"), pytest.raises(SheetRefused, match="more than 20000 rows .row 1048576"):
        read_xlsx(content)


def test_rows_up_to_the_limit_are_read_and_one_more_is_refused():
    limits = Limits(rows=3)
    assert read_xlsx(xlsx_of(ROWS), limits=limits) == ROWS
    with pytest.raises(SheetRefused):
        read_xlsx(xlsx_of([*ROWS, ["Markaz", 2024, 9]]), limits=limits)


def test_empty_rows_past_the_limit_do_not_count():
    content = xlsx_of(ROWS, cells={"A9": ""})

    assert read_xlsx(content, limits=Limits(rows=3)) == ROWS


def test_a_value_in_the_column_past_the_limit_refuses_the_file():
    content = xlsx_of(ROWS, cells={"D2": "izoh"})

    with translation.override("en"), pytest.raises(SheetRefused, match="Row 2 has data in column D"):
        read_xlsx(content, limits=Limits(columns=3))


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened():
    content = b"PK\x03\x04" + b"\0" * LIMITS.file_bytes

    with translation.override("en"), pytest.raises(SheetRefused, match="up to 5 MB"):
        read_xlsx(content)


def test_a_zip_bomb_member_is_refused_by_its_unpacked_size():
    # 60 MB of one byte deflate to about 60 KB.
    content = with_member(xlsx_of(ROWS), "xl/media/bomb.bin", b"0" * (60 * MB))
    assert len(content) < 200_000

    with translation.override("en"), pytest.raises(SheetRefused, match=r"would unpack to 60(\.\d)? MB"):
        read_xlsx(content)


def test_a_member_understating_its_size_unpacks_no_further_than_its_claim():
    # The sheet really holds a million rows (49 MB) but claims 3 KB: read past its claim, it
    # would be refused for its rows; it is refused as damaged instead.
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000
        + b"</sheetData></worksheet>"
    )
    content = understated(
        replaced_member(xlsx_of(ROWS), "xl/worksheets/sheet1.xml", sheet), "xl/worksheets/sheet1.xml", 3000
    )

    with translation.override("en"), pytest.raises(SheetRefused, match="not a readable XLSX"):
        read_xlsx(content)


def test_entities_that_expand_without_end_are_refused(tmp_path):
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    sheet = (
        f'<!DOCTYPE worksheet [<!ENTITY e0 "ha">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row></sheetData></worksheet>'
    ).encode()
    content = replaced_member(xlsx_of(ROWS), "xl/worksheets/sheet1.xml", sheet)

    outcome = read_with_little_memory("common.sheet_reader:read_xlsx", content, tmp_path)

    assert "refused" in outcome, outcome


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(SheetRefused):
        read_xlsx(b"centre,year\n")


def test_text_is_cleaned_and_excel_escapes_read_as_the_characters_they_stand_for():
    content = xlsx_of([["izoh"], ["Word_x000B_qator\x85"]])

    assert read_xlsx(content) == [["izoh"], ["Word\nqator"]]


def test_a_nul_in_a_cell_is_refused_naming_the_cell():
    content = xlsx_of([["centre", "note"], ["Markaz", "izoh_x0000_"]])

    with translation.override("en"), pytest.raises(SheetRefused, match="Row 2, column B: The text holds"):
        read_xlsx(content)


def test_the_refusal_speaks_the_users_language():
    with translation.override("uz"), pytest.raises(SheetRefused) as refused:
        read_xlsx(b"PK\x03\x04" + b"\0" * LIMITS.file_bytes)
    assert "MB" in str(refused.value) and "file" not in str(refused.value).lower()


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_rows_are_read_as_text_without_the_apostrophes_our_export_adds():
    content = "izoh,son\r\n'=1+1,'-5\r\n''qo‘shtirnoq,'oddiy\r\n".encode("utf-8-sig")

    assert read_csv(content) == [["izoh", "son"], ["=1+1", "-5"], ["'qo‘shtirnoq", "'oddiy"]]


def test_csv_past_the_default_row_limit_is_refused():
    content = ("a\n" + "1\n" * LIMITS.rows).encode()

    with translation.override("en"), pytest.raises(SheetRefused, match="more than 20000 rows"):
        read_csv(content)


def test_csv_that_is_not_utf8_is_refused_with_advice():
    with translation.override("en"), pytest.raises(SheetRefused, match="CSV UTF-8"):
        read_csv("nomi\nМарказ\n".encode("cp1251"))


def test_csv_with_a_nul_is_refused_naming_the_cell():
    with translation.override("en"), pytest.raises(SheetRefused, match="Row 3, column A"):
        read_csv(b"a\nb\nc\x00\n")
