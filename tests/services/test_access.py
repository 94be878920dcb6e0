"""The role rules: who may enter, complete, manage and review what."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from plans.models import Actual
from services.access import Access, audience, in_audience
from services.models import Membership, Organization, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_centre(demo):
    centre = Organization.objects.create(name="Zomin tuman AKM", kind="district", parent=demo.regional)
    service = Service.objects.create(organization=centre, name="Axborot-bibliografiya xizmati")
    return centre, service


def access(demo, username) -> Access:
    return Access(demo.users[username])


def test_staff_enter_only_their_own_service(demo):
    staff = access(demo, "xodim-fond")
    assert staff.can_enter(demo.service("fond"))
    assert not staff.can_enter(demo.service("abonement"))
    assert not staff.can_complete(demo.service("fond"))
    assert not staff.manages(demo.district)


def test_a_head_completes_their_service_month(demo):
    head = access(demo, "boshliq-fond")
    assert head.can_enter(demo.service("fond"))
    assert head.can_complete(demo.service("fond"))
    assert not head.can_complete(demo.service("akt"))


def test_a_manager_enters_for_every_service_of_their_centre_only(demo, other_centre):
    manager = access(demo, "direktor")
    assert all(manager.can_enter(service) for service in demo.district.services.all())
    assert manager.can_view_centre(demo.district)
    assert not manager.can_enter(other_centre[1])
    assert not manager.can_view_centre(other_centre[0])
    assert [s.pk for s in manager.entry_services()] == list(
        demo.district.services.order_by("order").values_list("pk", flat=True)
    )


def test_a_reviewer_reads_the_centres_under_their_region_and_enters_nothing(demo, other_centre):
    reviewer = access(demo, "viloyat")
    assert reviewer.reviews(demo.district)
    assert reviewer.reviews(other_centre[0])
    assert not reviewer.reviews(demo.regional)
    assert not any(reviewer.can_enter(service) for service in demo.district.services.all())


def test_nobody_and_the_anonymous_have_no_rights(demo):
    stranger = get_user_model().objects.create(username="begona")
    for person in (Access(stranger), Access(AnonymousUser())):
        assert person.memberships == []
        assert not person.can_enter(demo.service("fond"))
        assert not person.can_view_centre(demo.district)


def test_access_reads_memberships_once(demo, django_assert_num_queries):
    manager = access(demo, "direktor")
    services = list(demo.district.services.all())
    with django_assert_num_queries(1):
        assert all(manager.can_enter(service) for service in services)
        assert all(manager.can_complete(service) for service in services)
        assert manager.manages(demo.district)
    assert Membership.objects.filter(user=demo.users["direktor"]).count() == 1


# --- Django's admin -------------------------------------------------------------------------------

ACTUAL_CENTRES = ("indicator__item__plan__organization", "service__organization")


def test_in_the_admin_the_administrator_reads_and_changes_every_centre(demo, other_centre):
    administrator = access(demo, "admin")
    assert administrator.can_change_in_admin()
    assert administrator.can_change_in_admin(other_centre[0])
    assert administrator.admin_changeable_centre_ids() is None
    assert administrator.admin_objects(Actual.objects.all(), ACTUAL_CENTRES).count() == Actual.objects.count()
    assert administrator.can_read_in_admin(None)


def test_in_the_admin_a_manager_reads_only_their_centre_and_changes_nothing(demo, other_centre):
    indicator = Actual.objects.first().indicator
    foreign = Actual.objects.create(indicator=indicator, month=2, service=other_centre[1], value=7)
    manager = access(demo, "direktor")
    shown = manager.admin_objects(Actual.objects.all(), ACTUAL_CENTRES)
    # A figure is shown only when both its indicator's and its service's centre are managed.
    assert foreign not in shown
    assert shown.count() == Actual.objects.filter(service__organization=demo.district).count()
    assert manager.admin_sees(shown.first(), ACTUAL_CENTRES)
    assert not manager.admin_sees(foreign, ACTUAL_CENTRES)
    assert not manager.can_change_in_admin()
    assert not manager.can_change_in_admin(demo.district)
    assert not manager.admin_may_change(shown.first(), ACTUAL_CENTRES)
    assert not manager.can_read_in_admin(None)  # people and login records


@pytest.mark.parametrize("username", ["xodim-fond", "boshliq-fond", "viloyat"])
def test_in_the_admin_staff_heads_and_reviewers_read_nothing(demo, username):
    person = access(demo, username)
    assert not person.can_read_in_admin(ACTUAL_CENTRES)
    assert person.admin_objects(Actual.objects.all(), ACTUAL_CENTRES).count() == 0
    assert not person.can_change_in_admin()


@pytest.fixture
def people_everywhere(demo, other_centre):
    """Besides the demo's people: a manager and a head of another district, a reviewer of another
    region, and the national library's reviewer."""
    centre, service = other_centre
    other_region = Organization.objects.create(
        name="Samarqand viloyat AKM", kind="regional", parent=demo.regional.parent
    )
    for username, organization, role, in_service in [
        ("zomin-direktor", centre, Membership.Role.MANAGER, None),
        ("zomin-boshliq", centre, Membership.Role.HEAD, service),
        ("samarqand", other_region, Membership.Role.REVIEWER, None),
        ("milliy", demo.regional.parent, Membership.Role.REVIEWER, None),
    ]:
        user = get_user_model().objects.create_user(username=username)
        Membership.objects.create(user=user, organization=organization, role=role, service=in_service)
    return list(get_user_model().objects.all())


