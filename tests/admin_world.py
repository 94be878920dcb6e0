"""A second district centre beside the demo's, and admin users of the demo's centre, for the admin's doors.

Every text of the other centre says "Zomin" and its figure is 987654, so that a page leaking any
of it is caught by looking for those two.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from plans.models import Actual, Amendment, Deadline, Indicator, Plan, PlanItem, Section, Target, Unit
from plans.pacing import DeadlineKind
from reports.models import Report
from services.models import Membership, Organization, Service

SECRET_FIGURE = 987654
# What of the other centre must never show to anyone but an administrator.
LEAKS = ("zomin", str(SECRET_FIGURE))


@dataclass
class OtherCentre:
    centre: Organization
    service: Service
    membership: Membership
    plan: Plan
    section: Section
    deadline: Deadline
    item: PlanItem
    indicator: Indicator
    target: Target
    actual: Actual
    report: Report
    amendment: Amendment

    def objects(self) -> dict[str, object]:
        """The other centre's object of each model, by model label."""
        return {
            obj._meta.label: obj
            for obj in (
                self.centre, self.service, self.membership, self.plan, self.section, self.deadline,
                self.item, self.indicator, self.target, self.actual, self.report, self.amendment,
            )
        }


def build_other_centre(demo) -> OtherCentre:
    """Zomin's centre, with a plan of one item, its figure (changed once, so it has a history),
    a member and a report."""
    centre = Organization.objects.create(
        name="Zomin tuman AKM", kind="district", parent=demo.regional, director_name="Zomin direktori"
    )
    service = Service.objects.create(organization=centre, name="Zomin fond xizmati")
    person = get_user_model().objects.create(username="zomin-xodim", first_name="Zomin xodimi")
    membership = Membership.objects.create(
        user=person, organization=centre, service=service, role=Membership.Role.STAFF
    )
    plan = Plan.objects.create(organization=centre, year=2024)
    section = Section.objects.create(plan=plan, number="I", title="Zomin bo‘limi")
    deadline = Deadline.objects.create(plan=plan, text="Zomin muddati", kind=DeadlineKind.YEAR)
    item = PlanItem.objects.create(
        plan=plan,
        section=section,
        number="1",
        title="Zomin bandi",
        unit=Unit.objects.order_by("pk").first(),
        deadline=deadline,
        note="Zomin izohi",
    )
    item.services.set([service])
    indicator = Indicator.objects.create(item=item, label="Zomin ko‘rsatkichi", annual_target=SECRET_FIGURE)
    target = Target.objects.create(indicator=indicator, quarter=1, value=SECRET_FIGURE)
    actual = Actual.objects.create(indicator=indicator, month=2, service=service, value=1, note="Zomin")
    actual.value, actual.note = SECRET_FIGURE, "Zomin: maxfiy izoh"
    actual.save()
    report = Report.objects.create(plan=plan, quarter=1)
    amendment = amendment_of(plan, "Zomin ko‘rsatkichi", reason="Zomin sababi")
    return OtherCentre(
        centre, service, membership, plan, section, deadline, item, indicator, target, actual, report,
        amendment,
    )


def amendment_of(plan: Plan, what: str, reason: str) -> Amendment:
    """An amendment of the plan, as the admin records one (plans.approval)."""
    return Amendment.objects.create(
        plan=plan, kind="changed", subject="indicator", what=what, field="annual_target",
        old_value="1", new_value=str(SECRET_FIGURE) if "Zomin" in what else "2", reason=reason,
    )


def own_objects(demo) -> dict[str, object]:
    """An object of each centre-bound model from the demo's own centre, by model label."""
    actual = Actual.objects.filter(service__organization=demo.district).order_by("pk").first()
    item = actual.indicator.item
    target = actual.indicator.targets.order_by("quarter").first()
    for versioned in (item, actual.indicator, target, actual):
        versioned.save()  # a version in their history, like the other centre's objects have
    return {
        obj._meta.label: obj
        for obj in (
            demo.district,
            actual.service,
            Membership.objects.filter(organization=demo.district).order_by("pk").first(),
            demo.plan,
            item.section,
            item.deadline,
            item,
            actual.indicator,
            target,
            actual,
            Report.objects.get_or_create(plan=demo.plan, quarter=1)[0],
            amendment_of(demo.plan, str(actual.indicator), reason="Viloyat ko‘rsatmasi"),
        )
    }


def admin_user(demo, username: str, permissions: list[Permission] = (), *, manager: bool = True):
    """A person with staff status and these model permissions, managing the demo's centre (or not)."""
    user = get_user_model().objects.create(username=username, is_staff=True)
    user.user_permissions.set(permissions)
    if manager:
        Membership.objects.create(user=user, organization=demo.district, role=Membership.Role.MANAGER)
    return user


def permissions(*actions: str, models: tuple[str, ...] | None = None) -> list[Permission]:
    """Django's permissions of these actions ("view", "change"…) on these models (labels), or on all."""
    codenames = rf"^({'|'.join(actions)})_"
    found = Permission.objects.select_related("content_type").filter(codename__regex=codenames)
    if models is None:
        return list(found)
    wanted = {tuple(label.lower().split(".")) for label in models}
    return [p for p in found if (p.content_type.app_label, p.content_type.model) in wanted]
