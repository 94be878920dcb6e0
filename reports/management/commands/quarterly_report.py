"""`manage.py quarterly_report`: a centre's quarterly report (or, `--annual`, its annual report) as PDF
or XLSX, or every centre's in a folder.

Files in a folder are named by common.filenames (Latin letters, the centre's id, sent version or
draft), the names the downloads carry. An existing file is never overwritten: a named --output
is refused, and in a folder the report is written under a new name (`…-copy2.pdf`) and said so.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation

from common.params import parse_int
from plans.clock import today
from plans.deadlines import WHOLE_YEAR
from plans.models import Plan
from reports import rules
from reports.annexes import report_amendments, report_evidence
from reports.consolidated import current_consolidated
from reports.consolidated_files import (
    consolidated_filename,
    render_consolidated_pdf,
    render_consolidated_xlsx,
)
from reports.filenames import report_filename
from reports.pdf import render_pdf
from reports.selectors import current_table
from reports.xlsx import render_xlsx

# How many copies of one report a folder may gather before the command stops.
MAX_COPIES = 99


class Command(BaseCommand):
    help = (
        "Write the quarterly report of a centre (--centre) to the file --output, or, without --centre, "
        "one file per centre with a plan that year into the folder --output. A report that was sent "
        "is written as sent; otherwise from the current figures, marked as a draft. Existing files are "
        "never overwritten: a named file is refused, a file in the folder gets a new name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        period.add_argument(
            "--annual", action="store_true", help="The annual report (the whole year) instead of a quarter's."
        )
        parser.add_argument("--centre", help="The centre's name as stored, or its id.")
        parser.add_argument("--under", help="Only the centres directly under this one (name or id).")
        parser.add_argument("--format", dest="file_format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="A file with --centre, else a folder.")
        parser.add_argument("--language", default="uz", choices=["uz", "ru", "en"])
        parser.add_argument(
            "--consolidated",
            action="store_true",
            help="The consolidated report of the regional centre --centre (its districts' reports added up).",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="With --consolidated, not sent yet: also count the live figures of districts not sent.",
        )

    def handle(
        self,
        *args,
        year: int,
        quarter: int | None,
        centre: str | None,
        under: str | None,
        file_format: str,
        output: str,
        language: str,
        consolidated: bool = False,
        include_drafts: bool = False,
        annual: bool = False,
        **options,
    ) -> None:
        quarter = WHOLE_YEAR if annual else quarter
        if quarter is None:
            raise CommandError("Give --quarter or --annual.")
        if annual and today() < rules.sendable_from(year, WHOLE_YEAR):
            raise CommandError(
                f"The annual report on {year} opens once the fourth quarter is over, "
                f"on {rules.sendable_from(year, WHOLE_YEAR):%d.%m.%Y}."
            )
        if consolidated:
            self._consolidated(year, quarter, centre, file_format, Path(output), language, include_drafts)
            return
        plans = (
            Plan.objects.own()
            .filter(year=year)
            .select_related("organization__parent")
            .order_by("organization__name")
        )
        if centre:
            plans = plans.filter(_named("organization", centre))
        if under:
            plans = plans.filter(_named("organization__parent", under))
        plans = list(plans)
        if not plans:
            raise CommandError(f"No plan for {year}" + (f" of the centre {centre!r}" if centre else "") + ".")
        target = Path(output)
        if centre:
            plans = plans[:1]
            if target.exists():
                raise CommandError(f"{target} exists; it was not overwritten.")
        else:
            target.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            for plan in plans:
                content, version = self._render(plan, quarter, file_format)
                if centre:
                    _write_new(target, content)
                    self.stdout.write(f"{target}")
                    continue
                name = report_filename(
                    centre=plan.organization.name,
                    centre_id=plan.organization_id,
                    year=year,
                    quarter=quarter,
                    extension=file_format,
                    version=version,
                )
                path = _write_beside(target / name, content)
                note = "" if path.name == name else f" ({name} exists; not overwritten)"
                self.stdout.write(f"{path}{note}")

    def _render(self, plan: Plan, quarter: int, file_format: str) -> tuple[bytes, int | None]:
        """The file's bytes and the number of the sent version they are (None: a draft)."""
        table, version = current_table(plan, quarter)
        number = version.number if version is not None else None
        if file_format == "pdf":
            if version is not None:
                return bytes(version.pdf), number
            evidence = report_evidence(plan, quarter, thumbnails=True)
            amendments = report_amendments(plan, quarter)
            return render_pdf(table, on=today(), draft=True, evidence=evidence, amendments=amendments), number
        # The same evidence sheet as the download's: as sent, or as the files stand.
        evidence = report_evidence(plan, quarter, version=version)
        on = today() if version is None else version.submitted_on
        return render_xlsx(table, on=on, evidence=evidence), number

    def _consolidated(
        self,
        year: int,
        quarter: int,
        centre: str | None,
        file_format: str,
        output: Path,
        language: str,
        include_drafts: bool,
    ) -> None:
        """The regional centre's consolidated report: as sent, else built now and marked a draft."""
        if not centre:
            raise CommandError("--consolidated needs --centre, the regional centre.")
        template = Plan.objects.templates().filter(year=year).filter(_named("organization", centre))
        template = template.select_related("organization__parent").first()
        if template is None:
            raise CommandError(f"No template plan for {year} of the centre {centre!r}.")
        with translation.override(language):
            table, version = current_consolidated(template, quarter, include_drafts=include_drafts)
            if file_format == "pdf":
                content = (
                    bytes(version.pdf)
                    if version is not None
                    else render_consolidated_pdf(table, on=today(), draft=True)
                )
            else:
                content = render_consolidated_xlsx(
                    table, on=today() if version is None else version.submitted_on
                )
        if output.is_dir():
            number = version.number if version is not None else None
            output = output / consolidated_filename(template, year, quarter, file_format, number)
        if output.exists():
            raise CommandError(f"{output} exists; it was not overwritten.")
        _write_new(output, content)
        self.stdout.write(f"{output}")


def _write_new(path: Path, content: bytes) -> None:
    """Write a file that must not exist yet (created exclusively: no race with another writer)."""
    try:
        with path.open("xb") as file:
            file.write(content)
    except FileExistsError:
        raise CommandError(f"{path} exists; it was not overwritten.") from None


def _write_beside(path: Path, content: bytes) -> Path:
    """Write `path`, or `…-copy2`, `…-copy3`, … beside it when it exists; returns the path written."""
    candidate = path
    for copy in range(2, MAX_COPIES + 2):
        try:
            with candidate.open("xb") as file:
                file.write(content)
            return candidate
        except FileExistsError:
            candidate = path.with_name(f"{path.stem}-copy{copy}{path.suffix}")
    raise CommandError(f"{path} and {MAX_COPIES} copies of it exist; nothing more was written.")


def _named(field: str, value: str) -> Q:
    """A centre given by its id or by its name as stored."""
    if (centre_id := parse_int(value)) is not None:
        return Q(**{f"{field}_id": centre_id})
    return Q(**{f"{field}__name": value})