def test_those_told_about_a_centre_may_all_see_it_and_are_those_who_act_on_it(people_everywhere):
    """audience() (who may be told of a centre) is within can_view_centre, for every centre: its
    managers and the reviewers directly above it, who act on it; not those further up, who read it
    (the national library hears of a region's consolidated report, not of each district's)."""
    for centre in Organization.objects.all():
        told = set(Membership.objects.filter(audience(centre)).values_list("user_id", flat=True))
        viewers = {user.pk for user in people_everywhere if Access(user).can_view_centre(centre)}
        acting = {
            user.pk
            for user in people_everywhere
            if Access(user).manages(centre) or Access(user).reviews(centre)
        }
        assert acting <= told <= viewers, centre


def test_those_told_about_a_service_may_all_read_its_figures_and_hold_those_who_enter_them(people_everywhere):
    for service in Service.objects.select_related("organization"):
        memberships = Membership.objects.filter(audience(service.organization, [service]))
        told = set(memberships.values_list("user_id", flat=True))
        readers = {user.pk for user in people_everywhere if Access(user).can_read_entries(service)}
        enterers = {
            user.pk
            for user in people_everywhere
            if Access(user).can_enter(service) or Access(user).reviews(service.organization)
        }
        assert enterers <= told <= readers, service


def test_every_service_of_a_centre_reaches_the_people_of_each_of_them(people_everywhere, demo):
    memberships = Membership.objects.filter(audience(demo.district, every_service=True))
    told = set(memberships.values_list("user_id", flat=True))
    services = list(demo.district.services.all())
    readers = {
        user.pk for user in people_everywhere if any(Access(user).can_read_entries(s) for s in services)
    }
    enterers = {
        user.pk
        for user in people_everywhere
        if any(Access(user).can_enter(s) for s in services) or Access(user).reviews(demo.district)
    }
    assert enterers <= told <= readers


def test_a_membership_read_is_in_an_audience_exactly_when_the_query_finds_it(people_everywhere, demo):
    """in_audience() (the rule on a row already read) agrees with audience() (the query)."""
    memberships = list(Membership.objects.select_related("service"))
    for centre in Organization.objects.prefetch_related("services"):
        for services, every in [((), False), ((), True), *(([s], False) for s in centre.services.all())]:
            found = set(Membership.objects.filter(audience(centre, services, every_service=every)))
            assert {m for m in memberships if in_audience(m, centre, services, every_service=every)} == found


@pytest.fixture
def tree(demo):
    """The demo's national library → Jizzax region → Sharof Rashidov district, plus another region
    with a district, and a manager and a reviewer at each level that has them."""
    national, region, district = demo.regional.parent, demo.regional, demo.district
    other_region = Organization.objects.create(name="Samarqand viloyat AKM", kind="regional", parent=national)
    other_district = Organization.objects.create(name="Urgut tuman AKM", kind="district", parent=other_region)
    people = {}
    for name, centre, role in [
        ("national-reviewer", national, Membership.Role.REVIEWER),
        ("regional-manager", region, Membership.Role.MANAGER),
    ]:
        user = get_user_model().objects.create(username=name)
        Membership.objects.create(user=user, organization=centre, role=role)
        people[name] = Access(user)
    people["regional-reviewer"] = access(demo, "viloyat")
    people["district-manager"] = access(demo, "direktor")
    return national, region, district, other_region, other_district, people


def test_the_national_reviewer_reads_every_region_and_district_and_reviews_the_regions(tree):
    national, region, district, other_region, other_district, people = tree
    reviewer = people["national-reviewer"]
    assert all(reviewer.can_view_centre(c) for c in (region, district, other_region, other_district))
    assert not reviewer.can_view_centre(national)
    assert reviewer.reviews(region) and reviewer.reviews(other_region)
    assert not reviewer.reviews(district)  # returning a district's report stays with its region


def test_a_regional_reviewer_reads_their_districts_only(tree):
    national, region, district, other_region, other_district, people = tree
    reviewer = people["regional-reviewer"]
    assert reviewer.can_view_centre(district) and reviewer.reviews(district)
    assert not any(reviewer.can_view_centre(c) for c in (national, region, other_region, other_district))


def test_a_regional_manager_manages_their_centre_and_reads_its_districts_without_changing_them(tree, demo):
    national, region, district, other_region, other_district, people = tree
    manager = people["regional-manager"]
    assert manager.manages(region) and manager.can_view_centre(region)
    assert manager.can_view_centre(district) and not manager.manages(district)
    assert not manager.reviews(district)
    assert not any(manager.can_enter(s) for s in district.services.all())
    assert manager.can_read_entries(demo.service("fond"))
    assert not manager.can_view_centre(other_district)


def test_a_district_manager_sees_no_other_centre(tree):
    national, region, district, other_region, other_district, people = tree
    manager = people["district-manager"]
    assert manager.can_view_centre(district)
    assert not any(manager.can_view_centre(c) for c in (national, region, other_region, other_district))


def test_the_tree_is_read_once(tree, django_assert_num_queries):
    *centres, people = tree
    reviewer = people["national-reviewer"]
    reviewer.memberships  # noqa: B018 (read before counting)
    with django_assert_num_queries(1):
        assert [reviewer.can_view_centre(c) for c in centres] == [False, True, True, True, True]
