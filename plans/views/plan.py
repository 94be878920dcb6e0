"""The plan's own pages: its approval and amendments, next year's plan, its year view, the region's
amendments."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from services.access import access_for

from ..approval import AlreadyApproved, do_approve_plan
from ..clock import today
from ..deadlines import WHOLE_YEAR
from ..models import Plan
from ..next_year import NextYearRefused, do_create_next_year_plan
from ..plan_pages import amendments_of, next_year_preview, plan_amendments, year_view_rows


def _plan(plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("organization", "approved_by"), pk=plan_id)


@login_required
@require_GET
def plan_page(request: HttpRequest, plan: int) -> HttpResponse:
    """The plan: approved or a draft (and the button to approve it), its amendments, next year."""
    plan_obj = _plan(plan)
    access = access_for(request)
    if not access.can_view_plan(plan_obj):
        raise PermissionDenied
    return render(
        request,
        "plans/plan/page.html",
        {
            "plan": plan_obj,
            "amendments": plan_amendments(plan_obj),
            "may_approve": access.can_approve_plan(plan_obj),
            "may_copy": access.can_create_next_plan(plan_obj),
            "year_url": reverse("plans:plan-year", kwargs={"plan": plan_obj.pk}),
            # Its page says when it opens, until the fourth quarter is over.
            "annual_report_url": None
            if plan_obj.is_template
            else reverse("reports:detail", kwargs={"plan_id": plan_obj.pk, "quarter": WHOLE_YEAR}),
            "dashboard_url": reverse("plans:centre-dashboard")
            + f"?centre={plan_obj.organization_id}&year={plan_obj.year}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, plan: int) -> HttpResponse:
    """The director approves a draft plan, after a confirmation page: entry of figures opens."""
    plan_obj = _plan(plan)
    access = access_for(request)
    if not access.can_view_plan(plan_obj):
        raise PermissionDenied
    if plan_obj.is_approved:
        messages.info(request, _("This plan is already approved."))
        return redirect("plans:plan", plan=plan_obj.pk)
    if not access.can_approve_plan(plan_obj):
        raise PermissionDenied
    if request.method == "POST":
        try:
            do_approve_plan(plan_obj, acting_user=request.user)
        except AlreadyApproved:
            messages.info(request, _("This plan is already approved."))
        else:
            messages.success(request, _("The plan is approved: its figures can be entered now."))
        return redirect("plans:plan", plan=plan_obj.pk)
    return render(request, "plans/plan/approve.html", {"plan": plan_obj})


class NextYearForm(forms.Form):
    COPY, EMPTY = "copy", "empty"
    targets = forms.ChoiceField(
        label=gettext_lazy("Targets"),
        choices=[
            (COPY, gettext_lazy("Copy this year's targets as proposals, to be corrected")),
            (EMPTY, gettext_lazy("Leave the targets empty, to be set")),
        ],
        initial=COPY,
        widget=forms.RadioSelect,
    )


@login_required
@require_http_methods(["GET", "POST"])
def next_year(request: HttpRequest, plan: int) -> HttpResponse:
    """Preview of next year's plan made from this one; confirming creates it as a draft."""
    plan_obj = _plan(plan)
    access = access_for(request)
    if not access.can_create_next_plan(plan_obj):
        raise PermissionDenied
    form = NextYearForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new_plan = do_create_next_year_plan(
                    plan_obj,
                    acting_user=request.user,
                    copy_targets=form.cleaned_data["targets"] == NextYearForm.COPY,
                )
            except NextYearRefused as refused:
                messages.error(request, str(refused))
                status = 409
            else:
                messages.success(
                    request,
                    _("The %(year)s plan was created as a draft: check it, then approve it.")
                    % {"year": new_plan.year},
                )
                if access.can_view_plan(new_plan):
                    return redirect("plans:plan", plan=new_plan.pk)
                return redirect("admin:plans_plan_change", new_plan.pk)
        else:
            status = 400
    context = {"preview": next_year_preview(plan_obj), "form": form}
    return render(request, "plans/plan/next_year.html", context, status=status)


@login_required
@require_GET
def amendments(request: HttpRequest) -> HttpResponse:
    """The amendments of every plan the person sees whole: a region's, its districts'."""
    access = access_for(request)
    if not access.readable_centre_ids:
        raise PermissionDenied
    context = {"amendments": amendments_of(access.amendments_filter())}
    return render(request, "plans/plan/amendments.html", context)


@login_required
@require_GET
def year_view(request: HttpRequest, plan: int) -> HttpResponse:
    """Every indicator of the plan across the twelve months in one table, to read or print."""
    plan_obj = _plan(plan)
    if not access_for(request).can_view_plan(plan_obj):
        raise PermissionDenied
    on = today()
    # Months that have not begun have no figures yet: blank, not 0.
    begun = [(plan_obj.year, month) <= (on.year, on.month) for month in range(1, 13)]
    rows = [
        (row, [value if started else None for value, started in zip(row.series.done, begun, strict=True)])
        for row in year_view_rows(plan_obj)
    ]
    return render(
        request,
        "plans/plan/year.html",
        {"plan": plan_obj, "rows": rows, "months": [MONTHS_3[month] for month in range(1, 13)]},
    )
