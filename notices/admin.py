"""The admin of notices: deliveries (a failed one shows its error and can be sent again), notices.

People's notices, addresses and Telegram chats are for administrators only (services.admin_doors,
with no centre paths)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from services.admin_doors import CentreDoorsAdmin

from .delivery import do_try_again
from .models import Delivery, Notice, Profile


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("channel", "address", "state", "attempts", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "centre", "read_at", "dispatched_at")
    list_filter = ("kind", "centre")
    list_select_related = ("recipient", "centre")
    search_fields = ("recipient__username", "recipient__first_name", "recipient__last_name", "key")
    readonly_fields = (
        "recipient",
        "kind",
        "key",
        "centre",
        "data",
        "link",
        "created_at",
        "read_at",
        "dispatched_at",
    )
    inlines = [DeliveryInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    list_display = ("notice", "channel", "address", "state", "attempts", "next_try_at", "sent_at", "error")
    list_filter = ("state", "channel")
    list_select_related = ("notice__recipient",)
    search_fields = ("address", "notice__recipient__username", "error")
    readonly_fields = (
        "notice",
        "channel",
        "address",
        "state",
        "attempts",
        "next_try_at",
        "claimed_at",
        "sent_at",
        "error",
    )
    actions = ["try_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the failed deliveries again"), permissions=["change"])
    def try_again(self, request, queryset):
        from .tasks import deliver

        ids = do_try_again(list(queryset))
        for delivery_id in ids:
            deliver(delivery_id)
        self.message_user(
            request,
            ngettext(
                "%(count)s delivery will be sent again.", "%(count)s deliveries will be sent again.", len(ids)
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(Profile)
class ProfileAdmin(CentreDoorsAdmin, admin.ModelAdmin):
    list_display = ("user", "language", "telegram_chat_id", "telegram_linked_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("telegram_linked_at",)
    autocomplete_fields = ("user",)
