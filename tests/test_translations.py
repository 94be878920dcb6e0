"""Every string of ours is translated into Uzbek and Russian, and the compiled catalogues are current."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
# One catalogue entry: its flags line, msgid (maybe wrapped), msgid_plural, and msgstr lines.
ENTRY = re.compile(
    r'^(#,[^\n]*\n)?msgid (".*?"\n(?:".*"\n)*)'
    r'(?:msgid_plural .*?\n(?:".*"\n)*)?'
    r'((?:msgstr.*\n(?:".*"\n)*)+)',
    re.M,
)


def entries(language: str) -> list[tuple[str, str, str]]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [
        (flags or "", msgid, msgstr)
        for flags, msgid, msgstr in ENTRY.findall(text)
        if msgid != '""\n'  # the header
    ]


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_every_string_is_translated(language):
    untranslated = [
        msgid.strip()
        for _flags, msgid, msgstr in entries(language)
        if re.search(r'msgstr(\[\d\])? ""\n(?!")', msgstr)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_no_translation_is_left_fuzzy(language):
    assert [msgid for flags, msgid, _msgstr in entries(language) if "fuzzy" in flags] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_compiled_catalogue_matches_its_source(language, tmp_path):
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes()


def test_uzbek_uses_the_turned_comma_not_the_apostrophe():
    bad = [
        msgstr
        for _flags, _msgid, msgstr in entries("uz")
        if re.search(r"[oOgG]['ʻ`]", msgstr)
    ]
    assert bad == []
