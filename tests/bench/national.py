"""`make bench` (national scale): the region's and the nation's dashboards and the consolidated report.

Builds a synthetic country: BENCH_REGIONS regions (default 14) of 13–15 district centres each, every
district with the 2024 plan's structure linked to its region's template and a whole year of monthly
figures (the demo's generator, demo.region, so that districts keep different paces); the first
region's districts have sent their fourth-quarter reports, all but two. Measures, as the people who
use them, the floor page, the regional dashboard, the national dashboard, and the consolidated
report's page, PDF and XLSX for the first region (15 districts), first with that one region loaded
and again with all of them, and writes the table into tests/bench/results-<db>.md (its own section,
after run.py's). The same database set-up as run.py. A quick run: BENCH_REGIONS=2 BENCH_RUNS=5.
Not collected by pytest (the file is not named test_*).
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

REGIONS = int(os.environ.get("BENCH_REGIONS", "14"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
# Files are slower: fewer runs.
FILE_RUNS = max(RUNS // 6, 3)
YEAR = 2024
# Early January 2025: the whole of 2024 entered, the fourth quarter's reports due.
TODAY = datetime.date(2025, 1, 8)
MONTH, QUARTER = 12, 4
# Districts per region, in turn: the first region has 15.
DISTRICTS = (15, 13, 14)
# Districts of the first region that have not sent their report (listed as missing).
UNSENT = 2
# Issue 12's targets.
PAGE_TARGET = 10  # the regional dashboard within this many times the floor
PDF_TARGET_MS = 2000
XLSX_TARGET_MS = 1000
SECTION = "## National scale"


def log(message: str) -> None:
    print(message, flush=True)


class Country:
    """The national library, its regions, their templates and districts."""

    def __init__(self) -> None:
        import json

        from django.contrib.auth import get_user_model

        from demo.region import copy_structure
        from plans.exchange import import_plan
        from plans.models import Plan
        from services.models import Membership, Organization

        data = json.loads((HERE.parents[1] / "fixtures" / "plan-2024.json").read_text(encoding="utf-8"))
        # The plan every template and district is copied from, of a centre outside the country: a
        # template made from it links it, and each region's districts copy its links.
        outside = Organization.objects.create(name="Bench source centre", kind=Organization.Kind.DISTRICT)
        self.source = import_plan(data, organization=outside, year=YEAR)
        Plan.objects.filter(pk=self.source.pk).update(approved_at=datetime.datetime.now(datetime.UTC))
        self.nation = Organization.objects.create(
            name="Bench milliy kutubxona", kind=Organization.Kind.NATIONAL
        )
        # The National Library's template: sent to each region (region.template_send, one level up)
        # to make its template, so that the national dashboard adds every indicator up.
        self.national_template = Plan.objects.create(
            organization=self.nation, year=YEAR, kind=Plan.Kind.TEMPLATE
        )
        copy_structure(self.source, self.national_template)
        self.regions: list = []
        self.districts = 0
        User = get_user_model()
        self.floor = User.objects.create(username="bench-national-floor")
        self.national_reviewer = User.objects.create(username="bench-milliy")
        Membership.objects.create(
            user=self.national_reviewer, organization=self.nation, role=Membership.Role.REVIEWER
        )
        self.regional_reviewer = User.objects.create(username="bench-viloyat")
        self.district_manager = User.objects.create(username="bench-tuman-direktor")

    def add_regions(self, count: int) -> None:
        from django.db import transaction

        from demo.region import generate_district
        from plans.models import Plan
        from region.template_send import send
        from services.models import Membership, Organization

        for _ in range(count):
            number = len(self.regions) + 1
            started = time.perf_counter()
            with transaction.atomic():
                region = Organization.objects.create(
                    name=f"Bench {number:02d} viloyat axborot-kutubxona markazi",
                    kind=Organization.Kind.REGIONAL,
                    parent=self.nation,
                    director_name=f"Bench director {number}",
                )
                send(self.national_template, [region], None)
                self.link_source(Plan.objects.templates().get(organization=region, year=YEAR))
                districts = DISTRICTS[(number - 1) % len(DISTRICTS)]
                for index in range(districts):
                    seed = number * 100 + index
                    centre = Organization.objects.create(
                        name=f"Bench {number:02d}-{index + 1:02d} tuman axborot-kutubxona markazi",
                        kind=Organization.Kind.DISTRICT,
                        parent=region,
                    )
                    generate_district(
                        centre,
                        self.source,
                        seed=seed,
                        scale=0.8 + (seed % 5) / 10,
                        pace=0.7 + (seed % 7) / 15,
                        months=12,
                    )
                self.districts += districts
                if number == 1:
                    Membership.objects.create(
                        user=self.regional_reviewer, organization=region, role=Membership.Role.REVIEWER
                    )
                    Membership.objects.create(
                        user=self.district_manager,
                        organization=Organization.objects.filter(parent=region).order_by("name").first(),
                        role=Membership.Role.MANAGER,
                    )
                    self.send_reports(region)
            self.regions.append(region)
            log(f"  region {number}: {districts} districts in {time.perf_counter() - started:.1f} s")

    def link_source(self, template) -> None:
        """Link the source plan's items and indicators to the region's template (by number, and by
        order within an item), so that the districts generated from it link to that template."""
        from plans.models import Indicator, PlanItem

        items = {item.number: item for item in PlanItem.objects.filter(plan=template)}
        indicators = {
            (indicator.item.number, indicator.order): indicator
            for indicator in Indicator.objects.filter(item__plan=template).select_related("item")
        }
        source_items = list(PlanItem.objects.filter(plan=self.source))
        for item in source_items:
            item.template_item = items[item.number]
        PlanItem.objects.bulk_update(source_items, ["template_item"])
        source_indicators = list(Indicator.objects.filter(item__plan=self.source).select_related("item"))
        for indicator in source_indicators:
            indicator.template_indicator = indicators[(indicator.item.number, indicator.order)]
        Indicator.objects.bulk_update(source_indicators, ["template_indicator"])

    def send_reports(self, region) -> None:
        """The region's districts' fourth-quarter reports as sent (their table frozen as a version),
        all but the last UNSENT; written directly, without their PDFs, which no measured page reads."""
        from django.utils import timezone

        from plans.models import Plan
        from reports.models import Report, ReportVersion
        from reports.tables import build_table

        plans = list(Plan.objects.own().filter(organization__parent=region).order_by("organization__name"))
        sent_on = datetime.date(2025, 1, 6)
        at = timezone.make_aware(datetime.datetime(2025, 1, 6, 11))
        for plan in plans[: len(plans) - UNSENT]:
            report = Report.objects.create(
                plan=plan, quarter=QUARTER, state=Report.State.SUBMITTED, first_submitted_on=sent_on
            )
            ReportVersion.objects.create(
                report=report,
                number=1,
                table=build_table(plan, QUARTER).to_json(),
                pdf=b"",
                language="uz",
                submitted_by=self.district_manager,
                submitted_at=at,
                submitted_on=sent_on,
            )


def measured(country: Country) -> list[tuple[str, Callable[[], object], int]]:
    """(name, one request, how many runs) for each page, as the people who use it."""
    from django.test import Client
    from django.urls import reverse

    from plans.models import Plan

    region = country.regions[0]
    template = Plan.objects.templates().get(organization=region, year=YEAR)

    def client_for(user) -> Client:
        client = Client(headers={"Accept-Encoding": "gzip, deflate, br"})
        client.force_login(user)
        return client

    def get(client: Client, url: str, **query) -> Callable[[], object]:
        def run():
            response = client.get(url, query)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    floor = client_for(country.floor)
    regional = client_for(country.regional_reviewer)
    national = client_for(country.national_reviewer)
    period = {"year": YEAR, "month": MONTH}
    kwargs = {"template_id": template.pk, "quarter": QUARTER}
    return [
        ("Floor: login-required page on base.html (home)", get(floor, reverse("home")), RUNS),
        (
            "Regional dashboard (15 districts)",
            get(regional, reverse("region:dashboard"), centre=region.pk, **period),
            RUNS,
        ),
        (
            "National dashboard (every region)",
            get(national, reverse("region:nation"), centre=country.nation.pk, **period),
            max(RUNS // 3, 3),
        ),
        (
            "Consolidated report page (15 districts)",
            get(regional, reverse("reports:consolidated", kwargs=kwargs)),
            RUNS,
        ),
        (
            "Consolidated report PDF (15 districts)",
            get(regional, reverse("reports:consolidated_pdf", kwargs=kwargs)),
            FILE_RUNS,
        ),
        (
            "Consolidated report XLSX (15 districts)",
            get(regional, reverse("reports:consolidated_xlsx", kwargs=kwargs)),
            FILE_RUNS,
        ),
    ]


def main() -> None:
    from run import configure, measure

    vendor = configure()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from plans.models import Actual

    settings.AKM_TODAY = TODAY
    log(
        f"AKM Reja national bench on {vendor}: {REGIONS} regions of {DISTRICTS} districts, {RUNS} runs a page"
    )
    call_command("migrate", verbosity=0)
    country = Country()
    results: dict[str, dict[int, tuple[float, int]]] = {}
    scales: list[tuple[int, int]] = []

    def take() -> None:
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        scale = len(country.regions)
        scales.append((scale, country.districts))
        actuals = Actual.objects.count()
        log(f"Measuring with {scale} region(s), {country.districts} districts ({actuals} actuals)…")
        for name, run, runs in measured(country):
            times, queries = measure(run, runs)
            median = statistics.median(times)
            results.setdefault(name, {})[scale] = (median, queries)
            log(f"  {name}: {median:.1f} ms, {queries} queries")

    started = time.perf_counter()
    country.add_regions(1)
    take()
    if REGIONS > 1:
        log(f"Generating {REGIONS - 1} more regions…")
        country.add_regions(REGIONS - 1)
        log(f"  generated in {time.perf_counter() - started:.0f} s")
        take()
    section = table(vendor, results, scales)
    path = HERE / f"results-{vendor}.md"
    write_section(path, section)
    log("")
    log(section)
    log(f"Written to {path.relative_to(HERE.parents[1])}")


def write_section(path: Path, section: str) -> None:
    """Put the section in place of the file's earlier one (or after run.py's table)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in text:
        text = text[: text.index(SECTION)]
    path.write_text(text.rstrip("\n") + ("\n\n" if text else "") + section, encoding="utf-8")


