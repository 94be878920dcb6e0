"""Request-level concerns: the CSP header, the client's address behind a proxy, a lost database."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# Everything the app shows comes from itself: no CDN (district centres may be offline), no
# inline script or style, so injected markup cannot run. `data:` images are for the admin's
# and the browser's small built-in icons.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy to every response that does not set its own.

    Referrer-Policy, X-Frame-Options and X-Content-Type-Options come from Django's own
    SecurityMiddleware and XFrameOptionsMiddleware (see settings).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class PrivatePagesMiddleware:
    """Marks every response to a logged-in person `Cache-Control: private, no-store`.

    Their pages and downloads show a centre's figures: a shared computer's browser cache, or a
    proxy between a district centre and the server, must not keep them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def client_ip_address(request: HttpRequest) -> str | None:
    """The address failed logins are counted against (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind a proxy every request comes from the proxy, so the client is read from
    X-Forwarded-For; each proxy appends the address it saw, so the client is PROXY_COUNT
    entries from the right. Entries further left were written by the client itself and could
    be forged, so they are never used. Without BEHIND_PROXY the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < settings.PROXY_COUNT or settings.PROXY_COUNT < 1:
        return remote
    return forwarded[-settings.PROXY_COUNT]


class DatabaseUnavailableMiddleware:
    """Answers 503 with a short localized page when the database cannot be reached.

    While PostgreSQL restarts, every request fails to connect; a generic 500 would suggest a
    fault in the application and be logged as one. The page is rendered without the request so
    that nothing in it (the user, the session) reaches for the database again. Django closes the
    broken connection at the end of the request, and the next one connects afresh
    (CONN_HEALTH_CHECKS), so the app recovers as soon as the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(exception)


def database_unavailable(exception: Exception) -> HttpResponse:
    """The 503 page for a database that cannot be reached (see DatabaseUnavailableMiddleware)."""
    logger.warning("Database unavailable: %s", exception)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response
