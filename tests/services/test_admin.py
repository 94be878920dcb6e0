"""The organisation's admin: centres with their services, services, memberships."""
import pytest
from django.urls import reverse

from services.models import Membership, Organization, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.users["admin"])
    return client


# (model, how many queries its change list, add form and change form may take at most).
PAGES = [
    (Organization, 5, 3, 4),
    (Service, 6, 3, 4),
    (Membership, 6, 3, 7),
]


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[0]) for m, *q in PAGES], ids=lambda v: str(v))
def test_change_list_answers(admin_client, django_assert_max_num_queries, model, max_queries):
    url = reverse(f"admin:services_{model._meta.model_name}_changelist")

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[1]) for m, *q in PAGES], ids=lambda v: str(v))
def test_add_form_answers(admin_client, django_assert_max_num_queries, model, max_queries):
    url = reverse(f"admin:services_{model._meta.model_name}_add")

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[2]) for m, *q in PAGES], ids=lambda v: str(v))
def test_change_form_answers(admin_client, django_assert_max_num_queries, model, max_queries):
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:services_{model._meta.model_name}_change", args=[obj.pk])

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_centre_change_form_lists_its_services_inline(admin_client, demo):
    response = admin_client.get(reverse("admin:services_organization_change", args=[demo.district.pk]))

    (services,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert len(services.forms) == demo.district.services.count() == 6


def test_service_autocomplete_finds_services_by_name(admin_client, demo):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "bibliografiya", "app_label": "plans", "model_name": "planitem", "field_name": "services"},
    )

    assert [row["text"] for row in response.json()["results"]] == ["Axborot-bibliografiya xizmati"]
