"""A regional centre's consolidated quarterly report: its districts' reports added up per template indicator.

The figures are those of each district's report as sent (the last version of a report the region
has: submitted or accepted), never the live ones, unless asked (`include_drafts`), and then every
district counted from its live figures is marked so. A district's indicator is counted under the
template indicator it is linked to (`Indicator.template_indicator`), so a district renumbering
its items stays consolidated; its own indicators (no link) are listed apart and never summed.
Districts add up by the template indicator's aggregation (plans.aggregation).

The consolidated annual report (period WHOLE_YEAR) is built the same way from the districts' annual
reports as sent, adding up each quarter I–IV and the year.

Like reports.tables, the result is plain data, frozen as JSON when the region sends it.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from plans.aggregation import Aggregation, over_centres
from plans.clock import today
from plans.figures import figures_of_plans, plan_indicators, year_figures_of_plans
from plans.models import Indicator, Plan
from services.models import Organization

from . import rules
from .models import Report, ReportEvent, ReportVersion
from .tables import FIGURES, HEADING, SECTION, ReportTable, figure_headers

KIND = "consolidated"  # the "kind" key of a consolidated table stored with a version
# 1: the first consolidated reports (quarters only); 2: rows with "done_by_quarter" (the annual
# report's quarters I–IV, empty on a quarter's rows).
FORMAT = 2

SENT_STATES = (Report.State.SUBMITTED, Report.State.ACCEPTED)


class Source(enum.StrEnum):
    """Where a district's figures in the consolidated report come from."""

    SENT = "sent"  # the last version of its report the region has
    LIVE = "live"  # not sent: its live figures, counted only when asked, and marked
    MISSING = "missing"  # not sent (or returned) and not counted; or no plan at all


@dataclass(frozen=True)
class ConsolidatedRow:
    kind: str
    number: str
    activity: str
    level: int = 0
    unit: str = ""
    aggregation: str = ""
    annual_target: int | None = None
    quarter_target: int | None = None
    done_in_quarter: int | None = None
    done_to_date: int | None = None
    percent: float | None = None
    districts: int = 0  # how many districts' figures the row counts
    template_indicator_id: int | None = None
    done_by_quarter: list[int] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        return self.kind == FIGURES

    @property
    def aggregation_label(self) -> str:
        return str(Aggregation(self.aggregation).label) if self.aggregation else ""


@dataclass(frozen=True)
class DistrictRow:
    """A district as the consolidated report counts it."""

    centre_id: int
    name: str
    state: str  # its report's state ("" without a plan)
    punctuality: str
    source: str
    version: int | None = None
    # What it did since January per template indicator (keys: template indicator ids as text).
    done_to_date: dict[str, int] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.source != Source.MISSING

    @property
    def late(self) -> bool:
        return self.punctuality in (rules.Punctuality.LATE, rules.Punctuality.OVERDUE)

    @property
    def state_label(self) -> str:
        return str(Report.State(self.state).label) if self.state else _("No plan")

    @property
    def source_label(self) -> str:
        if self.source == Source.SENT:
            return _("Version %(number)s as sent") % {"number": self.version}
        if self.source == Source.LIVE:
            return _("Live figures, not sent")
        return _("Not counted")


@dataclass(frozen=True)
class OwnRow:
    """A district's own indicator (no template link): listed, never summed."""

    district: str
    number: str
    activity: str
    unit: str
    annual_target: int | None
    done_in_quarter: int | None
    done_to_date: int | None
    live: bool = False


