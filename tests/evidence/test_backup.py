"""`make backup` / `make restore` carry the evidence files: the round trip gives back their bytes."""

import tarfile

import pytest
from django.core.management import CommandError, call_command

from evidence.actions import do_add_files, do_remove_file, evidence_storage
from evidence.backup import archive_path
from evidence.models import EvidenceEvent, EvidenceFile
from plans.models import Indicator

from . import samples

pytestmark = pytest.mark.django_db(transaction=True)


def stored_bytes() -> dict[str, bytes]:
    storage = evidence_storage()
    result = {}
    for key, thumbnail_key in EvidenceFile.objects.values_list("key", "thumbnail_key"):
        for name in filter(None, (key, thumbnail_key)):
            with storage.open(name, "rb") as stored:
                result[name] = stored.read()
    return result


def test_round_trip_gives_back_the_files_and_their_rows(tmp_path, demo, django_capture_on_commit_callbacks):
    staff = demo.users["xodim-abonement"]
    abonement = demo.service("abonement")
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    files = do_add_files(
        visitors,
        4,
        abonement,
        [
            ("tadbir.jpg", samples.photo()),
            ("davomat.pdf", samples.pdf()),
            ("ro‘yxat.docx", samples.docx_file()),
        ],
        acting_user=staff,
    )
    before = stored_bytes()
    rows = sorted(EvidenceFile.objects.values_list("pk", "name", "key", "sha256"))
    backup = tmp_path / "akm.backup"
    call_command("backup", output=backup)
    with tarfile.open(archive_path(backup)) as archive:
        assert sorted(archive.getnames()) == sorted(before)
    # After the backup: a file removed (its bytes deleted) and another added.
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_file(files[0], acting_user=staff)
    do_add_files(visitors, 4, abonement, [("keyin.pdf", samples.pdf())], acting_user=staff)
    assert not evidence_storage().exists(files[0].key)

    call_command("restore", backup, interactive=False)
    assert sorted(EvidenceFile.objects.values_list("pk", "name", "key", "sha256")) == rows
    assert stored_bytes() == before
    assert EvidenceEvent.objects.filter(action="removed").count() == 0


def test_restore_refuses_a_damaged_files_archive_before_touching_the_database(tmp_path, demo):
    staff = demo.users["xodim-abonement"]
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    do_add_files(visitors, 4, demo.service("abonement"), [("a.pdf", samples.pdf())], acting_user=staff)
    backup = tmp_path / "akm.backup"
    call_command("backup", output=backup)
    archive_path(backup).write_bytes(b"not a tar at all" * 100)
    do_add_files(visitors, 4, demo.service("abonement"), [("b.pdf", samples.pdf())], acting_user=staff)
    with pytest.raises(CommandError, match="not an archive"):
        call_command("restore", backup, interactive=False)
    assert EvidenceFile.objects.count() == 2  # the database was left as it was
