"""The region's dashboard's pure parts: a grid cell's status, a report's rank, short names, the grid."""

import re

from plans.charts import status_grid
from plans.dashboards import Summary
from plans.pacing import Status
from region.overview import overall_status, report_rank, short_name
from reports.rules import Punctuality
from services.models import Organization


def cell(**counts: int) -> Status | None:
    return overall_status(Summary({Status(name): n for name, n in counts.items()}))


def test_a_cell_is_the_worst_that_needs_acting_on():
    assert cell() is None
    assert cell(done=3, behind=1, overdue=1) == Status.OVERDUE
    assert cell(done=3, behind=1, on_track=5) == Status.BEHIND
    assert cell(done=3, on_track=1) == Status.ON_TRACK
    assert cell(done=3, not_started=1) == Status.ON_TRACK
    assert cell(done=3, no_target=2) == Status.DONE
    assert cell(not_started=2, no_target=1) == Status.NOT_STARTED
    assert cell(no_target=2) == Status.NO_TARGET


def test_reports_to_chase_sort_first():
    ranks = [
        report_rank("draft", Punctuality.OVERDUE),
        report_rank("submitted", Punctuality.LATE),
        report_rank("returned", Punctuality.ON_TIME),
        report_rank("draft", Punctuality.PENDING),
        report_rank("submitted", Punctuality.ON_TIME),
        report_rank("accepted", Punctuality.LATE),
    ]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_short_names_leave_out_what_every_centre_is_called():
    assert short_name(Organization(name="Zomin tuman axborot-kutubxona markazi")) == "Zomin tuman"
    assert short_name(Organization(name="Toshkent shahar AKM")) == "Toshkent shahar AKM"


def test_the_grid_draws_a_cell_per_centre_and_section_and_escapes_names():
    grid = status_grid(
        [
            ("<b>Zomin</b>", [Status.DONE, None, Status.BEHIND]),
            ("Forish", [Status.OVERDUE, Status.ON_TRACK, None]),
        ],
        ["I", "II", "III"],
        prefix="t",
    )
    assert "<b>" not in grid and "&lt;b&gt;Zomin&lt;/b&gt;" in grid
    assert len(re.findall(r"stroke-width=\"0.5\"><title>", grid)) == 4  # a cell each, the legend aside
    assert grid.count("–</text>") == 2  # the sections without indicators
    assert 'role="img"' in grid and "<title>" in grid and 'viewBox="0 0' in grid
