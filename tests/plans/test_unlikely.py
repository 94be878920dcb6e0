"""Last year's figure on the entry page, and unlikely values: asked to confirm, the confirmation kept."""

import pytest
from django.urls import reverse

from plans.entry import UnlikelyValues, do_save_month
from plans.exchange import import_plan, plan_to_dict
from plans.models import Actual, Indicator, PlanItem
from plans.pacing import DeadlineKind, Window
from plans.selectors import last_year_indicator, unlikely_values
from plans.unlikely import Unlikely, from_record, unlikely
from tests.entry_form import row_inputs
from tests.plans.test_month_sheet import confirm, download, fill, upload

YEAR = Window(DeadlineKind.YEAR)
QUARTERS = Window(DeadlineKind.QUARTERS, 1, 9)


class TestRule:
    def test_more_than_five_times_the_median_of_the_known_months_is_unlikely(self):
        assert unlikely(51, known_months=[10, 12, 8], annual_target=None, window=YEAR) == Unlikely(
            "median", 10, 51
        )
        assert unlikely(50, known_months=[10, 12, 8], annual_target=None, window=YEAR) is None

    def test_zeros_and_fewer_than_three_known_months_say_nothing(self):
        assert unlikely(500, known_months=[10, 0, 12, 0], annual_target=None, window=YEAR) is None
        assert unlikely(500, known_months=[], annual_target=None, window=YEAR) is None

    def test_the_whole_annual_target_in_one_month_of_a_throughout_the_year_item_is_unlikely(self):
        assert unlikely(120, known_months=[], annual_target=120, window=YEAR) == Unlikely("target", 120, 120)
        assert unlikely(119, known_months=[], annual_target=120, window=YEAR) is None

    def test_the_target_rule_leaves_other_deadlines_and_small_targets_alone(self):
        assert unlikely(120, known_months=[], annual_target=120, window=QUARTERS) is None
        assert unlikely(4, known_months=[], annual_target=4, window=YEAR) is None

    def test_a_confirmation_is_recorded_and_read_back(self):
        why = Unlikely("median", 10, 51)
        assert why.record == "unlikely:median:10:51"
        assert from_record(why.record) == why
        assert from_record("") is None and from_record("unlikely:other:1:2") is None

    def test_the_reason_says_why_in_uzbek(self):
        assert Unlikely("median", 10, 51).reason == (
            "Odatdagi oylik ko‘rsatkichdan 5 martadan ko‘p (maʼlum oylarning medianasi 10)."
        )


