"""Every URL of Django's admin, for every kind of admin user, on objects of their own and another centre.

The URLs come from `admin.site`: the site's own and each registered ModelAdmin's `get_urls()`
(change list, add, change, delete, history, django-simple-history's versions, import and export,
autocomplete…), so a model or page added later is walked too and fails until it has an
expectation here. The rule walked (services.access): administrators read and change everything;
any other admin user only reads, only models Django's permissions let them view, and only the
objects of the centres they manage; people, groups and login records are for administrators only.
Nobody but an administrator ever gets a page holding another centre's data, and nothing answers 500.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from notices.kinds import Channel, Kind
from notices.models import Delivery, Notice, Profile
from plans.models import CyrillicText, Unit
from tests.admin_world import LEAKS, admin_user, build_other_centre, own_objects, permissions
from tests.deploy.csp import csp_violations

pytestmark = pytest.mark.django_db

PROFILES = ("no permissions", "view only", "view, change some", "every permission", "no centre", "superuser")
# Models nobody but an administrator sees (units, shared by every centre, are read like the rest).
ADMINISTRATORS_ONLY = {
    "auth.User", "auth.Group", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
    "notices.Notice", "notices.Delivery", "notices.Profile",
}
# The models the "view, change some" profile holds Django's change permission on, besides viewing
# everything: in the admin it still only reads.
CHANGE_SOME = ("plans.Indicator", "plans.Actual", "plans.PlanItem", "services.Membership", "auth.User")
# Admins that refuse a page to administrators too: reports are documents as sent; login records
# are written by django-axes only.
NEVER = {
    ("reports.Report", "add"), ("reports.Report", "delete"),
    ("axes.AccessAttempt", "add"), ("axes.AccessLog", "add"), ("axes.AccessFailureLog", "add"),
    # Notices and their deliveries are written by the app's events and reminders only.
    ("notices.Notice", "add"), ("notices.Delivery", "add"),
    # Amendments are recorded by the plan's changes (plans.approval) and kept.
    ("plans.Amendment", "add"), ("plans.Amendment", "delete"),
}

# Answers besides status codes: a redirect to the admin's index (Django's answer to an object the
# person's queryset does not hold), and a redirect elsewhere.
INDEX = "to the index"
ELSEWHERE = "elsewhere"
REFUSED = {403, 404, INDEX}


@dataclass(frozen=True)
class AdminUrl:
    model: str  # the model's label, "" for the site's own pages
    kind: str  # changelist, change, simple_history, …; for the site's pages their name
    whose: str  # "own", "other", or "" where no object is named
    url: str


def profile_user(profile: str, demo):
    if profile == "superuser":
        return demo.users["admin"]
    every = permissions("add", "change", "delete", "view")
    grants = {
        "no permissions": [],
        "view only": permissions("view"),
        "view, change some": permissions("view") + permissions("change", models=CHANGE_SOME),
        "every permission": every,
        "no centre": every,
    }[profile]
    return admin_user(demo, f"walker-{profile.replace(' ', '-').replace(',', '')}", grants,
                      manager=profile != "no centre")


def may_read(profile: str, user, model: str) -> bool:
    """The rule, as the README states it."""
    if profile == "superuser":
        return True
    if model in ADMINISTRATORS_ONLY or profile == "no centre":
        return False
    app_label, name = model.lower().split(".")
    return user.has_perm(f"{app_label}.view_{name}") or user.has_perm(f"{app_label}.change_{name}")


def expected(profile: str, user, page: AdminUrl) -> object:
    """What a GET of `page` answers: a status, INDEX or ELSEWHERE; REFUSED where any refusal is right."""
    administrator = profile == "superuser"
    if not page.model:
        return SITE_PAGES[page.kind](profile, user)
    if page.kind == "process_import":
        return 405  # POST only, for everyone
    if page.kind == "redirect":
        return ELSEWHERE  # <id>/ sends to <id>/change/, which decides
    if (page.model, page.kind) in NEVER:
        return REFUSED
    readable = may_read(profile, user, page.model)
    if page.kind in {"changelist", "export"}:
        return 200 if readable else REFUSED
    if page.kind in {"add", "delete", "import", "password_change"}:
        return 200 if administrator else REFUSED
    if page.kind in {"change", "history", "simple_history"}:
        return 200 if readable and (administrator or page.whose == "own") else REFUSED
    raise AssertionError(f"no expectation for {page}")


def app_index(app_label: str):
    def answer(profile, user):
        models = [m._meta.label for m in admin.site._registry if m._meta.app_label == app_label]
        return 200 if any(may_read(profile, user, model) for model in models) else 404

    return answer


SITE_PAGES = {
    "index": lambda profile, user: 200,
    "password_change": lambda profile, user: 200,
    "password_change_done": lambda profile, user: 200,
    "jsi18n": lambda profile, user: 200,
    "view_on_site": lambda profile, user: 404,  # no model of ours has a page outside the admin
    **{f"app_list:{label}": app_index(label) for label in {m._meta.app_label for m in admin.site._registry}},
}
# The site's pages not walked by GET: logging in and out are the login tests' (tests/deploy).
SITE_NOT_WALKED = {"login", "logout", "autocomplete", "app_list"}


@pytest.fixture
def world(demo):
    other = build_other_centre(demo)
    own = own_objects(demo)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(
            username="zomin-xodim", ip_address="10.0.0.9", user_agent="Zomin", http_accept="*/*",
            path_info="/login/", **extra,
        )
    shared = {
        "plans.Unit": Unit.objects.order_by("pk").first(),
        "plans.CyrillicText": CyrillicText.objects.create(latin="Dona", cyrillic="Дона"),
    }
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        shared[model._meta.label] = model.objects.get()
    shared["auth.User"] = other.membership.user
    shared["auth.Group"] = demo.users["direktor"].groups.first()
    # People's notices and profiles: for administrators only.
    notice = Notice.objects.create(
        recipient=other.membership.user,
        kind=Kind.REPORT_RETURNED,
        key="walk",
        centre=demo.district,
        created_at=timezone.now(),
    )
    shared["notices.Notice"] = notice
    shared["notices.Delivery"] = Delivery.objects.create(
        notice=notice, channel=Channel.EMAIL, address="zomin@example.uz", next_try_at=timezone.now()
    )
    shared["notices.Profile"] = Profile.objects.get_or_create(user=other.membership.user)[0]
    return {"own": own, "other": other.objects(), "shared": shared, "demo": demo}


def model_pages(world) -> list[AdminUrl]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        objects = {"own": world["shared"][label]} if label in world["shared"] else {
            "own": world["own"][label], "other": world["other"][label]
        }
        for pattern in model_admin.get_urls():
            assert isinstance(pattern, URLPattern)
            kind = pattern.name.removeprefix(prefix) if pattern.name else "redirect"
            arguments = pattern.pattern.regex.groups
            if arguments == 0:
                pages.append(AdminUrl(label, kind, "", reverse(f"admin:{pattern.name}")))
                continue
            for whose, obj in objects.items():
                if kind == "redirect":
                    url = reverse(f"admin:{prefix}change", args=[obj.pk]).removesuffix("change/")
                elif arguments == 2:
                    version = obj.history.order_by("history_id").first().history_id
                    url = reverse(f"admin:{pattern.name}", args=[obj.pk, version])
                else:
                    url = reverse(f"admin:{pattern.name}", args=[obj.pk])
                pages.append(AdminUrl(label, kind, whose, url))
    return pages


def site_pages(world) -> list[AdminUrl]:
    pages = []
    for pattern in admin.site.get_urls():
        if not isinstance(pattern, URLPattern) or pattern.name is None or pattern.name in SITE_NOT_WALKED:
            continue
        if pattern.name == "view_on_site":
            actual = world["other"]["plans.Actual"]
            content_type = ContentType.objects.get_for_model(actual)
            url = reverse("admin:view_on_site", args=[content_type.pk, actual.pk])
        else:
            url = reverse(f"admin:{pattern.name}")
        pages.append(AdminUrl("", pattern.name, "", url))
    labels = sorted({m._meta.app_label for m in admin.site._registry})
    for label in labels:
        pages.append(AdminUrl("", f"app_list:{label}", "", reverse("admin:app_list", args=[label])))
    return pages


def autocomplete_pages() -> list[tuple[str, str]]:
    """(remote model, URL) of every autocomplete field of every admin, searching for everything."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            remote = model._meta.get_field(field_name).remote_field.model
            source = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
            url = f"{reverse('admin:autocomplete')}?{source}&field_name={field_name}&term="
            pages.append((remote._meta.label, url))
    return pages


