"""Suite-wide setup: which database the run is on, and skipping or failing when it is missing."""

import datetime
import os
import shutil
from dataclasses import dataclass
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from demo.district import DISTRICT, REGIONAL, SERVICES, load_demo
from plans.models import Plan
from services.models import Organization, Service


def postgres_unreachable() -> str | None:
    """Why the configured PostgreSQL cannot be used, or None when it can (or is not in use)."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return None
    try:
        psycopg2.connect(
            dbname="postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as error:
        return f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is not reachable ({error})".strip()
    return None


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_collection_modifyitems(config, items):
    reason = postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("REQUIRE_POSTGRES"):
        pytest.exit(f"{reason}; REQUIRE_POSTGRES is set, so the run fails.", returncode=1)
    skip = pytest.mark.skip(reason=f"{reason}: PostgreSQL tests skipped.")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's `soffice`, for tests of files LibreOffice saved. Skipped with a message where
    it is not installed (`make test` installs it when run as root); with REQUIRE_LIBREOFFICE set
    (CI, .ci/run) its absence fails the test instead."""
    found = shutil.which("soffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed (sudo apt-get install libreoffice-calc-nogui)"
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail(f"{reason}; REQUIRE_LIBREOFFICE is set, so the test fails.")
        pytest.skip(f"{reason}: LibreOffice tests skipped.")
    return found


@pytest.fixture(scope="session", autouse=True)
def own_task_queue():
    """The run's task queue (settings.HUEY: a file of this process's own) is removed afterwards."""
    yield
    filename = settings.HUEY.get("filename")
    if filename and "akm-reja-test-queue" in filename:
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(filename + suffix):
                os.remove(filename + suffix)


@pytest.fixture(scope="session", autouse=True)
def own_media_folder():
    """The run's evidence files (settings.MEDIA_ROOT: a folder of this process's own) are removed
    afterwards."""
    yield
    folder = str(settings.MEDIA_ROOT)
    if "akm-reja-test-media" in folder:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def fixed_today(settings):
    """Every test runs on 3 April 2024 (Q1 just ended, its lock day not passed) unless it says so."""
    settings.AKM_TODAY = datetime.date(2024, 4, 3)
    return settings.AKM_TODAY


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Uzbek), whatever the previous one activated."""
    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class Demo:
    """The demo world: the 2024 plan of the district centre, its region, and one account per role."""

    plan: Plan
    district: Organization
    regional: Organization
    users: dict[str, Any]

    def service(self, short: str) -> Service:
        return self.district.services.get(name=dict(SERVICES)[short])


@pytest.fixture
def demo(db) -> Demo:
    load_demo(password="demo-password")
    district = Organization.objects.get(name=DISTRICT)
    return Demo(
        plan=Plan.objects.get(organization=district, year=2024),
        district=district,
        regional=Organization.objects.get(name=REGIONAL),
        users={user.username: user for user in get_user_model().objects.all()},
    )


@pytest.fixture
def plan_2024(demo) -> Plan:
    return demo.plan
