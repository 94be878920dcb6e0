"""Names of a report's files: the centre's name in Latin letters (common.filenames), its id, the year,
the period and the version. The same name is used by the downloads and by the `quarterly_report`
command, so a file keeps its name whichever way it was obtained."""

from __future__ import annotations

from common.filenames import slug
from plans.deadlines import WHOLE_YEAR


def report_filename(
    *, centre: str, centre_id: int, year: int, quarter: int, extension: str, version: int | None = None
) -> str:
    """e.g. `sharof-rashidov-tuman-axborot-kutubxona-markazi-id7-2024-q1-v2.pdf` (a draft: `-draft`;
    the annual report, WHOLE_YEAR: `-2024-year-v1.pdf`).

    The id makes the names of two centres differ even when their names read the same in Latin.
    """
    name = slug(centre) or "akm"
    suffix = f"v{version}" if version else "draft"
    period = "year" if quarter == WHOLE_YEAR else f"q{quarter}"
    return f"{name}-id{centre_id}-{year}-{period}-{suffix}.{extension}"
