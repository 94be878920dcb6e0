from django.apps import AppConfig


class AkmPlanConfig(AppConfig):
    """The project itself, as an app for the commands that concern all of it (backup, restore)."""

    name = "akm_plan"
    verbose_name = "AKM Reja"
