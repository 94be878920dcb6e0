"""Evidence through the pages: uploading, refusing, listing, serving and removing a figure's files."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence.actions import do_add_files, do_remove_file
from evidence.files import Refused
from evidence.models import EvidenceEvent, EvidenceFile
from plans.models import Indicator, PlanItem
from reports.models import Report, SentEvidence
from reports.workflow import do_return, do_submit
from tests.reports.conftest import note_everything_behind

from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def visitors(demo):
    return Indicator.objects.get(item__plan=demo.plan, item__number="15")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(demo):
    return client_of(demo.users["xodim-abonement"])


def figure_url(indicator, month, service) -> str:
    return reverse("evidence:figure", args=[indicator.pk, month, service.pk])


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_keys() -> set[str]:
    storage = storages["evidence"]
    keys: set[str] = set()

    def walk(folder: str) -> None:
        folders, files = storage.listdir(folder)
        keys.update(f"{folder}/{name}".lstrip("/") for name in files)
        for inner in folders:
            walk(f"{folder}/{inner}".lstrip("/"))

    if storage.exists(""):
        walk("")
    return keys


def test_staff_upload_several_files_and_see_them_listed(staff, demo, abonement, visitors):
    url = figure_url(visitors, 4, abonement)
    response = staff.post(
        url,
        {
            "files": [
                upload("tadbir.jpg", samples.photo(), "image/jpeg"),
                upload("davomat.pdf", samples.pdf(), "application/pdf"),
                upload("ro‘yxat.xlsx", samples.xlsx_file()),
            ]
        },
    )
    assert response.status_code == 302
    files = list(EvidenceFile.objects.filter(indicator=visitors, month=4, service=abonement).order_by("pk"))
    assert [(f.name, f.kind) for f in files] == [
        ("tadbir.jpg", "photo"),
        ("davomat.pdf", "pdf"),
        ("ro‘yxat.xlsx", "xlsx"),
    ]
    assert {f.uploaded_by for f in files} == {demo.users["xodim-abonement"]}
    page = staff.get(url).content.decode()
    for file in files:
        assert reverse("evidence:file", args=[file.pk]) in page
    assert reverse("evidence:thumbnail", args=[files[0].pk]) in page
    assert reverse("evidence:thumbnail", args=[files[1].pk]) not in page
    assert list(EvidenceEvent.objects.values_list("action", "name")) == [
        ("added", "tadbir.jpg"),
        ("added", "davomat.pdf"),
        ("added", "ro‘yxat.xlsx"),
    ]


def test_a_photo_is_served_without_its_location_a_document_as_an_attachment(staff, abonement, visitors):
    staff.post(
        figure_url(visitors, 4, abonement),
        {"files": [upload("IMG_1.jpg", samples.photo()), upload("akt.docx", samples.docx_file())]},
    )
    photo, document = EvidenceFile.objects.order_by("pk")
    response = staff.get(reverse("evidence:file", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('inline; filename="IMG_1.jpg"')
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert samples.gps_of(response.content) == {}
    thumbnail = staff.get(reverse("evidence:thumbnail", args=[photo.pk]))
    assert Image.open(io.BytesIO(thumbnail.content)).format == "JPEG"
    response = staff.get(reverse("evidence:file", args=[document.pk]))
    assert response["Content-Type"] == samples_docx_type()
    assert response["Content-Disposition"].startswith('attachment; filename="akt.docx"')
    assert response.content == samples.docx_file() or response.content.startswith(b"PK")
    assert staff.get(reverse("evidence:thumbnail", args=[document.pk])).status_code == 404


def samples_docx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.jpg", samples.executable(), "whatever its name says"),
        ("bomb.png", samples.png_declaring(30_000, 30_000), "decompression bomb"),
        ("cut.jpg", samples.broken_jpeg(), "damaged or incomplete"),
    ],
)
def test_a_bad_file_among_good_ones_is_refused_and_nothing_is_stored(
    staff, abonement, visitors, name, content, says
):
    before = stored_keys()
    response = staff.post(
        figure_url(visitors, 4, abonement),
        {"files": [upload("good.jpg", samples.photo()), upload(name, content)]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert says not in page  # the page is in Uzbek
    assert name in page
    assert not EvidenceFile.objects.exists() and not EvidenceEvent.objects.exists()
    assert stored_keys() == before


def test_the_refusal_is_in_the_persons_language(staff, abonement, visitors):
    staff.cookies["django_language"] = "en"
    response = staff.post(
        figure_url(visitors, 4, abonement), {"files": [upload("photo.jpg", samples.executable())]}
    )
    assert "photo.jpg: this kind of file is not accepted, whatever its name says" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(staff, settings, abonement, visitors):
    settings.EVIDENCE_MAX_FILE_BYTES = 2000
    response = staff.post(
        figure_url(visitors, 4, abonement), {"files": [upload("big.pdf", b"%PDF-" + b"0" * 3000)]}
    )
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists()


def test_no_more_files_than_the_limit_per_figure(staff, settings, abonement, visitors):
    settings.EVIDENCE_MAX_FILES = 3
    url = figure_url(visitors, 4, abonement)
    assert (
        staff.post(url, {"files": [upload(f"{n}.pdf", samples.pdf()) for n in range(2)]}).status_code == 302
    )
    before = stored_keys()
    response = staff.post(url, {"files": [upload(f"{n}.pdf", samples.pdf()) for n in range(2)]})
    assert response.status_code == 400
    assert EvidenceFile.objects.count() == 2
    assert stored_keys() == before
    assert staff.post(url, {"files": [upload("third.pdf", samples.pdf())]}).status_code == 302
    assert EvidenceFile.objects.count() == 3


def test_removing_a_file_deletes_its_bytes_and_is_recorded(
    staff, abonement, visitors, django_capture_on_commit_callbacks
):
    staff.post(figure_url(visitors, 4, abonement), {"files": [upload("a.jpg", samples.photo())]})
    file = EvidenceFile.objects.get()
    keys = {file.key, file.thumbnail_key}
    assert keys <= stored_keys()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("evidence:remove", args=[file.pk]))
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert not keys & stored_keys()
    assert list(EvidenceEvent.objects.values_list("action", "name")) == [
        ("added", "a.jpg"),
        ("removed", "a.jpg"),
    ]
    assert "a.jpg" in staff.get(figure_url(visitors, 4, abonement)).content.decode()  # in the history


def test_a_closed_month_takes_no_files(staff, abonement, visitors):
    # March: its report not sent, but the page of a month not open for entry refuses uploads.
    from plans.entry import do_close_month

    do_close_month(
        visitors.item.plan, 3, acting_user=visitors.item.plan.organization.memberships.first().user
    )
    response = staff.post(figure_url(visitors, 3, abonement), {"files": [upload("a.jpg", samples.photo())]})
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists()


def test_a_sent_versions_files_cannot_be_removed_even_when_the_report_is_returned(demo, abonement, visitors):
    staff_user, manager, reviewer = (demo.users[name] for name in ("xodim-abonement", "direktor", "viloyat"))
    march = do_add_files(visitors, 3, abonement, [("mart.jpg", samples.photo())], acting_user=staff_user)[0]
    note_everything_behind(demo.plan, 1, manager)
    version = do_submit(demo.plan, 1, acting_user=manager)
    assert list(SentEvidence.objects.filter(version=version).values_list("name", "month")) == [
        ("mart.jpg", 3)
    ]
    do_return(Report.objects.get(plan=demo.plan, quarter=1), acting_user=reviewer, comment="Tuzating")
    # The months are open again: a new file can be added and removed, the sent one cannot.
    extra = do_add_files(visitors, 3, abonement, [("yangi.pdf", samples.pdf())], acting_user=staff_user)[0]
    with pytest.raises(Refused, match="1-versiya"):
        do_remove_file(march, acting_user=staff_user)
    do_remove_file(extra, acting_user=staff_user)
    client = client_of(staff_user)
    response = client.post(reverse("evidence:remove", args=[march.pk]))
    assert response.status_code == 302
    assert EvidenceFile.objects.filter(pk=march.pk).exists()
    page = client.get(figure_url(visitors, 3, abonement)).content.decode()
    assert reverse("evidence:remove", args=[march.pk]) not in page


def test_who_may_read_and_who_may_add(demo, abonement, visitors):
    do_add_files(visitors, 4, abonement, [("a.pdf", samples.pdf())], acting_user=demo.users["direktor"])
    file = EvidenceFile.objects.get()
    other_service_staff = next(
        user for name, user in demo.users.items() if name.startswith("xodim-") and name != "xodim-abonement"
    )
    url = figure_url(visitors, 4, abonement)
    for user, reads, adds in [
        (demo.users["xodim-abonement"], 200, 302),
        (demo.users["boshliq-abonement"], 200, 302),
        (demo.users["direktor"], 200, 302),
        (demo.users["viloyat"], 200, 403),
        (other_service_staff, 403, 403),
        (demo.users["admin"], 403, 403),
    ]:
        client = client_of(user)
        assert client.get(url).status_code == reads, user
        assert client.get(reverse("evidence:file", args=[file.pk])).status_code == reads, user
        assert client.post(url, {"files": [upload("b.pdf", samples.pdf())]}).status_code == adds, user
        assert client.post(reverse("evidence:remove", args=[file.pk])).status_code in (
            302 if adds == 302 else 403,
        )
        if adds == 302:  # put it back for the next person
            file = do_add_files(visitors, 4, abonement, [("a.pdf", samples.pdf())], acting_user=user)[0]
    assert Client().get(reverse("evidence:file", args=[file.pk])).status_code == 302  # to the login


def test_an_indicator_of_another_service_has_no_files_page(staff, demo, abonement):
    foreign = (
        Indicator.objects.filter(item__plan=demo.plan, item__all_services=False)
        .exclude(item__services=abonement)
        .first()
    )
    assert staff.get(figure_url(foreign, 4, abonement)).status_code == 404
    assert staff.get(reverse("evidence:figure", args=[foreign.pk, 13, abonement.pk])).status_code == 404


def test_the_entry_page_counts_each_rows_files(staff, demo, abonement, visitors):
    do_add_files(
        visitors,
        4,
        abonement,
        [("a.pdf", samples.pdf()), ("b.pdf", samples.pdf())],
        acting_user=demo.users["direktor"],
    )
    page = staff.get(reverse("plans:entry", args=[2024, 4, abonement.pk])).content.decode()
    link = figure_url(visitors, 4, abonement)
    assert f'href="{link}">fayllar (2)' in page


@pytest.mark.parametrize("extra", [0, 30])
def test_the_files_page_makes_a_fixed_number_of_queries(
    staff, demo, abonement, visitors, extra, django_assert_num_queries
):
    names = [(f"{n}.pdf", samples.pdf()) for n in range(extra // 10)]
    for n in range(extra // 10):
        do_add_files(visitors, 4, abonement, names[n : n + 1], acting_user=demo.users["direktor"])
    assert PlanItem.objects.exists()
    with django_assert_num_queries(10):
        assert staff.get(figure_url(visitors, 4, abonement)).status_code == 200


def test_the_indicators_history_names_the_files_added_and_removed(staff, demo, abonement, visitors):
    added = do_add_files(
        visitors, 4, abonement, [("akt.pdf", samples.pdf())], acting_user=demo.users["direktor"]
    )
    do_remove_file(added[0], acting_user=demo.users["xodim-abonement"])
    do_add_files(
        visitors, 4, abonement, [("rasm.png", samples.photo("PNG"))], acting_user=demo.users["direktor"]
    )
    page = staff.get(reverse("plans:entry-history", args=[visitors.pk])).content.decode()
    assert "Fayl qo‘shildi: akt.pdf" in page
    assert "Fayl o‘chirildi: akt.pdf" in page
    assert f'href="{figure_url(visitors, 4, abonement)}">rasm.png' in page


def test_the_indicator_page_lists_the_figures_files_and_where_to_attach_more(
    staff, demo, abonement, visitors
):
    do_add_files(visitors, 4, abonement, [("akt.pdf", samples.pdf())], acting_user=demo.users["direktor"])
    page = staff.get(reverse("plans:indicator", args=[visitors.pk]), {"month": 4}).content.decode()
    link = figure_url(visitors, 4, abonement)
    assert f'<a href="{link}">Aprel · {abonement.name}: 1 ta fayl</a>' in page
    assert f'class="attach" href="{link}"' in page
    # The region's reviewer reads the files, and attaches none.
    page = (
        client_of(demo.users["viloyat"]).get(reverse("plans:indicator", args=[visitors.pk])).content.decode()
    )
    assert f'<a href="{link}">' in page and 'class="attach"' not in page


def test_a_failing_write_leaves_no_bytes_behind(demo, abonement, visitors, monkeypatch):
    before = stored_keys()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(EvidenceEvent.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        do_add_files(
            visitors,
            4,
            abonement,
            [("a.jpg", samples.photo()), ("b.pdf", samples.pdf())],
            acting_user=demo.users["direktor"],
        )
    assert stored_keys() == before
    assert not EvidenceFile.objects.exists()
