"""Reminders: to those who have not done their part and only to them, on the plan's clock, once each."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from notices.kinds import Kind
from notices.messages import render as render_words
from notices.models import Notice
from notices.reminders import run_reminders
from plans.entry import do_close_month, do_complete_month
from plans.models import Actual
from plans.selectors import month_overview
from reports.workflow import do_return

from .conftest import send_report

pytestmark = pytest.mark.django_db


def render(kind, data):
    """The notice's words in English, which the tests read."""
    with translation.override("en"):
        return render_words(kind, data)


APRIL_3 = datetime.date(2024, 4, 3)
SERVICE_PEOPLE = {
    f"{role}-{short}"
    for role in ("xodim", "boshliq")
    for short in ("bibliografiya", "abonement", "akt", "fond", "madaniyat", "kadrlar")
}


def told(kind: str) -> dict[str, Notice]:
    notices = Notice.objects.filter(kind=kind).select_related("recipient")
    return {notice.recipient.username: notice for notice in notices}


def enter_everything(plan, month: int) -> None:
    Actual.objects.bulk_create(
        Actual(indicator=indicator, month=month, service=service_month.service, value=1)
        for service_month in month_overview(plan, month)
        for indicator in service_month.missing
    )


def test_the_demo_day_reminds_every_service_of_marchs_lock_day(demo):
    """3 April 2024 (the demo's clock): March locks on the 5th, within the default three days."""
    run_reminders()

    assert set(told(Kind.LOCK_DAY)) == SERVICE_PEOPLE


def test_the_lock_day_reminder_counts_the_figures_still_missing_and_links_to_the_entry_page(demo):
    abonement = demo.service("abonement")
    missing = next(sm for sm in month_overview(demo.plan, 3) if sm.service == abonement)

    run_reminders(APRIL_3)

    notice = told(Kind.LOCK_DAY)["xodim-abonement"]
    assert notice.link == f"/plan/entry/2024/3/{abonement.pk}/"
    assert (notice.data["missing"], notice.data["expected"]) == (len(missing.missing), missing.expected)
    message = render(notice.kind, notice.data)
    assert message.title == "March 2024 closes for entry on April 5"
    assert f"{len(missing.missing)} figures of {missing.expected} are still missing" in message.lines[0]


def test_a_service_that_completed_its_month_is_not_reminded(demo):
    do_complete_month(demo.plan, 3, demo.service("abonement"), acting_user=demo.users["boshliq-abonement"])

    run_reminders(APRIL_3)

    assert set(told(Kind.LOCK_DAY)) == SERVICE_PEOPLE - {"xodim-abonement", "boshliq-abonement"}


def test_nobody_else_is_reminded_of_the_lock_day(demo, outsiders):
    run_reminders(APRIL_3)

    assert not {"direktor", "viloyat"} & set(told(Kind.LOCK_DAY))
    assert not {user.username for user in outsiders.values()} & set(told(Kind.LOCK_DAY))


def test_the_lock_day_reminder_waits_for_the_centres_reminder_days(demo):
    run_reminders(datetime.date(2024, 4, 1))
    assert not told(Kind.LOCK_DAY)

    demo.district.reminder_days = 5
    demo.district.save()
    run_reminders(datetime.date(2024, 4, 1))
    assert set(told(Kind.LOCK_DAY)) == SERVICE_PEOPLE


def test_a_month_closed_early_gets_no_lock_day_reminder(demo):
    do_close_month(demo.plan, 3, acting_user=demo.users["direktor"])

    run_reminders(APRIL_3)

    assert not told(Kind.LOCK_DAY)


def test_after_the_lock_day_the_managers_hear_what_is_missing(demo, outsiders):
    expected = {sm.service.name: len(sm.missing) for sm in month_overview(demo.plan, 3) if sm.missing}

    run_reminders(datetime.date(2024, 4, 6))

    notices = told(Kind.MONTH_INCOMPLETE)
    assert set(notices) == {"direktor"}
    notice = notices["direktor"]
    assert dict(notice.data["services"]) == expected
    assert notice.data["missing"] == sum(expected.values())
    assert notice.link == f"/plan/entry/2024/3/?centre={demo.district.pk}"
    assert not told(Kind.LOCK_DAY)


def test_a_month_closed_with_every_figure_in_is_not_reported(demo):
    enter_everything(demo.plan, 3)

    run_reminders(datetime.date(2024, 4, 6))

    assert not told(Kind.MONTH_INCOMPLETE)


