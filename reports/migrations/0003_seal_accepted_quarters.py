"""Existing reports get the month decisions the workflow now records: the months of an accepted
quarter are sealed, and the months a returned report reopened say so (with the whole comment)."""

from django.db import migrations


def _months(quarter):
    return range(quarter * 3 - 2, quarter * 3 + 1)


def forwards(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportEvent = apps.get_model("reports", "ReportEvent")
    MonthLock = apps.get_model("plans", "MonthLock")
    MonthEvent = apps.get_model("plans", "MonthEvent")
    for report in Report.objects.filter(state__in=["accepted", "returned"]):
        action = "accepted" if report.state == "accepted" else "returned"
        events = ReportEvent.objects.filter(report=report, action=action)
        event = events.order_by("-created_at", "-pk").first()
        if event is None:
            continue
        if report.state == "accepted":
            for month in _months(report.quarter):
                MonthLock.objects.update_or_create(
                    plan_id=report.plan_id,
                    month=month,
                    defaults={
                        "state": "sealed",
                        "reason": "",
                        "changed_by_id": event.acting_user_id,
                    },
                )
                MonthEvent.objects.create(
                    plan_id=report.plan_id,
                    month=month,
                    action="sealed",
                    reason="",
                    acting_user_id=event.acting_user_id,
                )
        else:
            # Only the months still reopened by the return itself (its comment, cut to the old
            # 255 characters), not those a manager has decided on since.
            MonthLock.objects.filter(
                plan_id=report.plan_id,
                month__in=list(_months(report.quarter)),
                state="reopened",
                reason=event.comment[:255],
            ).update(state="returned", reason=event.comment)


def backwards(apps, schema_editor):
    MonthLock = apps.get_model("plans", "MonthLock")
    MonthLock.objects.filter(state="sealed").update(state="closed")
    MonthLock.objects.filter(state="returned").update(state="reopened")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_acceptance_withdrawn"),
        ("plans", "0006_month_sealed_and_returned"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
