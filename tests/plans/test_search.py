"""Search where the five apostrophe forms of Uzbek writing match each other."""
import pytest

from plans.models import PlanItem
from plans.search import normalise_apostrophes, search_numbered, search_terms

FORMS = ["'", "\u2018", "\u2019", "\u02bb", "\u02bc"]


@pytest.mark.parametrize("form", FORMS)
def test_normalise_apostrophes_writes_every_form_as_the_plain_one(form):
    assert normalise_apostrophes(f"ma{form}lumot o{form}quv") == "ma'lumot o'quv"


def test_search_terms_keep_a_plain_apostrophe_inside_a_word():
    assert search_terms("o'quv ma'lumot") == ["o'quv", "ma'lumot"]


def test_search_terms_keep_double_quoted_phrases_whole():
    assert search_terms('"kitob berilishi" 16') == ["kitob berilishi", "16"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", FORMS)
def test_search_finds_titles_whatever_apostrophe_either_side_uses(plan_2024, typed):
    items = list(PlanItem.objects.filter(plan=plan_2024).order_by("order")[:5])
    for item, stored in zip(items, FORMS, strict=True):
        item.title = f"Yangi o{stored}quv ma{stored}lumotlar bazasi"
        item.save()

    found = search_numbered(
        PlanItem.objects.all(),
        f"o{typed}quv ma{typed}lumotlar",
        number_field="number",
        text_fields=("title",),
    )

    assert sorted(found, key=lambda item: item.order) == items


@pytest.mark.django_db
def test_search_by_number_finds_the_item_and_its_sub_items_only(plan_2024):
    found = search_numbered(PlanItem.objects.all(), "12", number_field="number", text_fields=("title",))

    assert sorted(found.values_list("number", flat=True)) == ["12", "12.1", "12.2", "12.3", "12.4"]


@pytest.mark.django_db
def test_search_needs_every_term_to_match(plan_2024):
    found = search_numbered(
        PlanItem.objects.all(), "kitob zzzz", number_field="number", text_fields=("title",)
    )

    assert not found.exists()
