"""Every page shows the plan as it stands: each change, however it was made, on the next visit.

Each change below is made the way the application or an administrator makes it (a page's form,
the admin's model saves, a bulk update, `loaddata`), after every page has been visited twice; the
next visit must show the change. (Pages were once cached until a signal said the plan changed;
moved rows, raw saves and bulk updates sent no such signal.)
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.district import PLAN_FILE
from plans.exchange import import_plan
from plans.models import Actual, Deadline, Indicator, PlanItem, Section, Unit
from services.models import Organization
from tests.entry_form import row_inputs

pytestmark = pytest.mark.django_db


def item_15(demo) -> PlanItem:
    return PlanItem.objects.get(plan=demo.plan, number="15")


def indicator_15(demo) -> Indicator:
    return Indicator.objects.get(item__plan=demo.plan, item__number="15")


def urls(demo) -> dict[str, tuple[str, str]]:
    """Each page, with whom it is visited as."""
    abonement = demo.district.services.get(order=2)  # by its place: one change renames it
    return {
        "centre": ("direktor", reverse("plans:centre-dashboard")),
        "service": ("xodim-abonement", reverse("plans:service-dashboard", kwargs={"service": abonement.pk})),
        "indicator": ("direktor", reverse("plans:indicator", kwargs={"indicator": indicator_15(demo).pk})),
        "entry": (
            "xodim-abonement",
            reverse("plans:entry", kwargs={"year": 2024, "month": 4, "service": abonement.pk}),
        ),
    }


def visit_all(demo) -> dict[str, str]:
    pages = {}
    for page, (username, url) in urls(demo).items():
        client = Client()
        client.force_login(demo.users[username])
        response = client.get(url)
        assert response.status_code == 200, (page, response.status_code)
        pages[page] = response.content.decode()
    return pages


def save_on_entry_page(demo, username: str, value: str, note: str) -> None:
    """Item 15's April figure and note, saved through the entry page's form."""
    client = Client()
    client.force_login(demo.users[username])
    _user, url = urls(demo)["entry"]
    data = row_inputs(client.get(url).content.decode())
    pk = indicator_15(demo).pk
    data.update({f"value-{pk}": value, f"note-{pk}": note, "save": "1"})
    assert client.post(url, data).status_code == 302


def rename_item(demo):
    item = item_15(demo)
    item.title = "Kutubxonaga tashriflar ZXQ"
    item.save()
    return "Kutubxonaga tashriflar ZXQ", ["centre", "service", "indicator", "entry"]


def rename_unit(demo):
    unit = Unit.objects.get(pk=item_15(demo).unit_id)
    unit.name = "birlik-ZXQ"
    unit.save()
    return "birlik-ZXQ", ["centre", "service", "indicator", "entry"]


def rename_section(demo):
    section = Section.objects.get(pk=item_15(demo).section_id)
    section.title = "Bo‘lim ZXQ"
    section.save()
    return "Bo‘lim ZXQ", ["centre", "service", "entry"]


def change_deadline(demo):
    deadline = Deadline.objects.get(pk=item_15(demo).deadline_id)
    deadline.text = "muddat ZXQ"
    deadline.save()
    return "muddat ZXQ", ["indicator"]


def change_target(demo):
    indicator = indicator_15(demo)
    indicator.annual_target = 97531
    indicator.save()
    return "97531", ["centre", "indicator", "entry"]


def add_actual_in_admin(demo):
    Actual.objects.create(
        indicator=indicator_15(demo), month=2, service=demo.service("abonement"), value=5, note="eslatma ZXQ"
    )
    return "eslatma ZXQ", ["indicator"]


def save_through_entry_page(demo):
    save_on_entry_page(demo, "xodim-abonement", "7", "aprel ZXQ")
    return "aprel ZXQ", ["indicator", "entry"]


def rename_service(demo):
    service = demo.service("abonement")
    service.name = "Abonement ZXQ"
    service.save()
    return "Abonement ZXQ", ["centre", "service", "indicator"]


def rename_centre(demo):
    demo.district.name = "Markaz ZXQ"
    demo.district.save()
    return "Markaz ZXQ", ["centre", "service", "indicator"]


def share_the_item(demo):
    item = item_15(demo)
    kadrlar = demo.service("kadrlar")
    item.services.add(kadrlar)
    return f">{kadrlar.name}</a>", ["indicator"]


def complete_the_month(demo):
    client = Client()
    client.force_login(demo.users["boshliq-abonement"])
    url = reverse(
        "plans:entry-complete", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk}
    )
    # March has rows still empty: the head confirms them (plans.views.entry.complete).
    assert client.post(url, {"confirm_empty": "999"}).status_code == 302
    return 'class="complete"', ["centre", "service"]


def update_in_bulk(demo):
    PlanItem.objects.filter(pk=item_15(demo).pk).update(title="Yangi ZXQ")
    return "Yangi ZXQ", ["centre", "indicator", "entry"]


def load_a_fixture(demo, tmp_path_factory):
    actual = Actual.objects.filter(indicator=indicator_15(demo)).first()
    fixture = tmp_path_factory.mktemp("fixture") / "actual.json"
    fields = {"indicator": actual.indicator_id, "month": actual.month, "service": actual.service_id}
    fields.update({"value": 4321, "note": "yuklangan ZXQ", "entered_at": "2024-03-31T12:00:00Z"})
    fixture.write_text(json.dumps([{"model": "plans.actual", "pk": actual.pk, "fields": fields}]))
    call_command("loaddata", str(fixture), verbosity=0)
    return "yuklangan ZXQ", ["indicator"]


CHANGES = [
    rename_item,
    rename_unit,
    rename_section,
    change_deadline,
    change_target,
    add_actual_in_admin,
    save_through_entry_page,
    rename_service,
    rename_centre,
    share_the_item,
    complete_the_month,
    update_in_bulk,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_every_page_shows_a_change_on_the_next_visit(demo, change):
    visit_all(demo)
    before = visit_all(demo)
    text, pages = change(demo)
    after = visit_all(demo)
    for page in pages:
        assert text not in before[page], page
        assert text in after[page], page


def test_a_loaded_fixture_shows_on_the_next_visit(demo, tmp_path_factory):
    visit_all(demo)
    before = visit_all(demo)
    text, pages = load_a_fixture(demo, tmp_path_factory)
    after = visit_all(demo)
    for page in pages:
        assert text not in before[page] and text in after[page], page


def test_an_actual_moved_to_another_plan_leaves_the_old_plans_pages(demo, client):
    """An administrator moves a figure to the same item of another centre's plan: the old plan's
    pages no longer count it, the new plan's do."""
    other = Organization.objects.create(
        name="Boshqa tuman AKM", kind=Organization.Kind.DISTRICT, parent=demo.regional
    )
    other_plan = import_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")), organization=other)
    actual = Actual.objects.create(
        indicator=indicator_15(demo), month=2, service=demo.service("abonement"), value=86420
    )
    printed = sum(
        Actual.objects.filter(indicator=indicator_15(demo))
        .exclude(pk=actual.pk)
        .values_list("value", flat=True)
    )
    with_it, without_it = f">{printed + 86420}<", f">{printed}<"
    visit_all(demo)
    assert with_it in visit_all(demo)["centre"]
    client.force_login(demo.users["admin"])
    other_indicator = Indicator.objects.get(item__plan=other_plan, item__number="15")
    change = reverse("admin:plans_actual_change", args=[actual.pk])
    response = client.post(
        change,
        {
            "indicator": other_indicator.pk,
            "month": 2,
            "service": other.services.get(name=actual.service.name).pk,
            "value": 86420,
            "note": "",
        },
    )
    assert response.status_code == 302
    after = visit_all(demo)["centre"]
    assert with_it not in after and without_it in after


