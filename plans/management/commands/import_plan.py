"""Create a centre's plan from a JSON or XLSX file written by export_plan."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.exchange import PlanImportError, import_plan, read_plan_file
from services.models import Organization


class Command(BaseCommand):
    help = "Import a whole plan (JSON or XLSX from export_plan) into a centre."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--centre", help="The centre's name; default: the centre named in the file.")
        parser.add_argument("--year", type=int, help="Import as this year instead of the file's.")
        parser.add_argument(
            "--create-centre",
            action="store_true",
            help="Create the centre (as a district centre) when no centre of that name exists.",
        )

    def handle(self, *args, file, centre, year, create_centre, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            data = read_plan_file(path.read_bytes(), path.name)
            with transaction.atomic():
                plan = self.import_into_centre(data, centre, year, create_centre)
        except PlanImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {plan}: {plan.sections.count()} sections, {plan.items.count()} items.")

    def import_into_centre(self, data, centre, year, create_centre):
        name = centre or data.get("centre")
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            if not create_centre:
                raise CommandError(f"No centre named “{name}”; pass --centre or --create-centre.")
            organization = Organization.objects.create(name=name, kind=Organization.Kind.DISTRICT)
        return import_plan(data, organization=organization, year=year)
