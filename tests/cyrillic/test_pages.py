"""Pages, the plan's text and the quarterly report in Uzbek Cyrillic."""
import datetime
import html
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from common.cyrillic import KEPT_LATIN, to_cyrillic
from plans.models import CyrillicText, PlanItem
from plans.search import search_numbered
from reports.pdf import render_pdf
from reports.tables import build_table
from reports.xlsx import render_xlsx

pytestmark = pytest.mark.django_db
ON = datetime.date(2024, 4, 3)

# Latin words a Cyrillic page may hold: people's login names, technical words (common.cyrillic
# KEPT_LATIN), Roman numerals.
ALLOWED = {word.lower() for word in KEPT_LATIN} | {"i", "ii", "iii", "iv", "v"}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def latin_words(page: str, names: set[str]) -> set[str]:
    """Latin words the rules would write in Cyrillic (so not a foreign word kept as written:
    "Central Asia"), other than people's names."""
    words = set(re.findall(r"[A-Za-z][A-Za-z'ʻʼ‘’]{2,}", visible_text(page)))
    return {
        word for word in words
        if word.lower() not in ALLOWED | names and to_cyrillic(word) != word
    }


def cyrillic_client(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "uz-cyrl"
    return client


def test_the_language_switch_offers_uzbek_cyrillic(client, demo):
    page = cyrillic_client(client, demo.users["direktor"]).get(reverse("plans:centre-dashboard"))
    text = page.content.decode()
    assert '<html lang="uz-cyrl">' in text
    assert 'value="uz-cyrl"' in text and "Ўзбекча" in text
    assert "Oʻzbek tili" in text  # each language in its own name


@pytest.mark.parametrize(
    "url",
    [
        lambda demo: reverse("plans:centre-dashboard"),
        lambda demo: reverse("plans:entry-overview", kwargs={"year": 2024, "month": 3}),
        lambda demo: reverse(
            "plans:entry", kwargs={"year": 2024, "month": 3, "service": demo.service("akt").pk}
        ),
        lambda demo: reverse(
            "plans:indicator",
            kwargs={"indicator": PlanItem.objects.get(plan=demo.plan, number="4").indicators.get().pk},
        ),
        lambda demo: reverse("reports:detail", kwargs={"plan_id": demo.plan.pk, "quarter": 1}),
        lambda demo: reverse("reports:list"),
        lambda demo: reverse("plans:service-dashboard", kwargs={"service": demo.service("akt").pk}),
        lambda demo: reverse(
            "plans:entry-history",
            kwargs={"indicator": PlanItem.objects.get(plan=demo.plan, number="4").indicators.get().pk},
        ),
        lambda demo: reverse("notices:profile"),
    ],
    ids=[
        "dashboard", "entry overview", "entry", "indicator", "report", "reports", "service", "history",
        "profile",
    ],
)
def test_a_cyrillic_page_has_no_latin_uzbek_left(client, demo, url):
    response = cyrillic_client(client, demo.users["direktor"]).get(url(demo))
    assert response.status_code == 200
    assert latin_words(response.content.decode(), people(demo)) == set()


def people(demo) -> set[str]:
    """People's names as they wrote them; the languages' own names (Oʻzbek tili, Oʻzbekcha, English)."""
    return {user.username.lower() for user in demo.users.values()} | {
        part.lower().strip("():,") for user in demo.users.values() for part in user.get_full_name().split()
    } | {"oʻzbek", "tili", "oʻzbekcha", "english"}


# An uploaded file keeps its name as uploaded (not transliterated).
UPLOADED = "tadbir-surati.jpg"


@pytest.fixture
def recent(demo):
    """What the pages added lately show: a photo of April's figure, the region's template plan with
    its consolidated report on the first quarter sent."""
    from evidence.actions import do_add_files
    from plans.models import Plan
    from reports.workflow import do_submit_consolidated
    from tests.evidence import samples

    abonement = demo.service("abonement")
    indicator = PlanItem.objects.get(plan=demo.plan, number="15").indicators.get()
    do_add_files(indicator, 4, abonement, [(UPLOADED, samples.photo())], acting_user=demo.users["direktor"])
    template = Plan.objects.create(organization=demo.regional, year=2024, kind=Plan.Kind.TEMPLATE)
    do_submit_consolidated(template, 1, acting_user=demo.users["viloyat"])
    return {"abonement": abonement, "indicator": indicator, "template": template}


@pytest.mark.parametrize(
    ("account", "url"),
    [
        ("viloyat", lambda demo, recent: reverse("region:dashboard")),
        ("direktor", lambda demo, recent: reverse("plans:plan", kwargs={"plan": demo.plan.pk})),
        ("direktor", lambda demo, recent: reverse("plans:plan-year", kwargs={"plan": demo.plan.pk})),
        ("viloyat", lambda demo, recent: reverse("reports:consolidated_list")),
        ("viloyat", lambda demo, recent: reverse(
            "reports:consolidated", kwargs={"template_id": recent["template"].pk, "quarter": 1}
        )),
        ("direktor", lambda demo, recent: reverse(
            "evidence:figure",
            kwargs={"indicator": recent["indicator"].pk, "month": 4, "service": recent["abonement"].pk},
        )),
    ],
    ids=["region", "plan", "year", "consolidated list", "consolidated", "evidence"],
)
def test_a_recent_cyrillic_page_has_no_latin_uzbek_left(client, demo, recent, account, url):
    response = cyrillic_client(client, demo.users[account]).get(url(demo, recent))
    assert response.status_code == 200
    text = response.content.decode()
    assert latin_words(text.replace(UPLOADED, ""), people(demo)) == set()
    # Nor in attributes and charts (a title, an aria-label): the centres' names.
    assert "Sharof Rashidov" not in text and "Jizzax" not in text


def test_the_month_sheets_preview_in_cyrillic_has_no_latin_uzbek_left(client, demo):
    from plans.month_sheet import FIRST_ROW, ID
    from tests.plans.test_month_sheet import download, fill, upload

    abonement = demo.service("abonement")
    cyrillic_client(client, demo.users["xodim-abonement"])
    book = download(client, demo.plan, 4, abonement)
    sheet = book.active
    ids = [sheet.cell(line, ID).value for line in range(FIRST_ROW, sheet.max_row + 1)]
    assert ids
    preview = upload(client, demo.plan, 4, abonement, fill(book, {ids[0]: (120, "")}))
    assert preview.status_code == 200 and preview.context["changes"]
    assert latin_words(preview.content.decode(), people(demo)) == set()


def test_the_plans_text_is_shown_in_cyrillic_and_a_stored_correction_wins(client, demo):
    item = PlanItem.objects.get(plan=demo.plan, number="4")
    url = reverse("plans:centre-dashboard")
    page = cyrillic_client(client, demo.users["direktor"]).get(url).content.decode()
    assert "Шароф Рашидов туман ахборот-кутубхона марказлари ҳисоботларини жамлаш" in page
    CyrillicText.objects.create(latin=item.title, cyrillic="Шароф Рашидов туман АКМлари ҳисоботлари")

    page = client.get(url).content.decode()

    assert "Шароф Рашидов туман АКМлари ҳисоботлари" in page
    assert "Sharof Rashidov" not in page


def test_latin_readers_see_the_plan_as_stored(client, demo):
    client.force_login(demo.users["direktor"])
    page = client.get(reverse("plans:centre-dashboard")).content.decode()
    assert "Sharof Rashidov tuman axborot-kutubxona markazlari" in page
    assert "Шароф" not in page


def test_a_correction_is_unique_by_its_latin_text(demo):
    CyrillicText.objects.create(latin="Dona", cyrillic="Дона")
    duplicate = CyrillicText(latin="Dona", cyrillic="Донна")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert refused.value.message_dict["latin"] == ["This text already has a Cyrillic correction."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_search_finds_latin_text_by_its_cyrillic_spelling(demo):
    items = PlanItem.objects.filter(plan=demo.plan)
    latin = set(search_numbered(items, "so‘rovnoma", number_field="number", text_fields=("title",)))
    cyrillic = set(search_numbered(items, "сўровнома", number_field="number", text_fields=("title",)))
    assert latin and cyrillic == latin


@pytest.mark.parametrize(("latin", "cyrillic"), [("so‘rovnoma", "сўровнома"), ("ma’lumot", "маълумот")])
def test_the_admins_item_search_finds_the_same_items_by_either_spelling(client, demo, latin, cyrillic):
    cyrillic_client(client, demo.users["admin"])
    url = reverse("admin:plans_planitem_changelist")

    def found(term):
        response = client.get(url, {"q": term})
        assert response.status_code == 200
        return {item.pk for item in response.context["cl"].result_list}

    assert found(latin) and found(cyrillic) == found(latin)


def test_the_quarterly_pdf_in_cyrillic(plan_2024):
    with translation.override("uz-cyrl"):
        content = render_pdf(build_table(plan_2024, 1), on=ON)
    reader = PdfReader(io.BytesIO(content))
    first = " ".join(reader.pages[0].extract_text().split())
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "2024 йил I чорак" in first
    assert "ҳисобот" in first.lower()
    every_page = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ахборот-библиография хизмати" in every_page
    assert "Директор" in last
    assert not re.search(r"\b(?:yil|chorak|xizmati|hisobot)\b", first + last)


def test_the_quarterly_xlsx_in_cyrillic(plan_2024):
    with translation.override("uz-cyrl"):
        content = render_xlsx(build_table(plan_2024, 1), on=ON)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert any("Ахборот-библиография хизмати" in cell for cell in cells)
    assert not any(re.search(r"\bxizmati\b", cell) for cell in cells)


@pytest.mark.parametrize("name", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_the_shipped_font_has_the_uzbek_cyrillic_letters(name):
    from django.conf import settings
    from fontTools.ttLib import TTFont

    cmap = TTFont(settings.BASE_DIR / "static" / "fonts" / name).getBestCmap()
    assert [letter for letter in "ўЎқҚғҒҳҲъЪёЁ" if ord(letter) not in cmap] == []


def test_a_notice_in_cyrillic_names_the_centre_in_cyrillic(demo):
    from notices.messages import render

    data = {"v": 1, "centre": "Sharof Rashidov tuman AKM", "year": 2024, "quarter": 1, "due": "2024-04-10"}
    with translation.override("uz-cyrl"):
        message = render("report_due", data)
    assert message.lines == ["Шароф Рашидов туман АКМ уни ҳали юбормаган."]
    assert "2024" in message.title and "чорак" in message.title


def test_the_national_dashboard_in_cyrillic_has_no_latin_uzbek_left(client, demo):
    """The nation's page with the demo region (its districts' figures, reports sent and returned)
    and a region without a plan."""
    from django.contrib.auth import get_user_model

    from demo.district import load_demo
    from services.models import Organization

    load_demo(password="demo-password", region=True)
    demo.users = {user.username: user for user in get_user_model().objects.all()}
    Organization.objects.create(
        name="Samarqand viloyati axborot-kutubxona markazi",
        kind=Organization.Kind.REGIONAL,
        parent=demo.regional.parent,
    )
    response = cyrillic_client(client, demo.users["milliy"]).get(reverse("region:nation"))
    assert response.status_code == 200
    assert [row.has_plan for row in response.context["overview"].rows] == [True, False]
    assert response.context["overview"].rows[0].tally.returned
    text = response.content.decode()
    assert "Жиззах вилояти" in text and "Самарқанд вилояти" in text
    assert "2024 йил учун режа йўқ." in text
    assert latin_words(text, people(demo)) == set()
    # Nor in attributes and charts (a title, an aria-label): the centres' names.
    assert "Jizzax" not in text and "Samarqand" not in text
