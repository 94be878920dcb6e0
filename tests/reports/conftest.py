"""The people of the report tests: one per role at the demo's centres, and outsiders at other centres."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from plans.models import Actual, Indicator
from services.models import Membership, Organization


@dataclass
class World:
    demo: Any
    users: dict[str, Any]

    @property
    def plan(self):
        return self.demo.plan


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Hash the demo's passwords cheaply: the slow default hasher dominated these tests' setup."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, centre: Organization, role: str, service=None):
    user = get_user_model().objects.create_user(username=username, password=None, first_name=username)
    Membership.objects.create(user=user, organization=centre, role=role, service=service)
    return user


@pytest.fixture
def world(demo) -> World:
    """The demo's manager (direktor), reviewer (viloyat), staff and head, plus a manager of a
    neighbouring district, a reviewer of another region and the national library's reviewer
    (above the region, not directly above the district)."""
    other_district = Organization.objects.create(
        name="Boshqa tuman axborot-kutubxona markazi", kind=Organization.Kind.DISTRICT, parent=demo.regional
    )
    other_region = Organization.objects.create(
        name="Samarqand viloyat axborot-kutubxona markazi",
        kind=Organization.Kind.REGIONAL,
        parent=demo.regional.parent,
    )
    users = {
        "manager": demo.users["direktor"],
        "reviewer": demo.users["viloyat"],
        "staff": demo.users["xodim-abonement"],
        "head": demo.users["boshliq-abonement"],
        "other_manager": _user("other-manager", other_district, Membership.Role.MANAGER),
        "other_reviewer": _user("other-reviewer", other_region, Membership.Role.REVIEWER),
        "national_reviewer": _user("national-reviewer", demo.regional.parent, Membership.Role.REVIEWER),
    }
    return World(demo=demo, users=users)


def note_everything_behind(plan, quarter: int, user) -> None:
    """Write a note for every indicator that needs one, so the report can be sent."""
    from reports.tables import build_table
    from reports.workflow import do_save_notes

    table = build_table(plan, quarter)
    do_save_notes(
        plan,
        quarter,
        {row.indicator_id: "Sabab: ma’lumot kech keldi" for row in table.missing_notes()},
        acting_user=user,
    )


def add_actual(plan, number: str, month: int, value: int, label: str = "") -> Actual:
    indicator = Indicator.objects.get(item__plan=plan, item__number=number, label=label)
    service = indicator.item.services.first() or plan.organization.services.first()
    actual, _ = Actual.objects.update_or_create(
        indicator=indicator, month=month, service=service, defaults={"value": value}
    )
    return actual
