"""Forms of the monthly entry: one value and note per indicator, all checked before anything is saved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField

from .entry import Conflict, SubmittedRow
from .selectors import EntryFormRow

# More than any centre does in a month: a larger number is a typing mistake.
MAX_VALUE = 1_000_000
NOTE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 255

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?")
_FIELD = re.compile(r"^(?:value|note|was|was_note)-(\d+)$")


class WholeNumberField(forms.CharField):
    """A whole number from 0 to MAX_VALUE, or empty (None). Spaces between digits (1 200) are allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_python(self, value) -> int | None:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value or ""))
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise ValidationError(_("Enter a whole number, such as 12."), code="invalid")
        if text.startswith("-") and text.strip("-0.,"):
            raise ValidationError(_("The number cannot be negative."), code="negative")
        if "." in text or "," in text:
            raise ValidationError(_("Enter a whole number, without a decimal part."), code="decimal")
        number = int(text)
        if number > MAX_VALUE:
            raise ValidationError(
                _("The number is too large: at most %(max)s."),
                params={"max": f"{MAX_VALUE:,}".replace(",", " ")},
                code="too_large",
            )
        return max(number, 0)

    def validate(self, value) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value) -> None:
        # CharField's length validators would measure the number, not the text typed.
        return


class PlainInputMixin:
    """An <input> written in Python rather than through Django's widget template.

    An entry page holds four inputs per indicator, hundreds in all: rendering each through a
    template was a third of the page's time, and even format_html and flatatt cost a fifth of
    what is left. The markup is what `input.html` writes; every value is escaped.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        value = self.format_value(value)
        parts = [f'<input type="{self.input_type}" name="{escape(name)}"']
        if value is not None:
            parts.append(f' value="{escape(value)}"')
        for key, attr in self.build_attrs(self.attrs, attrs).items():
            if attr is True:
                parts.append(f" {key}")
            elif attr is not False and attr is not None:
                parts.append(f' {key}="{escape(attr)}"')
        parts.append(">")
        return mark_safe("".join(parts))


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainHiddenInput(PlainInputMixin, forms.HiddenInput):
    pass


@dataclass(frozen=True)
class EntryRowFields:
    value: forms.BoundField
    note: forms.BoundField
    was: forms.BoundField
    was_note: forms.BoundField

    @property
    def has_errors(self) -> bool:
        """Whether the row is in error: never before the form is submitted (each field's `errors`
        would build an empty list for nothing, four times a row)."""
        return self.value.form.is_bound and bool(self.value.errors or self.note.errors or self.was.errors)


class MonthEntryForm(forms.Form):
    """The value and note of every row of a service's month, with what each row was loaded with.

    The hidden `was` fields let the save notice a row someone else changed meanwhile."""

    def __init__(self, data=None, *, rows: Sequence[EntryFormRow]):
        super().__init__(data)
        self.rows = rows
        for row in rows:
            pk, name = row.indicator_id, row.name
            self.fields[f"value-{pk}"] = WholeNumberField(
                initial=row.value,
                widget=PlainTextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "class": "value",
                        "size": 7,
                        "aria-label": gettext("%(row)s: done this month") % {"row": name},
                    }
                ),
            )
            self.fields[f"note-{pk}"] = CleanCharField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                initial=row.note,
                widget=PlainTextInput(
                    attrs={
                        "class": "note",
                        "autocomplete": "off",
                        "aria-label": gettext("%(row)s: note") % {"row": name},
                    }
                ),
            )
            self.fields[f"was-{pk}"] = WholeNumberField(initial=row.value, widget=PlainHiddenInput)
            self.fields[f"was_note-{pk}"] = forms.CharField(
                required=False, strip=False, initial=row.note, widget=PlainHiddenInput
            )

    def row_fields(self, indicator_id: int) -> EntryRowFields:
        return EntryRowFields(
            value=self[f"value-{indicator_id}"],
            note=self[f"note-{indicator_id}"],
            was=self[f"was-{indicator_id}"],
            was_note=self[f"was_note-{indicator_id}"],
        )

    def foreign_indicator_ids(self) -> set[int]:
        """Indicators named in the submitted data that are not rows of this page (a tampered form)."""
        named = {int(match[1]) for key in (self.data or {}) if (match := _FIELD.match(key))}
        return named - {row.indicator_id for row in self.rows}

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            pk = row.indicator_id
            no_value = cleaned.get(f"value-{pk}") is None and f"value-{pk}" not in self.errors
            if no_value and cleaned.get(f"note-{pk}"):
                self.add_error(
                    f"value-{pk}", _("A note needs a number: enter 0 if nothing was done this month.")
                )
        return cleaned

    def confirmed_unlikely(self) -> dict[int, int]:
        """The unlikely values (plans.unlikely) the person confirmed, by indicator id: the box
        beside such a row holds the value it confirms, so a value changed after is asked again."""
        confirmed = {}
        for row in self.rows:
            raw = str((self.data or {}).get(f"sure-{row.indicator_id}", ""))
            if raw.isdigit() and len(raw) <= 9:
                confirmed[row.indicator_id] = int(raw)
        return confirmed

    def entries(self) -> list[SubmittedRow]:
        data = self.cleaned_data
        return [
            SubmittedRow(
                indicator_id=row.indicator_id,
                value=data[f"value-{row.indicator_id}"],
                note=data[f"note-{row.indicator_id}"],
                loaded_value=data[f"was-{row.indicator_id}"],
                loaded_note=data[f"was_note-{row.indicator_id}"],
            )
            for row in self.rows
        ]


def with_current_values(data, conflicts: Sequence[Conflict]):
    """The submitted data, with each conflicting row marked as loaded with its value as it is now,
    so that submitting again keeps the person's own value knowingly."""
    data = data.copy()
    for conflict in conflicts:
        current = "" if conflict.current_value is None else str(conflict.current_value)
        data[f"was-{conflict.indicator_id}"] = current
        data[f"was_note-{conflict.indicator_id}"] = conflict.current_note
    return data


class ReasonForm(forms.Form):
    """Why a month is closed, reopened or its completion taken back: optional unless said."""

    reason = CleanCharField(required=False, max_length=REASON_MAX_LENGTH)

    def __init__(self, data=None, *, required: bool = False):
        super().__init__(data)
        self.fields["reason"].required = required

    def error_text(self) -> str:
        return " ".join(str(error) for error in self.errors.get("reason", []))
