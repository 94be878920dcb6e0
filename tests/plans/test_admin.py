"""The plan's admin: each page answers within pinned queries, editing works, and it reads in Uzbek."""
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Actual, Deadline, Indicator, Plan, PlanItem, Section, Target, Unit
from plans.pacing import DeadlineKind
from services.models import Organization, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(demo):
    """The demo's administrator, a superuser."""
    user = demo.users["admin"]
    assert user.is_superuser
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def form_data(response) -> dict:
    """The POST data of an admin change form as rendered: the object and its inlines unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    if "amendment_reason" in response.context["adminform"].form.fields:
        # The demo's plan is approved: a change says why (plans.admin_amendments).
        data["amendment_reason"] = "Reja tuzatildi"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


EMPTY_TARGETS = {
    "targets-TOTAL_FORMS": "0",
    "targets-INITIAL_FORMS": "0",
    "targets-MIN_NUM_FORMS": "0",
    "targets-MAX_NUM_FORMS": "4",
}


def leaf_indicator(plan: Plan, number: str = "15") -> Indicator:
    return Indicator.objects.get(item__plan=plan, item__number=number)


# (model, how many queries its change list, add form and change form may take at most). The
# change form of a plan's structure asks once whether the plan is approved (a change must say why).
PAGES = [
    (Plan, 7, 4, 7),
    (Section, 7, 5, 6),
    (Unit, 5, 3, 3),
    (Deadline, 7, 5, 6),
    (PlanItem, 10, 5, 11),
    (Indicator, 8, 3, 7),
    (Target, 8, 3, 8),
    (Actual, 10, 3, 9),
]


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[0]) for m, *q in PAGES], ids=lambda v: str(v))
def test_change_list_answers(admin_client, plan_2024, django_assert_max_num_queries, model, max_queries):
    url = reverse(f"admin:plans_{model._meta.model_name}_changelist")

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[1]) for m, *q in PAGES], ids=lambda v: str(v))
def test_add_form_answers(admin_client, plan_2024, django_assert_max_num_queries, model, max_queries):
    url = reverse(f"admin:plans_{model._meta.model_name}_add")

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "max_queries"), [(m, q[2]) for m, *q in PAGES], ids=lambda v: str(v))
def test_change_form_answers(admin_client, plan_2024, django_assert_max_num_queries, model, max_queries):
    # The 2024 plan, its first item and that item's indicator, targets and actuals.
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:plans_{model._meta.model_name}_change", args=[obj.pk])

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_item_change_form_shows_indicators_linked_to_their_own_page(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="31")

    response = admin_client.get(reverse("admin:plans_planitem_change", args=[item.pk]))

    for indicator in item.indicators.all():
        assert reverse("admin:plans_indicator_change", args=[indicator.pk]) in response.content.decode()


def test_indicator_change_form_shows_its_quarter_targets_inline(admin_client, plan_2024):
    indicator = leaf_indicator(plan_2024)

    response = admin_client.get(reverse("admin:plans_indicator_change", args=[indicator.pk]))

    (targets,) = [i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is Target]
    assert len(targets.forms) == indicator.targets.count() == 4


def test_item_change_list_filters_by_deadline_kind(admin_client, plan_2024):
    url = reverse("admin:plans_planitem_changelist")

    response = admin_client.get(url, {"deadline__kind": DeadlineKind.TWICE_A_YEAR})

    assert [item.number for item in response.context["cl"].result_list] == ["32"]


@pytest.mark.parametrize("typed", ["'", "\u2018", "\u2019", "\u02bb", "\u02bc"])
def test_item_change_list_search_matches_any_apostrophe(admin_client, plan_2024, typed):
    # Item 26 is printed "To‘liq ma’lumotlar bazasini shakllantirish".
    search = f'"to{typed}liq ma{typed}lumotlar bazasini"'

    response = admin_client.get(reverse("admin:plans_planitem_changelist"), {"q": search})

    assert [item.number for item in response.context["cl"].result_list] == ["26"]


def test_item_autocomplete_uses_the_same_search(admin_client, plan_2024):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "sovg'a", "app_label": "plans", "model_name": "planitem", "field_name": "parent"},
    )

    assert [row["text"] for row in response.json()["results"]] == ["12.4. Sovg‘a tariqasida"]


def test_changing_an_annual_target_inline_derives_its_quarter_targets(admin_client, plan_2024):
    indicator = leaf_indicator(plan_2024)
    item = indicator.item
    url = reverse("admin:plans_planitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    data["indicators-0-annual_target"] = "400"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    # Item 15 is due "2024-yil davomida": a quarter of the year's figure each quarter.
    assert list(indicator.targets.values_list("value", flat=True)) == [100, 100, 100, 100]


def test_changing_an_annual_target_derives_quarter_targets_left_alone(admin_client, plan_2024):
    indicator = leaf_indicator(plan_2024)
    url = reverse("admin:plans_indicator_change", args=[indicator.pk])
    data = form_data(admin_client.get(url))
    data["annual_target"] = "800"

    admin_client.post(url, data)

    assert list(indicator.targets.values_list("value", flat=True)) == [200, 200, 200, 200]


def test_quarter_targets_typed_with_the_annual_target_are_kept(admin_client, plan_2024):
    indicator = leaf_indicator(plan_2024)
    url = reverse("admin:plans_indicator_change", args=[indicator.pk])
    data = form_data(admin_client.get(url))
    data["annual_target"] = "800"
    data.update({f"targets-{i}-value": str(value) for i, value in enumerate([500, 100, 100, 100])})

    admin_client.post(url, data)

    assert list(indicator.targets.values_list("value", flat=True)) == [500, 100, 100, 100]


def test_an_indicator_on_a_parent_item_is_refused_with_a_message(admin_client, plan_2024):
    parent = PlanItem.objects.get(plan=plan_2024, number="12")
    url = reverse("admin:plans_indicator_add")

    response = admin_client.post(
        url, {"item": parent.pk, "label": "Jami", "annual_target": "5", "order": "0", **EMPTY_TARGETS}
    )

    assert response.status_code == 200
    assert not Indicator.objects.filter(item=parent).exists()
    assert response.context["adminform"].form.non_field_errors()


def test_a_sub_item_under_an_item_with_figures_is_refused_on_its_parent_field(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="16")
    url = reverse("admin:plans_planitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    data["parent"] = str(PlanItem.objects.get(plan=plan_2024, number="15").pk)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


def test_saving_an_actual_records_who_entered_it(admin_client, superuser, plan_2024):
    actual = Actual.objects.filter(indicator__item__plan=plan_2024).first()
    url = reverse("admin:plans_actual_change", args=[actual.pk])
    data = form_data(admin_client.get(url))
    data["value"] = str(actual.value + 1)

    admin_client.post(url, data)

    actual.refresh_from_db()
    assert actual.entered_by == superuser


def test_audit_fields_of_an_actual_are_read_only(admin_client, plan_2024):
    actual = Actual.objects.filter(indicator__item__plan=plan_2024).first()

    response = admin_client.get(reverse("admin:plans_actual_change", args=[actual.pk]))

    form = response.context["adminform"].form
    assert "entered_by" not in form.fields
    assert "entered_at" not in form.fields


@pytest.mark.parametrize("model", [PlanItem, Indicator, Target, Actual], ids=lambda m: m.__name__)
def test_history_page_answers(admin_client, plan_2024, model):
    obj = model.objects.order_by("pk").first()

    response = admin_client.get(reverse(f"admin:plans_{model._meta.model_name}_history", args=[obj.pk]))

    assert response.status_code == 200


# --- The admin in Uzbek --------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a person sees on a page: text nodes outside scripts, button labels, placeholders.
    Machine names shown as code (a file's column names) are the same in every language."""

    HIDDEN = {"script", "style", "noscript", "template", "code"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.parts.append(attrs["value"])
        if attrs.get("placeholder"):
            self.parts.append(attrs["placeholder"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_words(response) -> set[str]:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return {word.lower() for word in re.findall(r"[A-Za-z]{2,}", " ".join(parser.parts))}


# Words spelt the same in English and Uzbek, names that are not translated, and the Uzbek words
# the English interface quotes (“barcha xizmatlar”).
SAME_IN_UZBEK = {"import", "format", "csv", "xlsx", "id", "admin", "barcha", "xizmatlar"}


def data_words() -> set[str]:
    """Every word of the data the pages show (the plan's Uzbek text, names): not interface."""
    texts = [
        *PlanItem.objects.values_list("title", flat=True),
        *PlanItem.objects.values_list("steps", flat=True),
        *PlanItem.objects.values_list("note", flat=True),
        *Indicator.objects.values_list("label", flat=True),
        *Section.objects.values_list("title", flat=True),
        *Deadline.objects.values_list("text", flat=True),
        *Unit.objects.values_list("name", flat=True),
        *Organization.objects.values_list("name", flat=True),
        *Service.objects.values_list("name", flat=True),
        *get_user_model().objects.values_list("username", flat=True),
        *get_user_model().objects.values_list("first_name", flat=True),
    ]
    return {word.lower() for word in re.findall(r"[A-Za-z]{2,}", " ".join(texts))}


def english_left(client, url: str) -> set[str]:
    """English interface words that the Uzbek page still shows.

    The English words of the interface are those of the English rendering that are not words
    of the data the page shows (the plan's own Uzbek text, names, numbers).
    """
    english = visible_words(client.get(url, HTTP_ACCEPT_LANGUAGE="en")) - data_words() - SAME_IN_UZBEK
    assert english, "the English page shows no interface words: the comparison would prove nothing"
    return visible_words(client.get(url, HTTP_ACCEPT_LANGUAGE="uz")) & english


def test_login_page_in_uzbek_has_no_english_words(client, db):
    assert english_left(client, reverse("admin:login")) == set()


def test_login_page_in_uzbek_asks_for_username_and_password_in_uzbek(client, db):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="uz")

    assert {"foydalanuvchi", "nomi", "parol", "kirish"} <= visible_words(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:plans_planitem_changelist"),
        reverse("admin:plans_indicator_changelist"),
        reverse("admin:plans_actual_changelist"),
        reverse("admin:plans_planitem_add"),
        reverse("admin:plans_indicator_import"),
        reverse("admin:plans_actual_import"),
        reverse("admin:plans_actual_export"),
    ],
    ids=[
        "index", "item list", "indicator list", "actual list", "item add form", "indicator import",
        "actual import", "actual export",
    ],
)
def test_admin_pages_in_uzbek_have_no_english_words(admin_client, plan_2024, url):
    assert english_left(admin_client, url) == set()


def test_item_change_form_in_uzbek_has_no_english_words(admin_client, plan_2024):
    item = PlanItem.objects.get(plan=plan_2024, number="31")

    assert english_left(admin_client, reverse("admin:plans_planitem_change", args=[item.pk])) == set()


def add_item_in_the_admin(admin_client, plan, number: str, **fields) -> PlanItem:
    """An item added through the admin's add form, with the order left as the form offers it."""
    url = reverse("admin:plans_planitem_add")
    data = form_data(admin_client.get(url))
    like = PlanItem.objects.get(plan=plan, number="12.4")
    data.update(
        {
            "plan": str(plan.pk),
            "section": str(like.section_id),
            "number": number,
            "title": f"Yangi band {number}",
            "unit": str(like.unit_id),
            "deadline": str(like.deadline_id),
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
            **fields,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return PlanItem.objects.get(plan=plan, number=number)


def test_a_new_item_with_no_order_is_placed_by_its_number(admin_client, plan_2024):
    assert form_data(admin_client.get(reverse("admin:plans_planitem_add"))).get("order") is None
    add_item_in_the_admin(admin_client, plan_2024, "12.5")
    numbers = list(PlanItem.objects.filter(plan=plan_2024).order_by("order").values_list("number", flat=True))
    assert numbers[numbers.index("12.4") + 1] == "12.5"
    assert numbers[numbers.index("12.5") + 1] == "13"
    orders = list(PlanItem.objects.filter(plan=plan_2024).values_list("order", flat=True))
    assert len(set(orders)) == len(orders)


def test_a_new_item_prints_under_its_section_once_in_the_report(admin_client, plan_2024):
    from reports.tables import SECTION, build_table

    item = add_item_in_the_admin(admin_client, plan_2024, "17.1", parent="")
    Indicator.objects.create(item=item, annual_target=5)
    sections = [row.number for row in build_table(plan_2024, 1).rows if row.kind == SECTION]
    assert sections == sorted(set(sections), key=sections.index)
    assert len(sections) == len(set(sections))


def test_a_given_order_is_kept(admin_client, plan_2024):
    item = add_item_in_the_admin(admin_client, plan_2024, "12.5", order="1")
    assert item.order == 1


def test_admin_counts_say_a_number_as_uzbek_does(admin_client, plan_2024):
    """After a number the noun stays singular in Uzbek: "5 ta bo‘lim", not "5 bo‘limlar"."""
    html = admin_client.get(reverse("admin:plans_section_changelist")).content.decode()
    assert "5 ta bo‘lim" in html
    assert "5 bo‘limlar" not in html
    # A target is named by its quarter in Roman numerals (its change page's title and crumbs).
    target = Target.objects.filter(indicator__item__plan=plan_2024, quarter=1).first()
    page = admin_client.get(reverse("admin:plans_target_change", args=[target.pk])).content.decode()
    assert "· I chorak" in page and "· Q1" not in page
