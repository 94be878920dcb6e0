"""Delivery that loses nothing and sends nothing twice: the scheduler run twice, two workers, a task lost
on the way to the queue, a worker stopped while sending."""

import datetime

from django.utils import timezone

from notices import tasks
from notices.delivery import INTERRUPTED
from notices.kinds import Channel, DeliveryState, Kind
from notices.models import Delivery, Notice

from .conftest import body_of, send_report

SERVICE_PEOPLE = [
    f"{role}-{short}"
    for role in ("xodim", "boshliq")
    for short in ("bibliografiya", "abonement", "akt", "fond", "madaniyat", "kadrlar")
]


def give_emails(users) -> None:
    for user in users:
        user.email = f"{user.username}@example.uz"
        user.save(update_fields=["email"])


def sent_data(demo) -> dict:
    return {"v": 1, "centre": demo.district.name, "year": 2024, "quarter": 1, "by": "Direktor", "version": 1}


def test_the_scheduler_run_twice_sends_each_reminder_once(demo, smtp, two_workers):
    give_emails(demo.users[name] for name in SERVICE_PEOPLE)

    tasks.reminders()
    tasks.reminders()
    two_workers.wait()

    lock_day = [message for message in smtp.messages if "/plan/entry/2024/3/" in body_of(message, "plain")]
    assert sorted(rcpt for [rcpt] in smtp.recipients if rcpt.startswith(("xodim", "boshliq"))) == sorted(
        f"{name}@example.uz" for name in SERVICE_PEOPLE
    )
    assert len(lock_day) == len(SERVICE_PEOPLE)
    assert Notice.objects.filter(kind=Kind.LOCK_DAY).count() == len(SERVICE_PEOPLE)


def test_a_delivery_queued_many_times_goes_once(demo, smtp, two_workers):
    give_emails([demo.users["viloyat"]])
    send_report(demo.plan, 1, demo.users["direktor"])
    two_workers.wait()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.PENDING, attempts=0, sent_at=None)
    smtp.messages.clear()
    smtp.recipients.clear()

    for _ in range(6):
        tasks.deliver(delivery.pk)
    two_workers.wait()

    assert smtp.recipients == [["viloyat@example.uz"]]


def test_a_notice_whose_dispatch_was_lost_is_found_by_the_sweep(demo, smtp, worker):
    """The queue was down when the event committed: the notice waits undispatched, the sweep sends it."""
    reviewer = demo.users["viloyat"]
    give_emails([reviewer])
    Notice.objects.create(
        recipient=reviewer,
        kind=Kind.REPORT_SENT,
        key="report/999",
        centre=demo.district,
        data={
            "v": 1,
            "centre": demo.district.name,
            "year": 2024,
            "quarter": 1,
            "by": "Direktor",
            "version": 1,
        },
        link=f"/reports/{demo.plan.pk}/1/",
        created_at=timezone.now(),
    )

    tasks.sweep()
    worker.wait()

    assert smtp.recipients == [["viloyat@example.uz"]]


def test_a_delivery_whose_task_was_lost_is_sent_by_the_sweep(demo, smtp, worker):
    reviewer = demo.users["viloyat"]
    give_emails([reviewer])
    notice = Notice.objects.create(
        recipient=reviewer,
        kind=Kind.REPORT_SENT,
        key="report/999",
        centre=demo.district,
        data={
            "v": 1,
            "centre": demo.district.name,
            "year": 2024,
            "quarter": 1,
            "by": "Direktor",
            "version": 1,
        },
        link=f"/reports/{demo.plan.pk}/1/",
        created_at=timezone.now(),
        dispatched_at=timezone.now(),
    )
    Delivery.objects.create(
        notice=notice,
        channel=Channel.EMAIL,
        address=reviewer.email,
        next_try_at=timezone.now() - datetime.timedelta(hours=1),
    )

    tasks.sweep()
    tasks.sweep()
    worker.wait()

    assert smtp.recipients == [["viloyat@example.uz"]]


def test_a_delivery_interrupted_while_sending_is_shown_failed_not_sent_again(demo, smtp, worker, settings):
    reviewer = demo.users["viloyat"]
    give_emails([reviewer])
    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()
    smtp.messages.clear()
    smtp.recipients.clear()
    # As a worker leaves it when it stops between taking the delivery and recording that it went.
    stuck = timezone.now() - datetime.timedelta(minutes=settings.NOTICE_CLAIM_MINUTES + 1)
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_at=stuck, sent_at=None)

    tasks.sweep()
    worker.wait()

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.error) == (DeliveryState.FAILED, INTERRUPTED)
    assert smtp.messages == []
