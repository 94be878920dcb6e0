"""The monthly entry page: showing a service's month, saving it, bad values, conflicts, tampering."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from plans.entry import do_close_quarter
from plans.models import (
    Actual,
    Deadline,
    Indicator,
    MonthCompletion,
    MonthEvent,
    Plan,
    PlanItem,
    Section,
    Unit,
)
from services.models import Membership, Organization
from tests.entry_form import row_inputs
from tests.queries import assert_fixed_queries, queries_of

pytestmark = pytest.mark.django_db


def entry_url(plan, month, service):
    return reverse("plans:entry", kwargs={"year": plan.year, "month": month, "service": service.pk})


def indicator(plan, number, label=""):
    return Indicator.objects.get(item__plan=plan, item__number=number, label=label)


# Marking a month complete while rows are empty takes their number (see the confirmation tests).
CONFIRMED = {"confirm_empty": "999"}


def loaded_form(client, url):
    """The data the page's form would send untouched: every field as the page filled it."""
    return row_inputs(client.get(url).content.decode())


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def staff(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    return client


def test_page_lists_the_services_items_in_plan_order_with_sections(staff, plan_2024, abonement):
    response = staff.get(entry_url(plan_2024, 4, abonement))
    assert response.status_code == 200
    rows = response.context["rows"]
    numbers = [row.item.number for row, _fields, _conflict in rows]
    assert numbers.index("14") < numbers.index("15") < numbers.index("21")
    assert "11" not in numbers  # the collections service's
    assert "4" in numbers or "5" in numbers
    sections = [row.section.number for row, _f, _c in rows if row.section]
    assert sections == sorted(set(sections), key=sections.index)
    assert b"III" in response.content


def test_shared_item_appears_for_every_responsible_service(client, demo, plan_2024):
    client.force_login(demo.users["direktor"])
    for short in ("bibliografiya", "abonement"):
        rows = client.get(entry_url(plan_2024, 4, demo.service(short))).context["rows"]
        assert "6" in [row.item.number for row, _f, _c in rows]


def test_parent_item_row_shows_the_sum_of_its_sub_items(client, demo, plan_2024):
    client.force_login(demo.users["xodim-fond"])
    response = client.get(entry_url(plan_2024, 3, demo.service("fond")))
    parents = [row.parent for row, _f, _c in response.context["rows"] if row.parent]
    assert [(p.item.number, p.annual_target, p.done_to_date) for p in parents] == [("12", 1170, 123)]
    assert 'class="parent"' in response.content.decode()


def test_done_before_month_and_own_value_are_shown(staff, plan_2024, abonement):
    visitors = indicator(plan_2024, "15")
    Actual.objects.create(indicator=visitors, month=4, service=abonement, value=30, note="aprel")
    response = staff.get(entry_url(plan_2024, 4, abonement))
    row, fields, _conflict = next(r for r in response.context["rows"] if r[0].indicator == visitors)
    assert row.figures.done_before_month == 480
    assert fields.value.value() == 30
    assert fields.note.value() == "aprel"
    html = response.content.decode()
    assert 'inputmode="numeric"' in html


def test_saving_creates_the_figures_and_shows_the_new_total(staff, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors, loans = indicator(plan_2024, "15"), indicator(plan_2024, "16")
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = "120"
    data[f"note-{visitors.pk}"] = "Kitobxonlar kuni"
    data[f"value-{loans.pk}"] = "1 300"
    response = staff.post(url, data)
    assert response.status_code == 302
    saved = Actual.objects.get(indicator=visitors, month=4, service=abonement)
    assert (saved.value, saved.note, saved.entered_by) == (
        120,
        "Kitobxonlar kuni",
        demo.users["xodim-abonement"],
    )
    assert Actual.objects.get(indicator=loans, month=4).value == 1300
    page = staff.get(url)
    row = next(r for r, _f, _c in page.context["rows"] if r.indicator == visitors)
    assert row.figures.done_to_date == 600
    assert "Saqlandi: 2 ta o‘zgarish." in page.content.decode()


def test_saving_writes_history_with_who_old_and_new_value(staff, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = "10"
    staff.post(url, data)
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = "12"
    data[f"note-{visitors.pk}"] = "tuzatildi"
    staff.post(url, data)
    history = list(Actual.history.filter(indicator=visitors, month=4).order_by("history_date", "history_id"))
    assert [(h.history_type, h.value, h.note) for h in history] == [("+", 10, ""), ("~", 12, "tuzatildi")]
    assert {h.history_user for h in history} == {demo.users["xodim-abonement"]}


def test_unchanged_rows_are_not_written(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 3, abonement)
    before = Actual.history.count()
    response = staff.post(url, loaded_form(staff, url))
    assert response.status_code == 302
    assert Actual.history.count() == before


def test_emptying_a_saved_value_removes_the_figure_and_records_it(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    Actual.objects.create(indicator=visitors, month=4, service=abonement, value=7)
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = ""
    assert staff.post(url, data).status_code == 302
    assert not Actual.objects.filter(indicator=visitors, month=4).exists()
    last = Actual.history.filter(indicator=visitors, month=4).latest("history_date")
    assert (last.history_type, last.value) == ("-", 7)


def test_zero_is_a_figure(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = "0"
    staff.post(url, data)
    assert Actual.objects.get(indicator=visitors, month=4).value == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("oʻn", "Butun son kiriting"),
        ("-3", "manfiy"),
        ("2000000", "juda katta"),
        ("2.5", "kasr"),
        ("2,5", "kasr"),
    ],
)
def test_bad_value_is_refused_beside_its_row_and_nothing_is_saved(
    staff, plan_2024, abonement, typed, message
):
    url = entry_url(plan_2024, 4, abonement)
    visitors, loans = indicator(plan_2024, "15"), indicator(plan_2024, "16")
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = typed
    data[f"value-{loans.pk}"] = "44"
    data[f"note-{loans.pk}"] = "yozib qo‘yildi"
    response = staff.post(url, data)
    assert response.status_code == 400
    assert not Actual.objects.filter(month=4).exists()
    html = response.content.decode()
    row_html = re.search(rf'<tr[^>]*id="row-{visitors.pk}".*?</tr>', html, re.S)[0]
    assert message in row_html
    assert f'value="{typed}"' in row_html
    assert 'value="44"' in html and "yozib qo‘yildi" in html


def test_errors_speak_russian_for_a_russian_reader(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    data = loaded_form(staff, url)
    data[f"value-{visitors.pk}"] = "-1"
    response = staff.post(url, data, HTTP_ACCEPT_LANGUAGE="ru")
    assert "отрицательным" in response.content.decode()


def test_note_without_a_number_is_refused(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    data = loaded_form(staff, url)
    data[f"note-{visitors.pk}"] = "izoh"
    assert staff.post(url, data).status_code == 400
    assert not Actual.objects.filter(month=4).exists()


def test_second_save_of_the_same_cell_is_told_and_shown_both(client, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    first, second = Client(), Client()
    first.force_login(demo.users["xodim-abonement"])
    second.force_login(demo.users["boshliq-abonement"])
    first_data, second_data = loaded_form(first, url), loaded_form(second, url)
    first_data[f"value-{visitors.pk}"] = "50"
    assert first.post(url, first_data).status_code == 302
    second_data[f"value-{visitors.pk}"] = "70"
    response = second.post(url, second_data)
    assert response.status_code == 409
    assert Actual.objects.get(indicator=visitors, month=4).value == 50
    html = response.content.decode()
    row_html = re.search(rf'<tr[^>]*id="row-{visitors.pk}".*?</tr>', html, re.S)[0]
    assert "50" in row_html and 'value="70"' in row_html
    # Saving again, having seen theirs, keeps one's own value.
    assert second.post(url, row_inputs(html)).status_code == 302
    assert Actual.objects.get(indicator=visitors, month=4).value == 70


def test_same_value_saved_by_both_is_no_conflict(client, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    first, second = Client(), Client()
    first.force_login(demo.users["xodim-abonement"])
    second.force_login(demo.users["boshliq-abonement"])
    first_data, second_data = loaded_form(first, url), loaded_form(second, url)
    first_data[f"value-{visitors.pk}"] = second_data[f"value-{visitors.pk}"] = "50"
    first.post(url, first_data)
    assert second.post(url, second_data).status_code == 302
    assert Actual.history.filter(indicator=visitors, month=4).count() == 1


def test_posting_another_services_indicator_changes_nothing(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    theirs = indicator(plan_2024, "11")  # the collections service's item
    data = loaded_form(staff, url)
    data[f"value-{theirs.pk}"] = "5"
    data[f"was-{theirs.pk}"] = ""
    response = staff.post(url, data)
    assert response.status_code == 400
    assert "Hech narsa saqlanmadi" in response.content.decode()
    assert not Actual.objects.filter(month=4).exists()


def test_posting_an_indicator_of_another_plan_changes_nothing(staff, demo, plan_2024, abonement):
    other_plan = Plan.objects.create(organization=demo.district, year=2025)
    section = Section.objects.create(plan=other_plan, number="I", title="x")
    deadline = Deadline.objects.create(plan=other_plan, text="2025-yil davomida", kind="year")
    item = PlanItem.objects.create(
        plan=other_plan,
        section=section,
        number="1",
        title="x",
        unit=Unit.objects.first(),
        deadline=deadline,
        all_services=True,
    )
    foreign = Indicator.objects.create(item=item, annual_target=3)
    url = entry_url(plan_2024, 4, abonement)
    data = loaded_form(staff, url)
    data[f"value-{foreign.pk}"] = "5"
    assert staff.post(url, data).status_code == 400
    assert not Actual.objects.filter(indicator=foreign).exists()


def test_closed_month_is_read_only_and_refuses_a_post(staff, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 3, abonement)
    data = loaded_form(staff, url)
    do_close_quarter(plan_2024, 1, acting_user=demo.users["direktor"])
    page = staff.get(url)
    assert page.context["editable"] is False
    assert 'name="value-' not in page.content.decode()
    visitors = indicator(plan_2024, "15")
    data[f"value-{visitors.pk}"] = "999"
    response = staff.post(url, data)
    assert response.status_code == 403
    assert Actual.objects.get(indicator=visitors, month=3).value == 480


def test_month_past_its_lock_date_refuses_a_post(staff, plan_2024, abonement, settings):
    url = entry_url(plan_2024, 3, abonement)
    data = loaded_form(staff, url)
    settings.AKM_TODAY = datetime.date(2024, 4, 6)
    data[f"value-{indicator(plan_2024, '15').pk}"] = "1"
    assert staff.post(url, data).status_code == 403
    assert not Actual.objects.filter(month=3, value=1, indicator__item__number="15").exists()


def test_future_month_cannot_be_entered(staff, plan_2024, abonement):
    url = entry_url(plan_2024, 5, abonement)
    page = staff.get(url)
    assert page.status_code == 200
    assert page.context["editable"] is False
    response = staff.post(url, {f"value-{indicator(plan_2024, '15').pk}": "1"})
    assert response.status_code == 403
    assert not Actual.objects.filter(month=5).exists()


def test_next_month_link_stops_at_the_current_month(staff, plan_2024, abonement):
    assert staff.get(entry_url(plan_2024, 3, abonement)).context["next_month"] == 4
    assert staff.get(entry_url(plan_2024, 4, abonement)).context["next_month"] is None


def test_post_without_csrf_token_is_refused(demo, plan_2024, abonement):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.users["xodim-abonement"])
    visitors = indicator(plan_2024, "15")
    response = client.post(
        entry_url(plan_2024, 4, abonement), {f"value-{visitors.pk}": "5", f"was-{visitors.pk}": ""}
    )
    assert response.status_code == 403
    assert not Actual.objects.filter(month=4).exists()


def test_enter_in_a_field_cannot_submit_the_form(staff, plan_2024, abonement):
    html = staff.get(entry_url(plan_2024, 4, abonement)).content.decode()
    form = html[html.index('<form method="post" class="entry-form"') :]
    first_button = re.search(r"<button[^>]*>", form)[0]
    assert "disabled" in first_button and 'type="submit"' in first_button
    assert 'class="primary"' in form


def test_head_marks_the_month_complete_and_it_is_recorded(client, demo, plan_2024, abonement):
    head = demo.users["boshliq-abonement"]
    client.force_login(head)
    url = reverse("plans:entry-complete", kwargs={"year": 2024, "month": 3, "service": abonement.pk})
    assert client.post(url, CONFIRMED).status_code == 302
    assert MonthCompletion.objects.get(plan=plan_2024, month=3, service=abonement).completed_by == head
    event = MonthEvent.objects.get(plan=plan_2024, month=3, service=abonement)
    assert (event.action, event.acting_user) == ("completed", head)


def test_head_takes_back_a_complete_mark_given_too_early(client, demo, plan_2024, abonement):
    head = demo.users["boshliq-abonement"]
    client.force_login(head)
    url = reverse("plans:entry-complete", kwargs={"year": 2024, "month": 3, "service": abonement.pk})
    client.post(url, CONFIRMED)
    page = client.get(entry_url(plan_2024, 3, abonement)).content.decode()
    assert 'name="action" value="withdraw"' in page
    response = client.post(url, {"action": "withdraw", "reason": "Bitta raqam qolib ketgan"})
    assert response.status_code == 302
    assert not MonthCompletion.objects.filter(plan=plan_2024, month=3, service=abonement).exists()
    event = MonthEvent.objects.filter(plan=plan_2024, month=3, service=abonement).latest("pk")
    assert (event.action, event.reason, event.acting_user) == ("withdrawn", "Bitta raqam qolib ketgan", head)
    # Taking back a mark that is not there records nothing.
    client.post(url, {"action": "withdraw"})
    assert MonthEvent.objects.filter(action="withdrawn").count() == 1
    # And the month can be marked complete again.
    client.post(url, CONFIRMED)
    assert MonthCompletion.objects.filter(plan=plan_2024, month=3, service=abonement).exists()


def test_a_closed_month_keeps_its_complete_mark(client, demo, plan_2024, abonement):
    head = demo.users["boshliq-abonement"]
    client.force_login(head)
    url = reverse("plans:entry-complete", kwargs={"year": 2024, "month": 3, "service": abonement.pk})
    client.post(url, CONFIRMED)
    do_close_quarter(plan_2024, 1, acting_user=demo.users["direktor"])
    assert 'value="withdraw"' not in client.get(entry_url(plan_2024, 3, abonement)).content.decode()
    assert client.post(url, {"action": "withdraw"}).status_code == 403
    assert MonthCompletion.objects.filter(plan=plan_2024, month=3, service=abonement).exists()


def test_manager_reopens_a_locked_month_and_staff_can_then_save(client, demo, plan_2024, abonement, settings):
    settings.AKM_TODAY = datetime.date(2024, 6, 10)
    director = demo.users["direktor"]
    client.force_login(director)
    lock_url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 3})
    response = client.post(lock_url, {"action": "reopen", "reason": "Xato tuzatiladi"})
    assert response.status_code == 302
    event = MonthEvent.objects.get(plan=plan_2024, month=3)
    assert (event.action, event.reason, event.acting_user) == ("reopened", "Xato tuzatiladi", director)
    staff = Client()
    staff.force_login(demo.users["xodim-abonement"])
    url = entry_url(plan_2024, 3, abonement)
    data = loaded_form(staff, url)
    data[f"value-{indicator(plan_2024, '15').pk}"] = "500"
    assert staff.post(url, data).status_code == 302
    assert Actual.objects.get(indicator__item__number="15", month=3).value == 500


def test_reopen_without_a_reason_is_not_done(client, demo, plan_2024, settings):
    settings.AKM_TODAY = datetime.date(2024, 6, 10)
    client.force_login(demo.users["direktor"])
    client.post(reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 3}), {"action": "reopen"})
    assert not MonthEvent.objects.exists()


def test_overview_shows_completion_and_missing_figures(client, demo, plan_2024, abonement):
    MonthCompletion.objects.create(
        plan=plan_2024, month=3, service=abonement, completed_by=demo.users["direktor"]
    )
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3}))
    assert response.status_code == 200
    rows = {row.service.name: row for row in response.context["services"]}
    assert rows[abonement.name].completion is not None
    kadrlar = rows[demo.service("kadrlar").name]
    assert kadrlar.completion is None
    assert {i.item.number for i in kadrlar.missing} >= {"32"}
    assert "15" not in {i.item.number for i in rows[abonement.name].missing}


