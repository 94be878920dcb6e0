"""A report that moves tells exactly the right people, in the action's transaction, in two queries."""

import pytest
from django.db import transaction
from django.utils import translation

from notices import events
from notices.kinds import Kind
from notices.messages import render as render_words
from notices.models import Notice
from reports.models import Report, ReportEvent
from reports.workflow import do_accept, do_return
from services.models import Membership

from .conftest import person, send_report

pytestmark = pytest.mark.django_db


def render(kind, data):
    """The notice's words in English, which the tests read."""
    with translation.override("en"):
        return render_words(kind, data)


HEADS = {
    f"boshliq-{short}" for short in ("bibliografiya", "abonement", "akt", "fond", "madaniyat", "kadrlar")
}


def told(kind: str) -> dict[str, Notice]:
    return {
        notice.recipient.username: notice
        for notice in Notice.objects.filter(kind=kind).select_related("recipient")
    }


def test_a_sent_report_tells_the_reviewers_of_the_region_and_nobody_else(demo, outsiders):
    send_report(demo.plan, 1, demo.users["direktor"])

    assert set(told(Kind.REPORT_SENT)) == {"viloyat"}
    assert Notice.objects.exclude(kind=Kind.REPORT_SENT).count() == 0


def test_a_sent_report_links_the_reviewer_to_the_report_and_names_the_version(demo):
    send_report(demo.plan, 1, demo.users["direktor"])

    notice = told(Kind.REPORT_SENT)["viloyat"]
    assert notice.link == f"/reports/{demo.plan.pk}/1/"
    assert notice.centre == demo.district
    message = render(notice.kind, notice.data)
    assert demo.district.name in message.title
    assert "Version 1, sent by Direktor (demo)." in message.lines[0]


def test_a_returned_report_tells_the_managers_and_every_service_head_with_the_comment(demo, outsiders):
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.get(plan=demo.plan, quarter=1)

    do_return(report, acting_user=demo.users["viloyat"], comment="12.1 bandini tuzating")

    notices = told(Kind.REPORT_RETURNED)
    assert set(notices) == {"direktor"} | HEADS
    assert all(notice.data["comment"] == "12.1 bandini tuzating" for notice in notices.values())
    assert "“12.1 bandini tuzating”" in render(Kind.REPORT_RETURNED, notices["direktor"].data).lines[1]


def test_a_returned_report_sends_the_heads_to_their_entry_page_and_the_managers_to_the_report(demo):
    send_report(demo.plan, 1, demo.users["direktor"])
    do_return(
        Report.objects.get(plan=demo.plan, quarter=1), acting_user=demo.users["viloyat"], comment="Tuzating"
    )

    notices = told(Kind.REPORT_RETURNED)
    abonement = demo.service("abonement")
    assert notices["boshliq-abonement"].link == f"/plan/entry/2024/3/{abonement.pk}/"
    assert notices["direktor"].link == f"/reports/{demo.plan.pk}/1/"


def test_an_accepted_report_tells_the_managers(demo, outsiders):
    send_report(demo.plan, 1, demo.users["direktor"])

    do_accept(
        Report.objects.get(plan=demo.plan, quarter=1), acting_user=demo.users["viloyat"], comment="Yaxshi"
    )

    assert set(told(Kind.REPORT_ACCEPTED)) == {"direktor"}
    assert told(Kind.REPORT_ACCEPTED)["direktor"].data["comment"] == "Yaxshi"


def test_the_person_who_acts_is_not_told_of_it(demo):
    # The director is also the region's reviewer here: sending, they are not told they sent.
    Membership.objects.create(
        user=demo.users["direktor"], organization=demo.regional, role=Membership.Role.REVIEWER
    )

    send_report(demo.plan, 1, demo.users["direktor"])

    assert set(told(Kind.REPORT_SENT)) == {"viloyat"}


def test_a_person_with_two_memberships_that_are_told_gets_one_notice(demo):
    # The lending service's head is also a manager of the centre.
    head = demo.users["boshliq-abonement"]
    Membership.objects.create(user=head, organization=demo.district, role=Membership.Role.MANAGER)
    send_report(demo.plan, 1, demo.users["direktor"])

    do_return(
        Report.objects.get(plan=demo.plan, quarter=1), acting_user=demo.users["viloyat"], comment="Qayta"
    )

    notices = Notice.objects.filter(kind=Kind.REPORT_RETURNED, recipient=head)
    assert notices.count() == 1
    assert notices.get().link == f"/reports/{demo.plan.pk}/1/"


def test_nobody_is_told_about_a_centre_they_may_not_see(demo, outsiders):
    """Reviewers of another region, the national library (two levels up), another district's
    manager and service head, and the centre's own staff hear nothing of its report."""
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.get(plan=demo.plan, quarter=1)
    do_return(report, acting_user=demo.users["viloyat"], comment="Tuzating")
    send_report(demo.plan, 1, demo.users["direktor"])
    do_accept(report, acting_user=demo.users["viloyat"])

    recipients = set(Notice.objects.values_list("recipient__username", flat=True))
    assert recipients == {"viloyat", "direktor"} | HEADS
    assert not recipients & {user.username for user in outsiders.values()}
    assert not any(name.startswith("xodim-") for name in recipients)


def test_an_inactive_person_is_not_told(demo):
    viloyat = demo.users["viloyat"]
    viloyat.is_active = False
    viloyat.save()
    person("viloyat-2", demo.regional, Membership.Role.REVIEWER)

    send_report(demo.plan, 1, demo.users["direktor"])

    assert set(told(Kind.REPORT_SENT)) == {"viloyat-2"}


def test_the_notices_are_written_in_the_actions_transaction(demo):
    """An action that fails after its event leaves no notice behind."""
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.get(plan=demo.plan, quarter=1)

    with pytest.raises(RuntimeError), transaction.atomic():
        do_return(report, acting_user=demo.users["viloyat"], comment="Tuzating")
        assert told(Kind.REPORT_RETURNED)
        raise RuntimeError("the rest of the action failed")

    assert not told(Kind.REPORT_RETURNED)


def test_writing_the_notices_of_an_event_takes_two_queries(demo, django_assert_num_queries):
    """One for the recipients, one insert, however many they are (here the centre's managers and its
    six heads); nothing is sent from the action itself."""
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.select_related("plan__organization").get(plan=demo.plan, quarter=1)
    event = ReportEvent.objects.filter(report=report).latest("pk")
    reviewer = demo.users["viloyat"]

    with transaction.atomic(), django_assert_num_queries(2):
        events.report_returned(report.plan, 1, event_id=event.pk, comment="Tuzating", acting_user=reviewer)

    assert len(told(Kind.REPORT_RETURNED)) == 7


def test_the_same_event_written_twice_tells_each_person_once(demo):
    send_report(demo.plan, 1, demo.users["direktor"])
    report = Report.objects.select_related("plan__organization").get(plan=demo.plan, quarter=1)
    event = ReportEvent.objects.filter(report=report).latest("pk")

    for _ in range(2):
        events.report_sent(report.plan, 1, event_id=event.pk, version=1, acting_user=demo.users["direktor"])

    assert Notice.objects.filter(kind=Kind.REPORT_SENT).count() == 1
