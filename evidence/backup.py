"""The evidence files in backups: `manage.py backup` writes their bytes beside the database's copy,
`manage.py restore` puts back those the storage lacks.

The archive is a tar named after the database's backup (`<backup>.evidence.tar`), one member per
stored object under its key. Stored files are never changed (each has a key of its own), so the
archive, written after the database's copy, holds every file that copy names, except one removed
in the seconds between the two. Restoring adds what is missing and leaves the rest alone: a file
the restored database no longer names stays in the storage, unused.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile

from .actions import evidence_storage
from .models import EvidenceFile

SUFFIX = ".evidence.tar"


def archive_path(backup: Path) -> Path:
    """Where the files of the database's backup at `backup` go."""
    backup = Path(backup)
    return backup.with_name(backup.name + SUFFIX)


def stored_keys() -> list[str]:
    """Every key the database names: each file and each thumbnail."""
    keys = set()
    for key, thumbnail_key in EvidenceFile.objects.values_list("key", "thumbnail_key"):
        keys.add(key)
        if thumbnail_key:
            keys.add(thumbnail_key)
    return sorted(keys)


def back_up_files(path: Path) -> int:
    """Write every stored file the database names to the tar at `path`; the number written. The
    archive is written beside its name and renamed when complete, like the database's copy."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    storage = evidence_storage()
    written = 0
    try:
        with tarfile.open(partial, "w") as archive:
            for key in stored_keys():
                if not storage.exists(key):
                    continue  # removed since the database was read
                with storage.open(key, "rb") as stored:
                    content = stored.read()
                member = tarfile.TarInfo(key)
                member.size = len(content)
                archive.addfile(member, io.BytesIO(content))
                written += 1
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return written


class NotAnArchive(ValueError):
    pass


def check_archive(path: Path) -> None:
    """Refuse (NotAnArchive) a file that is not a tar of plain files under relative keys."""
    with _open(path) as archive:
        _members(path, archive)


def restore_files(path: Path) -> int:
    """Put into the storage every file of the archive it lacks; the number put back. Members that
    are not plain files under a relative key are refused before anything is written."""
    storage = evidence_storage()
    restored = 0
    with _open(path) as archive:
        for member in _members(path, archive):
            if storage.exists(member.name):
                continue
            source = archive.extractfile(member)
            saved = storage.save(member.name, ContentFile(source.read()))
            if saved != member.name:
                raise NotAnArchive(f"{member.name} was stored as {saved}.")
            restored += 1
    return restored


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r")
    except (tarfile.TarError, OSError) as error:
        raise NotAnArchive(f"{path} is not an archive of evidence files: {error}") from error


def _members(path: Path, archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    try:
        members = archive.getmembers()
    except (tarfile.TarError, OSError) as error:
        raise NotAnArchive(f"{path} is not an archive of evidence files: {error}") from error
    for member in members:
        name = PurePosixPath(member.name)
        if not member.isfile() or name.is_absolute() or ".." in name.parts:
            raise NotAnArchive(f"{path} holds {member.name!r}, which is not an evidence file.")
    return members


def missing_keys() -> list[str]:
    """The keys the database names that the storage does not hold."""
    storage = evidence_storage()
    return [key for key in stored_keys() if not storage.exists(key)]
