"""The PDF read back: title, numbers, Uzbek letters, pages, and the shipped font embedded."""

import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from reports.pdf import _counter_text, render_pdf
from reports.tables import build_table

ON = datetime.date(2024, 4, 3)


# Every test here reads the same demo plan's report: it is laid out once per run (a second or two).
_rendered: dict[str, bytes] = {}


@pytest.fixture
def pdf(plan_2024) -> PdfReader:
    if "uz" not in _rendered:
        with translation.override("uz"):
            _rendered["uz"] = render_pdf(build_table(plan_2024, 1), on=ON)
    return PdfReader(io.BytesIO(_rendered["uz"]))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_starts_with_the_title_and_the_centre(pdf):
    text = _flat(pdf.pages[0].extract_text())
    assert "Sharof Rashidov tuman axborot-kutubxona markazining 2024-yil I chorak" in text
    assert "to‘g‘risida hisobot" in text


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


def test_pdf_ends_with_the_directors_name_signature_and_date(pdf):
    text = _flat(_text(pdf))
    assert "Direktor F. I. Sh." in text
    assert "03.04.2024" in text


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


def test_draft_pdf_says_it_was_not_sent(plan_2024):
    with translation.override("uz"):
        content = render_pdf(build_table(plan_2024, 1), on=ON, draft=True)
    assert "Qoralama" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_pdf_in_russian_keeps_cyrillic(plan_2024):
    with translation.override("ru"):
        content = render_pdf(build_table(plan_2024, 1), on=ON)
    text = _flat(PdfReader(io.BytesIO(content)).pages[0].extract_text())
    assert "Отчёт" in text


def test_page_counter_text_splits_a_translated_sentence_around_counters():
    assert _counter_text("Page %(page)s of %(pages)s", page="counter(page)", pages="counter(pages)") == (
        '"Page " counter(page) " of " counter(pages)'
    )


def test_pdf_ends_with_a_summary_page_with_the_status_chart(pdf):
    last = _flat(pdf.pages[-1].extract_text())
    assert "Holatlar bo‘yicha xulosa" in last
    assert "Ortda" in last or "ortda" in last