@dataclass(frozen=True)
class ConsolidatedTable:
    region: str
    director: str
    year: int
    quarter: int
    rows: list[ConsolidatedRow]
    districts: list[DistrictRow]
    own_rows: list[OwnRow]

    @property
    def annual(self) -> bool:
        return rules.is_year(self.quarter)

    @property
    def quarter_roman(self) -> str:
        return "" if self.annual else rules.roman(self.quarter)

    @property
    def territory(self) -> str:
        return territory_of(self.region)

    @property
    def figure_headers(self) -> list[str]:
        """The figure columns: those of the district reports of the same period (reports.tables)."""
        return figure_headers(self.annual)

    @property
    def column_count(self) -> int:
        return 3 + len(self.figure_headers) + 2

    @property
    def title(self) -> str:
        if self.annual:
            return _(
                "Consolidated annual report of the information-library centres of %(territory)s on the "
                "execution of the %(year)s work plan"
            ) % {"territory": self.territory, "year": self.year}
        return _(
            "Consolidated report of the information-library centres of %(territory)s on the execution "
            "of the %(year)s work plan for quarter %(quarter)s"
        ) % {"territory": self.territory, "year": self.year, "quarter": self.quarter_roman}

    @property
    def short_title(self) -> str:
        if self.annual:
            return _("Consolidated annual report on the execution of the %(year)s work plan") % {
                "year": self.year
            }
        return _("Consolidated report on the execution of the %(year)s work plan for quarter %(quarter)s") % {
            "year": self.year,
            "quarter": self.quarter_roman,
        }

    @property
    def includes_live(self) -> bool:
        """Some district is counted from figures it has not sent: the report is a working copy."""
        return any(district.source == Source.LIVE for district in self.districts)

    @property
    def not_in_order(self) -> list[DistrictRow]:
        """The districts the first page names: no report counted as sent, or sent late."""
        return [d for d in self.districts if d.source != Source.SENT or d.late]

    def figure_rows(self) -> list[ConsolidatedRow]:
        return [row for row in self.rows if row.has_figures]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "format": FORMAT,
            "region": self.region,
            "director": self.director,
            "year": self.year,
            "quarter": self.quarter,
            "rows": [asdict(row) for row in self.rows],
            "districts": [asdict(row) for row in self.districts],
            "own_rows": [asdict(row) for row in self.own_rows],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConsolidatedTable:
        if data.get("kind") != KIND or data.get("format") not in (1, FORMAT):
            raise ValueError("Not a consolidated report table of a known format")
        if data["format"] == 1:  # quarters only: no quarters I–IV on the rows
            data = {**data, "rows": [{**row, "done_by_quarter": []} for row in data["rows"]]}
        return cls(
            region=data["region"],
            director=data["director"],
            year=data["year"],
            quarter=data["quarter"],
            rows=[ConsolidatedRow(**row) for row in data["rows"]],
            districts=[DistrictRow(**row) for row in data["districts"]],
            own_rows=[OwnRow(**row) for row in data["own_rows"]],
        )


_CENTRE_SUFFIX = re.compile(r"\s+axborot-kutubxona\s+markazi\s*$", re.IGNORECASE)


def territory_of(region_name: str) -> str:
    """The territory a regional centre's name is of, as the title says it: "Jizzax viloyat
    axborot-kutubxona markazi" → "Jizzax viloyati"; a name not of that shape stays whole."""
    stripped = _CENTRE_SUFFIX.sub("", region_name)
    if stripped == region_name:
        return region_name
    if stripped.endswith(" viloyat"):
        stripped += "i"
    return stripped


@dataclass(frozen=True)
class _Figures:
    """One district's figures of one indicator (of the annual report: each quarter's too)."""

    annual_target: int | None
    quarter_target: int | None
    done_in_quarter: int
    done_to_date: int
    done_by_quarter: tuple[int, ...] = ()


