"""A small region for the consolidated report's tests: the national library, a regional centre with
a template plan, and districts whose plans link to it, with generated figures for the first quarter."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from plans.aggregation import Aggregation
from plans.models import Actual, Deadline, Indicator, Plan, PlanItem, Section, Target, Unit
from plans.pacing import DeadlineKind
from services.models import Membership, Organization, Service

REGION = "Jizzax viloyat axborot-kutubxona markazi"
NATIONAL = "Alisher Navoiy nomidagi O‘zbekiston Milliy kutubxonasi"
YEAR = 2024

# The template: (number, title, unit, parent number, [(label, annual target, aggregation)]).
TEMPLATE = [
    ("1", "Ommaviy tadbirlar o‘tkazish", "Tadbir", None, [("", 40, Aggregation.SUM)]),
    (
        "2",
        "Foydalanuvchilarni ro‘yxatga olish",
        "Nafar",
        None,
        [("yangi", 100, Aggregation.SUM), ("ro‘yxatda jami", 500, Aggregation.LATEST)],
    ),
    ("3", "Nizomni tasdiqlash", "Hujjat", None, [("", 1, Aggregation.MAX)]),
    ("4", "Fondni to‘ldirish", "Nusxa", None, []),
    ("4.1", "Xarid qilish", "Nusxa", "4", [("", 120, Aggregation.SUM)]),
    ("4.2", "Sovg‘a sifatida", "Nusxa", "4", [("", 60, Aggregation.SUM)]),
]


@dataclass
class Region:
    national: Organization
    region: Organization
    template: Plan
    districts: list[Organization]
    plans: list[Plan]
    users: dict[str, Any] = field(default_factory=dict)


def _user(username: str, centre: Organization, role: str):
    user = get_user_model().objects.create_user(username=username, password=None, first_name=username)
    Membership.objects.create(user=user, organization=centre, role=role)
    return user


def _plan(centre: Organization, kind: str, template: Plan | None, seed: int) -> Plan:
    """A plan of TEMPLATE's structure; a district's linked to `template` item by item."""
    plan = Plan.objects.create(organization=centre, year=YEAR, kind=kind)
    section = Section.objects.create(plan=plan, number="I", title="Asosiy faoliyat", order=1)
    deadline = Deadline.objects.create(plan=plan, text="2024-yil davomida", kind=DeadlineKind.YEAR)
    service = Service.objects.create(organization=centre, name="Abonement xizmati") if template else None
    rng = random.Random(seed)
    items: dict[str, PlanItem] = {}
    for order, (number, title, unit, parent, indicators) in enumerate(TEMPLATE, start=1):
        item = PlanItem.objects.create(
            plan=plan,
            section=section,
            parent=items.get(parent) if parent else None,
            number=number,
            title=title,
            unit=Unit.objects.get_or_create(name=unit)[0],
            deadline=deadline,
            order=order,
            template_item=PlanItem.objects.get(plan=template, number=number) if template else None,
        )
        items[number] = item
        if service:
            item.services.add(service)
        for position, (label, target, how) in enumerate(indicators):
            indicator = Indicator.objects.create(
                item=item,
                label=label,
                annual_target=target + (rng.randint(0, 20) if template else 0),
                order=position,
                aggregation=how,
                template_indicator=Indicator.objects.get(
                    item__plan=template, item__number=number, label=label
                )
                if template
                else None,
            )
            Target.objects.create(indicator=indicator, quarter=1, value=indicator.annual_target // 4)
            if template:
                _figures(indicator, service, rng, how)
    if template and seed == 0:
        # The first district's own item: listed apart, never added up.
        own = PlanItem.objects.create(
            plan=plan, section=section, number="9", title="Tuman kitob bayrami", order=99,
            unit=Unit.objects.get_or_create(name="Tadbir")[0], deadline=deadline,
        )  # fmt: skip
        own.services.add(service)
        indicator = Indicator.objects.create(item=own, annual_target=4)
        Actual.objects.create(indicator=indicator, month=2, service=service, value=1)
    return plan


def _figures(indicator: Indicator, service: Service, rng: random.Random, how: str) -> None:
    for month in (1, 2, 3):
        if how == Aggregation.MAX:
            value = rng.randint(0, 1)
        elif how == Aggregation.LATEST:
            value = 400 + 10 * month + rng.randint(0, 9)
        else:
            value = rng.randint(0, 15)
        Actual.objects.create(indicator=indicator, month=month, service=service, value=value)


def build_region(districts: int = 3, *, name: str = REGION, national: Organization | None = None) -> Region:
    national = (
        national
        or Organization.objects.get_or_create(name=NATIONAL, defaults={"kind": Organization.Kind.NATIONAL})[0]
    )
    region = Organization.objects.create(
        name=name, kind=Organization.Kind.REGIONAL, parent=national, director_name="B. Karimova"
    )
    template = _plan(region, Plan.Kind.TEMPLATE, None, seed=-1)
    centres, plans = [], []
    for index in range(districts):
        centre = Organization.objects.create(
            name=f"{name.split()[0]} {index + 1}-tuman axborot-kutubxona markazi",
            kind=Organization.Kind.DISTRICT,
            parent=region,
        )
        centres.append(centre)
        plans.append(_plan(centre, Plan.Kind.OWN, template, seed=index))
    result = Region(national=national, region=region, template=template, districts=centres, plans=plans)
    result.users = {
        "region_manager": _user(f"{region.pk}-region-manager", region, Membership.Role.MANAGER),
        "region_reviewer": _user(f"{region.pk}-region-reviewer", region, Membership.Role.REVIEWER),
        "national_reviewer": Membership.objects.filter(organization=national, role=Membership.Role.REVIEWER)
        .first()
        .user
        if Membership.objects.filter(organization=national, role=Membership.Role.REVIEWER).exists()
        else _user("national-reviewer", national, Membership.Role.REVIEWER),
        **{
            f"district_manager_{i}": _user(f"{region.pk}-district-{i}", centre, Membership.Role.MANAGER)
            for i, centre in enumerate(centres)
        },
    }
    return result


def send_district(region: Region, index: int, quarter: int = 1):
    """The district's manager sends its report (noting every indicator behind first)."""
    from reports.workflow import do_submit
    from tests.reports.conftest import note_everything_behind

    plan = region.plans[index]
    user = region.users[f"district_manager_{index}"]
    note_everything_behind(plan, quarter, user)
    return do_submit(plan, quarter, acting_user=user)
