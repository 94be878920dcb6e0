"""The error pages: a lost database answers 503 with a localized page; other faults the plain 500 page."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from akm_plan.middleware import DatabaseUnavailableMiddleware
from akm_plan.views import server_error
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


def handled_by_the_500_handler(error: Exception):
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/"))


def test_a_database_lost_outside_a_view_answers_503_too():
    """A middleware that reads the session or the user fails outside process_exception's reach:
    the 500 handler answers 503 for it as well."""
    with translation.override("uz"):
        response = handled_by_the_500_handler(OperationalError("server closed the connection"))

    assert response.status_code == 503
    assert "Maʼlumotlar bazasi vaqtincha ishlamayapti" in response.content.decode()


def test_other_faults_get_the_500_page():
    with translation.override("uz"):
        response = handled_by_the_500_handler(ValueError("bug"))

    assert response.status_code == 500
    assert 'data-error="server-error"' in response.content.decode()


def test_other_exceptions_are_left_to_the_500_page():
    assert middleware().process_exception(RequestFactory().get("/"), ValueError("bug")) is None


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_pages_render_without_a_request_or_the_database_and_satisfy_the_csp(template):
    # No django_db mark: any query while rendering would fail the test.
    html = render_to_string(template)

    assert csp_violations(html) == []
    assert 'lang="uz"' in html


PAGES = {
    # name: (how to get there, status, words of the page in Uzbek, in Russian)
    "not found": ("/no-such-page/", 404, "Sahifa topilmadi", "Страница не найдена"),
    "not allowed": ("/plan/dashboard/", 403, "Ruxsat yo‘q", "Нет доступа"),
    "bad request": ("/plan/dashboard/service/{service}/?month=²", 400, "So‘rov tushunilmadi", "Запрос не"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_error_pages_are_in_the_sites_layout_and_the_readers_language(page, client, demo, settings):
    settings.DEBUG = False
    url, status, uzbek, russian = PAGES[page]
    url = url.format(service=demo.service("abonement").pk)
    client.force_login(demo.users["xodim-abonement"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert uzbek in html
    assert 'class="topbar"' in html and 'href="/"' in html  # the layout, and the way back
    assert csp_violations(html) == []
    client.cookies["django_language"] = "ru"
    assert russian in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_a_page_saying_what_to_do(demo, settings):
    from django.test import Client

    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.users["direktor"])
    response = client.post("/plan/entry/2024/3/", {"action": "close"})
    assert response.status_code == 403
    assert "Sahifaning muddati o‘tgan" in response.content.decode()
