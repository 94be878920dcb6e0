"""E-mail: through Django's SMTP backend to a real SMTP server on 127.0.0.1, by the queue's worker, after
commit; in the recipient's language, plain text and HTML, linking to the page where they act."""

import re

from notices import delivery
from notices.kinds import Channel, DeliveryState, Kind
from notices.models import Delivery, Notice, Profile
from reports.models import Report
from reports.workflow import do_return

from .conftest import body_of, send_report

REPORT_URL = "https://reja.example.uz/reports/{plan}/1/"


def give_emails(demo, *usernames: str) -> None:
    for username in usernames:
        user = demo.users[username]
        user.email = f"{username}@example.uz"
        user.save(update_fields=["email"])


def test_a_sent_report_reaches_the_reviewer_by_email_once_the_worker_runs(demo, smtp, worker):
    give_emails(demo, "viloyat", "direktor")

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert smtp.recipients == [["viloyat@example.uz"]]
    message = smtp.messages[0]
    assert demo.district.name in message["Subject"]
    assert message["Subject"].startswith("[AKM Reja] ")
    assert REPORT_URL.format(plan=demo.plan.pk) in body_of(message, "plain")
    assert f'href="{REPORT_URL.format(plan=demo.plan.pk)}"' in body_of(message, "html")
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_an_email_is_written_in_the_recipients_language(demo, smtp, worker):
    give_emails(demo, "viloyat", "direktor")
    Profile.objects.create(user=demo.users["direktor"], language="ru")
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.get(plan=demo.plan, quarter=1)

    do_return(report, acting_user=demo.users["viloyat"], comment="12.1 bandini tuzating")
    worker.wait()

    [to_director] = smtp.to("direktor@example.uz")
    assert to_director["Content-Language"] == "ru"
    assert re.search("[А-Яа-я]{4}", to_director["Subject"]), to_director["Subject"]
    assert "12.1 bandini tuzating" in body_of(to_director, "plain")
    [to_reviewer] = smtp.to("viloyat@example.uz")
    assert to_reviewer["Content-Language"] == "uz"


def test_a_person_without_an_email_address_gets_the_notice_in_the_app_only(demo, smtp, worker):
    give_emails(demo, "direktor")  # the region's reviewer has none

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert smtp.messages == []
    notice = Notice.objects.get(kind=Kind.REPORT_SENT)
    assert notice.recipient == demo.users["viloyat"]
    assert notice.dispatched_at is not None
    assert not notice.deliveries.exists()


def test_a_person_who_turned_email_off_for_a_kind_gets_none_of_it(demo, smtp, worker):
    give_emails(demo, "viloyat", "direktor")
    Profile.objects.create(user=demo.users["viloyat"], channels={Kind.REPORT_SENT: [Channel.TELEGRAM]})

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert smtp.messages == []
    assert Notice.objects.filter(kind=Kind.REPORT_SENT, recipient=demo.users["viloyat"]).exists()


def test_a_refused_email_is_tried_again_after_a_delay_and_each_try_recorded(demo, smtp, worker):
    give_emails(demo, "viloyat")
    smtp.refuse = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert smtp.refused == 2
    assert smtp.recipients == [["viloyat@example.uz"]]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == (DeliveryState.SENT, 3, "")


def test_the_tries_wait_longer_each_time(demo, smtp, worker, monkeypatch):
    give_emails(demo, "viloyat")
    smtp.refuse = ["451 4.3.0 Try again later"] * 2
    waits = []
    doubling = delivery.retry_delay

    def recorded(attempts: int) -> float:
        waits.append(doubling(attempts))
        return waits[-1]

    monkeypatch.setattr(delivery, "retry_delay", recorded)
    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert waits == [0.3, 0.6]
    assert smtp.recipients == [["viloyat@example.uz"]]


def test_after_the_last_try_the_delivery_shows_as_failed_in_the_admin_with_its_error(
    demo, smtp, worker, admin_client
):
    give_emails(demo, "viloyat")
    smtp.refuse = ["554 5.7.1 Relay access denied"] * 3

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 3)
    assert "554" in delivery.error and "Relay access denied" in delivery.error
    page = admin_client.get("/admin/notices/delivery/?state__exact=failed").content.decode()
    assert "Relay access denied" in page
    assert "viloyat@example.uz" in page


def test_the_admin_sends_a_failed_delivery_again(demo, smtp, worker, admin_client):
    give_emails(demo, "viloyat")
    smtp.refuse = ["554 5.7.1 Relay access denied"] * 3
    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()
    delivery = Delivery.objects.get()

    admin_client.post(
        "/admin/notices/delivery/", {"action": "try_again", "_selected_action": [delivery.pk]}, follow=True
    )
    worker.wait()

    assert smtp.recipients == [["viloyat@example.uz"]]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
