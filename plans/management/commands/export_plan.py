"""Write a centre's plan for a year as JSON or XLSX (to a file or standard output)."""

from django.core.management.base import BaseCommand, CommandError

from plans.exchange import plan_to_json, plan_to_xlsx
from plans.models import Plan


class Command(BaseCommand):
    help = "Export a whole plan as JSON or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--centre", help="The centre's name; needed when several have a plan that year.")
        parser.add_argument("--output", "-o", help="File to write; standard output for JSON when omitted.")

    def handle(self, *args, year, format, centre, output, **options):
        plans = Plan.objects.own().filter(year=year).select_related("organization")
        if centre:
            plans = plans.filter(organization__name=centre)
        plans = list(plans[:2])
        if not plans:
            raise CommandError(f"No plan for {year}" + (f" at {centre}." if centre else "."))
        if len(plans) > 1:
            raise CommandError(f"Several centres have a plan for {year}: name one with --centre.")
        plan = plans[0]
        if format == "xlsx":
            if not output:
                raise CommandError("XLSX needs --output FILE.")
            with open(output, "wb") as file:
                file.write(plan_to_xlsx(plan))
        elif output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(plan_to_json(plan))
        else:
            self.stdout.write(plan_to_json(plan), ending="")
