"""`make bench`: server time of the main pages at one centre's data and at national scale.

Builds synthetic data (the 2024 plan's structure for BENCH_CENTRES centres, default 200, three
years of monthly actuals from three services each, with their history), measures each page
in-process with django.test.Client (median of many runs, queries counted), first with one
centre loaded and again with all of them, and writes the table to tests/bench/results-<db>.md.

SQLite by default, in a temporary file. PostgreSQL with DATABASE_URL naming a database whose
name contains "bench" (it is dropped and created again), e.g.
    make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/akm_bench
Not collected by pytest (the file is not named test_*).
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE_DIR))

CENTRES = int(os.environ.get("BENCH_CENTRES", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
# Each page's runs are taken in this many rounds over all the pages (main, take).
ROUNDS = 3
YEARS = (2022, 2023, 2024)
# The plan's clock: early April 2024, so March is still open for entry and 2024 has Q1 figures.
TODAY = date(2024, 4, 3)
MONTH = 3
SERVICES_PER_INDICATOR = 3
# The targets (issue 11): every page within PAGE_TARGET× the floor and a save within SAVE_TARGET×,
# at the largest scale; a page at the largest scale within SCALE_TARGET× its time at one centre.
PAGE_TARGET = 10
SAVE_TARGET = 8
SCALE_TARGET = 1.25
# Issue 14: a month sheet of SHEET_ROWS rows uploads and previews within SHEET_TARGET_MS.
SHEET_ROWS = 200
SHEET_TARGET_MS = 1000


def configure() -> str:
    """Point Django at the bench database before it starts; returns the database's kind."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        name = url.rsplit("/", 1)[-1].split("?")[0]
        if "bench" not in name:
            sys.exit(f"DATABASE_URL must name a database for the bench only (…bench…), not {name!r}.")
        if url.startswith("postgres"):
            recreate_postgres(url, name)
    else:
        path = Path(tempfile.mkdtemp(prefix="akm-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="akm_plan.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-bench-only-secret-key",
        ALLOWED_HOSTS="testserver",
        HTTPS="0",
        STATIC_MANIFEST="0",
        AKM_TODAY=TODAY.isoformat(),
    )
    import django

    django.setup()
    from django.db import connection

    return connection.vendor


def recreate_postgres(url: str, name: str) -> None:
    import environ
    import psycopg2

    params = environ.Env.db_url_config(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def log(message: str) -> None:
    print(message, flush=True)


class World:
    """The synthetic country: a national library, a region, and its district centres."""

    def __init__(self) -> None:
        from services.models import Organization

        self.plan_data = json.loads((BASE_DIR / "fixtures" / "plan-2024.json").read_text(encoding="utf-8"))
        self.service_names = sorted(
            {
                name
                for section in self.plan_data["sections"]
                for item in section["items"]
                for name in item["services"]
            }
        )
        national = Organization.objects.create(name="Bench national library", kind="national")
        self.region = Organization.objects.create(name="Bench region", kind="regional", parent=national)
        self.centres: list = []
        self.template = None
        self.random = random.Random(2024)
        from django.contrib.auth import get_user_model

        # Who completed the generated months (a completion without a person is not realistic).
        self.head = get_user_model().objects.create(username="bench-boshliq", first_name="Bench head")

    def add_centres(self, count: int) -> None:
        from django.db import transaction

        from plans.exchange import import_plan
        from plans.models import Plan
        from services.models import Organization, Service

        start = len(self.centres)
        new = Organization.objects.bulk_create(
            Organization(name=f"Bench centre {number:03d}", kind="district", parent=self.region)
            for number in range(start + 1, start + count + 1)
        )
        if not new[0].pk:  # backends that do not return ids from bulk inserts
            new = list(Organization.objects.filter(name__in=[c.name for c in new]).order_by("name"))
        Service.objects.bulk_create(
            Service(organization=centre, name=name, order=order)
            for centre in new
            for order, name in enumerate(self.service_names, start=1)
        )
        for done, centre in enumerate(new, start=1):
            with transaction.atomic():
                if self.template is None:
                    # The first centre's plans go through the real import, as a centre's would.
                    plans = [import_plan(self.plan_data, organization=centre, year=year) for year in YEARS]
                    # Approved, as plans in use are: figures are entered only against those.
                    imported = Plan.objects.filter(pk__in=[plan.pk for plan in plans])
                    imported.update(approved_at=datetime.now(UTC))
                    self.template = plans[-1]
                else:
                    plans = clone_plan(self.template, centre, YEARS)
                self.add_actuals(centre, plans)
            if done % 20 == 0 or done == count:
                log(f"  {start + done} centres")
        self.centres += new

    def add_actuals(self, centre, plans) -> None:
        from simple_history.utils import bulk_create_with_history

        from plans.models import Actual, Indicator, MonthCompletion

        services = list(centre.services.all())
        actuals = []
        completions = []
        for plan in plans:
            last_month = 12 if plan.year < TODAY.year else MONTH
            indicators = Indicator.objects.filter(item__plan=plan).prefetch_related("item__services")
            for indicator in indicators:
                responsible = list(indicator.item.services.all())
                others = [s for s in services if s not in responsible]
                chosen = (responsible + others)[:SERVICES_PER_INDICATOR]
                for month in range(1, last_month + 1):
                    for service in chosen:
                        actuals.append(
                            Actual(
                                indicator=indicator,
                                month=month,
                                service=service,
                                value=self.random.randint(0, 40),
                                note="",
                            )
                        )
            completions += [
                MonthCompletion(plan=plan, month=month, service=service, completed_by=self.head)
                for month in range(1, last_month + 1)
                for service in services
            ]
        bulk_create_with_history(
            actuals, Actual, batch_size=2000, default_date=datetime(2024, 3, 31, 12, tzinfo=UTC)
        )
        MonthCompletion.objects.bulk_create(completions, batch_size=2000)


def clone_plan(template, centre, years) -> list:
    """Copies of the template plan's structure for the centre, one per year, in a few bulk inserts
    (import_plan writes row by row, too slow for hundreds of centres)."""
    from plans.models import Deadline, Indicator, Plan, PlanItem, Section, Target

    services = {service.name: service for service in centre.services.all()}
    sections = list(template.sections.all())
    deadlines = list(template.deadlines.all())
    items = list(template.items.prefetch_related("services").order_by("order"))
    indicators = list(Indicator.objects.filter(item__plan=template).prefetch_related("targets"))
    approved = datetime.now(UTC)
    plans = Plan.objects.bulk_create(
        Plan(organization=centre, year=year, approved_at=approved) for year in years
    )
    result = []
    for plan in plans:
        new_sections = dict(
            zip(
                [s.pk for s in sections],
                Section.objects.bulk_create(
                    Section(plan=plan, number=s.number, title=s.title, order=s.order) for s in sections
                ),
                strict=True,
            )
        )
        new_deadlines = dict(
            zip(
                [d.pk for d in deadlines],
                Deadline.objects.bulk_create(
                    Deadline(
                        plan=plan,
                        text=d.text,
                        kind=d.kind,
                        first_month=d.first_month,
                        last_month=d.last_month,
                    )
                    for d in deadlines
                ),
                strict=True,
            )
        )
        new_items: dict[int, PlanItem] = {}
        for level in (False, True):  # parents before their sub-items
            batch = [item for item in items if (item.parent_id is not None) == level]
            created = PlanItem.objects.bulk_create(
                PlanItem(
                    plan=plan,
                    section=new_sections[item.section_id],
                    parent=new_items.get(item.parent_id),
                    number=item.number,
                    title=item.title,
                    unit_id=item.unit_id,
                    steps=item.steps,
                    deadline=new_deadlines[item.deadline_id],
                    all_services=item.all_services,
                    order=item.order,
                    note=item.note,
                )
                for item in batch
            )
            new_items.update(zip([item.pk for item in batch], created, strict=True))
        PlanItem.services.through.objects.bulk_create(
            PlanItem.services.through(planitem_id=new_items[item.pk].pk, service_id=services[service.name].pk)
            for item in items
            for service in item.services.all()
        )
        created = Indicator.objects.bulk_create(
            Indicator(item=new_items[i.item_id], label=i.label, annual_target=i.annual_target, order=i.order)
            for i in indicators
        )
        Target.objects.bulk_create(
            Target(indicator=new, quarter=target.quarter, value=target.value)
            for old, new in zip(indicators, created, strict=True)
            for target in old.targets.all()
        )
        result.append(plan)
    return result


def make_people(centre):
    from django.contrib.auth import get_user_model

    from services.models import Membership

    User = get_user_model()
    manager = User.objects.create(username="bench-direktor", first_name="Bench director")
    staff = User.objects.create(username="bench-xodim", first_name="Bench staff")
    nobody = User.objects.create(username="bench-floor", first_name="Bench floor")
    service = centre.services.order_by("order").first()
    Membership.objects.create(user=manager, organization=centre, role=Membership.Role.MANAGER)
    Membership.objects.create(user=staff, organization=centre, service=service, role=Membership.Role.STAFF)
    return manager, staff, nobody, service


def measure(
    run: Callable[[], object], runs: int, prepare: Callable[[], object] | None = None
) -> tuple[float, int]:
    """The milliseconds of `runs` calls (after two warm-up calls), and the queries of one;
    `prepare`, if given, is called before each call, untimed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare = prepare or (lambda: None)
    for _ in range(2):
        prepare()
        run()
    prepare()
    with CaptureQueriesContext(connection) as queries:
        run()
    # Read now: every later request clears the connection's query log.
    count = len(queries.captured_queries)
    times = []
    for _ in range(runs):
        prepare()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times, count


def pages(centre, people) -> list[tuple[str, Callable[[], object], int, Callable[[], object] | None]]:
    """(name, one request, how many runs, what to do before each) for each measured page, as the
    people who use it."""
    from django.test import Client
    from django.urls import reverse

    from plans.models import Indicator, Plan

    manager, staff, nobody, service = people
    plan = Plan.objects.get(organization=centre, year=TODAY.year)
    indicator = Indicator.objects.get(item__plan=plan, item__number="15")

    def client_for(user) -> Client:
        # Asking for compressed pages, as every browser does (the server's time includes gzip).
        client = Client(headers={"Accept-Encoding": "gzip, deflate, br"})
        client.force_login(user)
        return client

    def get(client: Client, url: str) -> Callable[[], object]:
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    floor, director, worker = client_for(nobody), client_for(manager), client_for(staff)
    entry_url = reverse("plans:entry", kwargs={"year": plan.year, "month": MONTH, "service": service.pk})
    visited = [
        ("Centre dashboard", get(director, reverse("plans:centre-dashboard"))),
        (
            "Service dashboard",
            get(worker, reverse("plans:service-dashboard", kwargs={"service": service.pk})),
        ),
        ("Indicator page", get(director, reverse("plans:indicator", kwargs={"indicator": indicator.pk}))),
        ("Entry page (a service's month)", get(worker, entry_url)),
    ]
    result = [("Floor: login-required page on base.html (home)", get(floor, reverse("home")), RUNS, None)]
    result += [(name, run, RUNS, None) for name, run in visited]
    result.append(("Saving a full month (POST)", save_month(worker, entry_url), max(RUNS // 3, 5), None))
    return result


def save_month(client, url: str) -> Callable[[bool], tuple[float, int]]:
    """A POST of every row of the month with changed values, as the form would send it; returns
    its milliseconds and, when asked to count, its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.http import urlencode

    from tests.entry_form import row_inputs

    round_ = [0]

    def run(count: bool) -> tuple[float, int]:
        page = client.get(url)
        html = gzip.decompress(page.content) if page.get("Content-Encoding") == "gzip" else page.content
        fields = row_inputs(html.decode())
        round_[0] += 1
        data = {"save": "1"}
        for name, value in fields.items():
            data[name] = value
            if name.startswith("value-"):
                data[name] = str(round_[0] % 50 + 1)
                # Confirmed, should the value be unlikely for its row (plans.unlikely).
                data["sure-" + name.removeprefix("value-")] = data[name]
        with CaptureQueriesContext(connection) if count else _Nothing() as queries:
            started = time.perf_counter()
            # Encoded as the browser sends the form (not as multipart, django.test.Client's default).
            response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
            elapsed = (time.perf_counter() - started) * 1000
        counted = len(queries.captured_queries) if count else 0
        assert response.status_code == 302, response.status_code
        return elapsed, counted

    return run


def sheet_upload(centre, people) -> tuple[float, int]:
    """Median milliseconds and queries of uploading a filled month sheet of SHEET_ROWS rows (every
    value changed) and getting its preview. The service's items are topped up to SHEET_ROWS rows
    first (this runs last, after the pages are measured)."""
    import io

    from django.test import Client
    from django.urls import reverse
    from openpyxl import load_workbook

    from plans.models import Indicator, Plan, PlanItem
    from plans.month_sheet import FIRST_ROW, VALUE

    _manager, staff, _nobody, service = people
    plan = Plan.objects.get(organization=centre, year=TODAY.year)
    kwargs = {"year": plan.year, "month": MONTH, "service": service.pk}
    client = Client()
    client.force_login(staff)
    rows = len(
        load_workbook(io.BytesIO(client.get(reverse("plans:entry-sheet", kwargs=kwargs)).content)).active["A"]
    )
    first = PlanItem.objects.filter(plan=plan).order_by("pk").first()
    for n in range(max(SHEET_ROWS - (rows - FIRST_ROW + 1), 0)):
        item = PlanItem.objects.create(
            plan=plan, section=first.section, number=f"90.{n}", title=f"bench {n}", unit=first.unit,
            deadline=first.deadline, order=1000 + n,
        )  # fmt: skip
        item.services.add(service)
        Indicator.objects.create(item=item, annual_target=1000)
    book = load_workbook(io.BytesIO(client.get(reverse("plans:entry-sheet", kwargs=kwargs)).content))
    sheet = book.active
    for line in range(FIRST_ROW, sheet.max_row + 1):
        sheet.cell(line, VALUE).value = 1 + line % 3
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    upload_url = reverse("plans:entry-sheet-upload", kwargs=kwargs)

    def run():
        upload = io.BytesIO(content)
        upload.name = "oy.xlsx"
        response = client.post(upload_url, {"sheet": upload})
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'<tr class="row') >= SHEET_ROWS, "not every row previewed"
        return response

    times, queries = measure(run, max(RUNS // 3, 5))
    return statistics.median(times), queries


class _Nothing:
    """A context manager that does nothing (timing runs do not count queries)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def main() -> None:
    vendor = configure()
    from django.core.management import call_command
    from django.db import connection

    from plans.models import Actual

    log(f"AKM Reja bench on {vendor}: {CENTRES} centres, years {YEARS[0]}–{YEARS[-1]}, {RUNS} runs a page")
    call_command("migrate", verbosity=0)
    world = World()
    started = time.perf_counter()
    world.add_centres(1)
    people = make_people(world.centres[0])
    results: dict[str, dict[int, tuple[float, int]]] = {}

    def take(scale: int) -> None:
        # In ROUNDS rounds over every page, each page's runs split between them: a page and the
        # floor are then timed across the same minutes, so a spell of a busy host (this machine's
        # medians moved by a fifth from one run to the next) weighs on both alike.
        log(f"Measuring with {scale} centre(s) of data ({Actual.objects.count()} actuals)…")
        measured = pages(world.centres[0], people)
        times: dict[str, list[float]] = {name: [] for name, *_rest in measured}
        counts: dict[str, int] = {}
        for _round in range(ROUNDS):
            for name, run, runs, prepare in measured:
                share = max(runs // ROUNDS, 2)
                if name.startswith("Saving"):
                    taken, counts[name] = time_post(run, share)
                else:
                    taken, counts[name] = measure(run, share, prepare)
                times[name] += taken
        for name in times:
            median = statistics.median(times[name])
            results.setdefault(name, {})[scale] = (median, counts[name])
            log(f"  {name}: {median:.1f} ms, {counts[name]} queries")

    take(1)
    if CENTRES > 1:
        log(f"Generating {CENTRES - 1} more centres…")
        world.add_centres(CENTRES - 1)
        log(f"  generated in {time.perf_counter() - started:.0f} s")
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        take(CENTRES)
    report = table(vendor, results, Actual.objects.count())
    log(f"Month sheet of {SHEET_ROWS} rows: upload and preview…")
    sheet_ms, sheet_queries = sheet_upload(world.centres[0], people)
    report += (
        f"\nMonth sheet of {SHEET_ROWS} rows, every value changed: upload and preview (POST) in "
        f"{sheet_ms:.0f} ms, {sheet_queries} queries; target under {SHEET_TARGET_MS} ms: "
        + ("met" if sheet_ms < SHEET_TARGET_MS else "NOT met")
        + ".\n"
    )
    path = HERE / f"results-{vendor}.md"
    path.write_text(report, encoding="utf-8")
    log("")
    log(report)
    log(f"Written to {path.relative_to(BASE_DIR)}")


def time_post(run: Callable[[bool], tuple[float, int]], runs: int) -> tuple[list[float], int]:
    """The milliseconds of `runs` POSTs alone (each run first loads the form), and its queries."""
    run(False)
    _elapsed, queries = run(True)
    return [run(False)[0] for _ in range(runs)], queries


def table(vendor: str, results: dict[str, dict[int, tuple[float, int]]], actuals: int) -> str:
    scales = sorted({scale for by_scale in results.values() for scale in by_scale})
    floor = results[next(iter(results))]
    head = ["Page", "Queries"]
    for scale in scales:
        head += [f"Median ms, {scale} centre(s)", "× floor"]
    if len(scales) > 1:
        head.append(f"{scales[-1]} vs {scales[0]} centre(s)")
    lines = [
        f"# Bench results ({vendor})",
        "",
        f"Measured {date.today().isoformat()} on {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {actuals} actuals at the largest scale "
        f"({len(YEARS)} years × {scales[-1]} centres of the 2024 plan's structure). "
        f"Server time in-process (django.test.Client), median of {RUNS} runs; the save median of "
        f"{max(RUNS // 3, 5)}; each page's runs taken in {ROUNDS} rounds over every page, so that a page "
        "and the floor are timed across the same minutes. Regenerate with `make bench`.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for name, by_scale in results.items():
        queries = sorted({by_scale[s][1] for s in scales if s in by_scale})
        row = [name, " / ".join(str(q) for q in queries)]
        for scale in scales:
            if scale in by_scale:
                median = by_scale[scale][0]
                row += [f"{median:.1f}", f"{median / floor[scale][0]:.2f}"]
            else:
                row += ["–", "–"]
        if len(scales) > 1:
            row.append(f"{by_scale[scales[-1]][0] / by_scale[scales[0]][0]:.2f}×")
        lines.append("| " + " | ".join(row) + " |")
    largest, smallest = scales[-1], scales[0]

    def target(name: str) -> float:
        return SAVE_TARGET if name.startswith("Saving") else PAGE_TARGET

    over = [
        name for name, by_scale in results.items() if by_scale[largest][0] > target(name) * floor[largest][0]
    ]
    grows = [
        name
        for name, by_scale in results.items()
        if len(scales) > 1 and by_scale[largest][0] > SCALE_TARGET * by_scale[smallest][0]
    ]
    lines += [
        "",
        f"Targets: every page within {PAGE_TARGET}× the floor and saving within {SAVE_TARGET}× at "
        f"{largest} centre(s); each row at {largest} centre(s) within {SCALE_TARGET}× its time at "
        f"{smallest}. "
        + ("Over the first: " + "; ".join(over) + ". " if over else "Every row is within the first. ")
        + ("Over the second: " + "; ".join(grows) + "." if grows else "Every row is within the second."),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
