"""Search that treats the five ways of typing the Uzbek apostrophe as one letter.

People write o‘, g‘ and the tutuq belgisi with `'`, `‘` (U+2018), `’` (U+2019), `ʻ` (U+02BB) or
`ʼ` (U+02BC), and the plan's text mixes them too; a search for "ma'lumot" must find "ma’lumot".
Both sides are brought to the plain `'`: the term in Python, the column in SQL (REPLACE works the
same on SQLite and PostgreSQL). A term typed in Cyrillic is read in Latin first (common.cyrillic),
so "масъул" finds "mas’ul" as the plan stores it.
"""
import re

from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Replace

from common.cyrillic import has_cyrillic, to_latin

PLAIN_APOSTROPHE = "'"
# Every form but the plain one, each replaced by the plain one.
APOSTROPHE_VARIANTS = ("\u2018", "\u2019", "\u02bb", "\u02bc")
_TO_PLAIN = str.maketrans({variant: PLAIN_APOSTROPHE for variant in APOSTROPHE_VARIANTS})
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def normalise_apostrophes(text: str) -> str:
    """The text with every apostrophe form written as the plain `'`."""
    return text.translate(_TO_PLAIN)


def apostrophes_normalised(field: str | Combinable) -> Replace:
    """An SQL expression giving the column with every apostrophe form as the plain `'`."""
    expression = field
    for variant in APOSTROPHE_VARIANTS:
        expression = Replace(
            expression, Value(variant), Value(PLAIN_APOSTROPHE), output_field=TextField()
        )
    return expression


def search_terms(search: str) -> list[str]:
    """The words of a search box, "double-quoted phrases" kept whole, apostrophes made plain.

    Unlike Django's admin, a single `'` does not open a quotation: in Uzbek it is a letter. A
    Cyrillic term becomes its Latin spelling.
    """
    return [
        normalise_apostrophes(to_latin(term) if has_cyrillic(term) else term)
        for phrase, word in _TERM.findall(search)
        if (term := phrase or word).strip()
    ]


def search_numbered(
    queryset: QuerySet, search: str, *, number_field: str, text_fields: tuple[str, ...]
) -> QuerySet:
    """Rows whose number is a term (or its sub-items: "12" finds 12.1) or whose text holds it.

    Every term must match somewhere, as in Django's admin search; apostrophes in the terms and
    in the text fields match whatever form they are written in.
    """
    annotations = {f"_search_{i}": apostrophes_normalised(name) for i, name in enumerate(text_fields)}
    queryset = queryset.annotate(**annotations)
    for term in search_terms(search):
        matches = Q(**{number_field: term}) | Q(**{f"{number_field}__startswith": f"{term}."})
        for alias in annotations:
            matches |= Q(**{f"{alias}__icontains": term})
        queryset = queryset.filter(matches)
    return queryset
