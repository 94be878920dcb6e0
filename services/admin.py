"""The admin of the organisation: centres with their services, and who works where.

People, groups and login records (django-axes) are registered again here behind the same doors
as every other model (services.admin_doors), for administrators only: an account's permissions
and everybody's login addresses are nobody else's business.
"""
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from .admin_doors import CentreDoorsAdmin, CentreDoorsInline
from .models import Membership, Organization, Service


class ServiceInline(CentreDoorsInline, admin.TabularInline):
    model = Service
    fields = ("name", "order")
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    centre_paths = ("",)
    list_display = ("name", "kind", "parent", "director_name")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "director_name")
    autocomplete_fields = ("parent",)
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    centre_paths = ("organization",)
    list_display = ("name", "organization", "order")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    ordering = ("organization__name", "order", "name")


@admin.register(Membership)
class MembershipAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    centre_paths = ("organization",)
    list_display = ("user", "role", "organization", "service")
    list_filter = ("role", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "organization", "service")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "organization", "service")


def register_for_administrators_only(model, model_admin) -> None:
    """Registers `model` again with its admin behind the doors, for administrators only."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    doors = type(model_admin.__name__, (CentreDoorsAdmin, model_admin), {"centre_paths": None})
    admin.site.register(model, doors)


for model, model_admin in [
    (User, UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    register_for_administrators_only(model, model_admin)
