"""The doors: failed logins locked out per user and address, security headers, demo accounts."""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from akm_plan.middleware import client_ip_address
from services.accounts import DEMO_GROUP, AccountBackend

from .csp import csp_violations

PASSWORD = "to‘g‘ri-parol-2024"
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(username="xodim", password=PASSWORD)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return settings.AXES_FAILURE_LIMIT


def log_in(client, password, address=HOME, username="xodim", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail_until_locked(client, limit, address=HOME):
    return [log_in(client, "noto‘g‘ri", address).status_code for _ in range(limit)]


@pytest.mark.django_db
def test_wrong_passwords_up_to_the_limit_lock_the_account_for_that_address(client, person, limit):
    assert fail_until_locked(client, limit) == [200] * (limit - 1) + [429]


@pytest.mark.django_db
def test_lockout_page_is_in_uzbek_by_default(client, person, limit):
    fail_until_locked(client, limit - 1)
    response = log_in(client, "noto‘g‘ri")
    assert response.status_code == 429
    assert 'lang="uz"' in response.content.decode()
    assert "Kirish bloklandi" in response.content.decode()
    assert "15 daqiqadan keyin" in response.content.decode()


@pytest.mark.django_db
def test_lockout_page_follows_the_chosen_language(client, person, limit):
    client.cookies["django_language"] = "ru"
    fail_until_locked(client, limit)
    response = log_in(client, "noto‘g‘ri")
    assert "Вход заблокирован" in response.content.decode()


@pytest.mark.django_db
def test_right_password_during_lockout_is_refused(client, person, limit):
    fail_until_locked(client, limit)
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_does_not_reach_the_same_user_from_another_address(client, person, limit):
    fail_until_locked(client, limit)
    response = log_in(client, PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_lockout_behind_a_proxy_counts_the_forwarded_client(client, person, limit, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    for _ in range(limit):
        log_in(client, "noto‘g‘ri", address="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    # Every request comes from the proxy's address: only the forwarded one tells the two apart.
    response = log_in(client, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302
    locked = log_in(client, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    assert locked.status_code == 429


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert client_ip_address(request_from("203.0.113.7", "10.9.9.9")) == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_rightmost_forwarded_address(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    # The left entry is what the client claimed; nginx appended the address it really saw.
    assert client_ip_address(request_from("127.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    assert client_ip_address(request_from("10.0.0.5", "6.6.6.6, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"


def test_behind_a_proxy_without_forwarded_for_the_peer_is_used(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    assert client_ip_address(request_from("10.0.0.5")) == "10.0.0.5"


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url",
    [
        "/plan/dashboard/",
        "/reports/{plan}/1/",
        "/reports/{plan}/1/report.xlsx",
        "/plan/entry/2024/4/{service}/",
        "/no-such-page/",
    ],
)
def test_what_a_logged_in_person_is_shown_is_never_kept_by_a_cache(client, demo, url):
    client.force_login(demo.users["direktor"])
    response = client.get(url.format(plan=demo.plan.pk, service=demo.service("abonement").pk))
    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.django_db
def test_login_and_lockout_pages_satisfy_the_policy(client, person, limit):
    assert csp_violations(client.get(reverse("login")).content.decode()) == []
    fail_until_locked(client, limit)
    assert csp_violations(log_in(client, "noto‘g‘ri").content.decode()) == []


@pytest.mark.django_db
def test_admin_login_page_satisfies_the_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert csp_violations(response.content.decode()) == []


@pytest.mark.django_db
def test_admin_forms_satisfy_the_policy(client, admin_user):
    client.force_login(admin_user)
    pages = [reverse("admin:auth_user_change", args=[admin_user.pk])]
    pages += [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_add") for m in admin.site._registry]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        assert csp_violations(response.content.decode()) == [], url


@pytest.mark.django_db
def test_demo_accounts_are_refused_when_not_allowed(client, django_user_model, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    user = django_user_model.objects.create_user(username="direktor", password=PASSWORD)
    user.groups.add(Group.objects.create(name=DEMO_GROUP))
    response = log_in(client, PASSWORD, username="direktor")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_accounts_may_log_in_where_allowed(client, django_user_model, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    user = django_user_model.objects.create_user(username="direktor", password=PASSWORD)
    user.groups.add(Group.objects.create(name=DEMO_GROUP))
    assert log_in(client, PASSWORD, username="direktor").status_code == 302


@pytest.mark.django_db
def test_a_demo_session_left_over_is_refused_when_demo_accounts_are_not_allowed(
    client, django_user_model, settings
):
    user = django_user_model.objects.create_user(username="direktor", password=PASSWORD)
    user.groups.add(Group.objects.create(name=DEMO_GROUP))
    client.force_login(user, backend="services.accounts.AccountBackend")
    settings.DEMO_ACCOUNTS_ALLOWED = False
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_real_accounts_log_in_when_demo_accounts_are_not_allowed(client, person, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    assert log_in(client, PASSWORD).status_code == 302
    assert AccountBackend().user_can_authenticate(person)