def test_a_report_due_soon_is_reminded_to_the_managers_only(demo, outsiders):
    run_reminders(APRIL_3)

    notices = told(Kind.REPORT_DUE)
    assert set(notices) == {"direktor"}
    assert notices["direktor"].data["due"] == "2024-04-05"
    assert notices["direktor"].link == f"/reports/{demo.plan.pk}/1/"


def test_a_report_already_sent_is_not_reminded(demo):
    send_report(demo.plan, 1, demo.users["direktor"])

    run_reminders(APRIL_3)
    run_reminders(datetime.date(2024, 4, 6))

    assert not told(Kind.REPORT_DUE)
    assert not told(Kind.REPORT_OVERDUE)


def test_a_returned_report_is_not_overdue_it_came_on_time(demo):
    send_report(demo.plan, 1, demo.users["direktor"])
    do_return(demo.plan.reports.get(quarter=1), acting_user=demo.users["viloyat"], comment="Tuzating")

    run_reminders(datetime.date(2024, 4, 6))

    assert not told(Kind.REPORT_OVERDUE)


def test_an_overdue_report_is_told_to_the_managers_and_the_regions_reviewers_only(demo, outsiders):
    run_reminders(datetime.date(2024, 4, 6))

    assert set(told(Kind.REPORT_OVERDUE)) == {"direktor", "viloyat"}


def test_the_weekly_digest_goes_to_the_managers_once_a_week(demo, outsiders):
    run_reminders(datetime.date(2024, 4, 1))
    run_reminders(APRIL_3)

    assert set(told(Kind.DIGEST)) == {"direktor"}
    run_reminders(datetime.date(2024, 4, 8))
    assert Notice.objects.filter(kind=Kind.DIGEST, recipient=demo.users["direktor"]).count() == 2


def test_the_digest_says_what_is_behind_who_has_not_entered_and_what_falls_due(demo):
    do_complete_month(demo.plan, 3, demo.service("abonement"), acting_user=demo.users["boshliq-abonement"])
    overview = {sm.service.name: sm for sm in month_overview(demo.plan, 3)}

    run_reminders(APRIL_3)

    data = told(Kind.DIGEST)["direktor"].data
    assert data["entry_month"] == 3
    assert dict(data["not_entered"]) == {
        name: len(sm.missing) for name, sm in overview.items() if sm.missing and sm.completion is None
    }
    assert demo.service("abonement").name not in dict(data["not_entered"])
    assert data["behind"] + data["overdue"] > 0
    assert len(data["attention"]) == 5
    lines = render(Kind.DIGEST, data).lines
    assert "Not entered yet for March 2024:" in lines


def test_running_the_reminders_twice_writes_each_once(demo):
    run_reminders(APRIL_3)
    first = sorted(Notice.objects.values_list("recipient_id", "kind", "key"))

    run_reminders(APRIL_3)

    assert sorted(Notice.objects.values_list("recipient_id", "kind", "key")) == first
    assert len(first) == len(SERVICE_PEOPLE) + 2  # and the director's due report and digest


def test_the_database_refuses_a_second_notice_of_the_same_kind_key_and_person(demo):
    run_reminders(APRIL_3)
    notice = told(Kind.LOCK_DAY)["xodim-akt"]

    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            recipient=notice.recipient,
            kind=notice.kind,
            key=notice.key,
            centre=notice.centre,
            created_at=timezone.now(),
        )


def test_a_failing_source_does_not_stop_the_others(demo, settings):
    settings.NOTICE_REMINDERS = ["tests.notices.test_reminders.broken_source", *settings.NOTICE_REMINDERS]

    run_reminders(APRIL_3)

    assert told(Kind.LOCK_DAY)


def broken_source(on):
    raise RuntimeError("a source that fails")


def test_a_run_after_everything_was_told_reads_no_figures(demo, django_assert_max_num_queries):
    """The hourly runs after the first find nothing new without reading any month's figures."""
    do_complete_month(demo.plan, 3, demo.service("abonement"), acting_user=demo.users["boshliq-abonement"])
    run_reminders(APRIL_3)

    with django_assert_max_num_queries(16) as captured:
        run_reminders(APRIL_3)

    assert not [q for q in captured.captured_queries if "plans_actual" in q["sql"]]
