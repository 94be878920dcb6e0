"""The region's plan template sent to its districts: a preview of what would change, then the send.

`preview(template, districts)` says, per district, what sending would add to or change in its plan
for the template's year; `send(template, districts, by)` does it, for every chosen district or (on
any refusal or error) for none, and tells the managers of each district whose plan it created or
changed (notices, in the same transaction). The National Library's template is sent the same way,
one level up, into its regions' templates (`sent_into`).

What the template decides and what the district keeps:
- the template decides the structure of the items it sent: section, parent, activity, unit,
  deadline and implementation steps, and each indicator's label and how it adds up;
- the district keeps its figures (actuals are never touched), its targets once set (an empty annual
  target takes the template's suggestion; a target already set stays, and so do its quarter
  targets), its items' numbers (a district may renumber: the link holds), who answers for an item
  (services are copied, by name, only onto new items) and its own items (those without a link to
  the template), which are never deleted and are reported under their own heading.

A district item is matched to its template item by its link, else (a first send, or a plan imported
from a file) by number and activity; it is then linked. Indicators likewise: by link, else by label.
A template item whose number is taken in the district's plan by an item that does not match it
cannot be added: the district is refused (the preview says why) until the number is freed.

The queries of a send do not grow with the number of items: every write is a bulk one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from notices import events as notices
from plans.models import Deadline, Indicator, Plan, PlanItem, Section
from plans.ordering import number_key
from plans.targets import derive_quarter_targets
from services.models import Organization, Service

# The fields of an item the template decides, with the names the preview gives them.
ITEM_FIELDS = {
    "section": gettext_lazy("section"),
    "parent": gettext_lazy("parent item"),
    "title": gettext_lazy("activity"),
    "unit": gettext_lazy("unit"),
    "deadline": gettext_lazy("deadline"),
    "steps": gettext_lazy("implementation steps"),
}
# What a new item and a new indicator are made of, for the digest.
NEW_ITEM_FIELDS = ("number", "title", "section", "parent", "unit", "deadline", "steps", "template_item")
NEW_INDICATOR_FIELDS = ("label", "annual_target", "aggregation", "order", "template_indicator")
INDICATOR_FIELDS = {
    "label": gettext_lazy("label"),
    "aggregation": gettext_lazy("how it adds up"),
}


class SendRefused(Exception):
    """The send was refused as a whole; `messages` say why, in the user's language."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass
class Line:
    """One line of the preview: a section, item or indicator added or changed."""

    number: str
    title: str
    detail: str = ""


@dataclass
class DistrictPreview:
    """What sending the template would do to one district's plan."""

    district: Organization
    plan: Plan | None  # None: the district has no plan for the year yet; one will be created
    new_plan: bool = False  # the plan is (or, once sent, was) created from the template
    added_sections: list[Line] = field(default_factory=list)
    changed_sections: list[Line] = field(default_factory=list)
    added_deadlines: list[Line] = field(default_factory=list)
    added_items: list[Line] = field(default_factory=list)
    changed_items: list[Line] = field(default_factory=list)
    added_indicators: list[Line] = field(default_factory=list)
    changed_indicators: list[Line] = field(default_factory=list)
    suggested_targets: list[Line] = field(default_factory=list)  # empty targets taking the suggestion
    kept_targets: list[Line] = field(default_factory=list)  # the district's own, unlike the suggestion
    linked: list[Line] = field(default_factory=list)  # items matched by number and activity, now linked
    own_items: list[Line] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # What send writes; built with the preview so that both say the same.
    _work: _Work | None = field(default=None, repr=False)

    @property
    def added_count(self) -> int:
        return len(self.added_sections) + len(self.added_items) + len(self.added_indicators)

    @property
    def changed_count(self) -> int:
        return (
            len(self.changed_sections)
            + len(self.changed_items)
            + len(self.changed_indicators)
            + len(self.suggested_targets)
            + len(self.linked)
        )

    @property
    def unchanged(self) -> bool:
        return not (self.new_plan or self.added_count or self.changed_count)

    def lines(self) -> list[tuple[str, list[Line]]]:
        """The preview's headings with their lines, the empty ones left out."""
        headings = [
            (_("Sections added"), self.added_sections),
            (_("Sections renamed"), self.changed_sections),
            (_("Deadlines added"), self.added_deadlines),
            (_("Items added"), self.added_items),
            (_("Items changed"), self.changed_items),
            (_("Items linked to the template"), self.linked),
            (_("Indicators added"), self.added_indicators),
            (_("Indicators changed"), self.changed_indicators),
            (_("Empty targets taking the suggestion"), self.suggested_targets),
            (_("The district's own targets, kept"), self.kept_targets),
            (_("The district's own items, kept as they are"), self.own_items),
        ]
        return [(heading, lines) for heading, lines in headings if lines]


