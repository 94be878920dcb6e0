"""A person's profile: the language they are written to in, and the channels they chose per kind."""

from __future__ import annotations

from collections.abc import Mapping, Set

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .kinds import Channel, Kind
from .models import Profile


def known_language(code: str) -> str:
    """`code` if the site speaks it (settings.LANGUAGES), else the site's first language."""
    codes = [language for language, _name in settings.LANGUAGES]
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


def profile_of(user: AbstractBaseUser) -> Profile | None:
    """The person's profile, None if they never saved one (reads `user.profile`: select it with
    the user to save a query)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def language_of(user: AbstractBaseUser) -> str:
    """The language a person is written to in: their profile's, else the site's first."""
    profile = profile_of(user)
    return known_language(profile.language) if profile else settings.LANGUAGE_CODE


@transaction.atomic
def do_save_profile(
    *,
    acting_user: AbstractBaseUser,
    language: str,
    email: str,
    channels: Mapping[str, Set[str]],
) -> Profile:
    """Save what the person chose on their profile page: their language, e-mail address, and the
    channels of the kinds the page showed (others keep theirs; the app itself is no choice: every
    notice is there)."""
    profile, _created = Profile.objects.get_or_create(user=acting_user)
    profile.language = known_language(language)
    profile.channels = {
        **profile.channels,
        **{
            kind: sorted(channel for channel in chosen if channel in Channel.values)
            for kind, chosen in channels.items()
            if kind in Kind.values
        },
    }
    profile.save(update_fields=["language", "channels"])
    if acting_user.email != email:
        acting_user.email = email
        acting_user.save(update_fields=["email"])
    return profile
