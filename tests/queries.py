"""Query pins for pages: a count that does not grow with the data, under a ceiling with a margin.

A selector's queries are pinned exactly (tests/plans/test_figures.py): it is the one place that
reads figures, and a query more there is a design change. A page's queries are pinned here
instead: measured at two sizes of data, which must give the same count, and held under the
page's known count plus MARGIN, so that a query added to every page (the bell was one) does not
send anybody editing a dozen tests, while a query per row still fails at once.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

MARGIN = 3


def queries_of(call: Callable[[], object]) -> int:
    """How many queries `call` makes."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def assert_fixed_queries(counts: list[int], known: int) -> None:
    """The same count at every size of data, and at most `known` + MARGIN."""
    assert len(set(counts)) == 1, f"the number of queries grows with the data: {counts}"
    assert counts[0] <= known + MARGIN, f"{counts[0]} queries: more than {known} + {MARGIN}"