@dataclass
class _Work:
    """The writes of one district, prepared by the preview."""

    new_sections: list[Section] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # renamed
    new_deadlines: list[Deadline] = field(default_factory=list)
    # New items, parents before their sub-items; with the names of their services.
    new_items: list[tuple[PlanItem, list[str]]] = field(default_factory=list)
    items: dict[int, tuple[PlanItem, set[str]]] = field(default_factory=dict)  # changed: fields
    new_indicators: list[Indicator] = field(default_factory=list)
    indicators: dict[int, tuple[Indicator, set[str]]] = field(default_factory=dict)
    targeted: list[Indicator] = field(default_factory=list)  # whose annual target was empty
    # The place of every item of the plan, existing ones by object, once the new ones are in.
    order: list[PlanItem] = field(default_factory=list)


def districts_of(template: Plan) -> list[Organization]:
    """The centres a template may be sent to: those directly under its regional centre, by name."""
    return list(Organization.objects.filter(parent_id=template.organization_id).order_by("name"))


def sent_into(template: Plan) -> str:
    """The kind of plan a template is sent into: the National Library's template goes into its
    regions' templates (the same machinery one level up, so that the regions' indicators link to the
    nation's), a region's into its districts' own plans."""
    if template.organization.kind == Organization.Kind.NATIONAL:
        return Plan.Kind.TEMPLATE
    return Plan.Kind.OWN


def preview(template: Plan, districts: Iterable[Organization]) -> list[DistrictPreview]:
    """What sending `template` would add to or change in each district's plan; nothing is written."""
    if not template.is_template:
        raise ValueError("Only a template is sent to districts.")
    districts = list(districts)
    strangers = [d for d in districts if d.parent_id != template.organization_id]
    if strangers:
        raise ValueError(f"Not districts of {template.organization}: {strangers}")
    source = _Template(template)
    plans = {
        plan.organization_id: plan
        for plan in Plan.objects.filter(
            kind=source.into, organization__in=districts, year=template.year
        ).select_related("organization")
    }
    return [_District(source, district, plans.get(district.pk)).preview for district in districts]


def digest(previews: Sequence[DistrictPreview]) -> str:
    """A fingerprint of the writes the previews imply (in no language: the same whoever reads it),
    so that a confirmation can be refused when the template or a district's plan changed since
    the person looked at the preview."""

    def text(obj, name: str) -> str:
        field = obj._meta.get_field(name)
        if field.is_relation and not field.is_cached(obj):  # its id, not a query for it
            return str(getattr(obj, field.attname))
        return str(getattr(obj, name))

    def values(obj, names) -> tuple:
        return (obj.pk, *((name, text(obj, name)) for name in sorted(names)))

    state = []
    for p in previews:
        work = p._work
        state.append(
            (
                p.district.pk,
                p.new_plan,
                len(p.conflicts),
                [values(section, ("number", "title")) for section in work.new_sections + work.sections],
                [values(deadline, ("text", "kind")) for deadline in work.new_deadlines],
                [values(item, NEW_ITEM_FIELDS) for item, _names in work.new_items],
                [values(item, names) for item, names in work.items.values()],
                [values(indicator, NEW_INDICATOR_FIELDS) for indicator in work.new_indicators],
                [values(indicator, names) for indicator, names in work.indicators.values()],
                [(line.number, line.title) for line in p.own_items],
            )
        )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


@transaction.atomic
def send(
    template: Plan,
    districts: Iterable[Organization],
    by: AbstractBaseUser | None,
    *,
    expected_digest: str | None = None,
) -> list[DistrictPreview]:
    """Create or update each district's plan for the template's year from the template: every one
    of them or, when any is refused or fails, none. Returns what was done (the preview's lines).

    `expected_digest`: the digest of the preview the person confirmed; refused when it changed."""
    # One send of a template at a time: a second waits, then sees the plans the first made.
    list(Plan.objects.select_for_update().filter(pk=template.pk).values_list("pk", flat=True))
    previews = preview(template, districts)
    refused = [
        _("%(district)s: %(reason)s") % {"district": p.district.name, "reason": reason}
        for p in previews
        for reason in p.conflicts
    ]
    if refused:
        raise SendRefused(refused)
    if expected_digest is not None and expected_digest != digest(previews):
        raise SendRefused(
            [_("The template or a district's plan changed since the preview. Look at the new preview.")]
        )
    for district_preview in previews:
        _apply(template, district_preview, by)
    changes = [
        notices.TemplateChange(
            centre=p.district,
            plan=p.plan,
            new_plan=p.new_plan,
            added=p.added_count,
            changed=p.changed_count,
        )
        for p in previews
        if not p.unchanged and p.plan is not None
    ]
    notices.template_sent(template, changes, acting_user=by)
    return previews


