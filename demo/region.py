"""The demo's region: the Jizzakh regional centre's template plan and three more districts with
generated figures, so that the regional and national reviewers see a real region.

- The template is the structure of Sharof Rashidov's 2024 plan (sections, items, indicators,
  deadlines, suggested targets), with no figures; Sharof Rashidov's items and indicators link to it.
  The National Library's template is the same, one level up: the region's template links to it.
- Zomin, G‘allaorol and Forish get the same plan, linked to the template, with their own targets
  (the template's scaled) and January–March figures drawn from a seeded random generator (the
  same every time): Zomin keeps pace and its first-quarter report was accepted; G‘allaorol's
  report was returned by the region; Forish is late: it entered January only, completed no month
  after it, and has not sent its report.

Everything is written in bulk, once: a district that exists is kept as it is.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from plans import clock
from plans.models import Actual, Deadline, Indicator, MonthCompletion, Plan, PlanItem, Section, Target
from plans.pacing import expected_amount, quarter_targets
from reports.models import Report
from reports.tables import build_table
from reports.workflow import do_accept, do_return, do_save_notes, do_submit
from services.models import Membership, Organization, Service

from .people import SERVICES, demo_group

YEAR = 2024


@dataclass(frozen=True)
class GeneratedDistrict:
    name: str
    username: str  # its director's demo account
    director: str
    scale: float  # its targets against the template's
    pace: float  # how much of the expected it does, on average
    months: int  # the months it entered (from January)
    report: str  # what became of its first-quarter report: accepted, returned or draft


GENERATED = [
    GeneratedDistrict(
        "Zomin tuman axborot-kutubxona markazi", "direktor-zomin", "Direktor (Zomin)", 1.2, 1.1, 3, "accepted"
    ),
    GeneratedDistrict(
        "G‘allaorol tuman axborot-kutubxona markazi",
        "direktor-gallaorol",
        "Direktor (G‘allaorol)",
        0.9,
        0.85,
        3,
        "returned",
    ),
    GeneratedDistrict(
        "Forish tuman axborot-kutubxona markazi", "direktor-forish", "Direktor (Forish)", 0.8, 0.6, 1, "draft"
    ),
]
RETURN_COMMENT = "Tadbirlar soni ishonchsiz: 31-band bo‘yicha davomat varaqalarini ilova qiling."
BEHIND_NOTE = "Sabab: xodimlar yetishmasligi, keyingi chorakda to‘ldiriladi."


def template_of(region: Organization, year: int = YEAR) -> Plan | None:
    return Plan.objects.templates().filter(organization=region, year=year).first()


@transaction.atomic
def load_region(region: Organization, source: Plan, password_hash: str, done: list[str]) -> None:
    """The region's template from `source` (linking `source` to it), and the generated districts
    with their figures, reports and directors' accounts; what exists is kept."""
    template = template_of(region, source.year)
    if template is None:
        template = Plan.objects.create(organization=region, year=source.year, kind=Plan.Kind.TEMPLATE)
        copy_structure(source, template)
        done.append(f"made the {source.year} template of {region.name}")
    if region.parent_id is not None and template_of(region.parent, source.year) is None:
        # The National Library's template, the region's copied one level up (and the region's then
        # linked to it), so that the national dashboard adds the regions' indicators up.
        national = Plan.objects.create(organization=region.parent, year=source.year, kind=Plan.Kind.TEMPLATE)
        copy_structure(template, national)
        done.append(f"made the {source.year} template of {region.parent.name}")
    for number, district in enumerate(GENERATED, start=1):
        centre = Organization.objects.filter(name=district.name).first()
        if centre is not None:
            continue
        centre = Organization.objects.create(
            name=district.name,
            kind=Organization.Kind.DISTRICT,
            parent=region,
            director_name=district.director,
        )
        manager = _director(district, centre, password_hash)
        plan = generate_district(
            centre,
            source,
            seed=number,
            scale=district.scale,
            pace=district.pace,
            months=district.months,
            by=manager,
        )
        _report(plan, district.report, manager)
        done.append(f"generated {district.name}")


