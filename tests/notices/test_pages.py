"""The bell on every page, the list of notices, opening them, and the profile page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.kinds import Channel, Kind
from notices.models import Notice, Profile
from notices.reminders import run_reminders
from reports.models import Report
from reports.workflow import do_return
from tests.deploy.csp import csp_violations

from .conftest import send_report

pytestmark = pytest.mark.django_db


def bell_count(html: str) -> str:
    return re.search(r'class="bell-count" data-unread="(\d+)">(\d*)<', html).group(2)


@pytest.fixture
def returned(demo):
    """The first quarter's report sent, then returned by the region with a comment."""
    send_report(demo.plan, 1, demo.users["direktor"])
    do_return(
        Report.objects.get(plan=demo.plan, quarter=1),
        acting_user=demo.users["viloyat"],
        comment="12.1 bandini tuzating",
    )
    return demo


def test_the_bell_shows_the_unread_count_on_every_page(client, returned):
    client.force_login(returned.users["direktor"])

    for url in ("/plan/dashboard/", "/reports/", f"/reports/{returned.plan.pk}/1/", "/profile/"):
        assert bell_count(client.get(url).content.decode()) == "1", url


def test_the_bell_shows_no_number_when_everything_is_read(client, returned):
    Notice.objects.update(read_at="2024-04-03T10:00:00Z")
    client.force_login(returned.users["direktor"])

    assert bell_count(client.get("/plan/dashboard/").content.decode()) == ""


def test_the_bell_adds_one_query_to_a_page(client, returned):
    client.force_login(returned.users["direktor"])

    with CaptureQueriesContext(connection) as queries:
        client.get("/plan/dashboard/")

    assert len([q for q in queries if "notices_notice" in q["sql"]]) == 1


def test_a_page_without_a_person_has_no_bell(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        page = client.get("/login/").content.decode()
    assert "bell-count" not in page


def test_the_list_shows_the_notice_with_the_reviewers_comment_in_the_pages_language(client, returned):
    client.force_login(returned.users["direktor"])

    page = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "The report on quarter I of 2024 was returned for correction" in page
    assert "12.1 bandini tuzating" in page
    assert 'class="notice-item unread"' in page
    assert csp_violations(page) == []


def test_the_list_takes_a_fixed_number_of_queries(client, returned, django_assert_num_queries):
    run_reminders()
    client.force_login(returned.users["direktor"])

    # Session, user, memberships (the menu), the bell, the page's count and its notices.
    with django_assert_num_queries(6):
        client.get("/notices/")


def test_opening_a_notice_marks_it_read_and_goes_where_the_person_acts(client, returned):
    director = returned.users["direktor"]
    notice = Notice.objects.get(recipient=director)
    client.force_login(director)

    response = client.post(f"/notices/{notice.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == f"/reports/{returned.plan.pk}/1/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert bell_count(client.get("/notices/").content.decode()) == ""


def test_nobody_opens_someone_elses_notice(client, returned):
    notice = Notice.objects.get(recipient=returned.users["direktor"])
    client.force_login(returned.users["boshliq-akt"])

    assert client.post(f"/notices/{notice.pk}/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_everything_can_be_marked_read_at_once(client, returned):
    run_reminders()
    director = returned.users["direktor"]
    client.force_login(director)
    assert Notice.objects.filter(recipient=director, read_at__isnull=True).count() == 2  # and the digest

    client.post("/notices/read/")

    assert not Notice.objects.filter(recipient=director, read_at__isnull=True).exists()


def test_the_profile_page_offers_every_language_of_the_settings(client, demo, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("kk", "Қазақша")]
    client.force_login(demo.users["xodim-akt"])

    page = client.get("/profile/").content.decode()

    options = re.findall(r'<option value="([^"]+)"', page)
    assert options == ["uz", "uz-cyrl", "ru", "en", "kk"]
    assert 'href="/profile/password/"' in page
    assert csp_violations(page) == []


def test_the_profile_page_lists_the_kinds_a_person_can_be_told_of(client, demo):
    client.force_login(demo.users["xodim-akt"])
    staff_page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(demo.users["direktor"])
    manager_page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'name="lock_day-email"' in staff_page
    assert 'name="report_returned-email"' not in staff_page
    assert 'name="report_returned-email"' in manager_page
    assert 'name="digest-telegram"' in manager_page
    assert 'name="lock_day-email"' not in manager_page


def test_saving_the_profile_keeps_the_language_the_email_and_the_channels(client, demo):
    director = demo.users["direktor"]
    client.force_login(director)

    response = client.post(
        "/profile/",
        {
            "language": "ru",
            "email": "direktor@example.uz",
            "report_returned-email": "on",
            "digest-telegram": "on",
        },
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=director)
    assert profile.language == "ru"
    assert profile.wants(Kind.REPORT_RETURNED, Channel.EMAIL)
    assert not profile.wants(Kind.REPORT_RETURNED, Channel.TELEGRAM)
    assert profile.wants(Kind.DIGEST, Channel.TELEGRAM) and not profile.wants(Kind.DIGEST, Channel.EMAIL)
    # Kinds a manager is never told of keep every channel.
    assert profile.wants(Kind.LOCK_DAY, Channel.EMAIL)
    director.refresh_from_db()
    assert director.email == "direktor@example.uz"
    assert response.cookies["django_language"].value == "ru"


def test_a_wrong_email_address_is_refused_and_nothing_saved(client, demo):
    client.force_login(demo.users["direktor"])

    response = client.post("/profile/", {"language": "ru", "email": "not an address"})

    assert response.status_code == 400
    assert 'id="email-error"' in response.content.decode()
    assert not Profile.objects.exists()


def test_a_language_the_site_does_not_speak_is_refused(client, demo):
    client.force_login(demo.users["direktor"])

    response = client.post("/profile/", {"language": "xx", "email": ""})

    assert response.status_code == 400
    assert not Profile.objects.exists()


def test_the_profile_page_takes_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    Profile.objects.create(user=demo.users["direktor"], channels={Kind.DIGEST: []})
    client.force_login(demo.users["direktor"])

    # Session, user, memberships, the bell, the profile.
    with django_assert_num_queries(5):
        client.get("/profile/")
