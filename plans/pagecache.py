"""Rendered parts of the plan's pages, reused until the plan changes.

A dashboard, an indicator's page or a service's entry table is the same for everyone who may
see it until something it shows changes, and that is rare next to how often the pages are
opened. Each part is kept in Django's cache under the plan's revision token
(plans.revisions replaces the token in the same transaction as any such change), the language,
today's date (which months are open, what is due) and whatever else the caller says the part
varies on. Nothing that depends on who is looking goes into a part unless it is in its key; the
parts are rendered without the request, so they cannot use the user, the session or a CSRF token.

A part is only ever read back under the token it was rendered with, so a part is never stale,
whichever application server rendered it; old parts simply age out of the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .clock import today
from .models import Plan, PlanRevision


def _token(plan: Plan) -> str | None:
    """The plan's revision token (select `revision` with the plan to save a query), or None for a
    plan without one, whose parts are then rendered every time."""
    try:
        return plan.revision.token.hex
    except PlanRevision.DoesNotExist:
        return None


def _key(plan: Plan, token: str, name: str, vary_on: tuple) -> str:
    parts = [name, plan.pk, token, get_language(), timezone.get_current_timezone_name(), today(), *vary_on]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"akm-part:{plan.pk}:{digest}"


def cached_value(plan: Plan, name: str, compute: Callable[[], Any], *vary_on: object) -> Any:
    """compute(), or what it returned for this plan as it stands (None is not kept)."""
    token = _token(plan)
    if token is None:
        return compute()
    key = _key(plan, token, name, vary_on)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value)
    return value


def cached_part(
    plan: Plan, template_name: str, context: Callable[[], dict[str, Any]], *vary_on: object
) -> SafeString:
    """The template rendered with context(), or the same part rendered earlier for this plan as it
    stands; context() is only called when the part has to be rendered."""
    html = cached_value(plan, template_name, lambda: render_to_string(template_name, context()), *vary_on)
    return mark_safe(html)
