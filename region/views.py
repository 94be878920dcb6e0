"""The region's dashboard (its districts) and the nation's (its regions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.dates import MONTHS
from django.views.decorators.http import require_GET

from common.params import choice_param, int_param
from plans import charts
from plans.clock import today
from plans.cyrillic import shown
from plans.deadlines import roman
from services.access import access_for
from services.models import Organization

from .overview import (
    DEFAULT_SORT,
    SORT_KEYS,
    SORTS,
    USEFUL_SORTS,
    Overview,
    default_month,
    nation_overview,
    region_overview,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _centre(request: HttpRequest, kind: str) -> tuple[Organization, list[Organization]]:
    """The centre of `kind` asked for by ?centre=, else the first this person oversees, and every
    one they oversee; 403 when they may not (a centre that does not exist included)."""
    access = access_for(request)
    centres = access.overseen_centres(kind)
    wanted = int_param(request.GET, "centre")
    centre = centres[0] if wanted is None and centres else next((c for c in centres if c.pk == wanted), None)
    if centre is None:
        raise PermissionDenied
    return centre, centres


def _period(request: HttpRequest) -> tuple[int, int]:
    year = int_param(request.GET, "year")
    if year is None:
        year = today().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadRequest("year out of range")
    month = int_param(request.GET, "month")
    if month is None:
        month = default_month(year)
    if not 1 <= month <= 12:
        raise BadRequest("month out of range")
    return year, month


def _context(overview: Overview, prefix: str, centres: list[Organization]) -> dict:
    query = QueryDict(mutable=True)
    query.update({"centre": overview.centre.pk, "year": overview.year, "month": overview.month})
    grid = charts.status_grid(
        [(shown(row.name), row.sections) for row in overview.rows],
        [column.number for column in overview.columns],
        prefix=prefix,
    )
    # Each column's header links to its sort; the sorted column's link turns the order round.
    sorts = {key: (f"-{key}" if overview.sort == key else key) for key in SORT_KEYS}
    # The sort choices of the filters form, the one in use among them.
    offered = list(USEFUL_SORTS) if overview.sort in USEFUL_SORTS else [*USEFUL_SORTS, overview.sort]
    return {
        "overview": overview,
        "sort_choices": [(sort, sort.lstrip("-"), sort.startswith("-")) for sort in offered],
        "centres": centres,
        "years": [overview.year - 1, overview.year, overview.year + 1],
        "month_name": MONTHS[overview.month],
        "months": [(number, MONTHS[number]) for number in range(1, 13)],
        "quarter_roman": roman(overview.quarter),
        "query": query,
        "sorts": sorts,
        "sorted_by": overview.sort.lstrip("-"),
        "descending": overview.sort.startswith("-"),
        "grid": grid,
        "status_chart": charts.status_summary(overview.summary.counts, prefix=f"{prefix}-all"),
    }


@login_required
@require_GET
def region_dashboard(request: HttpRequest) -> HttpResponse:
    region, centres = _centre(request, Organization.Kind.REGIONAL)
    year, month = _period(request)
    sort = choice_param(request.GET, "sort", SORTS) or DEFAULT_SORT
    overview = region_overview(region, year, month, sort=sort)
    context = _context(overview, "region", centres)
    # The way up to the nation's dashboard, for those who read it.
    parent = region.parent_id
    context["may_see_nation"] = parent is not None and access_for(request).oversees(parent)
    return render(request, "region/region.html", context)


@login_required
@require_GET
def nation_dashboard(request: HttpRequest) -> HttpResponse:
    nation, centres = _centre(request, Organization.Kind.NATIONAL)
    year, month = _period(request)
    sort = choice_param(request.GET, "sort", SORTS) or DEFAULT_SORT
    overview = nation_overview(nation, year, month, sort=sort)
    return render(request, "region/nation.html", _context(overview, "nation", centres))
