"""The plan's own text in the reader's script: Latin as stored, or Cyrillic for readers of Ўзбекча.

`shown(text)` is the one place: the template filter `script` (plans.templatetags.script) and the
report's table (reports.tables.ReportTable.in_reader_script) call it. The Cyrillic is an
administrator's correction (CyrillicText) where one is stored for that exact text, else
common.cyrillic.to_cyrillic. The corrections are read once per request (one query, and only when
the reader reads Cyrillic), and outside a request (the task queue's worker) again when a minute
old, or when `fresh_corrections` says so.
"""
from __future__ import annotations

import time
from contextvars import ContextVar

from django.core.signals import request_finished, request_started
from django.utils import translation

from common.cyrillic import to_cyrillic

CYRILLIC = "uz-cyrl"
# The corrections read, and when (time.monotonic()).
_corrections: ContextVar[tuple[float, dict[str, str]] | None] = ContextVar(
    "cyrillic_corrections", default=None
)
MAX_AGE = 60.0


def reads_cyrillic() -> bool:
    return translation.get_language() == CYRILLIC


def fresh_corrections(**_kwargs) -> None:
    """Forget the corrections read: the next text shown reads them again."""
    _corrections.set(None)


request_started.connect(fresh_corrections, dispatch_uid="plans.cyrillic.started")
request_finished.connect(fresh_corrections, dispatch_uid="plans.cyrillic.finished")


def corrections() -> dict[str, str]:
    read = _corrections.get()
    if read is None or time.monotonic() - read[0] > MAX_AGE:
        from .models import CyrillicText

        read = (time.monotonic(), dict(CyrillicText.objects.values_list("latin", "cyrillic")))
        _corrections.set(read)
    return read[1]


def shown(text: str) -> str:
    """`text` as the active language's reader reads it."""
    if not text or not reads_cyrillic():
        return text
    return corrections().get(text) or to_cyrillic(text)
