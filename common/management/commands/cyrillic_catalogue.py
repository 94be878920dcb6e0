"""Writes the Uzbek Cyrillic catalogues from the Latin ones (common.cyrillic_catalogue)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from common.cyrillic_catalogue import catalogues


class Command(BaseCommand):
    help = "Makes locale/uz_Cyrl and locale_django/uz_Cyrl from the Uzbek Latin catalogues."

    def handle(self, *args, **options):
        made, corrections = catalogues(Path(settings.BASE_DIR))
        for path, text in made.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"written {path.relative_to(settings.BASE_DIR)}")
        for latin in corrections.unused():
            self.stderr.write(f"correction no longer used (its Latin text is gone): {latin!r}")
