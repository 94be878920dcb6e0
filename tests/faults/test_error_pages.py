"""The error pages: a lost database answers 503 with a localized page; other faults the plain 500 page."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from akm_plan.middleware import DatabaseUnavailableMiddleware
from tests.deploy.csp import csp_violations


def middleware() -> DatabaseUnavailableMiddleware:
    return DatabaseUnavailableMiddleware(lambda request: HttpResponse())


@pytest.mark.parametrize(
    "error", [OperationalError("connection refused"), InterfaceError("connection already closed")]
)
def test_a_lost_database_answers_503_asking_to_try_again_later(error):
    with translation.override("uz"):
        response = middleware().process_exception(RequestFactory().get("/"), error)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Maʼlumotlar bazasi vaqtincha ishlamayapti" in response.content.decode()


def test_the_database_page_follows_the_language():
    with translation.override("ru"):
        response = middleware().process_exception(RequestFactory().get("/"), OperationalError())

    assert "База данных недоступна" in response.content.decode()


def test_other_exceptions_are_left_to_the_500_page():
    assert middleware().process_exception(RequestFactory().get("/"), ValueError("bug")) is None


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_pages_render_without_a_request_or_the_database_and_satisfy_the_csp(template):
    # No django_db mark: any query while rendering would fail the test.
    html = render_to_string(template)

    assert csp_violations(html) == []
    assert 'lang="uz"' in html
