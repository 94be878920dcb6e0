"""common.cyrillic on a word list whose Cyrillic spelling is known (words.tsv beside this file)."""
from pathlib import Path

import pytest

from common.cyrillic import has_cyrillic, to_cyrillic, to_latin

WORDS = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "words.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_list_is_long_enough():
    assert len(WORDS) >= 200


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS, ids=[latin for latin, _ in WORDS])
def test_word(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("apostrophe", ["'", "\u2018", "\u2019", "\u02bb", "\u02bc", "`"])
def test_every_apostrophe_is_read(apostrophe):
    assert to_cyrillic(f"o{apostrophe}g{apostrophe}il mas{apostrophe}ul") == "ўғил масъул"


def test_a_quotation_mark_after_o_stays_a_quotation_mark():
    assert to_cyrillic("'dunyo' va ’bozor’") == "'дунё' ва ’бозор’"


def test_placeholders_and_markup_are_kept():
    text = '%(name)s <a href="/x/">{{ link }}</a> %d {count} https://lex.uz/uz/docs/123'
    assert to_cyrillic(text) == text


def test_back_to_latin_for_search():
    assert to_latin("Ўзбекистон масъул объект Шароф") == "O'zbekiston mas'ul obyekt Sharof"
    assert has_cyrillic("кутубхона") and not has_cyrillic("kutubxona")