def build_consolidated(template: Plan, quarter: int, *, include_drafts: bool = False) -> ConsolidatedTable:
    """The consolidated report on `quarter` of the region owning `template` (a template plan, with
    its organization loaded).

    Six queries, however many districts (the figures selector's more with `include_drafts`, once a
    quarter for the annual report, WHOLE_YEAR).
    """
    if not template.is_template:
        raise ValueError("A consolidated report is built from a region's template plan")
    rules.check_period(quarter)
    annual = rules.is_year(quarter)
    region = template.organization
    districts = list(Organization.objects.filter(parent=region).order_by("name"))
    plans = {
        plan.organization_id: plan
        for plan in Plan.objects.own().filter(year=template.year, organization__in=districts)
    }
    reports = {
        report.plan_id: report
        for report in Report.objects.filter(plan__in=list(plans.values()), quarter=quarter)
    }
    sent = [report for report in reports.values() if report.state in SENT_STATES]
    last_number = ReportVersion.objects.filter(report=OuterRef("report")).order_by("-number").values("number")
    versions = {
        version.report_id: version
        for version in ReportVersion.objects.filter(report__in=sent, number=Subquery(last_number[:1])).defer(
            "pdf"
        )
    }
    links = {
        pk: (template_id, plan_id, number, title, label, unit)
        for pk, template_id, plan_id, number, title, label, unit in Indicator.objects.filter(
            item__plan__in=list(plans.values())
        ).values_list(
            "pk",
            "template_indicator_id",
            "item__plan_id",
            "item__number",
            "item__title",
            "label",
            "item__unit__name",
        )
    }

    # Each counted district's figures: {template indicator id: figures}, and its own indicators.
    sources: dict[int, tuple[Source, int | None]] = {}
    linked: dict[int, dict[int, list[_Figures]]] = defaultdict(lambda: defaultdict(list))
    own: list[OwnRow] = []
    live_plans = []
    names = {district.pk: district.name for district in districts}
    for district in districts:
        plan = plans.get(district.pk)
        report = reports.get(plan.pk) if plan else None
        version = versions.get(report.pk) if report else None
        if version is not None:
            sources[district.pk] = (Source.SENT, version.number)
            # Read through ReportTable, so a version sent in any format ever written counts.
            for row in ReportTable.from_json(version.table).rows:
                if row.indicator_id is None:
                    continue
                figures = _Figures(
                    row.annual_target,
                    row.quarter_target,
                    row.done_in_quarter or 0,
                    row.done_to_date or 0,
                    tuple(row.done_by_quarter),
                )
                _count(district, row.indicator_id, figures, links, linked, own, row, live=False)
        elif plan is not None and include_drafts:
            sources[district.pk] = (Source.LIVE, None)
            live_plans.append(plan)
        else:
            sources[district.pk] = (Source.MISSING, None)
    if live_plans:
        by_plan = _live_figures(live_plans, quarter)
        for plan in live_plans:
            district = next(d for d in districts if d.pk == plan.organization_id)
            for indicator_id, figures in by_plan[plan.pk]:
                _count(district, indicator_id, figures, links, linked, own, None, live=True)

    template_indicators = list(plan_indicators(template))
    aggregations = {indicator.pk: indicator.aggregation for indicator in template_indicators}
    on = today()
    due = rules.due_date(template.year, quarter, region.report_due_day)
    district_rows = []
    for district in districts:
        plan = plans.get(district.pk)
        report = reports.get(plan.pk) if plan else None
        source, number = sources[district.pk]
        done = {
            str(template_id): over_centres(
                aggregations.get(template_id, ""), (f.done_to_date for f in figures)
            )
            for template_id, figures in linked[district.pk].items()
        }
        district_rows.append(
            DistrictRow(
                centre_id=district.pk,
                name=names[district.pk],
                state=(report.state if report else Report.State.DRAFT) if plan else "",
                punctuality=rules.punctuality(
                    due, sent_on=report.first_submitted_on if report else None, today=on
                ).value,
                source=source.value,
                version=number,
                done_to_date=done,
            )
        )
    return ConsolidatedTable(
        region=region.name,
        director=region.director_name,
        year=template.year,
        quarter=quarter,
        rows=_rows(template_indicators, linked, annual=annual),
        districts=district_rows,
        own_rows=own,
    )