class _Template:
    """The template's structure, read once for every district."""

    def __init__(self, template: Plan):
        self.plan = template
        self.into = sent_into(template)
        self.sections = list(template.sections.order_by("order"))
        self.items = list(
            PlanItem.objects.filter(plan=template)
            .select_related("section", "parent", "unit", "deadline")
            .prefetch_related(
                Prefetch("services", queryset=Service.objects.order_by("order", "name")),
                Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk")),
            )
            .order_by("order", "pk")
        )
        # Each parent before its sub-items, so that a sub-item finds its district parent already
        # matched or made; otherwise in the template's order.
        self.items.sort(
            key=lambda item: (
                item.parent.order if item.parent else item.order,
                item.parent is not None,
                item.order,
            )
        )


class _District:
    """The preview of one district, and the writes it implies."""

    def __init__(self, source: _Template, district: Organization, plan: Plan | None):
        self.source = source
        self.preview = DistrictPreview(district=district, plan=plan, new_plan=plan is None, _work=_Work())
        self.work = self.preview._work
        self.plan = plan or Plan(organization=district, year=source.plan.year, kind=source.into)
        if plan is None:
            self.sections, self.deadlines, self.items = {}, {}, []
        else:
            self.sections = {section.number: section for section in plan.sections.all()}
            self.deadlines = {deadline.text: deadline for deadline in plan.deadlines.all()}
            self.items = list(
                PlanItem.objects.filter(plan=plan)
                .select_related("section", "parent", "unit", "deadline")
                .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk")))
                .order_by("order", "pk")
            )
        self._sections()
        self._items()

    # Sections and deadlines: by number and by text.

    def _sections(self) -> None:
        for template_section in self.source.sections:
            section = self.sections.get(template_section.number)
            if section is None:
                section = Section(
                    plan=self.plan,
                    number=template_section.number,
                    title=template_section.title,
                    order=template_section.order,
                )
                self.sections[section.number] = section
                self.work.new_sections.append(section)
                self.preview.added_sections.append(Line(section.number, section.title))
            elif section.title != template_section.title:
                self.preview.changed_sections.append(
                    Line(section.number, template_section.title, _("was: %(old)s") % {"old": section.title})
                )
                section.title = template_section.title
                self.work.sections.append(section)

    def _deadline(self, template_deadline: Deadline) -> Deadline:
        deadline = self.deadlines.get(template_deadline.text)
        if deadline is None:
            deadline = Deadline(
                plan=self.plan,
                text=template_deadline.text,
                kind=template_deadline.kind,
                first_month=template_deadline.first_month,
                last_month=template_deadline.last_month,
            )
            self.deadlines[deadline.text] = deadline
            self.work.new_deadlines.append(deadline)
            self.preview.added_deadlines.append(Line("", deadline.text))
        return deadline

    # Items: by link, else by number and activity.

    def _items(self) -> None:
        template_ids = {item.pk for item in self.source.items}
        by_link: dict[int, PlanItem] = {}
        unlinked: dict[tuple[str, str], PlanItem] = {}
        for item in self.items:
            if item.template_item_id in template_ids:
                by_link.setdefault(item.template_item_id, item)
            else:
                unlinked.setdefault((item.number, _same(item.title)), item)
        numbers = {item.number: item for item in self.items}
        matched: dict[int, PlanItem] = {}  # template item id → district item (existing or new)
        for template_item in self.source.items:
            item = by_link.get(template_item.pk)
            if item is None:
                item = unlinked.pop((template_item.number, _same(template_item.title)), None)
                if item is not None:
                    item.template_item_id = template_item.pk
                    self._changed_item(item, "template_item")
                    self.preview.linked.append(Line(item.number, item.title))
            if item is None:
                taken = numbers.get(template_item.number)
                if taken is not None:
                    self.preview.conflicts.append(
                        _(
                            "item %(number)s of the template (%(title)s) cannot be added: the plan "
                            "already has an item %(number)s (%(other)s). Renumber that item first."
                        )
                        % {
                            "number": template_item.number,
                            "title": _short(template_item.title),
                            "other": _short(taken.title),
                        }
                    )
                    continue
                item = self._new_item(template_item, matched)
                if item is None:
                    continue
                numbers[item.number] = item
            else:
                self._update_item(item, template_item, matched)
            matched[template_item.pk] = item
            self._indicators(item, template_item)
        kept = {id(item) for item in matched.values()}
        self.preview.own_items = [
            Line(item.number, item.title) for item in self.items if id(item) not in kept
        ]
        self._place_new_items()

    def _new_item(self, template_item: PlanItem, matched: dict[int, PlanItem]) -> PlanItem | None:
        parent = None
        if template_item.parent_id is not None:
            parent = matched.get(template_item.parent_id)
            if parent is None:  # the parent could not be added: its conflict is reported
                return None
        item = PlanItem(
            plan=self.plan,
            section=self.sections[template_item.section.number],
            parent=parent,
            number=template_item.number,
            title=template_item.title,
            unit_id=template_item.unit_id,
            steps=template_item.steps,
            deadline=self._deadline(template_item.deadline),
            all_services=template_item.all_services,
            note=template_item.note,
            template_item_id=template_item.pk,
        )
        self.work.new_items.append((item, [service.name for service in template_item.services.all()]))
        self.preview.added_items.append(Line(item.number, item.title))
        return item

    def _update_item(self, item: PlanItem, template_item: PlanItem, matched: dict[int, PlanItem]) -> None:
        wanted = {
            "section": self.sections[template_item.section.number],
            "parent": matched.get(template_item.parent_id) if template_item.parent_id else None,
            "title": template_item.title,
            "unit": template_item.unit,
            "deadline": self._deadline(template_item.deadline),
            "steps": template_item.steps,
        }
        for name, value in wanted.items():
            if name == "parent" and template_item.parent_id and value is None:
                continue  # its parent could not be added: the conflict is reported
            current = getattr(item, name)
            if _differs(current, value):
                setattr(item, name, value)
                self._changed_item(item, name)
        changed = self.work.items.get(id(item), (None, set()))[1] - {"template_item"}
        if changed:
            self.preview.changed_items.append(
                Line(
                    item.number,
                    item.title,
                    ", ".join(str(ITEM_FIELDS[name]) for name in ITEM_FIELDS if name in changed),
                )
            )

    def _changed_item(self, item: PlanItem, name: str) -> None:
        self.work.items.setdefault(id(item), (item, set()))[1].add(name)

    def _place_new_items(self) -> None:
        """Each new item after the last item whose number comes before its own (as an item added in
        the admin is placed); every item then takes its place in that order."""
        placed = list(self.items)
        for item, _services in self.work.new_items:
            key = number_key(item.number)
            position = 0
            for index, other in enumerate(placed):
                if number_key(other.number) < key:
                    position = index + 1
            placed.insert(position, item)
        self.work.order = placed

    # Indicators: by link, else by label.

    def _indicators(self, item: PlanItem, template_item: PlanItem) -> None:
        existing = [] if item._state.adding else list(item.indicators.all())
        template_ids = {indicator.pk for indicator in template_item.indicators.all()}
        by_link = {i.template_indicator_id: i for i in existing if i.template_indicator_id in template_ids}
        unlinked = {i.label: i for i in existing if i.template_indicator_id not in template_ids}
        labels = {i.label for i in existing}
        for template_indicator in template_item.indicators.all():
            name = Line(item.number, template_indicator.label or _short(item.title))
            indicator = by_link.get(template_indicator.pk) or unlinked.pop(template_indicator.label, None)
            if indicator is None:
                if template_indicator.label in labels:
                    continue  # linked to another template indicator of that label: left as it is
                indicator = Indicator(
                    item=item,
                    label=template_indicator.label,
                    annual_target=template_indicator.annual_target,
                    order=template_indicator.order,
                    aggregation=template_indicator.aggregation,
                    template_indicator_id=template_indicator.pk,
                )
                labels.add(indicator.label)
                self.work.new_indicators.append(indicator)
                target = template_indicator.annual_target
                self.preview.added_indicators.append(
                    Line(name.number, name.title, "" if target is None else _("target %(n)s") % {"n": target})
                )
                continue
            changed = set()
            if indicator.template_indicator_id != template_indicator.pk:
                indicator.template_indicator_id = template_indicator.pk
                changed.add("template_indicator")
            for field_name in INDICATOR_FIELDS:
                value = getattr(template_indicator, field_name)
                if getattr(indicator, field_name) != value:
                    if field_name == "label" and value in labels:
                        continue  # another indicator of the item has that label
                    labels.discard(indicator.label)
                    labels.add(value)
                    setattr(indicator, field_name, value)
                    changed.add(field_name)
            suggestion = template_indicator.annual_target
            if indicator.annual_target is None and suggestion is not None:
                indicator.annual_target = suggestion
                changed.add("annual_target")
                self.work.targeted.append(indicator)
                self.preview.suggested_targets.append(
                    Line(name.number, name.title, _("target %(n)s") % {"n": suggestion})
                )
            elif suggestion is not None and indicator.annual_target != suggestion:
                self.preview.kept_targets.append(
                    Line(
                        name.number,
                        name.title,
                        _("%(own)s kept; the template suggests %(suggestion)s")
                        % {"own": indicator.annual_target, "suggestion": suggestion},
                    )
                )
            shown = changed & set(INDICATOR_FIELDS)
            if shown:
                self.preview.changed_indicators.append(
                    Line(
                        name.number,
                        name.title,
                        ", ".join(str(INDICATOR_FIELDS[f]) for f in INDICATOR_FIELDS if f in shown),
                    )
                )
            if changed:
                self.work.indicators[id(indicator)] = (indicator, changed)


