"""The Word plan's pages: upload → preview → confirm, who may use them, and the plan's document."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from plans.exchange import plan_to_dict
from plans.models import Indicator, Plan, PlanItem
from plans.views.word_import import NEW_SERVICE, SESSION_KEY
from reports.plan_document import plan_document, plan_docx
from services.models import Organization, Service
from tests.word_files import AB, word_table

pytestmark = pytest.mark.django_db

UPLOAD = reverse("plans:word-import")
PREVIEW = reverse("plans:word-import-preview")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages and messages in English, as the code writes them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def docx_file(content: bytes, name: str = "reja.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def manager(client, demo):
    client.force_login(demo.users["direktor"])
    return client


def upload(client, demo, content, year=2025):
    return client.post(UPLOAD, {"centre": demo.district.pk, "year": year, "file": docx_file(content)})


def test_upload_preview_and_confirm_create_the_plan(manager, demo):
    content = plan_docx(plan_document(demo.plan))
    response = upload(manager, demo, content)
    assert response.status_code == 302 and response["Location"] == PREVIEW
    page = manager.get(PREVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No problems: the plan can be created." in html
    assert "there is no item 18 above it" in html  # a note, not a refusal
    assert Plan.objects.filter(year=2025).count() == 0  # nothing yet
    done = manager.post(PREVIEW, {"action": "confirm"})
    assert done.status_code == 302
    plan = Plan.objects.own().get(organization=demo.district, year=2025)
    assert done["Location"] == f"{reverse('plans:centre-dashboard')}?centre={demo.district.pk}&year=2025"
    assert plan.items.count() == demo.plan.items.count()
    assert [
        ind["annual_target"]
        for s in plan_to_dict(plan)["sections"]
        for i in s["items"]
        for ind in i["indicators"]
    ] == [
        ind["annual_target"]
        for s in plan_to_dict(demo.plan)["sections"]
        for i in s["items"]
        for ind in i["indicators"]
    ]
    assert SESSION_KEY not in manager.session


def test_a_service_not_in_the_centre_is_mapped_in_the_preview(manager, demo):
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Bibliografiya xizmati"]]]
    upload(manager, demo, word_table(rows))
    html = manager.get(PREVIEW).content.decode()
    assert (
        "“Bibliografiya xizmati” is not a service of the centre; the closest: Axborot-bibliografiya xizmati."
        in html
    )
    assert "Create the plan" not in html
    refused = manager.post(PREVIEW, {"action": "confirm"})
    assert "cannot be created while rows have problems" in refused.content.decode()
    assert not Plan.objects.filter(year=2025).exists()
    manager.post(PREVIEW, {"action": "map", "service-name-0": "Bibliografiya xizmati", "service-0": AB})
    assert "No problems" in manager.get(PREVIEW).content.decode()
    services = Service.objects.count()
    manager.post(PREVIEW, {"action": "confirm"})
    item = PlanItem.objects.get(plan__year=2025, number="1")
    assert [service.name for service in item.services.all()] == [AB]
    assert Service.objects.count() == services


def test_a_service_can_be_created_from_the_preview(manager, demo):
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Yangi xizmat"]]]
    upload(manager, demo, word_table(rows))
    manager.post(PREVIEW, {"action": "map", "service-name-0": "Yangi xizmat", "service-0": NEW_SERVICE})
    manager.post(PREVIEW, {"action": "confirm"})
    assert Service.objects.filter(organization=demo.district, name="Yangi xizmat").exists()


def test_columns_are_mapped_when_the_header_differs(manager, demo):
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", [AB]]]
    upload(manager, demo, word_table(rows, header=["A", "B", "C", "D", "E", "F", "G", "H"]))
    html = manager.get(PREVIEW).content.decode()
    assert "The table&#x27;s columns are not the plan&#x27;s" in html and 'name="role-7"' in html
    roles = ["number", "title", "unit", "target", "done", "steps", "deadline", "services"]
    manager.post(PREVIEW, {"action": "map", **{f"role-{i}": role for i, role in enumerate(roles)}})
    assert "No problems" in manager.get(PREVIEW).content.decode()
    manager.post(PREVIEW, {"action": "confirm"})
    assert Indicator.objects.get(item__plan__year=2025).annual_target == 5


def test_a_broken_file_is_refused_on_the_upload_form(manager, demo):
    response = upload(manager, demo, b"not a word file")
    assert response.status_code == 200
    assert "The file is not a Word document (.docx)" in response.content.decode()
    assert SESSION_KEY not in manager.session


def test_a_year_with_a_plan_is_refused_on_the_upload_form(manager, demo):
    response = upload(manager, demo, plan_docx(plan_document(demo.plan)), year=2024)
    assert "already has a plan for 2024" in response.content.decode()


def test_cancel_forgets_the_file(manager, demo):
    upload(manager, demo, plan_docx(plan_document(demo.plan)))
    assert manager.post(PREVIEW, {"action": "cancel"})["Location"] == UPLOAD
    assert SESSION_KEY not in manager.session
    assert manager.get(PREVIEW)["Location"] == UPLOAD


def test_a_manager_cannot_import_into_another_centre(manager, demo):
    response = upload(manager, demo, plan_docx(plan_document(demo.plan)))
    session = manager.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "centre": demo.regional.pk}
    session.save()
    assert manager.get(PREVIEW).status_code == 403
    other = manager.post(UPLOAD, {"centre": demo.regional.pk, "year": 2025, "file": docx_file(b"x")})
    assert response.status_code == 302 and other.status_code == 200  # not a choice of the form
    assert "Select a valid choice" in other.content.decode()


def test_an_administrator_imports_for_any_centre(client, demo):
    client.force_login(demo.users["admin"])
    new = Organization.objects.create(name="Boshqa tuman axborot-kutubxona markazi", kind="district")
    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", ["Yangi xizmat"]]]
    client.post(UPLOAD, {"centre": new.pk, "year": 2025, "file": docx_file(word_table(rows))})
    client.post(PREVIEW, {"action": "map", "service-name-0": "Yangi xizmat", "service-0": NEW_SERVICE})
    client.post(PREVIEW, {"action": "confirm"})
    assert Plan.objects.own().filter(organization=new, year=2025).exists()


@pytest.mark.parametrize("account", ["xodim-abonement", "boshliq-abonement", "viloyat"])
def test_staff_heads_and_reviewers_may_not_import(client, demo, account):
    client.force_login(demo.users[account])
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {}).status_code == 403
    assert client.post(PREVIEW, {"action": "confirm"}).status_code == 403


def test_the_plan_document_downloads(manager, demo):
    pdf = manager.get(reverse("reports:plan-document-pdf", kwargs={"plan_id": demo.plan.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert "ish-rejasi.pdf" in pdf["Content-Disposition"]
    assert "TASDIQLAYMAN" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    docx = manager.get(reverse("reports:plan-document-docx", kwargs={"plan_id": demo.plan.pk}))
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "TASDIQLAYMAN"


def test_the_plan_document_is_for_those_who_see_the_centre(client, demo):
    url = reverse("reports:plan-document-docx", kwargs={"plan_id": demo.plan.pk})
    client.force_login(demo.users["xodim-abonement"])
    assert client.get(url).status_code == 403
    client.force_login(demo.users["viloyat"])  # the region reads its districts
    assert client.get(url).status_code == 200
    other = Organization.objects.create(name="Boshqa viloyat kutubxonasi", kind="regional")
    client.force_login(demo.users["direktor"])
    elsewhere = Plan.objects.create(organization=other, year=2024)
    url = reverse("reports:plan-document-pdf", kwargs={"plan_id": elsewhere.pk})
    assert client.get(url).status_code == 403


def test_the_preview_asks_the_database_as_often_for_a_small_and_a_whole_plan(manager, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = ["I. Bo‘lim", ["1", "Bir", "Dona", "5", "", "", "2025-yil davomida", [AB]]]
    counted = []
    for content in (word_table(rows), plan_docx(plan_document(demo.plan))):
        upload(manager, demo, content)
        manager.get(PREVIEW)  # the session and the person, as on any page
        with CaptureQueriesContext(connection) as queries:
            assert manager.get(PREVIEW).status_code == 200
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1]
