"""Every URL of the project, for every role: the expected answer, never a 500, and pages within the CSP.

The URLs come from the resolver, so a page added later is walked too: the test fails until it
has a row in EXPECTED and its URL's arguments can be filled from the demo.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evidence.actions import do_add_files
from notices.models import Notice
from plans.models import Indicator, Plan
from reports.tables import build_table
from reports.workflow import do_save_notes, do_submit, do_submit_consolidated
from tests.deploy.csp import csp_violations
from tests.evidence import samples

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "head", "manager", "reviewer", "superuser")
# The demo account playing each role (superuser: no membership at any centre).
ACCOUNTS = {
    "staff": "xodim-abonement",
    "head": "boshliq-abonement",
    "manager": "direktor",
    "reviewer": "viloyat",
    "superuser": "admin",
}

# Answers: a status code, or LOGIN / ADMIN for a redirect to that login page, or ELSEWHERE for
# a redirect elsewhere (the landing page sending a person to their work, the language switch).
LOGIN = "login"
ADMIN = "admin-login"
ELSEWHERE = "elsewhere"

# What a GET answers, per role. POST-only actions answer 405 to GET once logged in.
# fmt: off
EXPECTED: dict[str, tuple[object, ...]] = {
    #                                    anonymous  staff      head       manager    reviewer   superuser
    "home":                             (LOGIN,     ELSEWHERE, ELSEWHERE, ELSEWHERE, ELSEWHERE, 200),
    "login":                            (200,       200,       200,       200,       200,       200),
    "logout":                           (405,       405,       405,       405,       405,       405),
    "set_language":                     (ELSEWHERE, ELSEWHERE, ELSEWHERE, ELSEWHERE, ELSEWHERE, ELSEWHERE),
    "plans:entry":                      (LOGIN,     200,       200,       200,       200,       403),
    "plans:entry-complete":             (LOGIN,     405,       405,       405,       405,       405),
    "plans:entry-overview":             (LOGIN,     403,       403,       200,       200,       403),
    "plans:entry-month-lock":           (LOGIN,     405,       405,       405,       405,       405),
    "plans:entry-history":              (LOGIN,     200,       200,       200,       200,       403),
    "plans:entry-sheet":                (LOGIN,     200,       200,       200,       200,       403),
    "plans:entry-sheet-upload":         (LOGIN,     405,       405,       405,       405,       405),
    "plans:entry-sheet-confirm":        (LOGIN,     405,       405,       405,       405,       405),
    "plans:centre-dashboard":           (LOGIN,     403,       403,       200,       200,       403),
    "plans:service-dashboard":          (LOGIN,     200,       200,       200,       200,       403),
    "plans:indicator":                  (LOGIN,     200,       200,       200,       200,       403),
    # The region's template for its districts: its managers only (tests/region/test_template_send_views).
    "region:template-choose":            (LOGIN,     403,       403,       403,       403,       403),
    "region:template-preview":           (LOGIN,     403,       403,       403,       403,       403),
    "region:template-send":              (LOGIN,     405,       405,       405,       405,       405),
    # The region's dashboard: its reviewers (and managers, and the nation's reviewers: see
    # tests/region/test_regional.py for the matrix in and outside each subtree).
    "region:dashboard":           (LOGIN,     403,       403,       403,       200,       403),
    "region:nation":           (LOGIN,     403,       403,       403,       403,       403),
    "plans:word-import":                (LOGIN,     403,       403,       200,       403,       200),
    "plans:word-import-preview":        (LOGIN,     403,       403,       ELSEWHERE, 403,       ELSEWHERE),
    "reports:plan-document-pdf":          (LOGIN,     403,       403,       200,       200,       200),
    "reports:plan-document-docx":         (LOGIN,     403,       403,       200,       200,       200),
    "plans:plan":                       (LOGIN,     403,       403,       200,       200,       403),
    # The demo's plan is approved: approving it again sends back to the plan's page.
    "plans:plan-approve":               (LOGIN,     403,       403,       ELSEWHERE, ELSEWHERE, 403),
    "plans:next-year":                  (LOGIN,     403,       403,       200,       403,       200),
    "plans:plan-year":                  (LOGIN,     403,       403,       200,       200,       403),
    "plans:amendments":                 (LOGIN,     403,       403,       200,       200,       403),
    "reports:list":                     (LOGIN,     403,       403,       200,       200,       403),
    "reports:detail":                   (LOGIN,     403,       403,       200,       200,       403),
    "reports:pdf":                      (LOGIN,     403,       403,       200,       200,       403),
    "reports:xlsx":                     (LOGIN,     403,       403,       200,       200,       403),
    "reports:version_pdf":              (LOGIN,     403,       403,       200,       200,       403),
    "reports:version_xlsx":             (LOGIN,     403,       403,       200,       200,       403),
    "reports:docx":                     (LOGIN,     403,       403,       200,       200,       403),
    "reports:version_docx":             (LOGIN,     403,       403,       200,       200,       403),
    "reports:notes":                    (LOGIN,     405,       405,       405,       405,       405),
    "reports:confirm_submit":           (LOGIN,     403,       403,       200,       403,       403),
    "reports:submit":                   (LOGIN,     405,       405,       405,       405,       405),
    "reports:confirm_accept":           (LOGIN,     403,       403,       403,       200,       403),
    "reports:accept":                   (LOGIN,     405,       405,       405,       405,       405),
    "reports:return":                   (LOGIN,     405,       405,       405,       405,       405),
    "reports:withdraw_acceptance":      (LOGIN,     405,       405,       405,       405,       405),
    "reports:consolidated_list":        (LOGIN,     403,       403,       200,       200,       403),
    "reports:consolidated":             (LOGIN,     403,       403,       403,       200,       403),
    "reports:consolidated_pdf":         (LOGIN,     403,       403,       403,       200,       403),
    "reports:consolidated_xlsx":        (LOGIN,     403,       403,       403,       200,       403),
    "reports:consolidated_version_pdf": (LOGIN,     403,       403,       403,       200,       403),
    "reports:consolidated_version_xlsx": (LOGIN,    403,       403,       403,       200,       403),
    "reports:consolidated_submit":      (LOGIN,     405,       405,       405,       405,       405),
    "reports:consolidated_accept":      (LOGIN,     405,       405,       405,       405,       405),
    "reports:consolidated_return":      (LOGIN,     405,       405,       405,       405,       405),
    "evidence:figure":                  (LOGIN,     200,       200,       200,       200,       403),
    "evidence:file":                    (LOGIN,     200,       200,       200,       200,       403),
    "evidence:thumbnail":               (LOGIN,     200,       200,       200,       200,       403),
    "evidence:remove":                  (LOGIN,     405,       405,       405,       405,       405),
    "notices:list":                     (LOGIN,     200,       200,       200,       200,       200),
    "notices:read-all":                 (LOGIN,     405,       405,       405,       405,       405),
    "notices:open":                     (LOGIN,     405,       405,       405,       405,       405),
    "notices:profile":                  (LOGIN,     200,       200,       200,       200,       200),
    "notices:telegram-code":            (LOGIN,     405,       405,       405,       405,       405),
    "notices:telegram-unlink":          (LOGIN,     405,       405,       405,       405,       405),
    "notices:password":                 (LOGIN,     200,       200,       200,       200,       200),
    "notices:password-done":            (LOGIN,     200,       200,       200,       200,       200),
    # Django's admin generates a hundred-odd patterns per model; these stand for them.
    "admin:index":                      (ADMIN,     ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
    "admin:login":                      (200,       200,       200,       200,       200,       ELSEWHERE),
    "admin:plans_indicator_changelist": (ADMIN,     ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
    "admin:plans_indicator_change":     (ADMIN,     ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
    "admin:plans_actual_changelist":    (ADMIN,     ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
    "admin:plans_actual_import":        (ADMIN,     ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
    "admin:services_membership_changelist": (ADMIN, ADMIN,     ADMIN,     ADMIN,     ADMIN,     200),
}
# fmt: on
ADMIN_SAMPLE = [name for name in EXPECTED if name.startswith("admin:")]
# Admin pages that take the object's id as their one positional argument.
ADMIN_OBJECT_ARGUMENT = {"admin:plans_indicator_change": "indicator"}

# POST-only actions: without the CSRF token a POST is refused before any view runs.
CSRF_SAMPLE = [
    "logout",
    "plans:entry",
    "plans:entry-complete",
    "plans:entry-month-lock",
    "region:template-send",
    "plans:entry-sheet-upload",
    "plans:entry-sheet-confirm",
    "plans:plan-approve",
    "plans:next-year",
    "reports:submit",
    "reports:withdraw_acceptance",
    "reports:consolidated_submit",
    "evidence:figure",
    "evidence:remove",
    "notices:open",
    "notices:profile",
]


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]


def project_routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every named URL pattern of the project, Django's admin left out (sampled in EXPECTED)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from project_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(name or "", prefix + str(pattern.pattern), tuple(pattern.pattern.converters))


@pytest.fixture
def arguments(demo) -> dict[str, int]:
    """A value for every URL argument, from the demo: an open month (April 2024) of the lending
    service, one of its indicators with a photo for the month, and the plan's first quarter with a
    version sent to the region."""
    abonement = demo.service("abonement")
    indicators = Indicator.objects.filter(item__plan=demo.plan, item__services=abonement)
    indicator = indicators.order_by("pk").first()
    manager = demo.users["direktor"]
    table = build_table(demo.plan, 1)
    notes = {row.indicator_id: "Sabab: kech keldi" for row in table.missing_notes()}
    do_save_notes(demo.plan, 1, notes, acting_user=manager)
    version = do_submit(demo.plan, 1, acting_user=manager)
    # The region's reviewer was told the report came (its only notice so far).
    notice = Notice.objects.get()
    # The region's template plan, its consolidated report on the first quarter sent (version 1,
    # like the district's): the region has no manager in the demo, the workflow asks nobody's role.
    template = Plan.objects.create(organization=demo.regional, year=2024, kind=Plan.Kind.TEMPLATE)
    do_submit_consolidated(template, 1, acting_user=demo.users["viloyat"])
    photo = do_add_files(indicator, 4, abonement, [("tadbir.jpg", samples.photo())], acting_user=manager)[0]
    return {
        "year": 2024,
        "month": 4,
        "service": abonement.pk,
        "indicator": indicator.pk,
        "plan_id": demo.plan.pk,
        "template_id": template.pk,
        "plan": demo.plan.pk,
        "quarter": 1,
        "number": version.number,
        "notice": notice.pk,
        "file": photo.pk,
    }


def url_of(name: str, arguments: dict[str, int], kwargs: tuple[str, ...] = ()) -> str:
    if name in ADMIN_OBJECT_ARGUMENT:
        return reverse(name, args=[arguments[ADMIN_OBJECT_ARGUMENT[name]]])
    return reverse(name, kwargs={key: arguments[key] for key in kwargs})


def walked_urls(arguments: dict[str, int]) -> dict[str, str]:
    urls = {route.name: url_of(route.name, arguments, route.kwargs) for route in project_routes()}
    urls.update({name: url_of(name, arguments) for name in ADMIN_SAMPLE})
    return urls


def client_for(role: str, demo, **options) -> Client:
    client = Client(raise_request_exception=False, **options)
    if role != "anonymous":
        client.force_login(demo.users[ACCOUNTS[role]])
    return client


def answer(response) -> object:
    """The response as written in EXPECTED."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN
        if location.startswith(reverse("login")):
            return LOGIN
        return ELSEWHERE
    return response.status_code


