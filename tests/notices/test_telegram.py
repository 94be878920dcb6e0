"""Telegram: against a Bot API server on 127.0.0.1 reached through settings.TELEGRAM_API_URL; linking with
a one-time code, wrong and reused codes, unlinking from both sides, delivery and its failures."""

import datetime

from django.utils import timezone

from notices import tasks
from notices.kinds import DeliveryState
from notices.models import Delivery, Profile, TelegramCode

from .conftest import BOT_TOKEN, send_report


def take_code(client, user) -> str:
    client.force_login(user)
    client.post("/profile/telegram/code/")
    return TelegramCode.objects.get(user=user, used_at__isnull=True).code


def read_the_bot(worker) -> None:
    tasks.telegram_updates()
    worker.wait()


def chat_of(user) -> int | None:
    profile = Profile.objects.filter(user=user).first()
    return profile.telegram_chat_id if profile else None


def test_a_person_links_their_telegram_by_sending_the_code_from_their_profile_page(demo, bot, worker, client):
    reviewer = demo.users["viloyat"]
    code = take_code(client, reviewer)
    page = client.get("/profile/").content.decode()
    assert f"/start {code}" in page
    assert f"https://t.me/akm_reja_test_bot?start={code}" in page

    bot.says(555, f"/start {code}")
    read_the_bot(worker)

    assert chat_of(reviewer) == 555
    [reply] = bot.texts_to(555)
    assert "Viloyat AKM taqrizchisi (demo)" in reply
    assert 'action="/profile/telegram/unlink/"' in client.get("/profile/").content.decode()


def test_a_wrong_code_links_nothing_and_says_so(demo, bot, worker, client):
    take_code(client, demo.users["viloyat"])

    bot.says(555, "/start WRONGCODE", language="en")
    read_the_bot(worker)

    assert chat_of(demo.users["viloyat"]) is None
    [reply] = bot.texts_to(555)
    assert "wrong, already used or expired" in reply
    assert "https://reja.example.uz/profile/" in reply


def test_a_code_works_once(demo, bot, worker, client):
    reviewer = demo.users["viloyat"]
    code = take_code(client, reviewer)
    bot.says(555, f"/start {code}")
    read_the_bot(worker)

    bot.says(777, f"/start {code}", language="en")
    read_the_bot(worker)

    assert chat_of(reviewer) == 555
    assert "wrong, already used or expired" in bot.texts_to(777)[0]


def test_an_expired_code_is_refused(demo, bot, worker, client, settings):
    reviewer = demo.users["viloyat"]
    code = take_code(client, reviewer)
    TelegramCode.objects.filter(code=code).update(
        created_at=timezone.now() - datetime.timedelta(minutes=settings.TELEGRAM_CODE_MINUTES + 1)
    )

    bot.says(555, f"/start {code}")
    read_the_bot(worker)

    assert chat_of(reviewer) is None


def test_a_new_code_replaces_the_one_before(demo, bot, worker, client):
    reviewer = demo.users["viloyat"]
    first = take_code(client, reviewer)
    take_code(client, reviewer)

    bot.says(555, f"/start {first}")
    read_the_bot(worker)

    assert chat_of(reviewer) is None


def test_every_message_to_the_bot_is_handled_once(demo, bot, worker, client):
    code = take_code(client, demo.users["viloyat"])
    bot.says(555, f"/start {code}")
    read_the_bot(worker)
    read_the_bot(worker)

    assert len(bot.texts_to(555)) == 1
    assert bot.offsets[-1] == bot.next_update_id + 1


def test_a_group_chat_cannot_be_linked(demo, bot, worker, client):
    code = take_code(client, demo.users["viloyat"])

    bot.says(-100555, f"/start {code}", chat_type="group")
    read_the_bot(worker)

    assert chat_of(demo.users["viloyat"]) is None
    assert bot.sent == []


def test_a_linked_person_gets_notices_in_telegram_with_the_link(demo, bot, worker):
    Profile.objects.create(user=demo.users["viloyat"], telegram_chat_id=555)

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    [text] = bot.texts_to(555)
    assert demo.district.name in text
    assert text.endswith(f"https://reja.example.uz/reports/{demo.plan.pk}/1/")
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_unlinking_on_the_profile_page_stops_the_telegram_notices(demo, bot, worker, client):
    reviewer = demo.users["viloyat"]
    Profile.objects.create(user=reviewer, telegram_chat_id=555)
    client.force_login(reviewer)

    client.post("/profile/telegram/unlink/")
    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert chat_of(reviewer) is None
    assert bot.sent == []


def test_stop_in_telegram_unlinks_the_chat(demo, bot, worker):
    Profile.objects.create(user=demo.users["viloyat"], telegram_chat_id=555, language="en")

    bot.says(555, "/stop")
    read_the_bot(worker)

    assert chat_of(demo.users["viloyat"]) is None
    assert "no longer linked" in bot.texts_to(555)[0]


def test_too_many_requests_is_tried_again_after_the_time_telegram_asks(demo, bot, worker):
    Profile.objects.create(user=demo.users["viloyat"], telegram_chat_id=555)
    bot.fail = [(429, "Too Many Requests: retry after 1", {"retry_after": 1})]

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    assert len(bot.texts_to(555)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)


def test_a_person_who_blocked_the_bot_is_unlinked_and_not_tried_again(demo, bot, worker):
    Profile.objects.create(user=demo.users["viloyat"], telegram_chat_id=555)
    bot.fail = [(403, "Forbidden: bot was blocked by the user", {})] * 3

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 1)
    assert "bot was blocked by the user" in delivery.error
    assert chat_of(demo.users["viloyat"]) is None


def test_the_bot_token_never_shows_in_a_recorded_error(demo, bot, worker, settings):
    Profile.objects.create(user=demo.users["viloyat"], telegram_chat_id=555)
    settings.TELEGRAM_BOT_TOKEN = "999:WRONG-TOKEN"

    send_report(demo.plan, 1, demo.users["direktor"])
    worker.wait()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "Unauthorized" in delivery.error
    assert "WRONG-TOKEN" not in delivery.error and BOT_TOKEN not in delivery.error
