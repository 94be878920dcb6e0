"""The PDF read back: title, numbers, Uzbek letters, pages, and the shipped font embedded."""

import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from reports.pdf import page_parts, render_pdf
from reports.tables import build_table

ON = datetime.date(2024, 4, 3)


# Every test here reads the same demo plan's report: it is laid out once per run (a second or two).
_rendered: dict[str, bytes] = {}


@pytest.fixture
def pdf(plan_2024) -> PdfReader:
    if "uz" not in _rendered:
        with translation.override("uz"):
            _rendered["uz"] = render_pdf(build_table(plan_2024, 1), on=ON, version=2)
    return PdfReader(io.BytesIO(_rendered["uz"]))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_starts_with_the_centre_and_the_title(pdf):
    text = _flat(pdf.pages[0].extract_text())
    assert "Sharof Rashidov tuman axborot-kutubxona markazi 2024-yil I chorak ish rejasi bajarilishi" in text
    assert "to‘g‘risida hisobot" in text


def test_pdf_names_the_centre_once_on_the_first_page(pdf):
    first = _flat(pdf.pages[0].extract_text())
    # Once in the title block; item 4 of the plan names the centre too ("…markazlari").
    assert first.count("Sharof Rashidov tuman axborot-kutubxona markazi ") == 1


def test_later_pages_carry_the_short_title_without_the_centre(pdf):
    for page in pdf.pages[1:]:
        text = _flat(page.extract_text())
        assert "2024-yil I chorak ish rejasi bajarilishi to‘g‘risida hisobot" in text
        assert "Sharof Rashidov tuman axborot-kutubxona markazi " not in text


def test_every_page_says_which_version_was_sent_when(pdf):
    for page in pdf.pages:
        assert "2-versiya, 03.04.2024 da yuborilgan" in _flat(page.extract_text())


def test_pdf_keeps_uzbek_letters_intact(pdf):
    text = _text(pdf)
    assert "qo‘llanmalar" in text
    assert "Sovg‘a" in text
    assert "Ma’naviyat" in text


def test_pdf_prints_the_figures(pdf):
    text = _flat(_text(pdf))
    # Item 15 (visitors): annual target 5114, quarter target 1278, 480 done in the quarter and to date.
    assert "5114 1278 480 480 9,4" in text
    # Item 12 sums its sub-items: 1170.
    assert "1170" in text


def test_pdf_is_several_landscape_pages_each_numbered(pdf):
    assert len(pdf.pages) >= 2
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)
    count = len(pdf.pages)
    assert f"1-sahifa, jami {count}" in _flat(pdf.pages[0].extract_text())


def test_pdf_repeats_the_table_header_on_every_table_page(pdf):
    table_pages = [page for page in pdf.pages if "Ishlar nomi" in page.extract_text()]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Yillik reja" in page.extract_text()


def test_pdf_ends_with_the_directors_name_signature_seal_and_date(pdf):
    last = _flat(pdf.pages[-1].extract_text())
    assert "Direktor Direktor F. I. Sh. M.O‘." in last
    assert last.index("M.O‘.") > last.index("Holatlar bo‘yicha xulosa")
    assert "Sana 03.04.2024" in last


def test_pdf_embeds_the_shipped_dejavu_font(pdf):
    names = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            names.add(str(descriptor["/BaseFont"]))
            if "/DescendantFonts" in descriptor:
                descendant = descriptor["/DescendantFonts"][0].get_object()
                assert (
                    "/FontFile2" in descendant["/FontDescriptor"]
                    or "/FontFile3" in descendant["/FontDescriptor"]
                )
    assert any("DejaVu" in name for name in names)
    assert all("DejaVu" in name for name in names)


def test_draft_pdf_says_on_every_page_that_it_was_not_sent(plan_2024):
    with translation.override("uz"):
        content = render_pdf(build_table(plan_2024, 1), on=ON, draft=True)
    pages = PdfReader(io.BytesIO(content)).pages
    assert all("Qoralama: yuborilmagan" in page.extract_text() for page in pages)
    assert not any("versiya" in page.extract_text() for page in pages)


def test_pdf_in_russian_keeps_cyrillic(plan_2024):
    with translation.override("ru"):
        content = render_pdf(build_table(plan_2024, 1), on=ON, version=1)
    reader = PdfReader(io.BytesIO(content))
    text = _flat(reader.pages[0].extract_text())
    assert "Отчёт о выполнении плана работы на 2024 год за I квартал" in text
    assert "Версия 1, отправлена 03.04.2024" in text
    assert "М.П." in _flat(reader.pages[-1].extract_text())


def test_page_parts_split_a_translated_sentence_around_counters():
    assert page_parts("Page %(page)s of %(pages)s") == [("Page ", "counter-page"), (" of ", "counter-pages")]
    assert page_parts("%(page)s-sahifa, jami %(pages)s") == [
        ("", "counter-page"),
        ("-sahifa, jami ", "counter-pages"),
    ]
    assert page_parts("%(page)s / %(pages)s.") == [("", "counter-page"), (" / ", "counter-pages"), (".", "")]


def test_page_parts_refuse_an_unknown_placeholder():
    with pytest.raises(KeyError):
        page_parts("Page %(url)s")


def test_pdf_puts_the_summary_page_before_the_signature(pdf):
    last = _flat(pdf.pages[-1].extract_text())
    assert "Holatlar bo‘yicha xulosa" in last
    assert "Ortda" in last or "ortda" in last
    assert "Direktor" not in _flat(pdf.pages[-2].extract_text())