def _live_figures(plans: list[Plan], quarter: int) -> dict[int, list[tuple[int, _Figures]]]:
    """The districts' live figures (not sent) by plan id, as (indicator id, figures), from the
    figures selector: at the quarter's last month, or each quarter's for the annual report."""
    if not rules.is_year(quarter):
        return {
            plan_id: [
                (f.indicator.pk, _quarter_figures(f))
                for f in figures
            ]
            for plan_id, figures in figures_of_plans(plans, 3 * quarter).items()
        }
    result = {}
    for plan_id, year in year_figures_of_plans(plans).items():
        done = year.done_by_quarter()
        result[plan_id] = [
            (f.indicator.pk, _Figures(f.annual_target, None, 0, f.done_to_date, tuple(done[f.indicator.pk])))
            for f in year.at_year_end
        ]
    return result


def _quarter_figures(figure) -> _Figures:
    return _Figures(figure.annual_target, figure.quarter_target, figure.done_in_quarter, figure.done_to_date)


def _count(district, indicator_id, figures, links, linked, own, frozen_row, *, live: bool) -> None:
    """Count one district indicator's figures under its template indicator, or list it as its own."""
    link = links.get(indicator_id)
    template_id = link[0] if link else None
    if template_id is not None:
        linked[district.pk][template_id].append(figures)
        return
    if link is not None:
        _template, _plan, number, title, label, unit = link
        activity = f"{title} — {label}" if label else title
    else:  # the indicator is gone since the report was sent: as the frozen row named it
        number, activity, unit = frozen_row.number, frozen_row.activity, frozen_row.unit
    own.append(
        OwnRow(
            district=district.name,
            number=number,
            activity=activity,
            unit=unit,
            annual_target=figures.annual_target,
            done_in_quarter=figures.done_in_quarter,
            done_to_date=figures.done_to_date,
            live=live,
        )
    )


def _rows(
    template_indicators: list[Indicator], linked: Mapping[int, Mapping[int, list[_Figures]]], *, annual: bool
) -> list[ConsolidatedRow]:
    """The template's rows in its order, each indicator's figures added up over the districts."""
    rows: list[ConsolidatedRow] = []
    section_id = None
    parents_done: set[int] = set()
    for item, group in itertools.groupby(template_indicators, key=lambda indicator: indicator.item):
        members = list(group)
        if item.section_id != section_id:
            section_id = item.section_id
            rows.append(
                ConsolidatedRow(kind=SECTION, number=item.section.number, activity=item.section.title)
            )
        level = 0
        if item.parent_id is not None:
            level = 1
            if item.parent_id not in parents_done:
                parents_done.add(item.parent_id)
                rows.append(
                    ConsolidatedRow(kind=HEADING, number=item.parent.number, activity=item.parent.title)
                )
        if len(members) == 1 and not members[0].label:
            rows.append(_figures_row(members[0], item.number, item.title, level, linked, annual))
            continue
        rows.append(
            ConsolidatedRow(
                kind=HEADING, number=item.number, activity=item.title, level=level, unit=item.unit.name
            )
        )
        for indicator in members:
            rows.append(_figures_row(indicator, "", indicator.label, level + 1, linked, annual))
    return rows


def _figures_row(
    indicator: Indicator,
    number: str,
    activity: str,
    level: int,
    linked: Mapping[int, Mapping[int, list[_Figures]]],
    annual: bool = False,
) -> ConsolidatedRow:
    how = indicator.aggregation
    # A district's figures for this indicator (one indicator linked, or several added up), then
    # the districts' added up: both by the template indicator's aggregation.
    per_district = [
        _within_district(how, by_template[indicator.pk])
        for by_template in linked.values()
        if by_template.get(indicator.pk)
    ]
    target = _targets(how, [f.annual_target for f in per_district])
    done_to_date = over_centres(how, (f.done_to_date for f in per_district))
    return ConsolidatedRow(
        kind=FIGURES,
        number=number,
        activity=activity,
        level=level,
        unit=indicator.item.unit.name,
        aggregation=how,
        annual_target=target,
        quarter_target=None if annual else _targets(how, [f.quarter_target for f in per_district]),
        done_in_quarter=None if annual else over_centres(how, (f.done_in_quarter for f in per_district)),
        done_to_date=done_to_date,
        percent=100 * done_to_date / target if target else None,
        districts=len(per_district),
        template_indicator_id=indicator.pk,
        done_by_quarter=_by_quarter(how, per_district) if annual else [],
    )


