"""The apps' configurations: the organisation's own, and django-axes' under a readable name."""
from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    # Chosen for "services" although this module holds more than one configuration.
    default = True
    name = "services"
    verbose_name = _("Centres and services")


class AxesConfig(AxesAppConfig):
    """django-axes under a name people read (its own is the bare label, "Axes", untranslatable)."""

    verbose_name = _("Login security")
