"""`manage.py quarterly_report`: a centre's quarterly report as PDF or XLSX, or every centre's in a folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify

from akm_plan.params import parse_int
from plans.clock import today
from plans.models import Plan
from reports.pdf import render_pdf
from reports.selectors import current_table
from reports.xlsx import render_xlsx


class Command(BaseCommand):
    help = (
        "Write the quarterly report of a centre (--centre) to the file --output, or, without --centre, "
        "one file per centre with a plan that year into the folder --output. A report that was sent "
        "is written as sent; otherwise from the current figures, marked as a draft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--centre", help="The centre's name as stored, or its id.")
        parser.add_argument("--under", help="Only the centres directly under this one (name or id).")
        parser.add_argument("--format", dest="file_format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="A file with --centre, else a folder.")
        parser.add_argument("--language", default="uz", choices=["uz", "ru", "en"])

    def handle(
        self,
        *args,
        year: int,
        quarter: int,
        centre: str | None,
        under: str | None,
        file_format: str,
        output: str,
        language: str,
        **options,
    ) -> None:
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
            files = [(plans[0], target)]
        else:
            target.mkdir(parents=True, exist_ok=True)
            files = [
                (plan, target / f"{slugify(plan.organization.name)}-{year}-q{quarter}.{file_format}")
                for plan in plans
            ]
        with translation.override(language):
            for plan, path in files:
                path.write_bytes(self._render(plan, quarter, file_format))
                self.stdout.write(f"{path}")

    def _render(self, plan: Plan, quarter: int, file_format: str) -> bytes:
        table, version = current_table(plan, quarter)
        if file_format == "pdf":
            if version is not None:
                return bytes(version.pdf)
            return render_pdf(table, on=today(), draft=True)
        return render_xlsx(table, on=today() if version is None else version.submitted_on)


def _named(field: str, value: str) -> Q:
    """A centre given by its id or by its name as stored."""
    if (centre_id := parse_int(value)) is not None:
        return Q(**{f"{field}_id": centre_id})
    return Q(**{f"{field}__name": value})
