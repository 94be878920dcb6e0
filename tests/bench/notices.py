"""`make bench`: a reminder run over BENCH_CENTRES centres (default 200), as the scheduler makes it.

The synthetic country of tests/bench/run.py (the 2024 plan's structure for every centre), with the
people a centre has (a director, a member of staff and a head for each service, the region's
reviewer) and March 2024 half entered, a third of the services having completed it. On 3 April
2024 March locks within the reminder days, the first quarter's report is due and the week's digest
is written, so a run writes every kind the scheduler writes. Measured: the first run (every
reminder written), the run repeated (nothing new: the hourly runs after it), and the worker's
dispatch of what the first run wrote. Goal: the first run under 30 s. Results in
tests/bench/results-notices-<db>.md.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (the synthetic data of the page bench)

GOAL_SECONDS = 30


class NoticeWorld(bench.World):
    """The bench's centres with one year's plan, March half entered and some of it completed."""

    def add_actuals(self, centre, plans) -> None:
        from plans.models import Actual, Indicator, MonthCompletion

        services = list(centre.services.all())
        plan = next(plan for plan in plans if plan.year == bench.TODAY.year)
        actuals = []
        for indicator in Indicator.objects.filter(item__plan=plan).prefetch_related("item__services"):
            for service in indicator.item.services.all():
                if self.random.random() < 0.5:
                    actuals.append(Actual(indicator=indicator, month=bench.MONTH, service=service, value=3))
        Actual.objects.bulk_create(actuals, batch_size=2000)
        MonthCompletion.objects.bulk_create(
            MonthCompletion(plan=plan, month=bench.MONTH, service=service, completed_by=self.head)
            for service in services
            if self.random.random() < 0.33
        )


def add_people(world: NoticeWorld) -> int:
    from django.contrib.auth import get_user_model

    from services.models import Membership, Service

    User = get_user_model()
    roles = []
    reviewer = User(username="bench-viloyat", email="viloyat@bench.uz")
    roles.append((reviewer, dict(organization=world.region, role=Membership.Role.REVIEWER)))
    for centre in world.centres:
        director = User(username=f"bench-{centre.pk}-direktor", email=f"direktor-{centre.pk}@bench.uz")
        roles.append((director, dict(organization=centre, role=Membership.Role.MANAGER)))
    for service in Service.objects.filter(organization__in=world.centres):
        for role in (Membership.Role.STAFF, Membership.Role.HEAD):
            user = User(username=f"bench-{service.pk}-{role}", email=f"{role}-{service.pk}@bench.uz")
            roles.append((user, dict(organization_id=service.organization_id, service=service, role=role)))
    User.objects.bulk_create([user for user, _ in roles], batch_size=2000)
    users = {user.username: user for user in User.objects.filter(username__startswith="bench-")}
    Membership.objects.bulk_create(
        [Membership(user=users[user.username], **fields) for user, fields in roles], batch_size=2000
    )
    return len(roles)


def main() -> None:
    # A queue of the bench's own (the runs queue their dispatch), and e-mail on, so the dispatch makes
    # deliveries (nothing is sent: no worker runs here).
    os.environ["HUEY_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='akm-bench-queue-')}/queue.sqlite3"
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    vendor = bench.configure()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from notices import delivery
    from notices.models import Delivery, Notice
    from notices.reminders import run_reminders

    bench.YEARS = (bench.TODAY.year,)
    bench.log(f"Notices bench on {vendor}: {bench.CENTRES} centres")
    call_command("migrate", verbosity=0)
    world = NoticeWorld()
    world.add_centres(bench.CENTRES)
    people = add_people(world)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def timed(run) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            return time.perf_counter() - started, len(queries)

    # The URLs are loaded once per worker process, not per run (loading them imports WeasyPrint).
    reverse("home")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("run_reminders(bench.TODAY)", globals(), locals(), os.environ["BENCH_PROFILE"])
        Notice.objects.all().delete()
    first, first_queries = timed(lambda: run_reminders(bench.TODAY))
    written = Notice.objects.count()
    again, again_queries = timed(lambda: run_reminders(bench.TODAY))
    assert Notice.objects.count() == written, "the repeated run wrote notices again"

    def dispatch_all() -> None:
        while delivery.dispatch()[0]:
            pass

    dispatched, dispatch_queries = timed(dispatch_all)
    rows = [
        ("Reminder run (every reminder of the day written)", first, first_queries),
        ("The same run repeated (nothing new)", again, again_queries),
        ("The worker's dispatch of what was written (deliveries made)", dispatched, dispatch_queries),
    ]
    by_kind = dict(Notice.objects.values_list("kind").annotate(count=Count("pk")))
    report = "\n".join(
        [
            f"# Notices bench ({vendor})",
            "",
            f"Measured {date.today().isoformat()} on {platform.platform()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}: {bench.CENTRES} centres with the 2024 plan's structure, "
            f"{people} people, March 2024 half entered, on {bench.TODAY.isoformat()}. "
            f"Goal: the reminder run under {GOAL_SECONDS} s. Regenerate with `make bench`.",
            "",
            "| Run | Seconds | Queries |",
            "|---|---|---|",
            *(f"| {name} | {seconds:.2f} | {queries} |" for name, seconds, queries in rows),
            "",
            f"Written: {written} notices ("
            + ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items()))
            + f"); {Delivery.objects.count()} e-mail deliveries made.",
            "",
        ]
    )
    path = bench.HERE / f"results-notices-{vendor}.md"
    path.write_text(report, encoding="utf-8")
    bench.log(report)
    bench.log(f"Written to {path.relative_to(bench.BASE_DIR)}")
    if first > GOAL_SECONDS:
        sys.exit(f"The reminder run took {first:.1f} s, over the goal of {GOAL_SECONDS} s.")


if __name__ == "__main__":
    main()
