"""In the admin, only administrators correct figures; other admin users read their own centre's at most."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from plans.models import Actual
from services.models import Membership, Organization, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin_user(demo):
    """A service head who was given admin access and every permission on actuals."""
    user = demo.users["boshliq-fond"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__model="actual"))
    return user


def test_a_non_superuser_cannot_change_or_add_figures_in_the_admin(client, demo, staff_admin_user):
    actual = Actual.objects.filter(service=demo.service("fond")).first()
    client.force_login(staff_admin_user)
    response = client.post(
        reverse("admin:plans_actual_change", args=[actual.pk]),
        {"indicator": actual.indicator_id, "month": actual.month, "service": actual.service_id, "value": 999},
    )
    assert response.status_code == 403
    assert Actual.objects.get(pk=actual.pk).value == actual.value
    assert client.get(reverse("admin:plans_actual_add")).status_code == 403


def test_a_non_superuser_sees_only_their_centres_figures_in_the_admin(client, demo, staff_admin_user):
    other = Organization.objects.create(name="Zomin tuman AKM", kind="district", parent=demo.regional)
    other_service = Service.objects.create(organization=other, name="Fond")
    indicator = Actual.objects.first().indicator
    foreign = Actual.objects.create(indicator=indicator, month=2, service=other_service, value=7)
    client.force_login(staff_admin_user)
    response = client.get(reverse("admin:plans_actual_changelist"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert foreign.pk not in shown
    assert shown == set(Actual.objects.filter(service=demo.service("fond")).values_list("pk", flat=True))
    assert Membership.objects.filter(user=staff_admin_user).count() == 1


def test_the_administrator_corrects_a_printed_figure(client, demo):
    actual = Actual.objects.get(indicator__item__number="4")
    client.force_login(demo.users["admin"])
    response = client.post(
        reverse("admin:plans_actual_change", args=[actual.pk]),
        {
            "indicator": actual.indicator_id,
            "month": actual.month,
            "service": actual.service_id,
            "value": 4,
            "note": "Tuzatildi",
        },
    )
    assert response.status_code == 302
    actual.refresh_from_db()
    assert (actual.value, actual.entered_by) == (4, demo.users["admin"])
