"""What WeasyPrint may read while it lays out a report: the app's own static files, nothing else.

WeasyPrint's default fetcher follows any URL a document names (file:, http:, data:, …), so
text that slipped into a report's HTML could attach local files or make the server call out.
The report's HTML and stylesheet name their fonts and images under STATIC_ORIGIN; this fetcher
maps such a URL to a file the staticfiles finders know and refuses every other URL. The host is
under `.invalid` (RFC 2606), so such a URL could never reach a network even if it escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_ORIGIN = "https://static.akm-reja.invalid/"
# Where the report names pictures handed to the fetcher (StaticFilesFetcher's `pictures`).
PICTURE_ORIGIN = "https://pictures.akm-reja.invalid/"

# What a report may use: its stylesheets, fonts and pictures. Content types by extension, not from
# the mimetypes module, whose answers depend on the machine's /etc/mime.types.
CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


class RefusedURL(ValueError):
    """A URL the report's renderer may not read."""


def static_path(url: str) -> str:
    """The static file's name (`fonts/DejaVuSans.ttf`) a URL under STATIC_ORIGIN names; else RefusedURL.

    Pure: refuses other schemes and hosts, queries, and names that are empty, absolute, hold a
    `.`/`..` segment (also percent-encoded), a backslash or a NUL, or end in another extension.
    """
    origin = urlsplit(STATIC_ORIGIN)
    parts = urlsplit(url)
    if (parts.scheme.lower(), parts.netloc.lower()) != (origin.scheme, origin.netloc) or parts.query:
        raise RefusedURL(f"not one of the app's static files: {url[:200]}")
    name = unquote(parts.path).removeprefix(origin.path)
    segments = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(segment in {"", ".", ".."} for segment in segments):
        raise RefusedURL(f"not a static file's name: {url[:200]}")
    if PurePosixPath(name).suffix.lower() not in CONTENT_TYPES:
        raise RefusedURL(f"not a stylesheet, font or picture: {url[:200]}")
    return name


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher serving the app's static files and refusing everything else.

    Every way WeasyPrint reads a resource (`fetch`, `open`, calling the fetcher) ends in `fetch`,
    which never opens a network connection or a file outside the static folders.
    """

    def __init__(self, pictures: Mapping[str, bytes] | None = None) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        # Pictures the caller read itself (the evidence annex's thumbnails), by their URL under
        # PICTURE_ORIGIN: only these, never anything the URL names.
        self.pictures = dict(pictures or {})

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url in self.pictures:
            return URLFetcherResponse(url, self.pictures[url], {"Content-Type": "image/jpeg"})
        try:
            name = static_path(url)
        except RefusedURL:
            logger.warning("The report's PDF asked for a resource outside the static files: %.200s", url)
            raise
        found = finders.find(name)
        if not found:
            raise RefusedURL(f"no such static file: {name}")
        with open(found, "rb") as file:
            body = file.read()
        content_type = CONTENT_TYPES[PurePosixPath(name).suffix.lower()]
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_url(name: str) -> str:
    """The URL under which the report's documents name the static file `name`."""
    return STATIC_ORIGIN + name
