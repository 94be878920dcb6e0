"""`manage.py backup` and `restore`: a round trip gives back every row of every table."""
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from plans.models import Actual, Deadline, Indicator, Plan, PlanItem, Section, Target, Unit
from services.models import Membership, Organization, Service

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, in a fixed order, as text."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def make_plans(django_user_model) -> None:
    region = Organization.objects.create(name="Jizzax viloyat AKM", kind=Organization.Kind.REGIONAL)
    centre = Organization.objects.create(
        name="Sharof Rashidov tuman AKM", kind=Organization.Kind.DISTRICT, parent=region
    )
    services = [
        Service.objects.create(organization=centre, name=name, order=order)
        for order, name in enumerate(["Axborot-bibliografiya xizmati", "Kadrlar bo‘yicha inspektor"])
    ]
    user = django_user_model.objects.create_user(username="xodim", password="to‘g‘ri-parol-2024")
    user.groups.add(Group.objects.create(name="demo"))
    Membership.objects.create(user=user, organization=centre, service=services[0], role="staff")
    unit = Unit.objects.create(name="Ma’lumot")
    for year in (2024, 2025):
        plan = Plan.objects.create(organization=centre, year=year)
        section = Section.objects.create(plan=plan, number="I", title="Ilmiy-metodik faoliyat")
        deadline = Deadline.objects.create(plan=plan, text=f"{year}-yil davomida", kind="year")
        for number in ("1", "2"):
            item = PlanItem.objects.create(
                plan=plan, section=section, number=number, title=f"Faoliyat {number}", unit=unit,
                deadline=deadline,
            )
            item.services.set(services)
            indicator = Indicator.objects.create(item=item, annual_target=120)
            Target.objects.bulk_create(Target(indicator=indicator, quarter=q, value=30) for q in range(1, 5))
            for month in (1, 2, 3):
                Actual.objects.create(
                    indicator=indicator, month=month, service=services[0], value=month * 7, entered_by=user
                )


def spoil() -> None:
    """Changes of every kind after the backup: edits, deletions, new rows."""
    Actual.objects.filter(month=1).update(value=999)
    Actual.objects.filter(month=3).delete()
    Target.objects.filter(quarter=4).delete()
    PlanItem.objects.filter(number="2").delete()
    Organization.objects.filter(kind="regional").update(name="Boshqa nom")
    Unit.objects.create(name="Nusxa")


def test_round_trip_gives_back_every_row(tmp_path, django_user_model):
    make_plans(django_user_model)
    before = snapshot()
    backup = tmp_path / "akm.backup"
    call_command("backup", output=backup)
    spoil()
    assert snapshot() != before
    call_command("restore", backup, interactive=False)
    assert snapshot() == before


def test_restored_data_can_be_written_again(tmp_path, django_user_model):
    make_plans(django_user_model)
    backup = tmp_path / "akm.backup"
    call_command("backup", output=backup)
    call_command("restore", backup, interactive=False)
    # The id sequences came back too: new rows do not collide with restored ones.
    indicator = Indicator.objects.first()
    Actual.objects.create(indicator=indicator, month=4, service=Service.objects.first(), value=5)
    assert Actual.objects.filter(month=4).count() == 1


def test_backup_without_a_name_goes_to_the_backup_folder_with_a_timestamp(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    # The database's copy, and beside it the evidence files (tests/evidence/test_backup.py).
    written, files = sorted((tmp_path / "backups").iterdir())
    assert written.name.startswith("akm-reja-20")
    assert written.stat().st_size > 0
    assert files.name == written.name + ".evidence.tar"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, django_user_model):
    make_plans(django_user_model)
    before = snapshot()
    bogus = tmp_path / "notes.txt"
    bogus.write_text("bu zaxira nusxa emas\n" * 100)
    with pytest.raises(CommandError):
        call_command("restore", bogus, interactive=False)
    assert snapshot() == before


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", tmp_path / "missing.pgdump", interactive=False)
