"""The evidence pages: a figure's files (listed, uploaded, removed) and the files themselves.

Who may see a figure's files is who may read the figure (services.access.can_read_entries:
those who enter the service's figures and those who see the whole centre); who may add and
remove them is who may enter it (can_enter), while its month is open. The files are never on a
public URL: every download passes here and is checked.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.filenames import content_disposition
from plans.models import Indicator, Plan
from plans.selectors import month_state_of
from services.access import access_for
from services.models import Service

from .actions import belongs, do_add_files, do_remove_file, evidence_storage
from .files import MB, Refused, check_size
from .models import EvidenceFile
from .selectors import figure_events, figure_files

# A downloaded file is shown by the browser on its own: it may run nothing and load nothing.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _figure(request: HttpRequest, indicator: int, month: int, service: int) -> tuple[Indicator, Service]:
    """The figure asked for, if the person may read it (else 403) and it exists (else 404)."""
    if not 1 <= month <= 12:
        raise Http404
    indicator_obj = get_object_or_404(
        Indicator.objects.select_related("item__plan__organization", "item__unit").prefetch_related(
            "item__services"
        ),
        pk=indicator,
    )
    service_obj = get_object_or_404(Service.objects.select_related("organization"), pk=service)
    if not access_for(request).can_read_entries(service_obj):
        raise PermissionDenied
    if indicator_obj.item.plan.kind != Plan.Kind.OWN or not belongs(indicator_obj, service_obj):
        raise Http404
    return indicator_obj, service_obj


@login_required
@require_http_methods(["GET", "POST"])
def figure(request: HttpRequest, indicator: int, month: int, service: int) -> HttpResponse:
    """A figure's files: thumbnails and names, an upload form for those who may enter it, and the
    history of what was added and removed."""
    indicator_obj, service_obj = _figure(request, indicator, month, service)
    plan = indicator_obj.item.plan
    may_enter = access_for(request).can_enter(service_obj)
    is_open = month_state_of(plan, month).is_open
    status = 200
    error = ""
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        uploads = request.FILES.getlist("files")
        try:
            for upload in uploads:
                check_size(upload.name, upload.size)
            added = do_add_files(
                indicator_obj,
                month,
                service_obj,
                [(upload.name, upload.read()) for upload in uploads],
                acting_user=request.user,
            )
        except Refused as refused:
            error = str(refused)
            status = 400
        else:
            messages.success(
                request,
                ngettext("%(count)d file added.", "%(count)d files added.", len(added))
                % {"count": len(added)},
            )
            return redirect(request.path)
    return render(
        request,
        "evidence/figure.html",
        {
            "plan": plan,
            "indicator": indicator_obj,
            "service": service_obj,
            "month": month,
            "month_name": str(MONTHS[month]),
            "files": figure_files(indicator_obj, month, service_obj),
            "events": figure_events(indicator_obj, month, service_obj),
            "editable": may_enter and is_open,
            "closed": may_enter and not is_open,
            "error": error,
            "max_megabytes": settings.EVIDENCE_MAX_FILE_BYTES // MB,
            "max_files": settings.EVIDENCE_MAX_FILES,
            "entry_url": reverse(
                "plans:entry", kwargs={"year": plan.year, "month": month, "service": service_obj.pk}
            ),
        },
        status=status,
    )


def _file(request: HttpRequest, file: int) -> EvidenceFile:
    """The file asked for, if the person may read its figure (else 403)."""
    file_obj = get_object_or_404(
        EvidenceFile.objects.select_related("service__organization", "indicator__item__plan"), pk=file
    )
    if not access_for(request).can_read_entries(file_obj.service):
        raise PermissionDenied
    return file_obj


def _serve(key: str, content_type: str, disposition: str) -> HttpResponse:
    storage = evidence_storage()
    try:
        with storage.open(key, "rb") as stored:
            content = stored.read()
    except FileNotFoundError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Content-Security-Policy"] = FILE_POLICY
    return response


@login_required
@require_GET
def download(request: HttpRequest, file: int) -> HttpResponse:
    """The file itself: photos shown in the browser, documents downloaded, by their own names."""
    file_obj = _file(request, file)
    return _serve(
        file_obj.key, file_obj.content_type, content_disposition(file_obj.name, inline=file_obj.is_photo)
    )


@login_required
@require_GET
def thumbnail(request: HttpRequest, file: int) -> HttpResponse:
    """A photo's thumbnail (JPEG); documents have none (404)."""
    file_obj = _file(request, file)
    if not file_obj.thumbnail_key:
        raise Http404
    stem = file_obj.name.rsplit(".", 1)[0]
    return _serve(
        file_obj.thumbnail_key, "image/jpeg", content_disposition(f"{stem}-thumbnail.jpg", inline=True)
    )


@login_required
@require_POST
def remove(request: HttpRequest, file: int) -> HttpResponse:
    """Remove a file from its figure (those who may enter it, while its month is open, unless a
    sent report version lists it)."""
    file_obj = _file(request, file)
    if not access_for(request).can_enter(file_obj.service):
        raise PermissionDenied
    try:
        do_remove_file(file_obj, acting_user=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": file_obj.name})
    return redirect(
        "evidence:figure", indicator=file_obj.indicator_id, month=file_obj.month, service=file_obj.service_id
    )
