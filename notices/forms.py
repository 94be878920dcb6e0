"""The profile page's form: language, e-mail address, and channels for each kind shown."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import Channel, Kind


class ProfileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)

    def __init__(self, *args, kinds: Sequence[Kind], **kwargs):
        super().__init__(*args, **kwargs)
        # Read from the settings each time: a language added there is offered at once.
        self.fields["language"].choices = list(settings.LANGUAGES)
        self.kinds = list(kinds)
        for kind in self.kinds:
            for channel in Channel:
                self.fields[f"{kind.value}-{channel.value}"] = forms.BooleanField(required=False)

    def channels(self) -> dict[str, set[str]]:
        """The channels chosen for each kind on the form (after is_valid)."""
        return {
            kind.value: {
                channel.value for channel in Channel if self.cleaned_data[f"{kind.value}-{channel.value}"]
            }
            for kind in self.kinds
        }
