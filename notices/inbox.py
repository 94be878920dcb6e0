"""The person's own writes on their notices: marking them read."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Notice


@transaction.atomic
def do_mark_read(notice: Notice, *, acting_user: AbstractBaseUser) -> None:
    Notice.objects.filter(pk=notice.pk, recipient=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def do_mark_all_read(*, acting_user: AbstractBaseUser) -> int:
    return Notice.objects.filter(recipient=acting_user, read_at__isnull=True).update(read_at=timezone.now())
