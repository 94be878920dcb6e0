"""`manage.py restore FILE`: replace the database's contents with a backup made by `manage.py backup`."""
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import engine_of, postgres_client, run


def restore_database(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace every table of the database `using` with the contents of the backup at `path`.

    All or nothing: pg_restore runs in one transaction, SQLite's backup API swaps the pages
    under a lock. Application servers should be stopped first, since their open transactions
    hold locks the restore waits for.
    """
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No backup at {path}.")
    connection = connections[using]
    if connection.in_atomic_block:
        raise CommandError("Cannot restore inside a transaction.")
    if engine_of(using) == "postgresql":
        args, environment = postgres_client(using)
        # Reading the archive's table of contents first refuses a file that is not a backup
        # before anything is dropped.
        run(["pg_restore", "--list", str(path)], environment)
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            environment,
        )
        connection.close()
        return
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            healthy = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{path} is not an SQLite backup: {error}") from error
        if not healthy:
            raise CommandError(f"{path} is damaged (integrity check failed).")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args, file: Path, database: str, interactive: bool, **options) -> None:
        name = connections[database].settings_dict["NAME"]
        if interactive:
            answer = input(f"This replaces everything in the database {name} with {file}. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        # The evidence files: their archive beside the backup (README, "Evidence files").
        from evidence.backup import NotAnArchive, archive_path, check_archive, missing_keys, restore_files

        files = archive_path(file)
        try:
            if files.exists():
                # Checked before the database is touched: a damaged archive refuses the restore.
                check_archive(files)
            restore_database(file, using=database)
            self.stdout.write(f"Restored {name} from {file}.")
            if files.exists():
                count = restore_files(files)
                self.stdout.write(f"Put back {count} evidence files from {files}.")
        except NotAnArchive as error:
            raise CommandError(str(error)) from error
        missing = missing_keys()
        if missing:
            self.stderr.write(f"{len(missing)} evidence files named in the database are not stored.")
