"""The notice pages: the list (the bell leads there), opening a notice, and the person's profile page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.params import int_param
from services.access import access_for

from . import telegram
from .forms import ProfileForm
from .inbox import do_mark_all_read, do_mark_read
from .models import Notice
from .profiles import do_save_profile
from .selectors import code_expires, notice_page, profile_page


@login_required
@require_http_methods(["GET", "HEAD"])
def notice_list(request: HttpRequest) -> HttpResponse:
    page, rows = notice_page(request.user, int_param(request.GET, "page"))
    return render(request, "notices/list.html", {"page": page, "rows": rows})


@login_required
@require_POST
def open_notice(request: HttpRequest, notice: int) -> HttpResponse:
    """Mark the notice read and go to the page where its reader acts."""
    found = get_object_or_404(Notice, pk=notice, recipient=request.user)
    do_mark_read(found, acting_user=request.user)
    if found.link and url_has_allowed_host_and_scheme(found.link, allowed_hosts=None):
        return redirect(found.link)
    return redirect("notices:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    do_mark_all_read(acting_user=request.user)
    return redirect("notices:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    page = profile_page(access)
    kinds = [choices.kind for choices in page.kinds]
    if request.method == "POST":
        form = ProfileForm(request.POST, kinds=kinds)
        if form.is_valid():
            language = form.cleaned_data["language"]
            do_save_profile(
                acting_user=request.user,
                language=language,
                email=form.cleaned_data["email"],
                channels=form.channels(),
            )
            translation.activate(language)
            messages.success(request, _("Your profile was saved."))
            response = redirect("notices:profile")
            # The pages switch to the profile's language too, as the language buttons do.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    else:
        initial = {"language": page.language, "email": page.email}
        for choices in page.kinds:
            for channel in choices.channels:
                initial[choices.field(channel)] = channel.chosen
        form = ProfileForm(initial=initial, kinds=kinds)
    return render(
        request,
        "notices/profile.html",
        {
            "page": page,
            "form": form,
            "code_expires": code_expires(page.code) if page.code else None,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def telegram_code(request: HttpRequest) -> HttpResponse:
    if telegram.enabled():
        telegram.do_new_code(acting_user=request.user)
    return redirect("notices:profile")


@login_required
@require_POST
def telegram_unlink(request: HttpRequest) -> HttpResponse:
    if telegram.do_unlink(acting_user=request.user):
        messages.success(request, _("Telegram is no longer linked: notices will not go there."))
    return redirect("notices:profile")
