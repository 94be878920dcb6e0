"""The bell on every page: the person's unread notices, counted in one query when the page shows it."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from .selectors import unread_count


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self.user)


def bell(request: HttpRequest) -> dict[str, object]:
    """Template context: `bell`, whose `unread` is read only if the page shows it."""
    user = getattr(request, "user", None)
    return {"bell": Bell(user) if user is not None and user.is_authenticated else None}
