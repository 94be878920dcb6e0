"""`manage.py send_reminders`: write today's reminders now (the scheduler does it every hour)."""

import datetime

from django.core.management.base import BaseCommand

from notices.models import Notice
from notices.reminders import run_reminders


class Command(BaseCommand):
    help = "Write the reminders due today (by the plan's clock); each is written once, so repeating is safe."

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, help="the day to remind as of (YYYY-MM-DD)"
        )

    def handle(self, *args, on=None, **options):
        before = Notice.objects.count()
        run_reminders(on)
        self.stdout.write(f"Reminders: {Notice.objects.count() - before} new notices.")