def test_history_page_shows_who_before_after_and_note(staff, demo, plan_2024, abonement):
    url = entry_url(plan_2024, 4, abonement)
    visitors = indicator(plan_2024, "15")
    for value in ("5", "8"):
        data = loaded_form(staff, url)
        data[f"value-{visitors.pk}"] = value
        data[f"note-{visitors.pk}"] = f"izoh {value}"
        staff.post(url, data)
    response = staff.get(reverse("plans:entry-history", kwargs={"indicator": visitors.pk}))
    changes = response.context["changes"]
    assert [(c.old_value, c.new_value, c.note) for c in changes[:2]] == [
        (5, 8, "izoh 8"),
        (None, 5, "izoh 5"),
    ]
    assert changes[0].by == demo.users["xodim-abonement"].get_full_name()


def assert_redirected(response):
    assert response.status_code == 302


class TestQueryCounts:
    def add_indicators(self, plan, service, count):
        """`count` more rows for the service: each a sub-item of a parent item of its own, so that
        the page's parent rows grow with them too."""
        first = plan.items.order_by("order").first()
        common = {"plan": plan, "section": first.section, "unit": first.unit, "deadline": first.deadline}
        for n in range(count):
            parent = PlanItem.objects.create(number=f"9{n}", title=f"jami {n}", order=1000 + 2 * n, **common)
            item = PlanItem.objects.create(
                number=f"9{n}.1", title=f"qo‘shimcha {n}", parent=parent, order=1001 + 2 * n, **common
            )
            item.services.add(service)
            Indicator.objects.create(item=item, annual_target=10)

    def test_entry_page_makes_a_fixed_number_of_queries(self, staff, plan_2024, abonement):
        url = entry_url(plan_2024, 4, abonement)

        def visit():
            assert staff.get(url).status_code == 200

        counts = [queries_of(visit)]
        self.add_indicators(plan_2024, abonement, 40)
        counts.append(queries_of(visit))
        # 13, last year's figures of the month, the rows' evidence counts, and the bell's count of
        # unread notices.
        assert_fixed_queries(counts, 16)

    def test_saving_a_month_makes_a_fixed_number_of_queries(self, staff, plan_2024, abonement):
        url = entry_url(plan_2024, 4, abonement)

        def save():
            rows = Indicator.objects.filter(item__plan=plan_2024, item__services=abonement)
            Actual.objects.filter(indicator__in=rows, month=4).delete()
            Actual.objects.bulk_create(
                Actual(indicator=i, month=4, service=abonement, value=1) for i in rows[:5]
            )
            data = loaded_form(staff, url)
            # Small values, none unlikely (plans.unlikely): the save asks nothing.
            for n, key in enumerate(k for k in data if k.startswith("value-")):
                data[key] = str(2 + n % 2)
            return queries_of(lambda: assert_redirected(staff.post(url, data)))

        counts = [save()]
        self.add_indicators(plan_2024, abonement, 40)
        counts.append(save())
        # 17, and three to find unlikely values (plans.selectors.unlikely_values).
        assert_fixed_queries(counts, 20)


