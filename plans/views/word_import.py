"""A plan from a Word file in the browser (upload → preview with its problems → confirm); the plan
as its document is reports.plan_document_views.

The uploaded file waits in the person's session (database sessions) between the preview and the
confirmation, so that mapping columns or services reads it again; confirming writes the plan
through plans.exchange.write_plan, as `import_plan` does, all or nothing.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.sheet_reader import LIMITS
from services.access import access_for
from services.models import Organization

from ..clock import today
from ..exchange import write_plan
from ..models import Plan
from ..plan_file import FIRST_YEAR, LAST_YEAR, PlanImportError, read_plan_data
from ..word_plan import ROLE_LABELS, ROLES, ColumnsUnknown, WordPlan, WordPlanRefused, read_word_plan

SESSION_KEY = "word_plan_upload"
NEW_SERVICE = "__new__"


class UploadForm(forms.Form):
    centre = forms.ModelChoiceField(label=gettext_lazy("Centre"), queryset=Organization.objects.none())
    year = forms.IntegerField(
        label=gettext_lazy("Year of the plan"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    file = forms.FileField(
        label=gettext_lazy("The plan as a Word file (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.content = b""
        self.word_plan: WordPlan | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LIMITS.file_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": LIMITS.file_bytes // (1024 * 1024)}
            )
        self.content = upload.read()
        return upload

    def clean(self):
        cleaned = super().clean()
        centre, year = cleaned.get("centre"), cleaned.get("year")
        if centre and year and Plan.objects.own().filter(organization=centre, year=year).exists():
            self.add_error(
                "year", _("%(centre)s already has a plan for %(year)s.") % {"centre": centre, "year": year}
            )
        if centre and self.content:
            try:
                self.word_plan = read_word_plan(self.content, services=_service_names(centre))
            except ColumnsUnknown:
                pass  # the preview asks for the columns
            except WordPlanRefused as error:
                self.add_error("file", str(error))
        return cleaned


def _service_names(centre: Organization) -> list[str]:
    return list(centre.services.order_by("order", "name").values_list("name", flat=True))


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    centres = access.plan_import_centres()
    if not centres.exists():
        raise PermissionDenied
    now = today()
    initial = {"year": now.year + 1 if now.month >= 9 else now.year}
    if centres.count() == 1:
        initial["centre"] = centres.first()
    form = UploadForm(request.POST or None, request.FILES or None, centres=centres, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = {
            "centre": form.cleaned_data["centre"].pk,
            "year": form.cleaned_data["year"],
            "filename": form.cleaned_data["file"].name[:200],
            "content": base64.b64encode(form.content).decode("ascii"),
            "roles": None,
            "services": {},
        }
        return redirect("plans:word-import-preview")
    return render(request, "plans/word_import/upload.html", {"form": form})


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    if not access.plan_import_centres().exists():
        raise PermissionDenied
    state = request.session.get(SESSION_KEY)
    if not state:
        return redirect("plans:word-import")
    centre = Organization.objects.filter(pk=state["centre"]).first()
    if centre is None or not access.can_import_plan(centre):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        del request.session[SESSION_KEY]
        return redirect("plans:word-import")
    if action == "map":
        state["roles"] = _posted_roles(request.POST)
        state["services"] = _posted_services(request.POST, _service_names(centre))
        request.session[SESSION_KEY] = state
        return redirect("plans:word-import-preview")

    content = base64.b64decode(state["content"])
    context = {
        "state": state,
        "centre": centre,
        "role_choices": [(role, ROLE_LABELS[role]) for role in (*ROLES, "")],
    }
    try:
        plan = read_word_plan(
            content, services=_service_names(centre), roles=state["roles"], service_map=_service_map(state)
        )
    except ColumnsUnknown as error:
        context.update(columns=list(zip(error.header, error.roles, strict=True)), refusal=str(error))
        return render(request, "plans/word_import/preview.html", context)
    except WordPlanRefused as error:
        context.update(refusal=str(error), columns=[])
        return render(request, "plans/word_import/preview.html", context)

    if action == "confirm":
        if not plan.blocking:
            try:
                with transaction.atomic():
                    data = plan.plan_data(year=state["year"], centre=centre.name)
                    created = write_plan(read_plan_data(data, locate=plan.locate), organization=centre)
            except PlanImportError as error:
                context["refusal"] = str(error)
            else:
                del request.session[SESSION_KEY]
                items = created.items.count()
                messages.success(
                    request,
                    ngettext(
                        "The plan for %(year)s was created: %(items)s item.",
                        "The plan for %(year)s was created: %(items)s items.",
                        items,
                    )
                    % {"year": created.year, "items": items},
                )
                return redirect(f"{reverse('plans:centre-dashboard')}?centre={centre.pk}&year={created.year}")
        else:
            context["refusal"] = _("The plan cannot be created while rows have problems (marked below).")
    names = _service_names(centre)
    context.update(
        plan=plan,
        columns=list(zip(plan.header, plan.roles, strict=True)),
        services=[
            _service_choice(service.printed, service.suggestions, "", names)
            for service in plan.unknown_services
        ]
        + [_service_choice(printed, (), state["services"][printed], names) for printed in state["services"]],
        blocking=len(plan.blocking),
    )
    return render(request, "plans/word_import/preview.html", context)


def _service_choice(printed: str, suggestions, chosen: str, names: list[str]) -> tuple[str, list]:
    """A printed service name and the options of its select: the closest names first, then the
    centre's other services, then "create it"."""
    options = [("", _("— choose —"))]
    options += [(name, _("%(name)s (closest)") % {"name": name}) for name in suggestions]
    options += [(name, name) for name in names if name not in suggestions]
    options.append((NEW_SERVICE, _("Create it as a new service")))
    return printed, [(value, label, value == chosen) for value, label in options]


def _posted_roles(post) -> list[str] | None:
    roles = []
    for index in range(LIMITS.columns):
        key = f"role-{index}"
        if key not in post:
            break
        role = post[key]
        roles.append(role if role in ROLES else "")
    return roles or None


def _posted_services(post, names: list[str]) -> dict[str, str]:
    """The person's choice for each service name of the file: one of the centre's, or NEW_SERVICE."""
    chosen = {}
    for index in range(200):
        printed = post.get(f"service-name-{index}")
        if printed is None:
            break
        value = post.get(f"service-{index}", "")
        if value == NEW_SERVICE or value in names:
            chosen[printed[:255]] = value
    return chosen


def _service_map(state) -> dict[str, str]:
    return {printed: "" if value == NEW_SERVICE else value for printed, value in state["services"].items()}