def test_closing_the_month_turns_the_table_read_only(client, demo):
    save_button = 'name="save"'
    assert save_button in visit_all(demo)["entry"]
    client.force_login(demo.users["direktor"])
    url = reverse("plans:entry-month-lock", kwargs={"year": 2024, "month": 4})
    assert client.post(url, {"action": "close", "centre": demo.district.pk}).status_code == 302
    assert save_button not in visit_all(demo)["entry"]


def test_a_withdrawn_complete_mark_is_shown_at_once(demo):
    head = Client()
    head.force_login(demo.users["boshliq-abonement"])
    url = reverse(
        "plans:entry-complete", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk}
    )
    head.post(url, {"confirm_empty": "999"})
    completed = visit_all(demo)["centre"].count('class="complete"')
    head.post(url, {"action": "withdraw"})
    assert visit_all(demo)["centre"].count('class="complete"') == completed - 1


def test_a_renamed_person_is_shown_by_the_new_name(demo):
    save_on_entry_page(demo, "xodim-abonement", "7", "")
    assert "Xodim ZXQ" not in visit_all(demo)["indicator"]
    user = demo.users["xodim-abonement"]
    user.first_name, user.last_name = "Xodim", "ZXQ"
    user.save()
    assert "Xodim ZXQ" in visit_all(demo)["indicator"]


def test_the_next_day_is_rendered_afresh(demo, settings):
    # On 3 April March is open; after the lock day (the 5th) it closes without anything saved.
    month_3 = reverse(
        "plans:entry", kwargs={"year": 2024, "month": 3, "service": demo.service("abonement").pk}
    )
    client = Client()
    client.force_login(demo.users["xodim-abonement"])
    assert 'name="save"' in client.get(month_3).content.decode()
    settings.AKM_TODAY = datetime.date(2024, 4, 20)
    assert 'name="save"' not in client.get(month_3).content.decode()


def test_each_language_has_its_own_content(client, demo):
    client.force_login(demo.users["direktor"])
    url = reverse("plans:centre-dashboard")
    assert "выполнение плана" not in client.get(url).content.decode()
    client.cookies["django_language"] = "ru"
    assert "выполнение плана" in client.get(url).content.decode()


def test_what_depends_on_the_person_stays_theirs(demo):
    """The service dashboard links back to the centre's only for those who may see the centre,
    whoever visited first."""
    abonement = demo.service("abonement")
    url = reverse("plans:service-dashboard", kwargs={"service": abonement.pk})
    centre_link = reverse("plans:centre-dashboard") + "?centre="
    staff, manager = Client(), Client()
    staff.force_login(demo.users["xodim-abonement"])
    manager.force_login(demo.users["direktor"])
    assert centre_link not in staff.get(url).content.decode()
    assert centre_link in manager.get(url).content.decode()
    assert centre_link not in staff.get(url).content.decode()


def test_links_carry_the_chosen_filters_not_whatever_the_address_had(client, demo):
    client.force_login(demo.users["direktor"])
    html = client.get(reverse("plans:centre-dashboard"), {"month": 3, "junk": "x<y"}).content.decode()
    # (The language switch, outside the content, returns to the address as it was.)
    content = html[html.index("<main") : html.index("</main>")]
    assert "junk" not in content
    assert "month=3" in html