def test_another_centres_manager_is_refused(client, demo, plan_2024, abonement):
    other = Organization.objects.create(name="Boshqa tuman AKM", kind="district", parent=demo.regional)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="boshqa-direktor")
    Membership.objects.create(user=user, organization=other, role="manager")
    client.force_login(user)
    assert client.get(entry_url(plan_2024, 4, abonement)).status_code == 403


def test_a_month_that_has_not_begun_cannot_be_closed_or_reopened(client, demo, plan_2024):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 6})
    for action in ("close", "reopen"):
        assert client.post(url, {"action": action, "reason": "x"}).status_code == 403
    assert not MonthEvent.objects.exists()


@pytest.mark.parametrize("reason", ["Qayta\x00ochildi", "x" * 256])
def test_a_reason_with_a_nul_or_too_long_is_refused_and_nothing_recorded(client, demo, reason):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 2})
    data = {"action": "reopen", "reason": reason, "centre": demo.district.pk}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not MonthEvent.objects.exists()


def test_a_reason_is_stored_without_control_characters(client, demo):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 2})
    data = {"action": "reopen", "reason": "Tuzatish\x07 uchun\x0bqayta\x0b", "centre": demo.district.pk}
    client.post(url, data)
    assert MonthEvent.objects.get().reason == "Tuzatish uchun\nqayta"
