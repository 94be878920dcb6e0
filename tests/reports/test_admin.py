"""The reports in the admin: listed and shown, never editable."""

from django.urls import reverse

from reports.workflow import do_submit

from .conftest import note_everything_behind


def test_admin_shows_a_sent_report_read_only(client, world, monkeypatch):
    monkeypatch.setattr("reports.workflow.render_pdf", lambda table, **kwargs: b"%PDF-1.7 stand-in")
    note_everything_behind(world.plan, 1, world.users["manager"])
    report = do_submit(world.plan, 1, acting_user=world.users["manager"]).report
    client.force_login(world.demo.users["admin"])
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert page.status_code == 200
    assert b'name="state"' not in page.content
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
