"""Load the 2024 plan and the demo accounts (one per role and service); keeps what exists."""

from django.conf import settings
from django.core.management.base import BaseCommand

from plans.demo import load_demo


class Command(BaseCommand):
    help = "Load the 2024 plan of Sharof Rashidov district's centre and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Default: the DEMO_PASSWORD setting.")

    def handle(self, *args, password, **options):
        done = load_demo(password or settings.DEMO_PASSWORD)
        self.stdout.write("; ".join(done) if done else "The demo data is already loaded.")