def _by_quarter(how: str, figures: list[_Figures]) -> list[int]:
    """Quarters I–IV added up over `figures` by the indicator's aggregation (a figure with no
    quarters, as a row sent without them, counts 0)."""
    return [
        over_centres(how, (f.done_by_quarter[q] if len(f.done_by_quarter) == 4 else 0 for f in figures))
        for q in range(4)
    ]


def _within_district(how: str, figures: list[_Figures]) -> _Figures:
    if len(figures) == 1:
        return figures[0]
    return _Figures(
        annual_target=_targets(how, [f.annual_target for f in figures]),
        quarter_target=_targets(how, [f.quarter_target for f in figures]),
        done_in_quarter=over_centres(how, (f.done_in_quarter for f in figures)),
        done_to_date=over_centres(how, (f.done_to_date for f in figures)),
        done_by_quarter=tuple(_by_quarter(how, figures)),
    )


def _targets(how: str, targets: list[int | None]) -> int | None:
    """The districts' targets added up like their figures; None when none has a target."""
    known = [target for target in targets if target is not None]
    return over_centres(how, known) if known else None


@dataclass(frozen=True)
class ConsolidatedPage:
    """A region's consolidated report as its page shows it."""

    template: Plan
    quarter: int
    report: Report | None
    table: ConsolidatedTable
    frozen: ReportVersion | None  # the version shown, while the National Library has it
    versions: list[ReportVersion]
    events: list[Any]
    # Districts whose report was returned (or its acceptance taken back) after the version shown
    # was sent: the figures sent no longer stand.
    out_of_date: list[str]

    @property
    def state(self) -> str:
        return self.report.state if self.report else Report.State.DRAFT

    @property
    def state_label(self) -> str:
        return Report.State(self.state).label


def consolidated_page(template: Plan, quarter: int, *, include_drafts: bool = False) -> ConsolidatedPage:
    """The consolidated report: once sent, the version as sent and whether a district's report has
    been sent back since; otherwise built now. A fixed number of queries, however many districts."""
    report = Report.objects.filter(plan=template, quarter=quarter).first()
    versions, events, frozen, out_of_date = [], [], None, []
    if report is not None:
        versions = list(
            report.versions.defer("pdf", "table").select_related("submitted_by").order_by("number")
        )
        events = list(report.events.select_related("acting_user", "version").order_by("created_at", "pk"))
    if report is not None and report.state in SENT_STATES:
        frozen = ReportVersion.objects.defer("pdf").get(pk=versions[-1].pk)
        table = ConsolidatedTable.from_json(frozen.table)
        out_of_date = list(
            ReportEvent.objects.filter(
                report__plan__organization__parent_id=template.organization_id,
                report__plan__kind=Plan.Kind.OWN,
                report__plan__year=template.year,
                report__quarter=quarter,
                action__in=[ReportEvent.Action.RETURNED, ReportEvent.Action.ACCEPTANCE_WITHDRAWN],
                created_at__gt=frozen.submitted_at,
            )
            .order_by("report__plan__organization__name")
            .values_list("report__plan__organization__name", flat=True)
            .distinct()
        )
    else:
        table = build_consolidated(template, quarter, include_drafts=include_drafts)
    return ConsolidatedPage(
        template=template,
        quarter=quarter,
        report=report,
        table=table,
        frozen=frozen,
        versions=versions,
        events=events,
        out_of_date=out_of_date,
    )


def current_consolidated(
    template: Plan, quarter: int, *, include_drafts: bool = False
) -> tuple[ConsolidatedTable, ReportVersion | None]:
    """The consolidated report as it stands: the last version sent while the National Library has
    it, else built now."""
    report = Report.objects.filter(plan=template, quarter=quarter).first()
    if report is not None and report.state in SENT_STATES:
        version = report.versions.order_by("-number").first()
        return ConsolidatedTable.from_json(version.table), version
    return build_consolidated(template, quarter, include_drafts=include_drafts), None
