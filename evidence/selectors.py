"""The reads of evidence: counts for the entry page, a figure's files and their history."""

from __future__ import annotations

from django.db.models import Count, Min

from plans.models import Indicator, Plan
from services.models import Service

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
