"""The report pages: who may see and do what (every role × every URL × GET and POST), and query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import Report, ReportEvent, ReportNote, ReportVersion

from .conftest import note_everything_behind

ROLES = ["manager", "reviewer", "staff", "head", "other_manager", "other_reviewer", "national_reviewer", None]
# The national library's reviewer reads the districts too, through their region (issue 12); only
# the region's reviewer accepts or returns a district's report.
VIEWERS = {"manager", "reviewer", "national_reviewer"}

READ = ["detail", "pdf", "xlsx"]
WRITE = {"notes": {"manager"}, "submit": {"manager"}, "accept": {"reviewer"}, "return": {"reviewer"}}


@pytest.fixture(autouse=True)
def quick_submission(monkeypatch):
    """Submissions here store a stand-in PDF: these tests are about who may do what, and the PDF
    itself is tested in test_pdf (laying it out takes a second or two)."""
    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, on: b"%PDF-1.7 stand-in")


def _client(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    return client


def _url(world, name, **extra):
    return reverse(f"reports:{name}", kwargs={"plan_id": world.plan.pk, "quarter": 1, **extra})


def _snapshot():
    return (
        list(Report.objects.values_list("state", flat=True)),
        ReportVersion.objects.count(),
        ReportEvent.objects.count(),
        list(ReportNote.objects.values_list("text", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READ)
def test_reading_a_report(client, world, role, name):
    response = _client(client, world, role).get(_url(world, name))
    if role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READ)
def test_reading_by_post_is_not_allowed(client, world, role, name):
    response = _client(client, world, role).post(_url(world, name))
    assert response.status_code == (302 if role is None else 405)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITE))
def test_actions_by_get_are_not_allowed_and_change_nothing(client, world, role, name):
    before = _snapshot()
    response = _client(client, world, role).get(_url(world, name))
    assert response.status_code == (302 if role is None else 405)
    assert _snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITE))
def test_actions_by_post_only_for_their_role(client, world, role, name):
    note_everything_behind(world.plan, 1, world.users["manager"])
    if name in ("accept", "return"):
        from reports.workflow import do_submit

        do_submit(world.plan, 1, acting_user=world.users["manager"])
    indicator = ReportNote.objects.first().indicator_id
    data = {"comment": "Tuzating", f"note-{indicator}": "yangi izoh"}
    before = _snapshot()
    response = _client(client, world, role).post(_url(world, name), data)
    if role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in WRITE[name]:
        assert response.status_code == 302
        assert response["Location"] == _url(world, "detail")
        assert _snapshot() != before
        return
    else:
        assert response.status_code == 403
    assert _snapshot() == before


def test_list_shows_a_manager_their_centres_four_quarters(client, world):
    response = _client(client, world, "manager").get(reverse("reports:list"))
    assert [row.quarter for row in response.context["rows"]] == [1, 2, 3, 4]
    assert {row.plan.organization for row in response.context["rows"]} == {world.demo.district}


def test_list_shows_a_reviewer_the_centres_under_them_with_state_and_punctuality(client, world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    from reports.workflow import do_submit

    do_submit(world.plan, 1, acting_user=world.users["manager"])
    response = _client(client, world, "reviewer").get(reverse("reports:list"))
    first = response.context["rows"][0]
    assert (first.plan.organization, first.state, first.punctuality, first.versions) == (
        world.demo.district,
        "submitted",
        "on_time",
        1,
    )
    assert "Yuborilgan" in response.content.decode()


def test_list_hides_other_centres(client, world):
    response = _client(client, world, "other_reviewer").get(reverse("reports:list"))
    assert response.context["rows"] == []


def test_list_refuses_staff(client, world):
    assert _client(client, world, "staff").get(reverse("reports:list")).status_code == 403


def test_submitting_with_missing_notes_shows_which(client, world):
    response = _client(client, world, "manager").post(_url(world, "submit"), follow=True)
    text = response.content.decode()
    assert "izoh yozing" in text and "12.1" in text
    assert not ReportVersion.objects.exists()


def test_returning_without_a_comment_shows_a_message_and_changes_nothing(client, world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    from reports.workflow import do_submit

    do_submit(world.plan, 1, acting_user=world.users["manager"])
    response = _client(client, world, "reviewer").post(_url(world, "return"), {"comment": ""}, follow=True)
    assert "izoh shart" in response.content.decode()
    assert Report.objects.get().state == "submitted"


def test_version_downloads_are_the_bytes_as_sent(client, world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    from reports.workflow import do_submit

    version = do_submit(world.plan, 1, acting_user=world.users["manager"])
    response = _client(client, world, "reviewer").get(_url(world, "version_pdf", number=1))
    assert response.content == bytes(version.pdf)
    assert response["Content-Type"] == "application/pdf"
    sheet = load_workbook(
        io.BytesIO(_client(client, world, "reviewer").get(_url(world, "version_xlsx", number=1)).content)
    ).active
    assert sheet.cell(1, 1).value.startswith("Sharof Rashidov")


def test_unknown_version_is_404(client, world):
    assert _client(client, world, "manager").get(_url(world, "version_pdf", number=9)).status_code == 404


def test_quarter_five_is_404(client, world):
    url = reverse("reports:detail", kwargs={"plan_id": world.plan.pk, "quarter": 5})
    assert _client(client, world, "manager").get(url).status_code == 404


def test_detail_page_of_a_draft_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _client(client, world, "manager")
    with django_assert_max_num_queries(12):
        response = client.get(_url(world, "detail"))
    assert response.status_code == 200


def test_detail_page_of_a_sent_report_takes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    note_everything_behind(world.plan, 1, world.users["manager"])
    from reports.workflow import do_submit

    do_submit(world.plan, 1, acting_user=world.users["manager"])
    _client(client, world, "reviewer")
    with django_assert_max_num_queries(12):
        response = client.get(_url(world, "detail"))
    assert response.context["page"].frozen.number == 1


def test_list_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _client(client, world, "reviewer")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("reports:list")).status_code == 200


def test_detail_page_shows_history_with_the_return_comment(client, world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    from reports.workflow import do_return, do_submit

    do_submit(world.plan, 1, acting_user=world.users["manager"])
    do_return(Report.objects.get(), acting_user=world.users["reviewer"], comment="12.2 raqamini tekshiring")
    text = _client(client, world, "manager").get(_url(world, "detail")).content.decode()
    assert "12.2 raqamini tekshiring" in text
    assert "Tuzatish uchun qaytarilgan" in text


def test_sending_closes_the_months_with_a_reason_in_the_readers_language(client, world):
    """The reason recorded for closing the quarter's months is the app's own, shown translated."""
    manager = world.users["manager"]
    note_everything_behind(world.plan, 1, manager)
    client.force_login(manager)
    assert client.post(_url(world, "submit")).status_code == 302
    overview = reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3})
    uzbek = client.get(overview).content.decode()
    assert "Choraklik hisobot topshirildi" in uzbek
    assert "submitted" not in uzbek.lower()
    client.cookies["django_language"] = "ru"
    assert "Квартальный отчёт" in client.get(overview).content.decode()


@pytest.mark.parametrize("field", ["comment"])
def test_a_comment_with_a_nul_or_too_long_is_refused_with_a_message(client, world, field):
    manager, reviewer = world.users["manager"], world.users["reviewer"]
    note_everything_behind(world.plan, 1, manager)
    client.force_login(manager)
    client.post(_url(world, "submit"))
    client.force_login(reviewer)
    for text in ("Tuzating\x00", "x" * 2001):
        response = client.post(_url(world, "return"), {field: text}, follow=True)
        assert response.status_code == 200
        assert Report.objects.get().state == Report.State.SUBMITTED
        assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    response = client.post(_url(world, "return"), {field: "Tuzating\x01 12-bandni\x0bva 14-ni"})
    assert ReportEvent.objects.get(action="returned").comment == "Tuzating 12-bandni\nva 14-ni"