def copy_structure(source: Plan, target: Plan, *, scale: float = 1.0) -> None:
    """Copy a district's plan `source` (sections, deadlines, items, indicators with targets × `scale`)
    into `target`, in bulk. Into a template (target.kind TEMPLATE): without services, and `source`'s
    items and indicators then link to the template's. Into another district's plan: with the
    services of its centre of the same names (made when missing), each item and indicator linked to
    the template item and indicator `source`'s are linked to."""
    sections = {s.pk: s for s in Section.objects.filter(plan=source)}
    new_sections = {
        pk: Section(plan=target, number=s.number, title=s.title, order=s.order) for pk, s in sections.items()
    }
    Section.objects.bulk_create(new_sections.values())
    deadlines = {d.pk: d for d in Deadline.objects.filter(plan=source)}
    new_deadlines = {
        pk: Deadline(
            plan=target, text=d.text, kind=d.kind, first_month=d.first_month, last_month=d.last_month
        )
        for pk, d in deadlines.items()
    }
    Deadline.objects.bulk_create(new_deadlines.values())
    items = list(PlanItem.objects.filter(plan=source).prefetch_related("services").order_by("order"))
    into_template = target.kind == Plan.Kind.TEMPLATE
    new_items: dict[int, PlanItem] = {}
    # Parents before their sub-items, so a sub-item's parent has its id.
    for generation in (False, True):
        batch = []
        for item in items:
            if (item.parent_id is not None) != generation:
                continue
            new_items[item.pk] = PlanItem(
                plan=target,
                section=new_sections[item.section_id],
                parent=new_items[item.parent_id] if item.parent_id else None,
                number=item.number,
                title=item.title,
                unit_id=item.unit_id,
                steps=item.steps,
                deadline=new_deadlines[item.deadline_id],
                all_services=item.all_services,
                order=item.order,
                template_item_id=None if into_template else item.template_item_id,
            )
            batch.append(new_items[item.pk])
        bulk_create_with_history(batch, PlanItem)
    if not into_template:
        services = {s.name: s for s in target.organization.services.all()}
        through = PlanItem.services.through
        links = []
        for item in items:
            for service in item.services.all():
                if service.name not in services:
                    services[service.name] = Service.objects.create(
                        organization=target.organization, name=service.name, order=len(services) + 1
                    )
                links.append(through(planitem_id=new_items[item.pk].pk, service_id=services[service.name].pk))
        through.objects.bulk_create(links)
    indicators = list(Indicator.objects.filter(item__plan=source).select_related("item__deadline"))
    new_indicators = {}
    for indicator in indicators:
        annual = indicator.annual_target
        new_indicators[indicator.pk] = Indicator(
            item=new_items[indicator.item_id],
            label=indicator.label,
            annual_target=None if annual is None else max(round(annual * scale), 1 if annual else 0),
            order=indicator.order,
            aggregation=indicator.aggregation,
            template_indicator_id=None if into_template else indicator.template_indicator_id,
        )
    bulk_create_with_history(list(new_indicators.values()), Indicator)
    targets = []
    for indicator in indicators:
        copy = new_indicators[indicator.pk]
        if copy.annual_target is None:
            continue
        split = quarter_targets(copy.annual_target, indicator.item.deadline.window)
        targets.extend(Target(indicator=copy, quarter=q, value=v) for q, v in enumerate(split, start=1))
    bulk_create_with_history(targets, Target)
    if into_template:
        for item in items:
            item.template_item = new_items[item.pk]
        PlanItem.objects.bulk_update(items, ["template_item"])
        for indicator in indicators:
            indicator.template_indicator = new_indicators[indicator.pk]
        Indicator.objects.bulk_update(indicators, ["template_indicator"])


def generate_district(
    centre: Organization, source: Plan, *, seed: int, scale: float, pace: float, months: int, by=None
) -> Plan:
    """The centre's plan of `source`'s year, a copy of it (linked to its template), with figures for
    its first `months` months: about `pace` of what the pace expects, drawn from a generator seeded
    by `seed` (the same figures every time). Every service of the centre completed those months
    (marked by `by`, its director)."""
    Service.objects.bulk_create(
        Service(organization=centre, name=name, order=order)
        for order, (_short, name) in enumerate(SERVICES, 1)
    )
    # Approved, as the district's director signed it: its figures are entered against it.
    plan = Plan.objects.create(organization=centre, year=source.year, approved_at=clock.now())
    copy_structure(source, plan, scale=scale)
    generator = random.Random(seed)
    services = list(centre.services.order_by("order"))
    indicators = list(
        Indicator.objects.filter(item__plan=plan)
        .select_related("item__deadline")
        .prefetch_related("item__services")
        .order_by("item__order", "order")
    )
    actuals = []
    for indicator in indicators:
        if not indicator.annual_target:
            continue
        named = list(indicator.item.services.all())
        service = named[0] if named else services[0]
        window = indicator.item.deadline.window
        previous = 0
        for month in range(1, months + 1):
            expected = expected_amount(indicator.annual_target, window, month)
            share = max(generator.gauss(pace, 0.25), 0)
            value = max(round((expected - previous) * share), 0)
            # Now and then a month's work comes early.
            if expected == previous and generator.random() < 0.15:
                value = generator.randint(0, max(indicator.annual_target // 10, 1))
            previous = expected
            actuals.append(Actual(indicator=indicator, month=month, service=service, value=value))
    bulk_create_with_history(actuals, Actual)
    MonthCompletion.objects.bulk_create(
        MonthCompletion(plan=plan, month=month, service=service, completed_by=by)
        for month in range(1, months + 1)
        for service in services
    )
    # Dated as if entered and completed on the 2nd of the month after (December's in January),
    # not when the demo was loaded (auto_now).
    for month in range(1, months + 1):
        day = datetime.datetime(source.year + month // 12, month % 12 + 1, 2, 16, 30)
        Actual.objects.filter(indicator__item__plan=plan, month=month).update(
            entered_at=timezone.make_aware(day)
        )
        completed = timezone.make_aware(day + datetime.timedelta(hours=1))
        MonthCompletion.objects.filter(plan=plan, month=month).update(completed_at=completed)
    return plan


def _director(district: GeneratedDistrict, centre: Organization, password_hash: str):
    user, created = get_user_model().objects.get_or_create(
        username=district.username, defaults={"first_name": district.director, "password": password_hash}
    )
    if created:
        user.groups.add(demo_group())
    Membership.objects.get_or_create(user=user, organization=centre, role=Membership.Role.MANAGER)
    return user


def _report(plan: Plan, outcome: str, manager) -> None:
    """Send the first quarter's report (with a note on every row behind) and have the region
    accept or return it; a draft stays unsent."""
    if outcome == "draft":
        return
    table = build_table(plan, 1)
    do_save_notes(
        plan, 1, {row.indicator_id: BEHIND_NOTE for row in table.missing_notes()}, acting_user=manager
    )
    do_submit(plan, 1, acting_user=manager)
    report = Report.objects.get(plan=plan, quarter=1)
    reviewer = (
        get_user_model()
        .objects.filter(
            memberships__role=Membership.Role.REVIEWER,
            memberships__organization_id=plan.organization.parent_id,
        )
        .first()
    )
    if outcome == "accepted":
        do_accept(report, acting_user=reviewer)
    else:
        do_return(report, acting_user=reviewer, comment=RETURN_COMMENT)
