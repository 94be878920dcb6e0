"""After approval, every change to a plan's structure or targets in the admin is recorded as an
amendment (what, old → new, why, who, when), listed on the plan's page and seen by the region."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Amendment, Indicator, Plan, PlanItem, Target
from services.models import Membership, Organization
from tests.plans.test_admin import add_item_in_the_admin, form_data

pytestmark = pytest.mark.django_db

WHY = "Viloyat kutubxonasi ko‘rsatmasi bilan"


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.users["admin"])
    return client


def visitors(plan) -> Indicator:
    return Indicator.objects.get(item__plan=plan, item__number="15")


def change_indicator(admin_client, indicator, reason=WHY, **fields):
    url = reverse("admin:plans_indicator_change", args=[indicator.pk])
    data = form_data(admin_client.get(url))
    data.update(fields)
    data["amendment_reason"] = reason
    return admin_client.post(url, data)


def test_a_changed_annual_target_is_recorded_with_old_and_new_values(admin_client, demo, plan_2024):
    indicator = visitors(plan_2024)
    old = indicator.annual_target

    response = change_indicator(admin_client, indicator, annual_target="6000")

    assert response.status_code == 302
    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject, amendment.field) == ("changed", "indicator", "annual_target")
    assert (amendment.old_value, amendment.new_value) == (str(old), "6000")
    assert amendment.reason == WHY
    assert amendment.acting_user == demo.users["admin"]
    assert amendment.what.startswith("15.")


def test_a_change_without_a_reason_is_refused_and_nothing_changes(admin_client, plan_2024):
    indicator = visitors(plan_2024)
    old = indicator.annual_target

    response = change_indicator(admin_client, indicator, reason="  ", annual_target="6000")

    assert response.status_code == 200
    assert "amendment_reason" in response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.annual_target == old
    assert not Amendment.objects.exists()


def test_a_draft_is_changed_without_a_reason_and_without_amendments(admin_client, plan_2024):
    Plan.objects.filter(pk=plan_2024.pk).update(approved_at=None)
    indicator = visitors(plan_2024)

    response = change_indicator(admin_client, indicator, reason="", annual_target="6000")

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.annual_target == 6000
    assert not Amendment.objects.exists()


def test_a_changed_quarter_target_is_recorded(admin_client, plan_2024):
    indicator = visitors(plan_2024)
    first = indicator.targets.get(quarter=1)
    url = reverse("admin:plans_indicator_change", args=[indicator.pk])
    data = form_data(admin_client.get(url))
    index = next(i for i in range(4) if data.get(f"targets-{i}-id") == str(first.pk))
    data[f"targets-{index}-value"] = str(first.value + 10)

    assert admin_client.post(url, data).status_code == 302

    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.subject, amendment.field) == ("target", "value")
    assert (amendment.old_value, amendment.new_value) == (str(first.value), str(first.value + 10))
    assert amendment.what.endswith("I chorak")


def test_an_added_item_is_recorded(admin_client, plan_2024):
    add_item_in_the_admin(admin_client, plan_2024, "12.5")

    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject) == ("added", "item")
    assert amendment.what.startswith("12.5. Yangi band")


def test_a_removed_item_is_recorded_with_its_reason(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="34")
    url = reverse("admin:plans_planitem_delete", args=[item.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="amendment_reason"' in page

    response = admin_client.post(url, {"post": "yes", "amendment_reason": WHY})

    assert response.status_code == 302
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject, amendment.reason) == ("removed", "item", WHY)
    assert amendment.what.startswith("34.")


def test_removing_an_item_without_a_reason_is_refused(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="34")
    url = reverse("admin:plans_planitem_delete", args=[item.pk])

    response = admin_client.post(url, {"post": "yes"}, follow=True)

    assert PlanItem.objects.filter(pk=item.pk).exists()
    assert not Amendment.objects.exists()
    assert "nega o‘zgartirilayotganini yozing" in response.content.decode()


def test_an_indicator_added_on_the_items_page_is_recorded(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="15")
    url = reverse("admin:plans_planitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    n = int(data["indicators-TOTAL_FORMS"])
    data.update(
        {
            "indicators-TOTAL_FORMS": str(n + 1),
            f"indicators-{n}-item": str(item.pk),
            f"indicators-{n}-label": "Masofadan",
            f"indicators-{n}-annual_target": "40",
            f"indicators-{n}-order": "9",
            f"indicators-{n}-aggregation": "sum",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject, amendment.new_value) == ("added", "indicator", "40")
    assert amendment.what == "15 · Masofadan"


def test_an_indicator_removed_on_the_items_page_is_recorded(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="31")
    removed = item.indicators.order_by("order").first()
    url = reverse("admin:plans_planitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    index = next(i for i in range(20) if data.get(f"indicators-{i}-id") == str(removed.pk))
    data[f"indicators-{index}-DELETE"] = "on"

    assert admin_client.post(url, data).status_code == 302

    assert not Indicator.objects.filter(pk=removed.pk).exists()
    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject) == ("removed", "indicator")
    assert amendment.old_value == str(removed.annual_target)


def test_changed_services_are_recorded_by_name(admin_client, demo, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="15")
    url = reverse("admin:plans_planitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    kadrlar = demo.service("kadrlar")
    data["services"] = [str(kadrlar.pk)]

    assert admin_client.post(url, data).status_code == 302

    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert amendment.field == "services"
    assert amendment.new_value == kadrlar.name
    assert amendment.field_label == "mas’ul xizmatlar"


def test_the_plan_page_lists_the_amendments(admin_client, client, demo, plan_2024):
    change_indicator(admin_client, visitors(plan_2024), annual_target="6000")
    client.force_login(demo.users["direktor"])

    page = client.get(reverse("plans:plan", kwargs={"plan": plan_2024.pk})).content.decode()

    assert WHY in page
    assert "6000" in page


def test_the_region_sees_its_districts_amendments_and_no_one_else_does(admin_client, client, demo, plan_2024):
    change_indicator(admin_client, visitors(plan_2024), annual_target="6000")
    url = reverse("plans:amendments")

    client.force_login(demo.users["viloyat"])
    assert WHY in client.get(url).content.decode()

    other_region = Organization.objects.create(name="Samarqand viloyat AKM", kind="regional")
    stranger = get_user_model().objects.create(username="samarqand-viloyat")
    Membership.objects.create(user=stranger, organization=other_region, role=Membership.Role.REVIEWER)
    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 403

    client.force_login(demo.users["xodim-abonement"])
    assert client.get(url).status_code == 403


def test_a_target_row_removed_from_the_targets_list_is_recorded(admin_client, plan_2024):
    target = Target.objects.filter(indicator=visitors(plan_2024)).order_by("quarter").last()
    url = reverse("admin:plans_target_delete", args=[target.pk])

    admin_client.post(url, {"post": "yes", "amendment_reason": WHY})

    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.kind, amendment.subject) == ("removed", "target")
    assert amendment.old_value == str(target.value)


def test_an_annual_target_changed_by_an_import_is_recorded_as_the_imports(admin_client, demo, plan_2024):
    from plans.resources import IndicatorResource
    from tests.plans.test_import_export import csv_upload, exported, import_through_admin, with_row_changed

    dataset = exported(IndicatorResource)
    index = next(i for i, row in enumerate(dataset.dict) if row["item_number"] == "15")
    old = visitors(plan_2024).annual_target

    upload = csv_upload(with_row_changed(dataset, index, annual_target=800))
    import_through_admin(admin_client, "indicator", upload)

    (amendment,) = Amendment.objects.filter(plan=plan_2024)
    assert (amendment.field, amendment.old_value, amendment.new_value) == ("annual_target", str(old), "800")
    assert amendment.acting_user == demo.users["admin"]
    assert "import" in amendment.reason_display.lower()


def test_reimporting_an_unchanged_export_records_nothing(admin_client, plan_2024):
    from plans.resources import IndicatorResource
    from tests.plans.test_import_export import csv_upload, exported, import_through_admin

    import_through_admin(admin_client, "indicator", csv_upload(exported(IndicatorResource)))

    assert not Amendment.objects.exists()


@pytest.mark.parametrize(("username", "page"), [("direktor", "plan"), ("viloyat", "amendments")])
def test_the_pages_listing_amendments_answer_in_the_same_queries_however_many(
    client, demo, plan_2024, django_assert_num_queries, username, page
):
    def amend(count):
        for number in range(count):
            Amendment.objects.create(
                plan=plan_2024, kind="changed", subject="indicator", what=f"15 · {number}",
                field="annual_target", old_value="1", new_value="2", reason=WHY,
                acting_user=demo.users["admin"],
            )

    url = reverse(f"plans:{page}", kwargs={"plan": plan_2024.pk} if page == "plan" else {})
    client.force_login(demo.users[username])
    amend(1)
    client.get(url)
    with django_assert_num_queries(6) as one:
        client.get(url)
    amend(20)
    with django_assert_num_queries(len(one.captured_queries)):
        assert WHY in client.get(url).content.decode()