def table(
    vendor: str, results: dict[str, dict[int, tuple[float, int]]], scales: list[tuple[int, int]]
) -> str:
    import platform

    floor = results[next(iter(results))]
    head = ["Page", "Queries"]
    for regions, districts in scales:
        head += [f"Median ms, {regions} region(s), {districts} districts", "× floor"]
    lines = [
        SECTION,
        "",
        f"Measured {datetime.date.today().isoformat()} by tests/bench/national.py on {platform.platform()}, "
        f"{os.cpu_count()} CPUs ({vendor}): {scales[-1][0]} regions of 13–15 districts, each district "
        f"with the 2024 plan's structure linked to its region's template (made by sending the "
        f"National Library's template to the region) and January–December figures; the first "
        f"region's districts sent their Q4 reports but {UNSENT}. Median of {RUNS} "
        f"runs ({max(RUNS // 3, 3)} for the national dashboard, {FILE_RUNS} for the files).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for name, by_scale in results.items():
        queries = sorted({queries for _ms, queries in by_scale.values()})
        row = [name, " / ".join(str(q) for q in queries)]
        for regions, _districts in scales:
            median = by_scale[regions][0]
            row += [f"{median:.1f}", f"{median / floor[regions][0]:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    largest = scales[-1][0]

    def at_largest(prefix: str) -> float:
        return next(by[largest][0] for name, by in results.items() if name.startswith(prefix))

    regional = at_largest("Regional dashboard") / floor[largest][0]
    pdf, xlsx = at_largest("Consolidated report PDF"), at_largest("Consolidated report XLSX")
    growing = [name for name, by in results.items() if len({q for _ms, q in by.values()}) > 1]
    lines += [
        "",
        f"Targets (issue 12): the regional dashboard within {PAGE_TARGET}× the floor: {regional:.1f}×, "
        + ("met" if regional <= PAGE_TARGET else "NOT met")
        + f"; the consolidated PDF under {PDF_TARGET_MS} ms: {pdf:.0f} ms, "
        + ("met" if pdf < PDF_TARGET_MS else "NOT met")
        + f"; the XLSX under {XLSX_TARGET_MS} ms: {xlsx:.0f} ms, "
        + ("met" if xlsx < XLSX_TARGET_MS else "NOT met")
        + "; queries the same at every size: "
        + ("yes." if not growing else "NO, " + "; ".join(growing) + ".")
        if len(scales) > 1
        else "",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