def _apply(template: Plan, district_preview: DistrictPreview, by: AbstractBaseUser | None) -> None:
    """Write what the preview of one district says, in bulk."""
    work = district_preview._work
    plan = district_preview.plan
    if plan is None:
        plan = Plan.objects.create(
            organization=district_preview.district, year=template.year, kind=sent_into(template)
        )
        district_preview.plan = plan
    for obj in [*work.new_sections, *work.new_deadlines]:
        obj.plan = plan
    Section.objects.bulk_create(work.new_sections)
    Section.objects.bulk_update(work.sections, ["title"])
    Deadline.objects.bulk_create(work.new_deadlines)
    # Orders are given before writing: new items take theirs, moved items are updated below.
    for position, item in enumerate(work.order, start=1):
        if item.order != position:
            item.order = position
            if not item._state.adding:
                work.items.setdefault(id(item), (item, set()))[1].add("order")
    new_items = [item for item, _names in work.new_items]
    for item in new_items:
        item.plan = plan
    # Parents before their sub-items, which need the parents' ids (bulk_create sets them).
    for batch in ([i for i in new_items if i.parent is None], [i for i in new_items if i.parent is not None]):
        if batch:
            bulk_create_with_history(batch, PlanItem, default_user=by)
    changed_items = list(work.items.values())
    fields = sorted({name for _item, names in changed_items for name in names})
    if changed_items:
        bulk_update_with_history([item for item, _names in changed_items], PlanItem, fields, default_user=by)
    _set_services(plan, work.new_items)
    if work.new_indicators:
        bulk_create_with_history(work.new_indicators, Indicator, default_user=by)
    changed_indicators = list(work.indicators.values())
    if changed_indicators:
        names = sorted({name for _indicator, names in changed_indicators for name in names})
        bulk_update_with_history(
            [indicator for indicator, _names in changed_indicators], Indicator, names, default_user=by
        )
    # Quarter targets for the indicators that got an annual target now; others keep theirs.
    derive_quarter_targets(
        indicator
        for indicator in [*work.new_indicators, *work.targeted]
        if indicator.annual_target is not None
    )


