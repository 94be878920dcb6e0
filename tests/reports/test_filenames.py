"""Report file names (common.filenames): Latin, unique per centre, bounded; downloads and the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from common.filenames import content_disposition, transliterate
from plans.exchange import import_plan, plan_to_dict
from reports.filenames import report_filename
from services.models import Organization

TASHKENT = "Тошкент шаҳар ахборот-кутубхона маркази"
SAMARKAND = "Самарқанд вилояти ахборот-кутубхона маркази"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        (
            "Шароф Рашидов тумани ахборот-кутубхона маркази",
            "Sharof Rashidov tumani axborot-kutubxona markazi",
        ),
        ("Қўшработ туман АКМ", "Qoshrabot tuman AKM"),
        ("Ғаллаорол", "Gallaorol"),
        ("Ҳаёт", "Hayot"),
        ("Центральная библиотека", "Tsentralnaya biblioteka"),
        ("Елена, поезд, объект", "Yelena, poyezd, obyekt"),
        ("Oʻzbekiston Milliy kutubxonasi", "Ozbekiston Milliy kutubxonasi"),
        ("Jizzax viloyati", "Jizzax viloyati"),
    ],
)
def test_transliterate_writes_uzbek_and_russian_cyrillic_in_latin(cyrillic, latin):
    assert transliterate(cyrillic) == latin


def _name(centre: str, centre_id: int = 7, version: int | None = 2) -> str:
    return report_filename(
        centre=centre, centre_id=centre_id, year=2024, quarter=1, extension="pdf", version=version
    )


def test_two_cyrillic_centres_get_two_readable_names():
    assert _name(TASHKENT, 7) == "toshkent-shahar-axborot-kutubxona-markazi-id7-2024-q1-v2.pdf"
    assert _name(SAMARKAND, 8) == "samarqand-viloyati-axborot-kutubxona-markazi-id8-2024-q1-v2.pdf"


def test_centres_whose_names_read_alike_differ_by_their_id():
    assert _name("Марказ", 3) != _name("Markaz", 4)


def test_a_draft_is_named_a_draft():
    assert _name("AKM", 3, version=None) == "akm-id3-2024-q1-draft.pdf"


def test_a_300_character_name_is_cut_at_a_word_to_a_bounded_length():
    name = _name("Ахборот-кутубхона " * 17 + "маркази", 12345)
    assert len("Ахборот-кутубхона " * 17 + "маркази") >= 300
    assert len(name) <= 120
    assert name.startswith("axborot-kutubxona-axborot")
    assert name.endswith("-id12345-2024-q1-v2.pdf")
    assert "--" not in name


def test_a_name_without_latin_or_cyrillic_letters_still_names_the_file():
    assert _name("北京 / ../..", 5) == "akm-id5-2024-q1-v2.pdf"


def test_content_disposition_sends_both_plain_and_encoded_names():
    assert content_disposition("akm-id5-2024-q1-v2.pdf") == (
        "attachment; filename=\"akm-id5-2024-q1-v2.pdf\"; filename*=UTF-8''akm-id5-2024-q1-v2.pdf"
    )
    header = content_disposition('o‘quv "zal"; ч.pdf')
    assert header == (
        'attachment; filename="oquv _zal_; ch.pdf"; '
        "filename*=UTF-8''o%E2%80%98quv%20%22zal%22%3B%20%D1%87.pdf"
    )


# Downloads and the batch command.


@pytest.fixture
def cyrillic_plans(plan_2024):
    """The demo's plan under a Cyrillic name, and the same plan for a second Cyrillic centre."""
    data = plan_to_dict(plan_2024)
    plan_2024.organization.name = TASHKENT
    plan_2024.organization.save()
    other = Organization.objects.create(name=SAMARKAND, kind=Organization.Kind.DISTRICT)
    return [plan_2024, import_plan(data, organization=other)]


def test_download_is_named_in_latin_with_the_centres_id(client, cyrillic_plans, demo):
    plan = cyrillic_plans[0]
    client.force_login(demo.users["direktor"])
    response = client.get(reverse("reports:xlsx", kwargs={"plan_id": plan.pk, "quarter": 1}))
    name = f"toshkent-shahar-axborot-kutubxona-markazi-id{plan.organization_id}-2024-q1-draft.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def _batch(tmp_path, **options) -> str:
    out = io.StringIO()
    call_command(
        "quarterly_report",
        year=2024,
        quarter=1,
        file_format="xlsx",
        output=str(tmp_path),
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_batch_writes_one_file_for_each_cyrillic_centre(cyrillic_plans, tmp_path):
    _batch(tmp_path)
    ids = {plan.organization.name: plan.organization_id for plan in cyrillic_plans}
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"samarqand-viloyati-axborot-kutubxona-markazi-id{ids[SAMARKAND]}-2024-q1-draft.xlsx",
        f"toshkent-shahar-axborot-kutubxona-markazi-id{ids[TASHKENT]}-2024-q1-draft.xlsx",
    ]


def test_batch_writes_a_centre_with_the_longest_name_a_centre_can_have(plan_2024, tmp_path):
    plan_2024.organization.name = "Ахборот-кутубхона маркази " * 9 + "А" * 21  # 255 characters
    assert len(plan_2024.organization.name) == 255
    plan_2024.organization.save()
    _batch(tmp_path)
    [path] = tmp_path.iterdir()
    assert path.name.endswith(f"-id{plan_2024.organization_id}-2024-q1-draft.xlsx")
    assert len(path.name) <= 120


def test_batch_never_overwrites_a_file_and_says_which_name_it_used(plan_2024, tmp_path):
    _batch(tmp_path)
    [first] = tmp_path.iterdir()
    first.write_bytes(b"kept")
    said = _batch(tmp_path)
    copy = first.with_name(first.stem + "-copy2.xlsx")
    assert first.read_bytes() == b"kept"
    assert copy.stat().st_size > 0
    assert f"{copy} ({first.name} exists; not overwritten)" in said


def test_a_named_output_that_exists_is_refused_and_kept(plan_2024, tmp_path):
    target = tmp_path / "q1.xlsx"
    target.write_bytes(b"kept")
    with pytest.raises(CommandError, match="exists"):
        call_command(
            "quarterly_report", year=2024, quarter=1, centre=str(plan_2024.organization_id),
            file_format="xlsx", output=str(target), stdout=io.StringIO(),
        )  # fmt: skip
    assert target.read_bytes() == b"kept"
