"""Text as people type and paste it, made fit to store and to print, in one place.

Word puts vertical tabs and other control characters into pasted text; none of them means
anything in a note or a title, and several cannot be stored in an XLSX cell or a PostgreSQL
text column (NUL). Text coming in (forms, imports, plan files) goes through `clean_text`: line
ends become "\n", tab and newline stay, every other control character is removed. A NUL is
refused rather than removed, with a message (`refuse_nul`, `CleanCharField`): it means the text
came from somewhere it should not have (a binary file), and the person should look. Word's
line and page breaks (vertical tab, form feed) become newlines, as they were meant.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# C0 controls but NUL, tab and newline; DEL; the C1 controls; the two non-characters XML refuses.
_REMOVED = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
NUL = "\x00"
NUL_MESSAGE = _(
    "The text holds a NUL character, which usually comes from a copied file; "
    "retype the text or paste it as plain text."
)


def clean_text(text: str) -> str:
    """The text with Windows and old Mac line ends and Word's breaks as "\n", and other control
    characters removed (tab and NUL stay: see refuse_nul)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS)
    return _REMOVED.sub("", text)


def refuse_nul(text: str) -> None:
    """Raises ValidationError with NUL_MESSAGE when the text holds a NUL."""
    if NUL in text:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")


class CleanCharField(forms.CharField):
    """A CharField whose text is cleaned (clean_text) and refused with our message if it holds
    a NUL; the length limit applies to the cleaned text."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Django's own NUL validator says so in words a librarian cannot act on; ours replaces it.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_python(self, value):
        value = super().to_python(value)
        refuse_nul(value)
        value = clean_text(value)
        return value.strip() if self.strip else value
