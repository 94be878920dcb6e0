"""Pages travel compressed to browsers that accept it: district centres are on slow lines."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_dashboard_is_sent_compressed_and_reads_the_same(client, demo):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:centre-dashboard")
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert demo.district.name in html and html.rstrip().endswith("</html>")
    # The markup is the same but for the CSRF tokens (masked afresh for every response).
    assert abs(len(html) - len(plain.content.decode())) < 200
    assert len(packed.content) * 5 < len(plain.content)
