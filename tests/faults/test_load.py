"""Load over HTTP on gunicorn + PostgreSQL: no save lost or doubled, conflicts reported, restarts survived.

The database restart uses a PostgreSQL server of its own (initdb in a
temporary folder), so restarting it cannot take the database away from the rest of the suite or
from other runs sharing the machine's server. LOAD_SECONDS and RESTART_SECONDS shorten the runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from .loadrun import (
    Gunicorn,
    conflict_message,
    drop_database,
    free_port,
    lost_or_doubled,
    prepare_database,
    run_load,
    service_ids,
    summary,
)

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
RESTART_SECONDS = float(os.environ.get("RESTART_SECONDS", "30"))
MAX_SAVES = 20_000
# How long the database stays down, and by when the app must answer again after it is back.
OUTAGE_SECONDS = 4
RECOVERY_LIMIT_SECONDS = 10

DATABASE = settings.DATABASES["default"]
pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        "postgresql" not in DATABASE["ENGINE"], reason="the load tests need PostgreSQL (DATABASE_URL)"
    ),
]


def suite_server_url(name: str) -> str:
    """A database named `name` on the PostgreSQL server the suite runs against."""
    user = DATABASE.get("USER") or "postgres"
    password = f":{DATABASE['PASSWORD']}" if DATABASE.get("PASSWORD") else ""
    host = f"{DATABASE.get('HOST') or '127.0.0.1'}:{DATABASE.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{name}"


def report(outcome, gunicorn: Gunicorn) -> str:
    return f"{summary(outcome)}\nfailures: {outcome.failures[:5]}\ngunicorn:\n{gunicorn.output()}"


def test_concurrent_saves_are_each_stored_once_and_collisions_reported_as_conflicts():
    url = suite_server_url(f"akm_load_{os.getpid()}")
    prepare_database(url)
    try:
        with Gunicorn(url) as gunicorn:
            outcome = run_load(
                gunicorn.port,
                service_ids(url),
                seconds=LOAD_SECONDS,
                max_saves=MAX_SAVES,
                conflict_message=conflict_message(),
            )
            assert outcome.server_errors == 0 and outcome.failures == [], report(outcome, gunicorn)
        print(f"\n{summary(outcome)}")
        assert outcome.acknowledged, summary(outcome)
        assert outcome.conflicts > 0 and outcome.conflict_pages_without_message == 0, summary(outcome)
        assert lost_or_doubled(outcome, url) == {}
    finally:
        drop_database(url)


class PrivatePostgres:
    """A PostgreSQL server of the test's own, on a free loopback port, that may be stopped at will."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not versions:
            pytest.fail("PostgreSQL's server programs (initdb, pg_ctl) are not installed.")
        self.bin = versions[-1].parent
        self.data = Path(tempfile.mkdtemp(prefix="akm-restart-pg-"))
        self.port = free_port()
        # PostgreSQL refuses to run as root: its programs then run as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.data, "postgres", "postgres")

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=60)

    def initialise(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data / "db"), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data / "db"),
            "-o",
            options,
            "-l",
            str(self.data / "server.log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data / "db"), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.initialise()
        server.start()
        yield server
    finally:
        try:
            server.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(server.data, ignore_errors=True)


def test_a_database_restart_under_load_fails_cleanly_recovers_and_loses_nothing():
    with private_postgres() as postgres:
        url = postgres.url("akm_restart")
        prepare_database(url)
        outage: dict[str, float] = {}

        def restart() -> None:
            time.sleep(RESTART_SECONDS / 3)
            outage["down"] = time.monotonic()
            postgres.stop("fast")
            try:
                time.sleep(OUTAGE_SECONDS)
            finally:
                postgres.start()  # always: the load's clients must see it come back
            outage["up"] = time.monotonic()

        with Gunicorn(url) as gunicorn:
            outcome = run_load(
                gunicorn.port,
                service_ids(url),
                seconds=RESTART_SECONDS,
                max_saves=MAX_SAVES,
                conflict_message=conflict_message(),
                during=restart,
            )
            details = report(outcome, gunicorn)
        recovered = [at for at in outcome.successes if at > outage["up"]]
        recovery = recovered[0] - outage["up"] if recovered else None
        print(f"\n{summary(outcome)}; outage {outage['up'] - outage['down']:.1f} s, recovery {recovery} s")

        failures_in_outage = [
            f for f in outcome.failures if outage["down"] <= f[0] <= outage["up"] + RECOVERY_LIMIT_SECONDS
        ]
        assert failures_in_outage, details
        assert failures_in_outage == outcome.failures, details
        assert [
            f for f in outcome.failures if "database-unavailable" not in f[3] or "Traceback" in f[3]
        ] == [], details
        assert recovery is not None and recovery < RECOVERY_LIMIT_SECONDS, details
        assert lost_or_doubled(outcome, url) == {}
