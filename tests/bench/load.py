"""`make bench`, load part: the load test's throughput, latency percentiles and errors, in results-load.md.

16 clients save April's figures over HTTP against gunicorn (4 workers) and PostgreSQL for
LOAD_SECONDS (default 60), exactly as tests/faults/test_load.py does, in a database of its own
(akm_load_bench, dropped and created again) on the server LOAD_POSTGRES_URL names
(default postgres://postgres@127.0.0.1:5432). Not collected by pytest.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
SERVER = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
RESULTS = Path(__file__).resolve().parent / "results-load.md"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akm_plan.settings")
    os.environ.update(DEBUG="1", DATABASE_URL=f"{SERVER}/akm_load_bench")
    import django

    django.setup()
    import psycopg2

    from tests.faults.loadrun import (
        CLIENTS,
        Gunicorn,
        conflict_message,
        drop_database,
        lost_or_doubled,
        prepare_database,
        run_load,
        service_ids,
        summary,
    )

    url = os.environ["DATABASE_URL"]
    try:
        prepare_database(url)
    except psycopg2.OperationalError as error:
        print(f"Load bench skipped: PostgreSQL at {SERVER} is not reachable ({error}).")
        return
    try:
        with Gunicorn(url) as gunicorn:
            outcome = run_load(
                gunicorn.port,
                service_ids(url),
                seconds=SECONDS,
                max_saves=10**6,
                conflict_message=conflict_message(),
            )
        problems = lost_or_doubled(outcome, url)
    finally:
        drop_database(url)
    numbers = summary(outcome)
    lines = [
        "# Load: 16 clients saving monthly actuals over HTTP (gunicorn + PostgreSQL)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} CPUs · "
        f"{len(CLIENTS)} clients · 4 gunicorn workers · {numbers['seconds']} s",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {name.replace('_', ' ')} | {value} |" for name, value in numbers.items()),
        f"| acknowledged saves lost or doubled | {sum(len(found) for found in problems.values())} |",
        "",
        "Every save takes the plan's row lock (plans/entry.py), so one centre's saves commit one at",
        "a time; latency is the whole request (pages render the month's figures), on loopback.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
