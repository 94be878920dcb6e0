"""A small tree of centres with a regional template, for the template's send to its districts.

The nation → Sirdaryo (the region) → Guliston and Boyovut (its districts); Navoiy, another region
with a district of its own. Sirdaryo's 2024 template: two sections, items 1 and 2, item 3 with
sub-items 3.1 and 3.2 (3.2 with two indicators), and as many more items as asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from plans.aggregation import Aggregation
from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Unit
from plans.pacing import DeadlineKind
from services.models import Membership, Organization, Service


@dataclass
class TemplateWorld:
    nation: Organization
    region: Organization
    districts: list[Organization]
    other_region: Organization
    other_district: Organization
    template: Plan
    users: dict[str, object]

    def item(self, number: str) -> PlanItem:
        return self.template.items.get(number=number)


def build_world(extra_items: int = 0) -> TemplateWorld:
    nation = Organization.objects.create(name="Milliy kutubxona (test)", kind="national")
    region = Organization.objects.create(name="Sirdaryo viloyat AKM", kind="regional", parent=nation)
    districts = [
        Organization.objects.create(name=name, kind="district", parent=region)
        for name in ("Boyovut tuman AKM", "Guliston tuman AKM")
    ]
    other_region = Organization.objects.create(name="Navoiy viloyat AKM", kind="regional", parent=nation)
    other_district = Organization.objects.create(
        name="Karmana tuman AKM", kind="district", parent=other_region
    )
    template = Plan.objects.create(organization=region, year=2024, kind=Plan.Kind.TEMPLATE)
    lending = Service.objects.create(organization=region, name="Abonement xizmati", order=1)
    first = Section.objects.create(plan=template, number="I", title="Ilmiy-metodik faoliyat", order=1)
    second = Section.objects.create(plan=template, number="II", title="Asosiy faoliyat", order=2)
    year = Deadline.objects.create(plan=template, text="2024-yil davomida", kind=DeadlineKind.YEAR)
    quarter = Deadline.objects.create(
        plan=template, text="2024-yil I chorak", kind=DeadlineKind.QUARTERS, first_month=1, last_month=3
    )
    event, _ = Unit.objects.get_or_create(name="Tadbir")
    person, _ = Unit.objects.get_or_create(name="Nafar")
    order = iter(range(1, 1000))

    def item(number, title, section=first, parent=None, unit=event, deadline=year, targets=(("", 40),)):
        made = PlanItem.objects.create(
            plan=template, section=section, parent=parent, number=number, title=title, unit=unit,
            deadline=deadline, order=next(order), steps="1. Reja tuzish",
        )  # fmt: skip
        made.services.set([lending])
        for position, (label, target) in enumerate(targets, start=1):
            Indicator.objects.create(item=made, label=label, annual_target=target, order=position)
        return made

    item("1", "Seminar o‘tkazish", targets=[("", 4)])
    item("2", "Hisobot tayyorlash", deadline=quarter, targets=[("", None)])
    parent = item("3", "Foydalanuvchilarni ro‘yxatga olish", section=second, targets=[])
    item("3.1", "Yangi foydalanuvchilar", section=second, parent=parent, unit=person, targets=[("", 300)])
    users = item(
        "3.2", "Qayta ro‘yxatdan o‘tganlar", section=second, parent=parent, unit=person,
        targets=[("jismoniy shaxslar", 200), ("tashkilotlar", 10)],
    )  # fmt: skip
    users.indicators.filter(label="tashkilotlar").update(aggregation=Aggregation.LATEST)
    for extra in range(extra_items):
        item(str(4 + extra), f"Qo‘shimcha tadbir {extra + 1}", section=second, targets=[("", 10 + extra)])

    people = {}
    for username, centre, role in (
        ("viloyat-direktor", region, Membership.Role.MANAGER),
        ("viloyat-taqrizchi", region, Membership.Role.REVIEWER),
        ("tuman-direktor", districts[0], Membership.Role.MANAGER),
        ("navoiy-taqrizchi", other_region, Membership.Role.REVIEWER),
        ("navoiy-direktor", other_region, Membership.Role.MANAGER),
        ("milliy-taqrizchi", nation, Membership.Role.REVIEWER),
    ):
        user = get_user_model().objects.create(username=username, first_name=username)
        Membership.objects.create(user=user, organization=centre, role=role)
        people[username] = user
    people["admin"] = get_user_model().objects.create(username="admin", is_staff=True, is_superuser=True)
    return TemplateWorld(nation, region, districts, other_region, other_district, template, people)
