"""The Uzbek Cyrillic catalogues are what the step makes from the Latin ones, complete and compiled."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from common.cyrillic import to_cyrillic
from common.cyrillic_catalogue import Corrections, catalogues, parse_po, transliterated

BASE = Path(settings.BASE_DIR)
MADE, CORRECTIONS = catalogues(BASE)


def read(path: Path):
    return parse_po(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(MADE), ids=lambda path: str(path.relative_to(BASE)))
def test_each_catalogue_is_what_make_messages_makes(path):
    """Fails when the Latin catalogue changed and `make messages` was not run (or the Cyrillic
    was edited by hand): run it."""
    assert path.read_text(encoding="utf-8") == MADE[path]


def test_same_msgids_and_each_is_the_transliteration_or_a_correction():
    latin = {entry.key: entry for entry in read(BASE / "locale/uz/LC_MESSAGES/django.po")}
    cyrillic = {entry.key: entry for entry in read(BASE / "locale/uz_Cyrl/LC_MESSAGES/django.po")}
    assert cyrillic.keys() == latin.keys()
    for key, entry in cyrillic.items():
        if key == "":
            continue  # the header
        for number, text in latin[key].msgstr.items():
            assert entry.msgstr[number] in {to_cyrillic(text), CORRECTIONS.table.get(text)}
            assert bool(entry.msgstr[number]) == bool(text)


def test_every_correction_is_used():
    assert CORRECTIONS.unused() == []


def test_a_correction_wins_over_the_rules(tmp_path):
    path = tmp_path / "corrections.json"
    path.write_text('{"Yangi sentr": "Янги марказ"}', encoding="utf-8")
    latin = parse_po('msgid ""\nmsgstr "Language: uz\\n"\n\nmsgid "New"\nmsgstr "Yangi sentr"\n')
    assert transliterated(latin, Corrections(path))[1].msgstr == {0: "Янги марказ"}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("path", sorted(MADE), ids=lambda path: str(path.relative_to(BASE)))
def test_compiled_catalogue_matches_its_source(path, tmp_path):
    compiled = tmp_path / "out.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(path)], check=True)
    assert compiled.read_bytes() == path.with_suffix(".mo").read_bytes()


def test_the_interface_and_the_admin_speak_cyrillic():
    with translation.override("uz-cyrl"):
        assert translation.gettext("Quarterly reports") == "Чораклик ҳисоботлар"
        assert translation.gettext("Delete") == "Ўчириш"  # Django's admin
        assert translation.pgettext("alt. month", "September") == "Сентябр"