def test_every_route_has_a_name_and_fillable_arguments(arguments):
    unfillable = [
        f"{route.route} ({route.name or 'unnamed'}): {set(route.kwargs) - set(arguments)}"
        for route in project_routes()
        if not route.name or set(route.kwargs) - set(arguments)
    ]
    assert unfillable == []


def test_every_route_has_a_row_of_expectations_and_every_row_a_route():
    walked = {route.name for route in project_routes()} | set(ADMIN_SAMPLE)
    assert sorted(walked ^ set(EXPECTED)) == []


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_role_as_expected(role, demo, arguments):
    client = client_for(role, demo)
    column = ROLES.index(role)
    answers = {name: answer(client.get(url)) for name, url in walked_urls(arguments).items()}
    wrong = {
        name: f"got {got}, expected {EXPECTED[name][column]}"
        for name, got in answers.items()
        if got != EXPECTED[name][column]
    }
    assert wrong == {}


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_500_to_out_of_range_arguments(role, demo, arguments):
    """Months, quarters and ids that do not exist are refused (404 or 403), never a server error."""
    client = client_for(role, demo)
    absurd = {**arguments, "month": 13, "quarter": 5, "number": 99, "service": 10**9, "indicator": 10**9}
    absurd["plan_id"] = absurd["template_id"] = 10**9
    absurd["file"] = 10**9
    absurd["plan_id"] = 10**9
    statuses = {name: client.get(url).status_code for name, url in walked_urls(absurd).items()}
    assert {name: status for name, status in statuses.items() if status >= 500} == {}
    assert statuses["plans:entry"] in ({302} if role == "anonymous" else {403, 404})


