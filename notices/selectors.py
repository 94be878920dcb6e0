"""Reads that feed the notice pages: the bell's count, a person's notices, their profile page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator

from services.access import Access

from . import telegram
from .delivery import email_enabled
from .kinds import Channel, Kind, wanted_channels
from .messages import Message, render
from .models import Notice, Profile, TelegramCode
from .profiles import known_language, profile_of
from .writing import TOLD

PAGE_SIZE = 30


def unread_count(user: AbstractBaseUser) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class NoticeRow:
    """A notice on the list, in the page's language."""

    notice: Notice
    message: Message

    @property
    def unread(self) -> bool:
        return self.notice.read_at is None


def notice_page(user: AbstractBaseUser, number: int | None) -> tuple[Page, list[NoticeRow]]:
    """The person's notices, newest first, a page at a time (two queries: the count and the page)."""
    paginator = Paginator(Notice.objects.filter(recipient=user).order_by("-created_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(number)
    return page, [NoticeRow(notice, render(notice.kind, notice.data)) for notice in page.object_list]


@dataclass(frozen=True)
class ChannelChoice:
    channel: Channel
    chosen: bool
    # Whether this server sends by the channel, and the person has an address for it.
    available: bool

    @property
    def field(self) -> str:
        return self.channel.value


@dataclass(frozen=True)
class KindChoices:
    kind: Kind
    channels: list[ChannelChoice]

    def field(self, channel: ChannelChoice) -> str:
        return f"{self.kind.value}-{channel.channel.value}"


@dataclass(frozen=True)
class ProfilePage:
    language: str
    email: str
    kinds: list[KindChoices]
    email_on: bool
    telegram_on: bool
    telegram_linked: bool
    bot_username: str
    code: TelegramCode | None


def kinds_for(access: Access) -> list[Kind]:
    """The kinds the person can be told of, from their roles (every kind for someone with none)."""
    roles = {membership.role for membership in access.memberships}
    kinds = [kind for kind in Kind if TOLD[kind] & roles]
    return kinds or list(Kind)


def profile_page(access: Access) -> ProfilePage:
    user = access.user
    profile = profile_of(user) or Profile(user=user)
    email_on, telegram_on = email_enabled(), telegram.enabled()
    has = {
        Channel.EMAIL: email_on and bool(user.email),
        Channel.TELEGRAM: telegram_on and bool(profile.telegram_chat_id),
    }
    kinds = [
        KindChoices(
            kind,
            [
                ChannelChoice(channel, channel in wanted_channels(profile.channels, kind), has[channel])
                for channel in Channel
            ],
        )
        for kind in kinds_for(access)
    ]
    code = (
        TelegramCode.objects.filter(
            user=user, used_at__isnull=True, created_at__gte=telegram.code_valid_since()
        )
        .order_by("-created_at")
        .first()
        if telegram_on and not profile.telegram_chat_id
        else None
    )
    return ProfilePage(
        language=known_language(profile.language),
        email=user.email,
        kinds=kinds,
        email_on=email_on,
        telegram_on=telegram_on,
        telegram_linked=profile.telegram_chat_id is not None,
        bot_username=settings.TELEGRAM_BOT_USERNAME,
        code=code,
    )


def code_expires(code: TelegramCode) -> datetime.datetime:
    return code.created_at + datetime.timedelta(minutes=settings.TELEGRAM_CODE_MINUTES)
