"""After a refused save the page says, at its top, how many rows are wrong and links to each."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Indicator
from tests.entry_form import row_inputs
from tests.faults.loadrun import conflict_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(demo):
    return reverse("plans:entry", kwargs={"year": 2024, "month": 4, "service": demo.service("abonement").pk})


def indicator(demo, number):
    return Indicator.objects.get(item__plan=demo.plan, item__number=number, label="")


def summary(html):
    return re.search(r'<div class="notice error refused"[^>]*>(.*?)</div>', html, re.S)[1]


def test_refused_save_lists_the_wrong_rows_in_page_order(client, demo, url):
    client.force_login(demo.users["xodim-abonement"])
    visitors, loans, events = indicator(demo, "15"), indicator(demo, "16"), indicator(demo, "17")
    data = row_inputs(client.get(url).content.decode())
    data[f"value-{loans.pk}"] = "-3"
    data[f"value-{visitors.pk}"] = "1.5"
    data[f"note-{events.pk}"] = "izoh"  # a note with no number
    data[f"value-{indicator(demo, '19').pk}"] = "12"  # a right row is not listed
    response = client.post(url, data)
    assert response.status_code == 400
    text = summary(response.content.decode())
    assert "3 ta qator noto‘g‘ri. Hech narsa saqlanmadi" in text
    links = re.findall(r'href="#row-(\d+)"', text)
    assert links == [str(visitors.pk), str(loans.pk), str(events.pk)]
    assert "manfiy" in text


def test_the_wrong_fields_are_marked_for_the_script_to_focus(client, demo, url):
    client.force_login(demo.users["xodim-abonement"])
    visitors = indicator(demo, "15")
    data = row_inputs(client.get(url).content.decode())
    data[f"value-{visitors.pk}"] = "x"
    html = client.post(url, data).content.decode()
    row = re.search(rf'<tr[^>]*id="row-{visitors.pk}".*?</tr>', html, re.S)[0]
    assert "has-error" in row
    field = re.search(rf'<input[^>]*name="value-{visitors.pk}"[^>]*>', row)[0]
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="id_value-{visitors.pk}_error"' in field
    assert f'id="id_value-{visitors.pk}_error"' in row


def test_a_conflict_lists_the_rows_someone_else_saved(demo, url):
    visitors = indicator(demo, "15")
    first, second = Client(), Client()
    first.force_login(demo.users["xodim-abonement"])
    second.force_login(demo.users["boshliq-abonement"])
    first_data, second_data = (row_inputs(c.get(url).content.decode()) for c in (first, second))
    first_data[f"value-{visitors.pk}"] = "50"
    first.post(url, first_data)
    second_data[f"value-{visitors.pk}"] = "70"
    response = second.post(url, second_data)
    assert response.status_code == 409
    text = summary(response.content.decode())
    assert "boshqa kishi bu qatorlardan 1 tasini saqladi" in text
    # What the load tests (tests/faults/loadrun.py) look for on a conflict page.
    assert conflict_message() in response.content.decode()
    assert re.findall(r'href="#row-(\d+)"', text) == [str(visitors.pk)]
    assert demo.users["xodim-abonement"].get_full_name() in text


def test_a_page_without_errors_has_no_list(client, demo, url):
    client.force_login(demo.users["xodim-abonement"])
    assert "notice error refused" not in client.get(url).content.decode()