def entry_url(plan, month, service):
    return reverse("plans:entry", kwargs={"year": plan.year, "month": month, "service": service.pk})


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def staff(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    return client


@pytest.fixture
def plan_2023(demo, plan_2024):
    """Last year's plan of the centre, with the same items (as a rollover would make it)."""
    return import_plan(plan_to_dict(plan_2024), organization=demo.district, year=2023)


def same(plan, number, label=""):
    return Indicator.objects.get(item__plan=plan, item__number=number, label=label)


@pytest.mark.django_db
class TestLastYear:
    def test_the_entry_page_shows_last_years_figure_of_the_same_month_beside_the_input(
        self, staff, plan_2024, plan_2023, abonement
    ):
        Actual.objects.create(indicator=same(plan_2023, "15"), month=4, service=abonement, value=437)
        Actual.objects.create(indicator=same(plan_2023, "15"), month=3, service=abonement, value=999)
        response = staff.get(entry_url(plan_2024, 4, abonement))
        rows = {row.indicator: row for row, _f, _c in response.context["rows"]}
        assert rows[same(plan_2024, "15")].last_year == 437
        assert rows[same(plan_2024, "16")].last_year is None
        html = response.content.decode()
        row_html = html.split(f'id="row-{same(plan_2024, "15").pk}"')[1].split("</tr>")[0]
        assert '<small class="muted last-year"' in row_html and "2023: 437</small>" in row_html

    def test_an_item_whose_label_changed_is_not_the_same_item(self, staff, plan_2024, plan_2023, abonement):
        indicator = same(plan_2023, "14", "Yangi")
        Actual.objects.create(indicator=indicator, month=4, service=abonement, value=20)
        indicator.label = "Boshqa"
        indicator.save()
        rows = staff.get(entry_url(plan_2024, 4, abonement)).context["rows"]
        assert [row.last_year for row, _f, _c in rows if row.last_year is not None] == []

    def test_last_years_figures_take_one_query_for_all_rows(
        self, staff, plan_2024, plan_2023, abonement, django_assert_num_queries
    ):
        for indicator in Indicator.objects.filter(item__plan=plan_2023, item__services=abonement):
            Actual.objects.create(indicator=indicator, month=4, service=abonement, value=3)
        # As without last year's plan (tests/plans/test_entry.py pins the page at two sizes).
        with django_assert_num_queries(16):
            response = staff.get(entry_url(plan_2024, 4, abonement))
        assert all(
            row.last_year == 3 for row, _f, _c in response.context["rows"] if not row.item.all_services
        )

    def test_a_renumbered_item_linked_to_last_years_shows_its_figure(
        self, staff, plan_2024, plan_2023, abonement, django_assert_num_queries
    ):
        # As next year's copy links them (plans/next_year.py), then 15 and 16 swapped numbers:
        # this year's 16 is last year's 15, and this year's 15 is last year's 16.
        swap(plan_2024, plan_2023, "15", "16")
        Actual.objects.create(indicator=same(plan_2023, "15"), month=4, service=abonement, value=437)
        Actual.objects.create(indicator=same(plan_2023, "16"), month=4, service=abonement, value=12)
        with django_assert_num_queries(16):  # the link costs no query
            response = staff.get(entry_url(plan_2024, 4, abonement))
        rows = {row.indicator: row for row, _f, _c in response.context["rows"]}
        assert rows[same(plan_2024, "16")].last_year == 437
        assert rows[same(plan_2024, "15")].last_year == 12

    def test_unlikely_values_compare_with_the_linked_items_months(self, plan_2024, plan_2023, abonement):
        swap(plan_2024, plan_2023, "15", "16")
        for month in (1, 2, 3):
            Actual.objects.create(indicator=same(plan_2023, "15"), month=month, service=abonement, value=10)
        this_16 = same(plan_2024, "16")
        assert unlikely_values(plan_2024, 4, abonement, {this_16.pk: 51}) == {
            this_16.pk: Unlikely("median", 10, 51)
        }
        assert unlikely_values(plan_2024, 4, abonement, {same(plan_2024, "15").pk: 51}) == {}


def swap(plan, last_year_plan, first, second):
    """Link `plan`'s items `first` and `second` to last year's `second` and `first`."""
    for this, last in ((first, second), (second, first)):
        PlanItem.objects.filter(plan=plan, number=this).update(
            previous_item=PlanItem.objects.get(plan=last_year_plan, number=last)
        )


@pytest.mark.django_db
class TestConfirmation:
    @pytest.fixture
    def visitors(self, plan_2024):
        # Item 15: visitors, throughout the year; Jan–Mar entered in the demo (480 in all).
        return same(plan_2024, "15")

    def test_an_unlikely_value_is_asked_to_confirm_and_nothing_is_saved(
        self, staff, plan_2024, abonement, visitors
    ):
        url = entry_url(plan_2024, 4, abonement)
        data = row_inputs(staff.get(url).content.decode())
        data[f"value-{visitors.pk}"] = "5114"
        response = staff.post(url, data)
        assert response.status_code == 400
        [row] = response.context["unlikely_rows"]
        assert row.indicator == visitors and row.unlikely.value == 5114
        html = response.content.decode()
        assert f'name="sure-{visitors.pk}" value="5114"' in html
        assert row.unlikely.reason in html
        assert not Actual.objects.filter(indicator=visitors, month=4).exists()
        # The typed value is kept on the page.
        assert row_inputs(html)[f"value-{visitors.pk}"] == "5114"

    def test_a_confirmed_value_is_saved_and_its_history_says_it_was_confirmed(
        self, staff, plan_2024, abonement, visitors
    ):
        url = entry_url(plan_2024, 4, abonement)
        data = row_inputs(staff.get(url).content.decode())
        data[f"value-{visitors.pk}"] = "5114"
        data[f"sure-{visitors.pk}"] = "5114"
        assert staff.post(url, data).status_code == 302
        record = Actual.history.get(indicator=visitors, month=4)
        assert from_record(record.history_change_reason) == Unlikely("target", 5114, 5114)

    def test_a_confirmation_of_another_value_is_asked_again(self, staff, plan_2024, abonement, visitors):
        url = entry_url(plan_2024, 4, abonement)
        data = row_inputs(staff.get(url).content.decode())
        data[f"value-{visitors.pk}"] = "6000"
        data[f"sure-{visitors.pk}"] = "5114"
        assert staff.post(url, data).status_code == 400
        assert not Actual.objects.filter(indicator=visitors, month=4).exists()

    def test_an_ordinary_value_is_saved_without_a_question(self, staff, plan_2024, abonement, visitors):
        url = entry_url(plan_2024, 4, abonement)
        data = row_inputs(staff.get(url).content.decode())
        data[f"value-{visitors.pk}"] = "150"
        assert staff.post(url, data).status_code == 302
        assert Actual.history.get(indicator=visitors, month=4).history_change_reason in ("", None)

    def test_the_action_refuses_an_unconfirmed_unlikely_value(self, demo, plan_2024, abonement, visitors):
        from plans.entry import SubmittedRow

        row = SubmittedRow(visitors.pk, 5114, "", None, "")
        with pytest.raises(UnlikelyValues) as raised:
            do_save_month(plan_2024, 4, abonement, [row], acting_user=demo.users["xodim-abonement"])
        assert raised.value.unlikely == {visitors.pk: Unlikely("target", 5114, 5114)}
        assert not Actual.objects.filter(indicator=visitors, month=4).exists()

    def test_the_history_page_says_the_value_was_confirmed(self, staff, plan_2024, abonement, visitors):
        url = entry_url(plan_2024, 4, abonement)
        data = row_inputs(staff.get(url).content.decode())
        data[f"value-{visitors.pk}"] = "5114"
        data[f"sure-{visitors.pk}"] = "5114"
        staff.post(url, data)
        history = staff.get(reverse("plans:entry-history", args=[visitors.pk]))
        assert "Odatdagidan uzoq qiymat tasdiqlangan" in history.content.decode()

    def test_the_sheet_preview_asks_and_the_confirmation_needs_the_box(
        self, staff, plan_2024, abonement, visitors
    ):
        book = fill(download(staff, plan_2024, 4, abonement), {visitors.pk: (5114, "")})
        preview = upload(staff, plan_2024, 4, abonement, book)
        assert preview.status_code == 200
        assert preview.context["unlikely"] == 1
        assert 'name="confirm_unlikely"' in preview.content.decode()
        again = confirm(staff, plan_2024, 4, abonement, preview)
        assert again.status_code == 409
        assert not Actual.objects.filter(indicator=visitors, month=4).exists()
        token = again.context["token"]
        done = staff.post(
            reverse("plans:entry-sheet-confirm", args=[2024, 4, abonement.pk]),
            {"token": token, "confirm_unlikely": "1"},
        )
        assert done.status_code == 302
        record = Actual.history.get(indicator=visitors, month=4)
        assert record.history_change_reason == "unlikely:target:5114:5114"


@pytest.mark.django_db
def test_the_indicator_page_draws_last_years_line(
    client, demo, plan_2024, plan_2023, abonement, django_assert_num_queries
):
    Actual.objects.create(indicator=same(plan_2023, "15"), month=1, service=abonement, value=300)
    Actual.objects.create(indicator=same(plan_2023, "15"), month=2, service=abonement, value=200)
    client.force_login(demo.users["direktor"])
    url = reverse("plans:indicator", kwargs={"indicator": same(plan_2024, "15").pk})
    # The page's 14 queries (tests/plans/test_dashboard_queries.py), and last year's months.
    with django_assert_num_queries(15):
        response = client.get(url)
    chart = str(response.context["line_chart"])
    assert 'stroke-dasharray="8 3 2 3"' in chart and "O‘tgan yil" in chart


@pytest.mark.django_db
def test_the_indicator_page_finds_last_year_by_the_items_link(plan_2024, plan_2023):
    assert last_year_indicator(same(plan_2024, "15")) == same(plan_2023, "15")  # by number
    swap(plan_2024, plan_2023, "15", "16")
    assert last_year_indicator(same(plan_2024, "15")) == same(plan_2023, "16")
    assert last_year_indicator(same(plan_2024, "16")) == same(plan_2023, "15")
