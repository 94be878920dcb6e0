"""Evidence in an S3-compatible store (production's setting): moto's server on 127.0.0.1 stands in.

The same actions and views as with the folder; the files land in the bucket as private objects
and come back only through the checked view.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from evidence.actions import do_add_files, do_remove_file
from evidence.files import Refused
from evidence.models import EvidenceFile
from plans.models import Indicator

from . import samples

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3(settings, monkeypatch):
    """moto's S3 on a free port of 127.0.0.1, a bucket in it, and the evidence storage pointed at
    it as settings.py does when EVIDENCE_S3_BUCKET is set."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, **KEYS)
    # moto keeps its buckets for the whole process: each test has one of its own.
    bucket = f"akm-evidence-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "location": "evidence",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield S3(client, bucket)
    server.stop()


@dataclass(frozen=True)
class S3:
    client: object
    bucket: str


def objects(s3: S3) -> dict[str, bytes]:
    listed = s3.client.list_objects_v2(Bucket=s3.bucket).get("Contents", [])
    return {
        item["Key"]: s3.client.get_object(Bucket=s3.bucket, Key=item["Key"])["Body"].read() for item in listed
    }


def test_files_go_to_the_bucket_and_come_back_through_the_view(s3, demo, django_capture_on_commit_callbacks):
    assert type(storages["evidence"]).__name__ == "S3Storage"
    abonement = demo.service("abonement")
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    client = Client()
    client.force_login(demo.users["xodim-abonement"])
    url = reverse("evidence:figure", args=[visitors.pk, 4, abonement.pk])
    response = client.post(
        url,
        {
            "files": [
                SimpleUploadedFile("tadbir.jpg", samples.photo()),
                SimpleUploadedFile("akt.pdf", samples.pdf()),
            ]
        },
    )
    assert response.status_code == 302
    photo, document = EvidenceFile.objects.order_by("pk")
    stored = objects(s3)
    assert set(stored) == {
        f"evidence/{photo.key}",
        f"evidence/{photo.thumbnail_key}",
        f"evidence/{document.key}",
    }
    assert samples.gps_of(stored[f"evidence/{photo.key}"]) == {}
    # Private: the bucket's objects grant nobody but their owner.
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=f"evidence/{photo.key}")["Grants"]
    assert all(grant["Grantee"].get("URI") is None for grant in grants)
    served = client.get(reverse("evidence:file", args=[document.pk]))
    assert served.content == stored[f"evidence/{document.key}"] == samples_pdf_as_sent(document)
    assert served["Content-Type"] == "application/pdf"
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_file(photo, acting_user=demo.users["xodim-abonement"])
    assert set(objects(s3)) == {f"evidence/{document.key}"}


def samples_pdf_as_sent(document: EvidenceFile) -> bytes:
    with storages["evidence"].open(document.key, "rb") as stored:
        return stored.read()


def test_a_refused_upload_leaves_the_bucket_untouched(s3, demo):
    abonement = demo.service("abonement")
    visitors = Indicator.objects.get(item__plan=demo.plan, item__number="15")
    with pytest.raises(Refused):
        do_add_files(
            visitors,
            4,
            abonement,
            [("a.jpg", samples.photo()), ("b.png", samples.png_declaring(30_000, 30_000))],
            acting_user=demo.users["xodim-abonement"],
        )
    assert objects(s3) == {}
    assert not EvidenceFile.objects.exists()
