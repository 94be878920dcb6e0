"""Telegram: the Bot API at settings.TELEGRAM_API_URL (sendMessage, getUpdates), and the bot's side of
linking a chat to a person (`/start CODE`) and unlinking it (`/stop`).

The token is part of every URL the Bot API is called at, so no URL is ever logged or recorded.
"""

from __future__ import annotations

import json
import logging
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Profile, TelegramCode, TelegramCursor
from .profiles import known_language, language_of

logger = logging.getLogger(__name__)

# Codes people type: capitals and digits that cannot be mistaken for one another.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def enabled() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN)


class TelegramError(Exception):
    """The Bot API refused or could not be reached. `permanent`: trying again cannot help (the
    person blocked the bot, the chat is gone)."""

    def __init__(self, description: str, code: int | None = None, retry_after: int | None = None):
        super().__init__(f"{code}: {description}" if code else description)
        self.code = code
        self.retry_after = retry_after

    @property
    def permanent(self) -> bool:
        return self.code in (400, 403)


def call(method: str, payload: dict[str, Any]) -> Any:
    """One Bot API method; its `result`, or TelegramError."""
    request = urllib.request.Request(
        f"{settings.TELEGRAM_API_URL}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TELEGRAM_TIMEOUT) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        body = _json_or_empty(error.read())
        raise TelegramError(
            body.get("description") or error.reason, error.code, body.get("parameters", {}).get("retry_after")
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise TelegramError(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from None
    if not body.get("ok"):
        raise TelegramError(body.get("description") or "not ok", body.get("error_code"))
    return body.get("result")


def _json_or_empty(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def send_message(chat_id: int | str, text: str) -> None:
    call("sendMessage", {"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}})


# Linking, from the site's side.


@transaction.atomic
def do_new_code(*, acting_user: AbstractBaseUser) -> TelegramCode:
    """A fresh one-time code for the person; their earlier unused codes stop working."""
    TelegramCode.objects.filter(user=acting_user, used_at__isnull=True).delete()
    return TelegramCode.objects.create(
        user=acting_user,
        code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
        created_at=timezone.now(),
    )


@transaction.atomic
def do_unlink(*, acting_user: AbstractBaseUser) -> bool:
    """Forget the person's Telegram chat (from their profile page). False if none was linked."""
    return bool(
        Profile.objects.filter(user=acting_user, telegram_chat_id__isnull=False).update(
            telegram_chat_id=None, telegram_linked_at=None
        )
    )


def code_valid_since() -> datetime:
    return timezone.now() - timedelta(minutes=settings.TELEGRAM_CODE_MINUTES)


# Linking, from the bot's side.


@transaction.atomic
def do_link(code: str, chat_id: int) -> AbstractBaseUser | None:
    """Link the chat to the person whose unused, unexpired code this is; None for a wrong, used or
    expired code. A chat belongs to one person: linked to another, it moves."""
    now = timezone.now()
    code = code.strip().upper()
    used = TelegramCode.objects.filter(
        code=code, used_at__isnull=True, created_at__gte=code_valid_since()
    ).update(used_at=now)
    if not used:
        return None
    user = TelegramCode.objects.select_related("user").get(code=code).user
    Profile.objects.filter(telegram_chat_id=chat_id).exclude(user=user).update(
        telegram_chat_id=None, telegram_linked_at=None
    )
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.telegram_chat_id, profile.telegram_linked_at = chat_id, now
    profile.save(update_fields=["telegram_chat_id", "telegram_linked_at"])
    return user


@transaction.atomic
def do_unlink_chat(chat_id: int) -> bool:
    """Forget the chat (`/stop` to the bot, or the person blocked it). False if it was not linked."""
    return bool(
        Profile.objects.filter(telegram_chat_id=chat_id).update(
            telegram_chat_id=None, telegram_linked_at=None
        )
    )


def poll() -> int:
    """Read the bot's new messages (getUpdates from the stored offset) and answer each; returns how
    many were read. The offset is saved after each, so none is handled twice."""
    cursor, _created = TelegramCursor.objects.get_or_create(pk=1)
    updates = call(
        "getUpdates", {"offset": cursor.next_update_id, "timeout": 0, "allowed_updates": ["message"]}
    )
    for update in updates:
        try:
            handle(update)
        except Exception:
            logger.exception("Telegram update %s could not be handled", update.get("update_id"))
        cursor.next_update_id = int(update["update_id"]) + 1
        cursor.save(update_fields=["next_update_id"])
    return len(updates)


def handle(update: dict[str, Any]) -> None:
    """Answer one message to the bot: `/start CODE` links, `/stop` unlinks, anything else is told how."""
    message = update.get("message") or {}
    chat = message.get("chat") or {}
    chat_id = chat.get("id")
    if chat_id is None or chat.get("type") != "private":
        return
    words = (message.get("text") or "").split()
    command = words[0].split("@")[0].lower() if words else ""
    language = _language(message, chat_id)
    if command == "/start" and len(words) > 1:
        user = do_link(words[1], chat_id)
        reply = _linked(user, chat_id) if user else _refused(language)
    elif command in ("/stop", "/unlink"):
        unlinked = do_unlink_chat(chat_id)
        with translation.override(language):
            reply = (
                _("This chat is no longer linked to AKM Reja: notices will not come here.")
                if unlinked
                else _("This chat is not linked to AKM Reja.")
            )
    else:
        with translation.override(language):
            reply = _(
                "To get AKM Reja notices here, open your profile page (%(url)s), take a linking code "
                "and send it here as /start CODE. /stop unlinks this chat."
            ) % {"url": f"{settings.SITE_URL}/profile/"}
    send_message(chat_id, reply)


def _linked(user: AbstractBaseUser, chat_id: int) -> str:
    with translation.override(language_of(user)):
        return _("Linked: AKM Reja notices for %(name)s will come to this chat. /stop unlinks it.") % {
            "name": user.get_full_name() or user.get_username()
        }


def _refused(language: str) -> str:
    with translation.override(language):
        return _(
            "This code is wrong, already used or expired. Take a new one on your profile page: %(url)s"
        ) % {"url": f"{settings.SITE_URL}/profile/"}


def _language(message: dict[str, Any], chat_id: int) -> str:
    """The language to answer in: the linked person's, else the one their Telegram app uses."""
    profile = Profile.objects.filter(telegram_chat_id=chat_id).first()
    if profile is not None:
        return known_language(profile.language)
    return known_language((message.get("from") or {}).get("language_code") or "")