# Every number a page reads from its query string (common.params).
QUERY_NUMBERS = ("centre", "year", "month", "section", "service", "quarter")
# Digits that str.isdigit() accepts and int() refuses or reads; and more digits than int() takes.
JUNK_NUMBERS = ["²", "٣", "1²", "-1", "1e3", "0x10", " ", "9" * 5000]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "junk",
    JUNK_NUMBERS,
    ids=["superscript", "arabic", "mixed", "negative", "exponent", "hex", "space", "5000 digits"],
)
def test_no_url_answers_500_to_junk_numbers_in_its_query(role, junk, demo, arguments):
    client = client_for(role, demo)
    query = dict.fromkeys(QUERY_NUMBERS, junk)
    statuses = {name: client.get(url, query).status_code for name, url in walked_urls(arguments).items()}
    assert {name: status for name, status in statuses.items() if status >= 500} == {}


@pytest.mark.parametrize("role", ROLES)
def test_every_html_page_satisfies_the_content_security_policy(role, demo, arguments):
    client = client_for(role, demo)
    violations = {}
    for name, url in walked_urls(arguments).items():
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found = csp_violations(response.content.decode())
            if found:
                violations[name] = found
    assert violations == {}


@pytest.mark.parametrize("role", ["anonymous", "staff", "manager"])
def test_posts_without_the_csrf_token_are_refused(role, demo, arguments):
    client = client_for(role, demo, enforce_csrf_checks=True)
    urls = walked_urls(arguments)
    statuses = {name: client.post(urls[name], {"action": "close"}).status_code for name in CSRF_SAMPLE}
    assert statuses == dict.fromkeys(CSRF_SAMPLE, 403)
