"""Marking a month complete while rows are empty asks first, with their count; shared rows entered by
one service are not missing for the others."""

import re

import pytest
from django.urls import reverse

from plans.models import Actual, Indicator, MonthCompletion
from plans.selectors import empty_rows

pytestmark = pytest.mark.django_db


def complete_url(service, month=4):
    return reverse("plans:entry-complete", kwargs={"year": 2024, "month": month, "service": service.pk})


def entry_url(service, month=4):
    return reverse("plans:entry", kwargs={"year": 2024, "month": month, "service": service.pk})


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def head(client, demo):
    client.force_login(demo.users["boshliq-abonement"])
    return client


def service_indicators(plan, service):
    return list(Indicator.objects.filter(item__plan=plan).filter(item__services=service)) + list(
        Indicator.objects.filter(item__plan=plan, item__all_services=True)
    )


def fill(plan, service, month, indicators):
    Actual.objects.bulk_create(Actual(indicator=i, month=month, service=service, value=1) for i in indicators)


def test_completing_with_empty_rows_shows_their_count_and_asks_to_confirm(head, demo, abonement):
    indicators = service_indicators(demo.plan, abonement)
    fill(demo.plan, abonement, 4, indicators[:16])
    response = head.post(complete_url(abonement))
    assert response.status_code == 200
    assert not MonthCompletion.objects.exists()
    html = response.content.decode()
    assert "Xizmatning 25 ta qatoridan 9 tasida bu oy uchun raqam yo‘q." in html
    # Each empty row links to itself on the entry page.
    for indicator in indicators[16:]:
        assert f'href="{entry_url(abonement)}#row-{indicator.pk}"' in html
    assert f'href="{entry_url(abonement)}#row-{indicators[0].pk}"' not in html
    checkbox = re.search(r'<input type="checkbox" name="confirm_empty"[^>]*>', html)[0]
    assert 'value="9"' in checkbox and "required" in checkbox
    assert "Ha, 9 ta qator bo‘sh" in html


def test_confirming_the_empty_rows_completes_the_month(head, demo, abonement):
    fill(demo.plan, abonement, 4, service_indicators(demo.plan, abonement)[:16])
    assert head.post(complete_url(abonement), {"confirm_empty": "9"}).status_code == 302
    assert MonthCompletion.objects.filter(month=4, service=abonement).exists()


def test_confirming_fewer_rows_than_are_empty_asks_again(head, demo, abonement):
    # Someone emptied a row after the confirmation page was shown.
    fill(demo.plan, abonement, 4, service_indicators(demo.plan, abonement)[:16])
    response = head.post(complete_url(abonement), {"confirm_empty": "8"})
    assert response.status_code == 200
    assert 'name="confirm_empty" value="9"' in response.content.decode()
    assert not MonthCompletion.objects.exists()


def test_a_month_with_every_row_filled_is_completed_at_once(head, demo, abonement):
    fill(demo.plan, abonement, 4, service_indicators(demo.plan, abonement))
    assert head.post(complete_url(abonement)).status_code == 302
    assert MonthCompletion.objects.filter(month=4, service=abonement).exists()


def test_entry_page_says_how_many_rows_are_empty_beside_the_button(head, demo, abonement):
    fill(demo.plan, abonement, 4, service_indicators(demo.plan, abonement)[:20])
    html = head.get(entry_url(abonement)).content.decode()
    form = re.search(r'<form[^>]*class="entry-side completion".*?</form>', html, re.S)[0]
    assert "25 ta qatordan 5 tasida hali raqam yo‘q" in form


def test_a_shared_row_entered_by_one_service_is_missing_for_none(client, demo, abonement):
    shared = Indicator.objects.get(item__plan=demo.plan, item__number="4")  # "barcha xizmatlar"
    assert shared.item.all_services
    fill(demo.plan, demo.service("bibliografiya"), 4, [shared])
    assert shared not in empty_rows(demo.plan, 4, abonement).indicators
    client.force_login(demo.users["direktor"])
    overview = client.get(reverse("plans:entry-overview", kwargs={"year": 2024, "month": 4}))
    for service_month in overview.context["services"]:
        assert shared not in service_month.missing, service_month.service
    # A row of the service's own is still missing until the service enters it.
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    assert visitors in empty_rows(demo.plan, 4, abonement).indicators


def test_a_shared_row_with_no_figure_is_missing_for_every_service(client, demo):
    shared = Indicator.objects.get(item__plan=demo.plan, item__number="4")
    client.force_login(demo.users["direktor"])
    overview = client.get(reverse("plans:entry-overview", kwargs={"year": 2024, "month": 4}))
    assert all(shared in service_month.missing for service_month in overview.context["services"])


def test_a_zero_is_a_figure(head, demo, abonement):
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    Actual.objects.create(indicator=visitors, month=4, service=abonement, value=0)
    assert visitors not in empty_rows(demo.plan, 4, abonement).indicators
    html = head.get(entry_url(abonement)).content.decode()
    assert "25 ta qatordan 24 tasida" in html
