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
# What a GET answers for the demo's own roles is in the URL walk's table (tests/faults/
# test_url_walk.py, one table for every URL); here only the roles it has no account for.
GET_ROLES = ["other_manager", "other_reviewer", "national_reviewer"]

READ = ["detail", "pdf", "xlsx"]
# The confirmation pages (GET) and who may open them.
CONFIRM = {"confirm_submit": {"manager"}, "confirm_accept": {"reviewer"}}
WRITE = {
    "notes": {"manager"},
    "submit": {"manager"},
    "accept": {"reviewer"},
    "return": {"reviewer"},
    "withdraw_acceptance": {"reviewer"},
}


@pytest.fixture(autouse=True)
def quick_submission(monkeypatch):
    """Submissions here store a stand-in PDF: these tests are about who may do what, and the PDF
    itself is tested in test_pdf (laying it out takes a second or two)."""
    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, **kwargs: b"%PDF-1.7 stand-in")


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


@pytest.mark.parametrize("role", GET_ROLES)
@pytest.mark.parametrize("name", READ)
def test_reading_a_report(client, world, role, name):
    response = _client(client, world, role).get(_url(world, name))
    assert response.status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READ)
def test_reading_by_post_is_not_allowed(client, world, role, name):
    response = _client(client, world, role).post(_url(world, name))
    assert response.status_code == (302 if role is None else 405)


@pytest.mark.parametrize("role", GET_ROLES)
@pytest.mark.parametrize("name", list(CONFIRM))
def test_confirmation_pages_only_for_their_role_and_change_nothing(client, world, role, name):
    before = _snapshot()
    response = _client(client, world, role).get(_url(world, name))
    assert response.status_code == (200 if role in CONFIRM[name] else 403)
    assert _snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CONFIRM))
def test_confirmation_pages_by_post_are_not_allowed(client, world, role, name):
    response = _client(client, world, role).post(_url(world, name))
    assert response.status_code == (302 if role is None else 405)


@pytest.mark.parametrize("role", GET_ROLES)
@pytest.mark.parametrize("name", list(WRITE))
def test_actions_by_get_are_not_allowed_and_change_nothing(client, world, role, name):
    before = _snapshot()
    response = _client(client, world, role).get(_url(world, name))
    assert response.status_code == 405
    assert _snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITE))
def test_actions_by_post_only_for_their_role(client, world, role, name):
    note_everything_behind(world.plan, 1, world.users["manager"])
    if name in ("accept", "return", "withdraw_acceptance"):
        from reports.workflow import do_accept, do_submit

        do_submit(world.plan, 1, acting_user=world.users["manager"])
        if name == "withdraw_acceptance":
            do_accept(Report.objects.get(), acting_user=world.users["reviewer"])
    indicator = ReportNote.objects.first().indicator_id
    data = {"comment": "Tuzating", "reason": "Tuzating", f"note-{indicator}": "yangi izoh"}
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


