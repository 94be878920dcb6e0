"""What a report's files carry besides its table: the evidence files and the plan's amendments, for
a quarter's report or for the annual report (which has no evidence of its own: the year's files are
its quarterly reports', each frozen with theirs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.models import Kind
from evidence.selectors import EvidenceLine, indicator_name, quarter_evidence
from plans.models import Plan
from plans.plan_pages import quarter_amendments

from .models import ReportVersion, SentEvidence
from .rules import is_year

if TYPE_CHECKING:
    from plans.models import Amendment


def report_evidence(
    plan: Plan, quarter: int, *, version: ReportVersion | None = None, thumbnails: bool = False
) -> list[EvidenceLine]:
    """The evidence a report lists: a sent version's as frozen with it, else the quarter's files as
    they stand; none for the annual report."""
    if is_year(quarter):
        return []
    if version is not None:
        return version_evidence(version)
    return quarter_evidence(plan, quarter, thumbnails=thumbnails)


def report_amendments(plan: Plan, quarter: int) -> list[Amendment]:
    """The plan's amendments up to the end of the report's period (the annual report's: the year)."""
    return quarter_amendments(plan, 4 if is_year(quarter) else quarter)


def version_evidence(version: ReportVersion) -> list[EvidenceLine]:
    """The files a version was sent with, as they were listed then. One query."""
    sent = SentEvidence.objects.filter(version=version).select_related("indicator__item").order_by("pk")
    return [
        EvidenceLine(
            number=line.indicator.item.number,
            indicator=indicator_name(line.indicator),
            month=line.month,
            service=line.service_name,
            name=line.name,
            kind=str(Kind(line.kind).label),
            size=line.size,
            uploaded_at=line.uploaded_at,
        )
        for line in sent
    ]
