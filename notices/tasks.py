"""The queue's tasks (huey, found by its Django integration): delivering notices, and the scheduler's
periodic runs (reminders, the sweep, the Telegram bot's messages). `manage.py run_huey` runs them."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task
from huey.exceptions import RetryTask

from . import delivery, telegram
from .reminders import run_reminders

logger = logging.getLogger(__name__)


@db_task()
def dispatch() -> None:
    """Give new notices their deliveries and queue each (queued after every write of notices)."""
    while True:
        taken, ids = delivery.dispatch()
        for delivery_id in ids:
            deliver(delivery_id)
        if taken < delivery.DISPATCH_BATCH:
            break


@db_task()
def deliver(delivery_id: int) -> None:
    """Send one delivery; after a failure that may pass, the queue runs this again after the delay."""
    delay = delivery.deliver(delivery_id)
    if delay is not None:
        raise RetryTask(delay=delay)


@db_periodic_task(crontab(minute="*/5"))
def sweep() -> None:
    lost, interrupted = delivery.sweep()
    if interrupted:
        logger.warning("%s deliveries were interrupted while sending; see the admin", interrupted)
    dispatch()
    for delivery_id in lost:
        deliver(delivery_id)


@db_periodic_task(crontab(minute="0"))
def reminders() -> None:
    """Every hour: whatever is due today is written once (the notices' unique key sees to that)."""
    run_reminders()


@db_periodic_task(crontab())
@lock_task("telegram-updates")
def telegram_updates() -> None:
    """Every minute: answer the bot's messages (linking codes, /stop)."""
    if telegram.enabled():
        telegram.poll()