def _set_services(plan: Plan, new_items: list[tuple[PlanItem, list[str]]]) -> None:
    """The services named on the template's items, by name, onto the new items; those the district
    does not have are added to it."""
    wanted = {name for _item, names in new_items for name in names}
    if not wanted:
        return
    centre = plan.organization
    known = {service.name: service for service in Service.objects.filter(organization=centre)}
    missing = [name for name in sorted(wanted) if name not in known]
    if missing:
        start = len(known)
        made = Service.objects.bulk_create(
            Service(organization=centre, name=name, order=start + offset)
            for offset, name in enumerate(missing, start=1)
        )
        if any(service.pk is None for service in made):  # a database that does not return ids
            made = list(Service.objects.filter(organization=centre, name__in=missing))
        known.update({service.name: service for service in made})
    through = PlanItem.services.through
    through.objects.bulk_create(
        through(planitem_id=item.pk, service_id=known[name].pk) for item, names in new_items for name in names
    )


def _same(title: str) -> str:
    """An activity as compared when matching: spaces and apostrophe forms do not count."""
    for mark in "'‘’ʻʼ`":
        title = title.replace(mark, "'")
    return " ".join(title.split()).casefold()


def _differs(current: object, wanted: object) -> bool:
    """Whether a field's value changes; an object not yet written differs from every other."""
    if isinstance(current, Model) or isinstance(wanted, Model):
        if current is wanted:
            return False
        return current is None or wanted is None or current.pk is None or current.pk != wanted.pk
    return current != wanted


def _short(title: str, length: int = 60) -> str:
    title = " ".join(title.split())
    return title if len(title) <= length else title[: length - 1] + "…"
