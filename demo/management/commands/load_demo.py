"""Load the 2024 plan and the demo accounts (one per role and service); keeps what exists."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.district import load_demo


class Command(BaseCommand):
    help = "Load Sharof Rashidov district's 2024 plan, the Jizzakh region and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Default: the DEMO_PASSWORD setting.")
        parser.add_argument(
            "--no-region",
            action="store_true",
            help="Only Sharof Rashidov's centre: not the region's template and other districts.",
        )

    def handle(self, *args, password, no_region, **options):
        done = load_demo(password or settings.DEMO_PASSWORD, region=not no_region)
        self.stdout.write("; ".join(done) if done else "The demo data is already loaded.")
