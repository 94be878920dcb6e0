"""The reads of evidence: counts for the entry page, a figure's files and their history."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils.dates import MONTHS

from plans.locks import quarter_months
from plans.models import Indicator, Plan
from services.models import Service

from .actions import evidence_storage
from .models import EvidenceEvent, EvidenceFile


def evidence_counts(plan: Plan, month: int, service: Service) -> dict[int, int]:
    """How many files each indicator's figure of the service's month has (indicators without any
    left out). One query, whatever the number of rows."""
    counts = (
        EvidenceFile.objects.filter(indicator__item__plan=plan, month=month, service=service)
        .values("indicator_id")
        .annotate(count=Count("pk"))
        .values_list("indicator_id", "count")
    )
    return dict(counts)


def figure_files(indicator: Indicator, month: int, service: Service) -> list[EvidenceFile]:
    """The figure's files, oldest first; each with `sent_version`, the first report version that
    was sent with it (None if none was). One query."""
    return list(
        EvidenceFile.objects.filter(indicator=indicator, month=month, service=service)
        .annotate(sent_version=Min("sent_in__version__number"))
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def figure_events(indicator: Indicator, month: int, service: Service) -> list[EvidenceEvent]:
    """Every file added to or removed from the figure, newest first. One query."""
    return list(
        EvidenceEvent.objects.filter(indicator=indicator, month=month, service=service)
        .select_related("acting_user")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class FigureFiles:
    """A figure of an indicator (a service's month) with how many files it has."""

    month: int
    service_id: int
    service_name: str
    count: int

    @property
    def month_name(self) -> str:
        return str(MONTHS[self.month])


def indicator_files(indicator: Indicator, services: Sequence[Service] | None = None) -> list[FigureFiles]:
    """The indicator's figures that have files (of the given services; None: all), by month. One
    query."""
    files = EvidenceFile.objects.filter(indicator=indicator)
    if services is not None:
        files = files.filter(service__in=list(services))
    counts = (
        files.values("month", "service_id", "service__name")
        .annotate(count=Count("pk"))
        .order_by("month", "service__order", "service_id")
    )
    return [FigureFiles(c["month"], c["service_id"], c["service__name"], c["count"]) for c in counts]


def indicator_events(indicator: Indicator, services: Sequence[Service] | None = None) -> list[EvidenceEvent]:
    """Every file added to or removed from the indicator's figures (of the given services; None:
    all), newest first: the files' part of the indicator's history. One query."""
    events = EvidenceEvent.objects.filter(indicator=indicator)
    if services is not None:
        events = events.filter(service__in=list(services))
    return list(events.select_related("acting_user", "service").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class EvidenceLine:
    """A file as a report lists it."""

    number: str
    indicator: str
    month: int
    service: str
    name: str
    kind: str
    size: int
    uploaded_at: datetime.datetime
    # A photo's thumbnail (JPEG), read only for the PDF's annex.
    thumbnail: bytes = b""

    @property
    def month_name(self) -> str:
        return str(MONTHS[self.month])


def indicator_name(indicator: Indicator) -> str:
    return f"{indicator.item.title} · {indicator.label}" if indicator.label else indicator.item.title


_ORDER = ("indicator__item__section__order", "indicator__item__order", "indicator__order", "month", "pk")


def quarter_evidence(plan: Plan, quarter: int, *, thumbnails: bool = False) -> list[EvidenceLine]:
    """The files of the quarter's months as they stand, in the plan's order. One query; with
    `thumbnails`, the photos' thumbnails are read from the storage too."""
    files = (
        EvidenceFile.objects.filter(indicator__item__plan=plan, month__in=list(quarter_months(quarter)))
        .select_related("indicator__item", "service")
        .order_by(*_ORDER)
    )
    return [
        EvidenceLine(
            number=file.indicator.item.number,
            indicator=indicator_name(file.indicator),
            month=file.month,
            service=file.service.name,
            name=file.name,
            kind=file.get_kind_display(),
            size=file.size,
            uploaded_at=file.uploaded_at,
            thumbnail=_thumbnail(file.thumbnail_key) if thumbnails else b"",
        )
        for file in files
    ]


def _thumbnail(key: str) -> bytes:
    if not key:
        return b""
    try:
        with evidence_storage().open(key, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return b""  # listed without its picture rather than not at all
