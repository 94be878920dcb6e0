"""The admin's side of amendments: a required "why" on the forms of an approved plan's objects,
and the explicit calls to plans.approval that record each save and deletion."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField

from .approval import is_amendable, record_added, record_changed, record_removed

REASON_FIELD = "amendment_reason"
REASON_MISSING = _("The plan is approved: say why it is changed.")


def _reason_field(required: bool) -> forms.CharField:
    return CleanCharField(
        label=_("Why is the approved plan changed?"),
        help_text=_("Recorded with the change and listed on the plan's page."),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_MISSING},
    )


class AmendmentForm(forms.ModelForm):
    """A model form that asks why, once the object's plan is approved (a new object's plan is
    known only once the form is read, so the question is asked then). The admin replaces the
    field with a required one on the pages of an approved plan's objects."""

    amendment_reason = _reason_field(required=False)

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or REASON_FIELD not in self.fields or REASON_FIELD in self.errors:
            return
        if not self.cleaned_data.get(REASON_FIELD) and is_amendable(self.instance):
            self.add_error(REASON_FIELD, REASON_MISSING)


class DeletionReasonForm(forms.Form):
    """The "why" on the confirmation page of a deletion from an approved plan."""

    amendment_reason = _reason_field(required=True)

    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


def _changes(form: forms.ModelForm) -> list[tuple[str, object, object]]:
    """(field, old, new) for each model field the form changed."""
    model_fields = {field.name for field in form._meta.model._meta.get_fields()}
    return [
        (name, form.initial.get(name), form.cleaned_data.get(name))
        for name in form.changed_data
        if name != REASON_FIELD and name in model_fields
    ]


class AmendmentAdminMixin:
    """For the ModelAdmins of a plan's structure and targets: after approval, every save and
    deletion here (inline rows included) is recorded as an amendment, with the reason asked."""

    form = AmendmentForm
    delete_confirmation_template = "admin/plans/amendment_delete_confirmation.html"

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if self._asks_reason(request, obj):
            form.base_fields[REASON_FIELD] = _reason_field(required=self._amends(request, obj))
        return form

    def _amends(self, request: HttpRequest, obj) -> bool:
        """Whether changing the stored `obj` amends an approved plan, asked once per request (the
        admin builds a page's form more than once)."""
        if obj is None:
            return False
        if not hasattr(request, "_amends"):
            request._amends = {}
        key = (obj._meta.label, obj.pk)
        if key not in request._amends:
            request._amends[key] = is_amendable(obj)
        return request._amends[key]

    def get_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_fields(request, obj))
        if REASON_FIELD in fields:  # last, and only where it is asked
            fields.remove(REASON_FIELD)
        return fields

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        named = {name for _title, options in fieldsets for name in options.get("fields", ())}
        if self._asks_reason(request, obj) and REASON_FIELD not in named:
            fieldsets.append((_("Amendment"), {"fields": [REASON_FIELD]}))
        return fieldsets

    def _asks_reason(self, request: HttpRequest, obj) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        # Deleting many at once cannot say why; each is deleted from its own page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        reason = form.cleaned_data.get(REASON_FIELD, "")
        changes = _changes(form) if change else []
        super().save_model(request, obj, form, change)
        if change:
            record_changed(obj, changes, acting_user=request.user, reason=reason)
        else:
            record_added(obj, acting_user=request.user, reason=reason)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        reason = form.cleaned_data.get(REASON_FIELD, "")
        for removed in formset.deleted_forms:
            if removed.instance.pk is not None:
                record_removed(removed.instance, acting_user=request.user, reason=reason)
        changed = [
            (row.instance, _changes(row))
            for row in formset.initial_forms
            if row not in formset.deleted_forms and row.has_changed()
        ]
        super().save_formset(request, form, formset, change)
        for obj, changes in changed:
            record_changed(obj, changes, acting_user=request.user, reason=reason)
        for obj in formset.new_objects:
            record_added(obj, acting_user=request.user, reason=reason)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        required = self._amends(request, obj)
        if request.method == "POST" and required:
            reason = DeletionReasonForm(request.POST)
            if not reason.is_valid():
                messages.error(request, reason.error_text())
                return HttpResponseRedirect(request.get_full_path())
        extra_context = {**(extra_context or {}), "amendment_reason_required": required}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj) -> None:
        # Read again here: delete_view refused a deletion from an approved plan without a reason.
        reason = DeletionReasonForm(request.POST)
        reason.is_valid()
        record_removed(obj, acting_user=request.user, reason=reason.cleaned_data.get(REASON_FIELD, ""))
        super().delete_model(request, obj)
