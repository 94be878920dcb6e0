"""Delivering notices by e-mail and Telegram, run by the queue's worker (notices.tasks) after commit.

- dispatch: a notice gets one Delivery per channel its recipient wants and has an address for
  (unique per notice and channel, so two workers dispatching at once make one);
- deliver: a worker claims a pending delivery with one conditional UPDATE (only one worker can),
  sends it, and records the outcome; a failure is retried with a doubling delay until
  NOTICE_DELIVERY_TRIES, then shown as failed in the admin with its error;
- sweep: what was lost on the way (a queue down at commit, a worker stopped mid-send) is found
  again. A delivery interrupted while sending is marked failed rather than sent again: the
  message may have left, and nothing is sent twice; the admin's "try again" sends it on purpose.

Times here are real time, not the plan's clock: they pace the worker, not the plan.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import telegram
from .kinds import Channel, DeliveryState, wanted_channels
from .messages import render
from .models import Delivery, Notice
from .profiles import language_of, profile_of

logger = logging.getLogger(__name__)

DISPATCH_BATCH = 500
# A pending delivery whose next try is this far past was lost on the way to the queue.
LOST_AFTER = timedelta(minutes=5)
INTERRUPTED = "Interrupted while sending (the worker stopped); not sent again automatically."


def email_enabled() -> bool:
    return bool(settings.EMAIL_HOST)


def dispatch() -> tuple[int, list[int]]:
    """Give the next notices not yet dispatched (a batch) their deliveries. Returns how many notices
    were taken, and the ids of the deliveries to send."""
    notices = list(
        Notice.objects.filter(dispatched_at__isnull=True)
        .select_related("recipient__profile")
        .order_by("pk")[:DISPATCH_BATCH]
    )
    if not notices:
        return 0, []
    now = timezone.now()
    channels_on = {Channel.EMAIL: email_enabled(), Channel.TELEGRAM: telegram.enabled()}
    deliveries = []
    for notice in notices:
        profile = profile_of(notice.recipient)
        wanted = wanted_channels(profile.channels if profile else {}, notice.kind)
        for channel, address in addresses(notice.recipient).items():
            if channels_on[channel] and channel in wanted:
                deliveries.append(Delivery(notice=notice, channel=channel, address=address, next_try_at=now))
    ids = [notice.pk for notice in notices]
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        Notice.objects.filter(pk__in=ids, dispatched_at__isnull=True).update(dispatched_at=now)
    pending = Delivery.objects.filter(notice_id__in=ids, state=DeliveryState.PENDING)
    return len(notices), list(pending.values_list("pk", flat=True))


def addresses(user) -> dict[str, str]:
    """Where each channel reaches the person; a channel they have no address for is left out."""
    found = {}
    if user.email:
        found[Channel.EMAIL] = user.email
    profile = profile_of(user)
    if profile is not None and profile.telegram_chat_id is not None:
        found[Channel.TELEGRAM] = str(profile.telegram_chat_id)
    return found


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling from NOTICE_RETRY_SECONDS."""
    return settings.NOTICE_RETRY_SECONDS * 2 ** (attempts - 1)


def claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for this worker if it is pending and due; None if another worker has it,
    it went already, or its next try is not due yet."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_try_at__lte=now
    ).update(state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Delivery.objects.select_related("notice__recipient__profile", "notice__centre").get(pk=delivery_id)


def deliver(delivery_id: int) -> float | None:
    """Try the delivery once. Returns the seconds until it is to be tried again after a failure that
    may pass, else None (sent, failed for good, or not this worker's to send)."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    try:
        SENDERS[delivery.channel](delivery)
    except Exception as error:
        return _failed(delivery, error)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENT, sent_at=timezone.now(), error="")
    return None


def _failed(delivery: Delivery, error: Exception) -> float | None:
    text = f"Attempt {delivery.attempts}: {type(error).__name__}: {error}"[:2000]
    permanent = isinstance(error, telegram.TelegramError) and error.permanent
    if permanent and delivery.channel == Channel.TELEGRAM and error.code == 403:
        # The person blocked the bot or left: the chat is unlinked, as /stop would.
        telegram.do_unlink_chat(int(delivery.address))
    if permanent or delivery.attempts >= settings.NOTICE_DELIVERY_TRIES:
        logger.warning("Delivery %s failed for good: %s", delivery.pk, text)
        Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, error=text)
        return None
    delay = retry_delay(delivery.attempts)
    if isinstance(error, telegram.TelegramError) and error.retry_after:
        delay = max(delay, float(error.retry_after))
    logger.warning("Delivery %s failed, retried in %.0f s: %s", delivery.pk, delay, text)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_try_at=timezone.now() + timedelta(seconds=delay), error=text
    )
    return delay


def send_email(delivery: Delivery) -> None:
    """The notice as an e-mail in the recipient's language: plain text and HTML, linking to the page."""
    notice = delivery.notice
    language = language_of(notice.recipient)
    with translation.override(language):
        message = render(notice.kind, notice.data)
        context = {
            "message": message,
            "link": f"{settings.SITE_URL}{notice.link}",
            "profile_link": f"{settings.SITE_URL}/profile/",
            "language": language,
        }
        text = render_to_string("notices/email.txt", context)
        html = render_to_string("notices/email.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    mail = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + message.title,
        body=text,
        to=[delivery.address],
        headers={
            # Stable across tries, so a receiving server can drop a copy it already has.
            "Message-ID": f"<notice-{notice.pk}-{delivery.pk}@{domain}>",
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach_alternative(html, "text/html")
    mail.send(fail_silently=False)


def send_telegram(delivery: Delivery) -> None:
    notice = delivery.notice
    with translation.override(language_of(notice.recipient)):
        text = render(notice.kind, notice.data).text
    telegram.send_message(delivery.address, f"{text}\n\n{settings.SITE_URL}{notice.link}")


SENDERS = {Channel.EMAIL: send_email, Channel.TELEGRAM: send_telegram}


def sweep() -> tuple[list[int], int]:
    """Find what was lost: deliveries interrupted while sending (failed, see above), and pending ones
    whose try is long past. Returns the ids to send again and the number interrupted."""
    now = timezone.now()
    interrupted = Delivery.objects.filter(
        state=DeliveryState.SENDING, claimed_at__lt=now - timedelta(minutes=settings.NOTICE_CLAIM_MINUTES)
    ).update(state=DeliveryState.FAILED, error=INTERRUPTED)
    lost = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_try_at__lt=now - LOST_AFTER).values_list(
            "pk", flat=True
        )
    )
    return lost, interrupted


@transaction.atomic
def do_try_again(deliveries: list[Delivery]) -> list[int]:
    """Send failed deliveries again, on purpose (the admin's action): from the first try."""
    ids = [delivery.pk for delivery in deliveries if delivery.state == DeliveryState.FAILED]
    Delivery.objects.filter(pk__in=ids).update(
        state=DeliveryState.PENDING, attempts=0, next_try_at=timezone.now(), claimed_at=None
    )
    return ids
