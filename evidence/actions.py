"""The writes of evidence: adding files to a figure, removing one, and listing a sent version's.

Like plans.entry, each write is atomic, takes a keyword-only `acting_user`, records what it did
(EvidenceEvent) in the same transaction and locks the plan's row first, so that files are not
added to a month while it is being closed, and two uploads cannot both pass the limit. Bytes go
to the storage inside the transaction and are deleted again if it fails or does not commit (call
do_add_files outside any transaction of the caller's); a removed file's bytes are deleted once
the removal is committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import Indicator, Plan
from plans.selectors import month_state_of
from services.models import Service

from .files import Refused, Stored, inspect
from .models import EvidenceEvent, EvidenceFile


def evidence_storage() -> Storage:
    """Where the files' bytes are (settings.STORAGES["evidence"])."""
    return storages["evidence"]


def _lock_plan(plan: Plan) -> None:
    # The same lock as every write of plans.entry: the plan's row, until the transaction ends.
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True).get()


def belongs(indicator: Indicator, service: Service) -> bool:
    """Whether `service` enters figures of `indicator`: the service is of the plan's centre and
    answers for the item. Reads indicator.item.plan and item.services (load them)."""
    item = indicator.item
    return item.plan.organization_id == service.organization_id and item.is_answered_by(service)


def _check_open(plan: Plan, month: int) -> None:
    if not month_state_of(plan, month).is_open:
        raise Refused(
            _("This month is closed for entry: files can be added or removed only while it is open.")
        )


def do_add_files(
    indicator: Indicator,
    month: int,
    service: Service,
    uploads: Sequence[tuple[str, bytes]],
    *,
    acting_user: AbstractBaseUser,
) -> list[EvidenceFile]:
    """Attach the files (name, content) to the service's figure of `indicator` for `month`: all of
    them or, if any is refused (Refused, naming it), none."""
    if not uploads:
        raise Refused(_("Choose at least one file."))
    if not belongs(indicator, service):
        raise Refused(_("This service does not enter figures for this indicator."))
    # Read and re-encoded before the transaction: SQLite's begins with the database's write lock.
    accepted = [inspect(name, content) for name, content in uploads]
    written: list[str] = []
    try:
        return _store(indicator, month, service, accepted, written, acting_user=acting_user)
    except BaseException:
        # Refused, or the transaction failed (its commit too): the bytes written go again.
        _delete(evidence_storage(), written)
        raise


@transaction.atomic
def _store(
    indicator: Indicator,
    month: int,
    service: Service,
    accepted: list[Stored],
    written: list[str],
    *,
    acting_user: AbstractBaseUser,
) -> list[EvidenceFile]:
    """Write the files and their rows in one transaction, naming each key written in `written`."""
    plan = indicator.item.plan
    _lock_plan(plan)
    _check_open(plan, month)
    present = EvidenceFile.objects.filter(indicator=indicator, month=month, service=service).count()
    limit = settings.EVIDENCE_MAX_FILES
    if present + len(accepted) > limit:
        raise Refused(
            ngettext(
                "A figure can have at most %(limit)d file; it has %(present)d, "
                "and %(count)d more were chosen.",
                "A figure can have at most %(limit)d files; it has %(present)d, "
                "and %(count)d more were chosen.",
                limit,
            )
            % {"limit": limit, "present": present, "count": len(accepted)}
        )
    storage = evidence_storage()
    created = []
    for file in accepted:
        folder = f"{plan.organization_id}/{plan.year}/{month:02d}/{uuid.uuid4().hex}"
        key = storage.save(f"{folder}.{file.extension}", ContentFile(file.content))
        written.append(key)
        thumbnail_key = ""
        if file.thumbnail:
            thumbnail_key = storage.save(f"{folder}-thumbnail.jpg", ContentFile(file.thumbnail))
            written.append(thumbnail_key)
        created.append(
            EvidenceFile.objects.create(
                indicator=indicator,
                month=month,
                service=service,
                kind=file.kind,
                content_type=file.content_type,
                name=file.name,
                key=key,
                thumbnail_key=thumbnail_key,
                size=len(file.content),
                sha256=file.sha256,
                uploaded_by=acting_user,
            )
        )
    EvidenceEvent.objects.bulk_create(
        EvidenceEvent(
            indicator=indicator,
            month=month,
            service=service,
            action=EvidenceEvent.Action.ADDED,
            name=row.name,
            size=row.size,
            file=row,
            acting_user=acting_user,
        )
        for row in created
    )
    return created


@transaction.atomic
def do_remove_file(file: EvidenceFile, *, acting_user: AbstractBaseUser) -> None:
    """Remove a file from its figure. Refused (Refused) when a sent report version lists it, or
    when its month is not open for entry."""
    plan = file.indicator.item.plan
    _lock_plan(plan)
    file = EvidenceFile.objects.select_for_update().get(pk=file.pk)
    # The versions that list it (reports.models.SentEvidence, whose PROTECT keeps the row too).
    sent = list(file.sent_in.order_by("version__number").values_list("version__number", flat=True))
    if sent:
        raise Refused(
            _(
                "%(name)s was sent to the regional centre with the quarterly report (version %(version)s): "
                "it cannot be removed."
            )
            % {"name": file.name, "version": sent[0]}
        )
    _check_open(plan, file.month)
    EvidenceEvent.objects.create(
        indicator_id=file.indicator_id,
        month=file.month,
        service_id=file.service_id,
        action=EvidenceEvent.Action.REMOVED,
        name=file.name,
        size=file.size,
        file=None,
        acting_user=acting_user,
    )
    keys = [key for key in (file.key, file.thumbnail_key) if key]
    file.delete()
    storage = evidence_storage()
    transaction.on_commit(lambda: _delete(storage, keys))


def _delete(storage: Storage, keys: Sequence[str]) -> None:
    for key in keys:
        storage.delete(key)
