"""Writing notices: who of a centre is told of each kind, and the notices written for them.

Recipients are always picked from services.access.audience (the people who may be told about the
centre: nobody hears of a centre they may not see), narrowed to the roles the kind is for. A
notice is written in the caller's transaction, so it exists exactly when the event does; its
delivery is queued once that transaction commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from plans.clock import now
from services.access import audience, in_audience
from services.models import Membership, Organization, Service

from .kinds import Kind
from .models import Notice

Role = Membership.Role

# Who of the centre's audience is told of each kind.
TOLD: dict[str, frozenset[str]] = {
    Kind.LOCK_DAY: frozenset({Role.STAFF, Role.HEAD}),
    Kind.MONTH_INCOMPLETE: frozenset({Role.MANAGER}),
    Kind.REPORT_DUE: frozenset({Role.MANAGER}),
    Kind.REPORT_OVERDUE: frozenset({Role.MANAGER, Role.REVIEWER}),
    Kind.REPORT_SENT: frozenset({Role.REVIEWER}),
    Kind.REPORT_RETURNED: frozenset({Role.MANAGER, Role.HEAD}),
    Kind.REPORT_ACCEPTED: frozenset({Role.MANAGER}),
    Kind.TEMPLATE_SENT: frozenset({Role.MANAGER}),
    Kind.DIGEST: frozenset({Role.MANAGER}),
}
# A person with several memberships that are told gets one notice, linked for the first of these.
ROLE_ORDER = [Role.MANAGER, Role.REVIEWER, Role.HEAD, Role.STAFF]

# The format of Notice.data written now (notices.messages reads every version).
DATA_VERSION = 1


@dataclass(frozen=True)
class Draft:
    """A notice to write, before its recipients are known."""

    kind: Kind
    centre: Organization
    key: str
    data: dict[str, Any]
    # The page where the recipient acts, from the membership through which they are told.
    link: Callable[[Membership], str]
    # The centre's services whose staff and heads may be told (the kind's roles decide whether).
    services: Sequence[Service] = field(default_factory=tuple)
    every_service: bool = False
    # Nobody is told of what they did themselves.
    leave_out_user_id: int | None = None


def recipients(drafts: Sequence[Draft]) -> list[list[Membership]]:
    """For each draft (all about one centre, of one kind), one membership per person told of it, in
    one query."""
    centre, kind = drafts[0].centre, drafts[0].kind
    told = Q()
    for draft in drafts:
        told |= audience(centre, draft.services, every_service=draft.every_service)
    memberships = list(
        Membership.objects.filter(told, role__in=TOLD[kind], user__is_active=True).select_related("service")
    )
    memberships.sort(key=lambda m: (ROLE_ORDER.index(m.role), m.pk))
    found = []
    for draft in drafts:
        chosen: dict[int, Membership] = {}
        for membership in memberships:
            if membership.user_id != draft.leave_out_user_id and in_audience(
                membership, centre, draft.services, every_service=draft.every_service
            ):
                chosen.setdefault(membership.user_id, membership)
        found.append(list(chosen.values()))
    return found


def write(drafts: Sequence[Draft]) -> int:
    """Write the drafts' notices (a notice already written for the same person, kind and key is
    left as it is) and queue their delivery for when the transaction commits. One query for the
    recipients of the drafts about each centre and kind, and one insert for all. Returns how many
    notices were new or already there."""
    written_at = now()
    groups: dict[tuple[int, str], list[Draft]] = defaultdict(list)
    for draft in drafts:
        groups[(draft.centre.pk, draft.kind)].append(draft)
    notices = [
        Notice(
            recipient_id=membership.user_id,
            kind=draft.kind,
            key=draft.key,
            centre=draft.centre,
            data={"v": DATA_VERSION, **draft.data},
            link=draft.link(membership),
            created_at=written_at,
        )
        for group in groups.values()
        for draft, told in zip(group, recipients(group), strict=True)
        for membership in told
    ]
    if not notices:
        return 0
    Notice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=500)
    transaction.on_commit(_queue_dispatch, robust=True)
    return len(notices)


def _queue_dispatch() -> None:
    from .tasks import dispatch

    dispatch()
