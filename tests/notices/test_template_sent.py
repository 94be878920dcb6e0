"""The notice to a district's managers when the region's template is sent to their plan: in the app,
by e-mail through a real SMTP server and by Telegram through a Bot API server on loopback, per their
choices, in their language, linking to their plan's page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from notices.kinds import Channel, DeliveryState, Kind
from notices.messages import render
from notices.models import Delivery, Notice, Profile
from plans.models import Plan
from region.template_send import send
from services.models import Membership
from tests.region.template_world import build_world

from .conftest import body_of, person

SITE = "https://reja.example.uz"


@pytest.fixture
def world(db):
    world = build_world()
    # Guliston's director reads Russian; Boyovut's (tuman-direktor) the site's Uzbek.
    world.users["guliston-direktor"] = person(
        "guliston-direktor", world.districts[1], Membership.Role.MANAGER
    )
    Profile.objects.create(user=world.users["guliston-direktor"], language="ru")
    return world


def told(kind: str = Kind.TEMPLATE_SENT) -> dict[str, Notice]:
    return {n.recipient.username: n for n in Notice.objects.filter(kind=kind).select_related("recipient")}


def plan_of(district) -> Plan:
    return Plan.objects.own().get(organization=district, year=2024)


def test_each_district_s_managers_are_told_in_the_app_with_a_link_to_their_plan(world, client):
    send(world.template, world.districts, world.users["viloyat-direktor"])

    notices = told()
    # Only the districts' managers: not the sender, the region's reviewers, nor another region.
    assert set(notices) == {"tuman-direktor", "guliston-direktor"}
    for username, district in (
        ("tuman-direktor", world.districts[0]),
        ("guliston-direktor", world.districts[1]),
    ):
        notice = notices[username]
        assert notice.centre == district
        assert notice.link == reverse("plans:plan", kwargs={"plan": plan_of(district).pk})
        assert notice.data["new_plan"] is True and notice.data["added"] == 12
    with translation.override("en"):
        message = render(Kind.TEMPLATE_SENT, notices["tuman-direktor"].data)
    assert message.title == "Sirdaryo viloyat AKM made the 2024 plan of Boyovut tuman AKM from its template"
    assert message.lines[0] == "Sent by viloyat-direktor."
    assert "12 sections, items or indicators added." in message.lines
    # The notices page lists it for the district's director; opening it leads to the plan.
    client.force_login(world.users["tuman-direktor"])
    notice = notices["tuman-direktor"]
    opening = reverse("notices:open", kwargs={"notice": notice.pk})
    assert opening in client.get(reverse("notices:list")).content.decode()
    assert client.post(opening)["Location"] == notice.link
    assert client.get(notice.link).status_code == 200


def test_a_send_that_changes_nothing_tells_nobody_and_a_later_change_tells_again(world):
    send(world.template, world.districts, world.users["viloyat-direktor"])
    send(world.template, world.districts, world.users["viloyat-direktor"])
    assert Notice.objects.filter(kind=Kind.TEMPLATE_SENT).count() == 2

    item = world.item("1")
    item.title = "Seminar va trening o‘tkazish"
    item.save(update_fields=["title"])
    send(world.template, world.districts[:1], None)  # from the command line: nobody named

    [again] = Notice.objects.filter(kind=Kind.TEMPLATE_SENT, centre=world.districts[0]).exclude(
        data__new_plan=True
    )
    assert again.recipient == world.users["tuman-direktor"]
    assert (again.data["added"], again.data["changed"], again.data["by"]) == (0, 1, "")
    with translation.override("en"):
        message = render(Kind.TEMPLATE_SENT, again.data)
    assert message.title.startswith("Sirdaryo viloyat AKM updated the 2024 plan of Boyovut tuman AKM")
    assert message.lines[0] == "1 change to what was there."
    assert not any(line.startswith("Sent by") for line in message.lines)


def test_the_notice_reaches_each_manager_by_email_in_their_language(world, smtp, worker):
    for username in ("tuman-direktor", "guliston-direktor", "viloyat-direktor"):
        user = world.users[username]
        user.email = f"{username}@example.uz"
        user.save(update_fields=["email"])

    send(world.template, world.districts, world.users["viloyat-direktor"])
    worker.wait()

    assert sorted(address for [address] in smtp.recipients) == [
        "guliston-direktor@example.uz",
        "tuman-direktor@example.uz",
    ]
    [uzbek] = smtp.to("tuman-direktor@example.uz")
    link = f"{SITE}{reverse('plans:plan', kwargs={'plan': plan_of(world.districts[0]).pk})}"
    assert uzbek["Content-Language"] == "uz"
    # A long subject in UTF-8 is folded: the parsed header may start with the fold's space.
    assert "Boyovut tuman AKM" in uzbek["Subject"] and uzbek["Subject"].strip().startswith("[AKM Reja] ")
    assert link in body_of(uzbek, "plain") and f'href="{link}"' in body_of(uzbek, "html")
    [russian] = smtp.to("guliston-direktor@example.uz")
    assert russian["Content-Language"] == "ru"
    assert re.search("[А-Яа-я]{4}", russian["Subject"]), russian["Subject"]
    assert "Guliston tuman AKM" in russian["Subject"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_manager_who_chose_telegram_only_for_it_gets_it_there(world, smtp, bot, worker):
    director = world.users["tuman-direktor"]
    director.email = "tuman-direktor@example.uz"
    director.save(update_fields=["email"])
    Profile.objects.create(
        user=director, telegram_chat_id=777, channels={Kind.TEMPLATE_SENT: [Channel.TELEGRAM]}
    )

    send(world.template, world.districts[:1], world.users["viloyat-direktor"])
    worker.wait()

    assert smtp.messages == []
    [text] = bot.texts_to(777)
    assert "Boyovut tuman AKM" in text
    assert text.endswith(f"{SITE}{reverse('plans:plan', kwargs={'plan': plan_of(world.districts[0]).pk})}")
    assert Delivery.objects.get().channel == Channel.TELEGRAM
