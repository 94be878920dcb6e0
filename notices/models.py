"""A person's profile (language, Telegram, channels), their notices, and each notice's deliveries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.models import Organization

from .kinds import Channel, DeliveryState, Kind, wanted_channels


class Profile(models.Model):
    """What a person chose for themselves: their language, their Telegram chat, and by which channels
    each kind of notice reaches them. Created on the first visit to the profile page; a person without
    one gets the defaults (the site's first language, every channel)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile"
    )
    # One of settings.LANGUAGES, checked by the profile form: no choices here, so that a language
    # added to the settings needs no migration.
    language = models.CharField(_("language"), max_length=16, default=settings.LANGUAGE_CODE)
    telegram_chat_id = models.BigIntegerField(_("Telegram chat"), null=True, blank=True, unique=True)
    telegram_linked_at = models.DateTimeField(_("Telegram linked at"), null=True, blank=True)
    # {kind: [channel, …]} for the kinds the person chose channels for (see kinds.wanted_channels).
    channels = models.JSONField(_("channels per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str, channel: str) -> bool:
        return channel in wanted_channels(self.channels, kind)


class Notice(models.Model):
    """One thing told to one person, in the app (always) and by the channels they chose.

    Written in the transaction of the event that causes it; `data` holds what the text is made of
    (notices.messages renders it in the reader's language), `link` the page where they act.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # The period and subject of a reminder, or the event that caused the notice: with the person
    # and the kind it is unique, so a reminder run twice (or by two workers) writes one notice.
    key = models.CharField(_("key"), max_length=64)
    centre = models.ForeignKey(
        Organization, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="notices"
    )
    # {"v": format version, …the kind's values}; see notices.messages.
    data = models.JSONField(_("data"), default=dict)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The plan's clock (a demo of 3 April 2024 dates its notices then).
    created_at = models.DateTimeField(_("written at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When the worker created the notice's deliveries; empty until then (see notices.delivery).
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                name="notice_once_per_person_kind_key",
                violation_error_message=_("This person has already been told this."),
            ),
        ]
        indexes = [
            # The bell: a person's unread notices.
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread"),
            models.Index(
                fields=["id"], condition=Q(dispatched_at__isnull=True), name="notice_not_dispatched"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()} · {self.key}"


class Delivery(models.Model):
    """A notice on its way by one channel: tried by the worker, retried with backoff, recorded."""

    State = DeliveryState

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The e-mail address or Telegram chat when the delivery was made.
    address = models.CharField(_("address"), max_length=254)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Real time (not the demo's clock): when the next try is due, when a worker took it, when it went.
    next_try_at = models.DateTimeField(_("next try at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel"],
                name="delivery_once_per_notice_channel",
                violation_error_message=_("This notice is already on its way by this channel."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values),
                name="delivery_state_known",
                violation_error_message=_("Unknown delivery state."),
            ),
        ]
        indexes = [models.Index(fields=["state", "next_try_at"], name="delivery_state_next_try")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.get_channel_display()} · {self.get_state_display()}"


class TelegramCode(models.Model):
    """A one-time code a person sends the bot (`/start CODE`) to link their Telegram chat."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("created at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram linking code")
        verbose_name_plural = _("Telegram linking codes")

    def __str__(self) -> str:
        return f"{self.user} · {self.code}"


class TelegramCursor(models.Model):
    """The next Bot API update to read (getUpdates' offset): one row, so nothing is read twice."""

    next_update_id = models.BigIntegerField(_("next update"), default=0)

    class Meta:
        verbose_name = _("Telegram cursor")
        verbose_name_plural = _("Telegram cursor")

    def __str__(self) -> str:
        return str(self.next_update_id)
