"""The Uzbek Cyrillic catalogues (uz_Cyrl), made from the Latin ones (uz): never edited by hand.

- locale/uz_Cyrl/LC_MESSAGES/django.po from locale/uz (our strings);
- locale_django/uz_Cyrl/LC_MESSAGES/django.po and djangojs.po from Django's own Uzbek catalogues
  (django/conf/locale and the installed apps' locale/, as Django merges them) completed by
  locale_django/uz, so the admin is in Cyrillic as far as it is in Latin.

Every msgstr is common.cyrillic.to_cyrillic of the Latin one, unless CORRECTIONS (a committed
JSON file of Latin text → Cyrillic text) holds a hand correction for that Latin text: keyed by
the text, a correction survives new msgids and regeneration, and one whose Latin text has gone is
reported. `manage.py cyrillic_catalogue` writes the files (`make messages` runs it, then compiles);
tests/cyrillic/test_catalogue.py fails when a written file is not what this module makes now.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cyrillic import to_cyrillic

LATIN, CYRILLIC = "uz", "uz_Cyrl"


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # "#," flags and "#." notes, kept
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index (0 when singular) → text

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(quoted: str) -> str:
    return json.loads(quoted)


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO file (the header is the entry whose msgid is ""); obsolete ones left out."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish():
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for line in text.splitlines():
        if not line.strip():
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started and target is not None and target[0] == "msgstr":
                finish()
            if line.startswith(("#,", "#.")):
                entry.comments.append(line)
            continue
        match = _LINE.match(line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword == "msgctxt" and started and target is not None and target[0] == "msgstr":
                finish()
            if keyword == "msgid" and started and target is not None and target[0] == "msgstr":
                finish()
            started = True
            value = _unquote(quoted)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                number = int(index) if index is not None else 0
                entry.msgstr[number], target = value, ("msgstr", number)
            continue
        if line.startswith('"') and target is not None:
            value = _unquote(line.strip())
            kind, number = target
            if kind == "msgstr":
                entry.msgstr[number] += value
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + value)
    finish()
    return entries


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028")


def _field(keyword: str, text: str) -> str:
    if "\n" not in text.rstrip("\n") or text == "":
        return f"{keyword} {_quote(text)}\n"
    lines = text.splitlines(keepends=True)
    return f'{keyword} ""\n' + "".join(f"{_quote(line)}\n" for line in lines)


def write_po(entries: list[Entry], preamble: str) -> str:
    out = [preamble]
    for entry in entries:
        block = "".join(f"{comment}\n" for comment in entry.comments)
        if entry.msgctxt is not None:
            block += _field("msgctxt", entry.msgctxt)
        block += _field("msgid", entry.msgid)
        if entry.msgid_plural is not None:
            block += _field("msgid_plural", entry.msgid_plural)
            block += "".join(_field(f"msgstr[{n}]", text) for n, text in sorted(entry.msgstr.items()))
        else:
            block += _field("msgstr", entry.msgstr.get(0, ""))
        out.append(block)
    return "\n".join(out)


class Corrections:
    """Hand corrections: Latin text → its Cyrillic, where the rules read a word wrongly."""

    def __init__(self, path: Path):
        self.path = path
        self.table: dict[str, str] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )
        self.used: set[str] = set()

    def cyrillic(self, latin: str) -> str:
        if latin in self.table:
            self.used.add(latin)
            return self.table[latin]
        return to_cyrillic(latin)

    def unused(self) -> list[str]:
        return sorted(set(self.table) - self.used)


def _header(latin_header: Entry, team: str) -> Entry:
    lines = []
    for line in latin_header.msgstr.get(0, "").splitlines(keepends=True):
        if line.startswith("Language:"):
            line = f"Language: {CYRILLIC}\n"
        elif line.startswith("Language-Team:"):
            line = f"Language-Team: {team}\n"
        lines.append(line)
    return Entry(msgid="", msgstr={0: "".join(lines)})


def transliterated(latin: list[Entry], corrections: Corrections) -> list[Entry]:
    """The Cyrillic entries of a Latin catalogue, header first; untranslated stay untranslated."""
    out = []
    for entry in latin:
        if entry.msgid == "" and entry.msgctxt is None:
            out.append(_header(entry, "Ўзбекча"))
            continue
        out.append(
            Entry(
                comments=[c for c in entry.comments if "fuzzy" not in c],
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr={n: corrections.cyrillic(text) if text else "" for n, text in entry.msgstr.items()},
            )
        )
    return out


PREAMBLE = (
    "# Uzbek Cyrillic, made from the Latin catalogue by `manage.py cyrillic_catalogue` (make\n"
    "# messages): do not edit. Corrections go to locale/uz_Cyrl/corrections.json.\n"
)


def merged(sources: list[Path]) -> list[Entry]:
    """The entries of several Latin catalogues as Django merges them: a later one wins; only
    translated entries count; the header of the last one."""
    header: Entry | None = None
    by_key: dict[str, Entry] = {}
    for path in sources:
        for entry in parse_po(path.read_text(encoding="utf-8")):
            if entry.msgid == "" and entry.msgctxt is None:
                header = entry
            elif any(entry.msgstr.values()) and not any("fuzzy" in c for c in entry.comments):
                by_key[entry.key] = entry
    return ([header] if header else []) + [by_key[key] for key in sorted(by_key)]


def django_sources(domain: str, locale_django: Path) -> list[Path]:
    """Django's and the installed apps' Uzbek catalogues of `domain` in the order Django merges
    them (the first installed app wins, so it comes last), then locale_django's."""
    import django
    from django.apps import apps

    found = [Path(django.__file__).parent / "conf" / "locale" / LATIN / "LC_MESSAGES" / f"{domain}.po"]
    for config in reversed(list(apps.get_app_configs())):
        found.append(Path(config.path) / "locale" / LATIN / "LC_MESSAGES" / f"{domain}.po")
    found.append(locale_django / LATIN / "LC_MESSAGES" / f"{domain}.po")
    return [path for path in found if path.exists()]


def catalogues(base_dir: Path) -> tuple[dict[Path, str], Corrections]:
    """Every Cyrillic catalogue's path → its text as made now from the Latin ones."""
    corrections = Corrections(base_dir / "locale" / CYRILLIC / "corrections.json")
    made: dict[Path, str] = {}
    ours = parse_po((base_dir / "locale" / LATIN / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    made[base_dir / "locale" / CYRILLIC / "LC_MESSAGES" / "django.po"] = write_po(
        transliterated(ours, corrections), PREAMBLE
    )
    locale_django = base_dir / "locale_django"
    for domain in ("django", "djangojs"):
        sources = django_sources(domain, locale_django)
        made[locale_django / CYRILLIC / "LC_MESSAGES" / f"{domain}.po"] = write_po(
            transliterated(merged(sources), corrections),
            PREAMBLE
            + "# From Django's and the installed apps' Uzbek catalogues, then locale_django/uz.\n",
        )
    return made, corrections