def test_submitting_with_missing_notes_shows_which_linked_to_their_rows(client, world):
    response = _client(client, world, "manager").post(_url(world, "submit"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Hisobot yuborilmadi" in text
    missing = [row.indicator_id for row in response.context["table"].missing_notes()]
    assert [named.row.indicator_id for named in response.context["refused"]] == missing
    for indicator_id in missing:
        assert f'href="#row-{indicator_id}"' in text
        assert f'id="row-{indicator_id}"' in text
    assert text.count("note-missing") == len(missing)
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
    # The period 5 is the year, whose URL says "year" (reports.converters): /5/ is no report.
    url = reverse("reports:detail", kwargs={"plan_id": world.plan.pk, "quarter": 1}).replace("/1/", "/5/")
    assert _client(client, world, "manager").get(url).status_code == 404
    assert _client(client, world, "manager").get(url.replace("/5/", "/6/")).status_code == 404


def test_detail_page_of_a_draft_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _client(client, world, "manager")
    with django_assert_max_num_queries(13):  # with the notes proposed from the months' notes
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
    with django_assert_max_num_queries(7):  # with the bell, and the tree of centres the reviewer reads
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


def _typed_notes(world, text="Sabab: kech keldi"):
    from reports.tables import build_table

    return {f"note-{row.indicator_id}": text for row in build_table(world.plan, 1).missing_notes()}


def test_the_send_button_saves_the_typed_notes_and_asks_for_confirmation(client, world):
    data = {**_typed_notes(world, "Sabab: mablag‘ kechikdi"), "send": "1"}
    response = _client(client, world, "manager").post(_url(world, "notes"), data)
    assert response.status_code == 302
    assert response["Location"] == _url(world, "confirm_submit")
    assert set(ReportNote.objects.values_list("text", flat=True)) == {"Sabab: mablag‘ kechikdi"}
    assert not ReportVersion.objects.exists()


def test_a_send_refused_for_missing_notes_saves_those_typed_and_links_the_rest(client, world):
    typed = _typed_notes(world)
    left_out = next(iter(typed))
    indicator_id = int(left_out.removeprefix("note-"))
    data = {**typed, left_out: "", "send": "1"}
    response = _client(client, world, "manager").post(_url(world, "notes"), data)
    assert response.status_code == 400
    assert [named.row.indicator_id for named in response.context["refused"]] == [indicator_id]
    text = response.content.decode()
    assert f'href="#row-{indicator_id}"' in text
    assert ReportNote.objects.count() == len(typed) - 1
    assert not ReportVersion.objects.exists()


def test_a_refused_form_keeps_every_typed_note_and_saves_none(client, world):
    typed = _typed_notes(world, "Yozilgan izoh")
    too_long = next(iter(typed))
    data = {**typed, too_long: "x" * 2001, "send": "1"}
    response = _client(client, world, "manager").post(_url(world, "notes"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count(">Yozilgan izoh</textarea>") == len(typed) - 1
    assert "x" * 2001 in text
    assert not ReportNote.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_notes_and_comments_have_the_workflows_length_limits(client, world):
    from reports.workflow import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH

    text = _client(client, world, "manager").get(_url(world, "detail")).content.decode()
    notes = text.count('form="notes-form"')
    assert notes > 30
    assert text.count(f'form="notes-form" maxlength="{NOTE_MAX_LENGTH}"') == notes
    _submit_q1(world)
    text = _client(client, world, "reviewer").get(_url(world, "detail")).content.decode()
    assert f'name="comment" rows="3" required maxlength="{COMMENT_MAX_LENGTH}"' in text
    text = client.get(_url(world, "confirm_accept")).content.decode()
    assert f'name="comment" rows="3" maxlength="{COMMENT_MAX_LENGTH}"' in text


def _submit_q1(world):
    from reports.workflow import do_submit

    note_everything_behind(world.plan, 1, world.users["manager"])
    return do_submit(world.plan, 1, acting_user=world.users["manager"])


def test_confirming_a_send_lists_each_months_unfinished_services_and_missing_figures(client, world):
    note_everything_behind(world.plan, 1, world.users["manager"])
    response = _client(client, world, "manager").get(_url(world, "confirm_submit"))
    check = response.context["check"]
    assert [month.month for month in check.months] == [1, 2, 3]
    assert check.can_send
    march = check.months[2]
    services = world.demo.district.services.count()
    assert len(march.unfinished) == services  # nobody marked the demo's March complete
    assert march.missing_figures > 0
    text = response.content.decode()
    assert "Abonement va foydalanuvchilarga xizmat ko‘rsatish xizmati" in text
    assert f'action="{_url(world, "submit")}"' in text


def test_confirming_a_send_before_the_lock_day_says_it_closes_the_open_months_now(client, world, settings):
    import datetime

    note_everything_behind(world.plan, 1, world.users["manager"])
    _client(client, world, "manager")
    response = client.get(_url(world, "confirm_submit"))
    assert [month.month for month in response.context["check"].before_lock_day] == [3]
    assert 'id="before-lock-day"' in response.content.decode()
    assert "05.04.2024" in response.content.decode()
    settings.AKM_TODAY = datetime.date(2024, 4, 6)
    response = client.get(_url(world, "confirm_submit"))
    assert response.context["check"].before_lock_day == []
    assert 'id="before-lock-day"' not in response.content.decode()


def test_confirming_a_send_with_notes_missing_links_them_and_offers_no_send_button(client, world):
    response = _client(client, world, "manager").get(_url(world, "confirm_submit"))
    text = response.content.decode()
    missing = response.context["check"].missing_notes
    assert missing and f"{_url(world, 'detail')}#row-{missing[0].row.indicator_id}" in text
    assert f'action="{_url(world, "submit")}"' not in text


def test_confirming_a_send_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _client(client, world, "manager")
    with django_assert_max_num_queries(16):  # with the bell's unread count
        assert client.get(_url(world, "confirm_submit")).status_code == 200


def test_accepting_asks_for_confirmation_first(client, world):
    _submit_q1(world)
    text = _client(client, world, "reviewer").get(_url(world, "detail")).content.decode()
    assert f'href="{_url(world, "confirm_accept")}"' in text
    assert f'action="{_url(world, "accept")}"' not in text
    response = client.get(_url(world, "confirm_accept"))
    assert response.context["can_accept"] and response.context["version"].number == 1
    assert f'action="{_url(world, "accept")}"' in response.content.decode()


def test_confirming_acceptance_of_a_report_not_sent_offers_no_button(client, world):
    response = _client(client, world, "reviewer").get(_url(world, "confirm_accept"))
    assert response.status_code == 200 and not response.context["can_accept"]
    assert f'action="{_url(world, "accept")}"' not in response.content.decode()


def test_confirming_acceptance_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _submit_q1(world)
    _client(client, world, "reviewer")
    with django_assert_max_num_queries(7):  # with the bell's unread count
        assert client.get(_url(world, "confirm_accept")).status_code == 200


def test_a_returned_report_shows_who_when_and_the_comment_at_the_top(client, world):
    from reports.workflow import do_return

    _submit_q1(world)
    do_return(Report.objects.get(), acting_user=world.users["reviewer"], comment="12.2 raqamini tekshiring")
    text = _client(client, world, "manager").get(_url(world, "detail")).content.decode()
    banner = text.index('id="sent-back"')
    assert banner < text.index('class="report-table"')
    top = text[banner : text.index("</section>", banner)]
    assert "12.2 raqamini tekshiring" in top
    reviewer = world.users["reviewer"]
    assert (reviewer.get_full_name() or reviewer.username) in top


def test_an_acceptance_taken_back_shows_why_at_the_top_and_the_report_can_be_corrected(client, world):
    from reports.workflow import do_accept

    _submit_q1(world)
    do_accept(Report.objects.get(), acting_user=world.users["reviewer"])
    response = _client(client, world, "reviewer").post(
        _url(world, "withdraw_acceptance"), {"reason": "15-band xato"}
    )
    assert response.status_code == 302
    response = _client(client, world, "manager").get(_url(world, "detail"))
    text = response.content.decode()
    assert response.context["page"].sent_back.action == "unaccepted"
    assert "15-band xato" in text[text.index('id="sent-back"') :]
    assert response.context["note_form"] and response.context["can_submit"]


def test_taking_an_acceptance_back_without_a_reason_is_refused_with_a_message(client, world):
    from reports.workflow import do_accept

    _submit_q1(world)
    do_accept(Report.objects.get(), acting_user=world.users["reviewer"])
    response = _client(client, world, "reviewer").post(
        _url(world, "withdraw_acceptance"), {"reason": " "}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Report.objects.get().state == "accepted"


def test_detail_page_of_a_returned_report_takes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from reports.workflow import do_return

    _submit_q1(world)
    do_return(Report.objects.get(), acting_user=world.users["reviewer"], comment="Tuzating")
    _client(client, world, "manager")
    with django_assert_max_num_queries(14):  # with the bell's unread count and the notes proposed
        assert client.get(_url(world, "detail")).status_code == 200


def test_the_report_page_links_back_to_its_years_list_once(client, world):
    """The main menu has the quarterly reports; the page adds a way back to its year's list, not a
    second menu entry of the same name."""
    _client(client, world, "manager")
    html = client.get(_url(world, "detail")).content.decode()
    nav = html[html.index('<nav class="mainnav"') : html.index("</nav>")]
    assert nav.count(reverse("reports:list")) == 1
    assert f"{reverse('reports:list')}?year=2024" in html[html.index("<main") :]