def answer(response) -> object:
    if response.status_code == 302:
        return INDEX if response["Location"] == reverse("admin:index") else ELSEWHERE
    return response.status_code


def matches(got: object, wanted: object) -> bool:
    return got in REFUSED if wanted is REFUSED else got == wanted


def leaked(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace").lower()
    return [leak for leak in LEAKS if leak in text]


def test_every_admin_url_is_walked(world):
    """Each model admin's every URL has an expectation, and the site's are all known."""
    kinds = {page.kind for page in model_pages(world)}
    known = {"changelist", "add", "change", "delete", "history", "simple_history", "import",
             "process_import", "export", "password_change", "redirect"}
    assert kinds - known == set()
    site = {p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name}
    assert site - SITE_NOT_WALKED - set(SITE_PAGES) == set()


@pytest.mark.parametrize("profile", PROFILES)
def test_each_admin_url_answers_each_kind_of_admin_user_as_the_rule_says(profile, world):
    user = profile_user(profile, world["demo"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    wrong, leaks, csp = {}, {}, {}
    for page in model_pages(world) + site_pages(world):
        response = client.get(page.url)
        got, wanted = answer(response), expected(profile, user, page)
        key = f"{page.model} {page.kind} {page.whose}".strip()
        if not matches(got, wanted):
            wrong[key] = f"got {got}, expected {wanted}"
        if profile != "superuser" and leaked(response):
            leaks[key] = leaked(response)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            found = csp_violations(response.content.decode())
            if found:
                csp[key] = found
    assert wrong == {}
    assert leaks == {}
    assert csp == {}


@pytest.mark.parametrize("profile", PROFILES)
def test_autocomplete_offers_only_what_the_person_may_read(profile, world):
    user = profile_user(profile, world["demo"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    wrong, leaks = {}, {}
    for remote, url in autocomplete_pages():
        response = client.get(url)
        wanted = 200 if may_read(profile, user, remote) else 403
        if response.status_code != wanted:
            wrong[url] = f"got {response.status_code}, expected {wanted}"
        if profile != "superuser" and leaked(response):
            leaks[url] = leaked(response)
    assert wrong == {}
    assert leaks == {}
