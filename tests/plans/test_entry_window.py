"""Every entry page says until when its month is open for entry, or since when it is closed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.entry import do_close_quarter, do_reopen_month
from plans.models import MonthLock

pytestmark = pytest.mark.django_db


def window_notice(client, demo, month, short="abonement"):
    url = reverse("plans:entry", kwargs={"year": 2024, "month": month, "service": demo.service(short).pk})
    html = client.get(url).content.decode()
    return re.search(r'<p class="notice window (open|closed)"[^>]*>(.*?)</p>', html, re.S).groups()


@pytest.fixture
def staff(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    return client


def test_open_month_says_its_last_day(staff, demo):
    # On 3 April, March is open through the centre's lock day, 5 April.
    assert window_notice(staff, demo, 3) == (
        "open",
        "Kiritish uchun 5-Aprel, 2024-yil sanasigacha (shu kun ham) ochiq.",
    )
    assert (
        window_notice(staff, demo, 4)[1] == "Kiritish uchun 5-May, 2024-yil sanasigacha (shu kun ham) ochiq."
    )


def test_the_lock_day_is_the_centres(staff, demo):
    demo.district.entry_lock_day = 10
    demo.district.save()
    assert "10-Aprel, 2024-yil" in window_notice(staff, demo, 3)[1]


def test_month_past_its_lock_day_says_since_when_it_is_closed(staff, demo, settings):
    settings.AKM_TODAY = datetime.date(2024, 4, 6)
    state, text = window_notice(staff, demo, 3)
    assert state == "closed"
    assert text.startswith("Kiritish 6-Aprel, 2024-yil sanasidan beri yopilgan: kiritish muddati o‘tgan.")


def test_month_closed_by_its_report_says_when(staff, demo):
    do_close_quarter(demo.plan, 1, acting_user=demo.users["direktor"])
    closed_on = timezone.localdate(MonthLock.objects.get(plan=demo.plan, month=3).changed_at)
    state, text = window_notice(staff, demo, 3)
    assert state == "closed"
    assert re.search(
        rf"^Kiritish {closed_on.day}-\w+, {closed_on.year}-yil sanasidan beri yopilgan: choraklik", text
    )


def test_reopened_month_says_it_stays_open_until_closed_again(staff, demo, settings):
    settings.AKM_TODAY = datetime.date(2024, 6, 10)
    do_reopen_month(demo.plan, 3, acting_user=demo.users["direktor"], reason="Tuzatish")
    state, text = window_notice(staff, demo, 3)
    assert state == "open"
    assert "qayta ochgan: u yana yopilguncha kiritish uchun ochiq" in text


def test_future_month_says_when_it_opens(staff, demo):
    assert window_notice(staff, demo, 5) == (
        "closed",
        "Bu oy hali boshlanmagan: kiritish 1-May, 2024-yil sanasida ochiladi.",
    )


def test_month_overview_says_it_too(client, demo):
    client.force_login(demo.users["direktor"])
    html = client.get(reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})).content.decode()
    assert "Kiritish uchun 5-Aprel, 2024-yil sanasigacha (shu kun ham) ochiq." in html


def test_a_save_refused_on_a_closed_month_says_since_when(staff, demo, settings):
    settings.AKM_TODAY = datetime.date(2024, 4, 6)
    url = reverse("plans:entry", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk})
    response = staff.post(url, {})
    assert response.status_code == 403
    assert "6-Aprel, 2024-yil sanasidan beri yopilgan" in response.content.decode()
