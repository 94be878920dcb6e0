"""The database itself refuses rows the code must never write."""

import pytest
from django.db import IntegrityError, transaction

from plans.models import Actual, Indicator, PlanItem, Target
from services.models import Membership, Organization

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.fixture
def indicator(plan_2024):
    return Indicator.objects.select_related("item").get(item__plan=plan_2024, item__number="15")


def test_item_numbers_are_unique_within_a_plan(plan_2024):
    item = plan_2024.items.get(number="15")
    assert refused(
        lambda: PlanItem.objects.create(
            plan=plan_2024,
            section=item.section,
            number="15",
            title="Takror",
            unit=item.unit,
            deadline=item.deadline,
        )
    )


def test_annual_target_cannot_be_negative(indicator):
    assert refused(lambda: Indicator.objects.filter(pk=indicator.pk).update(annual_target=-1))


def test_quarter_target_cannot_be_negative_or_outside_1_to_4(indicator):
    assert refused(lambda: Target.objects.filter(indicator=indicator, quarter=1).update(value=-5))
    assert refused(lambda: Target.objects.filter(indicator=indicator, quarter=1).update(quarter=5))


def test_actual_cannot_be_negative(indicator, demo):
    assert refused(
        lambda: Actual.objects.create(
            indicator=indicator, month=4, service=demo.service("abonement"), value=-1
        )
    )


@pytest.mark.parametrize("month", [0, 13])
def test_actual_month_must_be_1_to_12(indicator, demo, month):
    assert refused(
        lambda: Actual.objects.create(
            indicator=indicator, month=month, service=demo.service("abonement"), value=1
        )
    )


def test_one_actual_per_indicator_month_and_service(indicator, demo):
    service = demo.service("abonement")
    Actual.objects.create(indicator=indicator, month=5, service=service, value=1)
    assert refused(lambda: Actual.objects.create(indicator=indicator, month=5, service=service, value=2))
    # Another service may report the same month.
    Actual.objects.create(indicator=indicator, month=5, service=demo.service("bibliografiya"), value=2)


def test_a_plan_per_centre_and_year(plan_2024):
    assert refused(lambda: plan_2024.__class__.objects.create(organization=plan_2024.organization, year=2024))


def test_membership_role_and_service_must_agree(demo):
    user = demo.users["direktor"]
    assert refused(
        lambda: Membership.objects.create(
            user=user, organization=demo.district, service=None, role=Membership.Role.STAFF
        )
    )
    assert refused(
        lambda: Membership.objects.create(
            user=user, organization=demo.district, service=None, role=Membership.Role.MANAGER
        )
    )


def test_lock_day_must_be_a_day_every_month_has(demo):
    assert refused(lambda: Organization.objects.filter(pk=demo.district.pk).update(entry_lock_day=31))
