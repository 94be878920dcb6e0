"""The entry page is read on 400 kbit/s lines: the page with its own styles and script stays light."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Bytes on the wire, compressed as the server sends them: a quarter of a second at 400 kbit/s.
BUDGET = 12_500


def test_entry_page_and_its_assets_stay_within_a_quarter_second(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    url = reverse("plans:entry", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk})
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    assert set(assets) == {"css/app.css", "css/entry.css", "js/entry.js", "img/favicon.svg"}  # nothing else
    weight = len(response.content) + sum(
        len(gzip.compress(Path(finders.find(path)).read_bytes())) for path in assets
    )
    assert weight < BUDGET, weight
