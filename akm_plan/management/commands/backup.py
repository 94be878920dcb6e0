"""`manage.py backup`: a consistent copy of the database, pg_dump on PostgreSQL, SQLite's online backup;
and beside it the evidence files (evidence.backup)."""
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

SUFFIXES = {"postgresql": ".pgdump", "sqlite": ".sqlite3"}


def engine_of(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in SUFFIXES:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def default_backup_path(using: str = DEFAULT_DB_ALIAS) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"akm-reja-{stamp}{SUFFIXES[engine_of(using)]}"


def postgres_client(using: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore, from the Django database settings."""
    db = connections[using].settings_dict
    args = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    environment = dict(os.environ)
    # The password goes through the environment, never the command line others can read in ps.
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return args + ["--dbname", db["NAME"]], environment


def run(command: list[str], environment: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise CommandError(f"{command[0]} is not installed (apt-get install postgresql-client).") from error
    except subprocess.CalledProcessError as error:
        raise CommandError(f"{command[0]} failed: {error.stderr.strip()}") from error


def backup_database(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a backup of the database `using` to `path` and return the path.

    The copy is written beside its final name and renamed when complete, so a backup that
    failed half-way never looks like a good one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if engine_of(using) == "postgresql":
            # pg_dump reads in one snapshot: the copy is consistent while the app keeps writing.
            args, environment = postgres_client(using)
            run(["pg_dump", "--format=custom", "--file", str(partial), *args], environment)
        else:
            connection = connections[using]
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                # SQLite's online backup copies page by page under a read lock: a consistent copy.
                connection.connection.backup(target)
            finally:
                target.close()
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


class Command(BaseCommand):
    help = "Back up the database to backups/ (or --output): pg_dump on PostgreSQL, a copy on SQLite."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="File to write; default: a timestamped file in BACKUP_DIR."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output: Path | None, database: str, **options) -> None:
        # The evidence files' bytes go beside the database's copy (README, "Evidence files").
        from evidence.backup import archive_path, back_up_files

        path = backup_database(output or default_backup_path(database), using=database)
        self.stdout.write(str(path))
        files = archive_path(path)
        count = back_up_files(files)
        self.stdout.write(f"{files} ({count} evidence files)")
