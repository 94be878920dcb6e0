"""Suite-wide setup: which database the run is on, and skipping or failing when it is missing."""
import os

import psycopg2
import pytest
from django.conf import settings


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
