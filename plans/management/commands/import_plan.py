"""Create a centre's plan from a JSON or XLSX file written by export_plan, or from a Word (.docx)
plan table in the printed layout (plans/word_plan.py)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from plans.approval import do_approve_plan
from plans.clock import today
from plans.exchange import read_plan_upload, write_plan
from plans.plan_file import PlanImportError, check_centre_name, read_plan_data
from plans.word_plan import read_word_plan
from services.models import Organization


class Command(BaseCommand):
    help = "Import a whole plan (JSON or XLSX from export_plan, or a Word plan table) into a centre."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--centre", help="The centre's name; default: the centre named in the file.")
        parser.add_argument("--year", type=int, help="Import as this year instead of the file's.")
        parser.add_argument(
            "--create-centre",
            action="store_true",
            help="Create the centre (as a district centre) when no centre of that name exists.",
        )
        parser.add_argument(
            "--approved",
            action="store_true",
            help="Mark the plan approved (as the signed paper plan was), dated today; entry opens.",
        )
        parser.add_argument(
            "--approved-on",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Mark the plan approved on the day its director signed it (implies --approved).",
        )

    def handle(self, *args, file, centre, year, create_centre, approved, approved_on, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if approved_on is not None and approved_on > today():
            raise CommandError(f"--approved-on {approved_on} is in the future (approved once signed).")
        try:
            # The whole file and the centre's name are checked before anything is written.
            if path.suffix.lower() == ".docx":
                data, locate = self.word(path.read_bytes(), centre, year, create_centre)
            else:
                data, locate = read_plan_upload(path.read_bytes(), path.name)
            plan_file = read_plan_data(data, locate=locate)
            name = check_centre_name(centre, where="--centre") if centre is not None else plan_file.centre
            with transaction.atomic():
                plan = write_plan(plan_file, organization=self.centre(name, create_centre), year=year)
                if approved or approved_on is not None:
                    do_approve_plan(plan, acting_user=None, approved_on=approved_on)
        except PlanImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {plan}: {plan.sections.count()} sections, {plan.items.count()} items.")
        if plan.is_approved:
            self.stdout.write(f"Approved on {timezone.localdate(plan.approved_at):%Y-%m-%d}: entry is open.")

    def word(self, content: bytes, centre: str | None, year: int | None, create_centre: bool):
        """A Word plan in the plan file's form. Its services must be the centre's (the closest
        names are suggested), unless --create-centre, which creates those the file names."""
        plan = read_word_plan(content, services=None)
        name = centre or plan.centre
        if not name:
            raise CommandError("The document's title names no centre; pass --centre.")
        if year is None and plan.year is None:
            raise CommandError("The document's title names no year; pass --year.")
        organization = Organization.objects.filter(name=name).first()
        if organization is None and not create_centre:
            raise CommandError(f"No centre named “{name}”; pass --centre or --create-centre.")
        if organization is not None and not create_centre:
            plan = read_word_plan(
                content, services=list(organization.services.values_list("name", flat=True))
            )
        if plan.blocking:
            raise CommandError(plan.problem_summary())
        return plan.plan_data(year=year or plan.year, centre=name), plan.locate

    def centre(self, name: str, create_centre: bool) -> Organization:
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            if not create_centre:
                raise CommandError(f"No centre named “{name}”; pass --centre or --create-centre.")
            organization = Organization.objects.create(name=name, kind=Organization.Kind.DISTRICT)
        return organization
