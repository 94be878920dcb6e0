"""The admin of the organisation: centres with their services, and who works where."""
from django.contrib import admin

from .models import Membership, Organization, Service


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ("name", "order")
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "director_name")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "director_name")
    autocomplete_fields = ("parent",)
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "order")
    list_filter = ("organization",)
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    ordering = ("organization__name", "order", "name")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "service")
    list_filter = ("role", "organization")
    list_select_related = ("user", "organization", "service")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "organization", "service")
