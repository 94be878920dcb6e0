"""In the admin only administrators correct figures; managers with staff status read their own centre's."""

import pytest
from django.urls import reverse

from plans.models import Actual
from tests.admin_world import SECRET_FIGURE, build_other_centre, permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin_user(demo):
    """A service head who was given admin access and every permission on actuals."""
    user = demo.users["boshliq-fond"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(permissions("add", "change", "delete", "view", models=("plans.Actual",)))
    return user


@pytest.fixture
def staff_manager(demo):
    """The centre's director, given admin access and every permission on actuals."""
    user = demo.users["direktor"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(permissions("add", "change", "delete", "view", models=("plans.Actual",)))
    return user


@pytest.fixture
def other(demo):
    return build_other_centre(demo)


def test_a_non_superuser_cannot_change_or_add_figures_in_the_admin(client, demo, staff_manager):
    actual = Actual.objects.filter(service=demo.service("fond")).first()
    client.force_login(staff_manager)
    response = client.post(
        reverse("admin:plans_actual_change", args=[actual.pk]),
        {"indicator": actual.indicator_id, "month": actual.month, "service": actual.service_id, "value": 999},
    )
    assert response.status_code == 403
    assert Actual.objects.get(pk=actual.pk).value == actual.value
    assert client.get(reverse("admin:plans_actual_add")).status_code == 403


def test_a_manager_with_staff_status_reads_only_their_centres_figures(
    client, demo, staff_manager, other, django_assert_max_num_queries
):
    client.force_login(staff_manager)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("admin:plans_actual_changelist"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert other.actual.pk not in shown
    own = Actual.objects.filter(service__organization=demo.district)
    assert response.context["cl"].result_count == own.count()
    assert "Zomin" not in response.content.decode()


def test_a_service_head_with_staff_status_reads_no_figures_in_the_admin(client, staff_admin_user):
    """Staff and heads read their figures on the entry pages; in the admin only managers read."""
    client.force_login(staff_admin_user)

    assert client.get(reverse("admin:plans_actual_changelist")).status_code == 403


@pytest.mark.parametrize("page", ["history", "simple_history"])
def test_another_centres_figure_history_is_refused(client, staff_manager, other, page):
    version = other.actual.history.order_by("history_id").first().history_id
    args = [other.actual.pk] if page == "history" else [other.actual.pk, version]
    client.force_login(staff_manager)

    response = client.get(reverse(f"admin:plans_actual_{page}", args=args))

    assert response.status_code == 403
    body = response.content.decode()
    assert str(SECRET_FIGURE) not in body
    assert "maxfiy izoh" not in body


def test_a_managers_own_figure_history_is_shown(client, demo, staff_manager):
    actual = Actual.objects.filter(service__organization=demo.district).first()
    actual.save()
    client.force_login(staff_manager)

    response = client.get(reverse("admin:plans_actual_history", args=[actual.pk]))

    assert response.status_code == 200


def test_reverting_a_figure_through_its_history_needs_the_right_to_change(client, demo, staff_manager):
    """django-simple-history's version page saves what is posted to it after asking only for the
    right to view; a person who only reads is refused and nothing is written."""
    actual = Actual.objects.filter(service__organization=demo.district).first()
    actual.save()
    version = actual.history.order_by("history_id").first().history_id
    client.force_login(staff_manager)

    response = client.post(
        reverse("admin:plans_actual_simple_history", args=[actual.pk, version]),
        {"indicator": actual.indicator_id, "month": actual.month, "service": actual.service_id, "value": 5},
    )

    assert response.status_code == 403
    assert Actual.objects.get(pk=actual.pk).value == actual.value


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
