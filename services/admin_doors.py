"""The admin's doors: every ModelAdmin and inline asks services.access who may read and change what.

Mixed in first, so that what an admin says of itself (reports cannot be added, for one) can only
narrow the rule, never widen it.
"""

from collections.abc import Sequence

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .access import access_for


class _ChoicesBehindTheDoors:
    """The choices of a form's related fields are the related objects the person may read: another
    centre's sections or services are never listed (django-simple-history's version page shows an
    editable form even to those who only read)."""

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet | None:
        queryset = super().get_field_queryset(db, db_field, request)
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if not isinstance(related_admin, CentreDoorsAdmin):
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db)
        return access_for(request).admin_objects(queryset, related_admin.centre_paths)


class CentreDoorsAdmin(_ChoicesBehindTheDoors):
    """A ModelAdmin whose list, pages, history, autocomplete and exports hold only the objects
    `access.admin_objects` gives the person, and where only those `access.can_change_in_admin`
    lets add, change or delete.

    `centre_paths`: the paths from the model to the centres its objects belong to ("" for a
    centre itself); () for objects every centre shares; None (the default) for models only
    administrators see.
    """

    centre_paths: Sequence[str] | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return access_for(request).admin_objects(super().get_queryset(request), self.centre_paths)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        access = access_for(request)
        if not access.can_read_in_admin(self.centre_paths) or not super().has_view_permission(request, obj):
            return False
        # Django's own checks are per model; an object's centre is checked here, so that pages
        # which find their object without the queryset (django-simple-history's) refuse it too.
        return obj is None or access.admin_sees(obj, self.centre_paths)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return access_for(request).can_change_in_admin() and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_change(request, obj) and super().has_delete_permission(request, obj)

    def _may_change(self, request: HttpRequest, obj: Model | None) -> bool:
        access = access_for(request)
        if obj is None:
            return access.can_change_in_admin()
        return access.admin_may_change(obj, self.centre_paths) and access.admin_sees(obj, self.centre_paths)

    # django-simple-history's history page, without the inline style a strict CSP refuses.
    object_history_list_template = "admin/simple_history/object_history_list.html"

    # django-simple-history: its history page finds an object the queryset does not hold through
    # the history table, and its version page saves whatever is posted to it ("revert") after
    # asking only for the right to view. Both ask the doors above.

    def has_view_history_or_change_history_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class CentreDoorsInline(_ChoicesBehindTheDoors):
    """An inline of a CentreDoorsAdmin: its rows are the parent's, so they are seen with it; they
    are added, changed and deleted only by those who may change in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access_for(request).can_change_in_admin() and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access_for(request).can_change_in_admin() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access_for(request).can_change_in_admin() and super().has_delete_permission(request, obj)

