"""The month sheet: download, fill in with openpyxl, upload, preview, confirm; and every refusal."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.clock import now
from plans.entry import do_close_month, do_reopen_month
from plans.models import Actual, Indicator, Plan
from plans.month_sheet import FIRST_ROW, ID, IDENTITY_ROW, LOADED_VALUE, NOTE, VALUE

pytestmark = pytest.mark.django_db


def urls(plan, month, service):
    kwargs = {"year": plan.year, "month": month, "service": service.pk}
    return {
        name: reverse(f"plans:entry-{name}", kwargs=kwargs)
        for name in ("sheet", "sheet-upload", "sheet-confirm")
    } | {"entry": reverse("plans:entry", kwargs=kwargs)}


def indicator(plan, number, label=""):
    return Indicator.objects.get(item__plan=plan, item__number=number, label=label)


@pytest.fixture
def abonement(demo):
    return demo.service("abonement")


@pytest.fixture
def staff(client, demo):
    client.force_login(demo.users["xodim-abonement"])
    return client


def download(client, plan, month, service):
    response = client.get(urls(plan, month, service)["sheet"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def line_of(sheet, indicator_id):
    for line in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(line, ID).value == indicator_id:
            return line
    raise AssertionError(f"indicator {indicator_id} not in the sheet")


def fill(book, values: dict[int, tuple[object, object]]):
    sheet = book.active
    for indicator_id, (value, note) in values.items():
        line = line_of(sheet, indicator_id)
        sheet.cell(line, VALUE).value = value
        sheet.cell(line, NOTE).value = note
        if isinstance(note, str):
            sheet.cell(line, NOTE).data_type = "s"  # as Excel keeps text typed in a text cell
    return book


def as_file(book, name="oy.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(client, plan, month, service, book):
    return client.post(urls(plan, month, service)["sheet-upload"], {"sheet": as_file(book)})


def confirm(client, plan, month, service, preview):
    token = preview.context["token"]
    return client.post(urls(plan, month, service)["sheet-confirm"], {"token": token})


def test_sheet_lists_the_services_rows_in_plan_order_with_only_value_and_note_unlocked(
    staff, plan_2024, abonement
):
    response = staff.get(urls(plan_2024, 4, abonement)["entry"])
    page_ids = [row.indicator.pk for row, _f, _c in response.context["rows"]]
    sheet = download(staff, plan_2024, 4, abonement).active
    ids = [sheet.cell(line, ID).value for line in range(FIRST_ROW, sheet.max_row + 1)]
    assert ids == page_ids
    assert sheet.protection.sheet
    line = line_of(sheet, indicator(plan_2024, "15").pk)
    assert sheet.cell(line, 1).value == "15"
    assert sheet.cell(line, 4).value == 5114  # annual target
    assert sheet.cell(line, 5).value == 480  # done before April
    unlocked = [column for column in range(1, 11) if not sheet.cell(line, column).protection.locked]
    assert unlocked == [VALUE, NOTE]
    assert sheet.column_dimensions["H"].hidden and sheet.row_dimensions[IDENTITY_ROW].hidden


def test_round_trip_previews_every_change_and_saves_only_on_confirmation(staff, demo, plan_2024, abonement):
    visitors, loans = indicator(plan_2024, "15"), indicator(plan_2024, "16")
    Actual.objects.create(indicator=loans, month=4, service=abonement, value=50, note="")
    book = fill(
        download(staff, plan_2024, 4, abonement),
        {visitors.pk: (120, '=HYPERLINK("x")'), loans.pk: (75.0, "tuzatildi")},
    )
    preview = upload(staff, plan_2024, 4, abonement, book)
    assert preview.status_code == 200
    changes = [
        (c.row.indicator, c.old_value, c.new_value, c.new_note, c.conflict)
        for c in preview.context["changes"]
    ]
    assert changes == [
        (visitors, None, 120, '=HYPERLINK("x")', False),
        (loans, 50, 75, "tuzatildi", False),
    ]
    assert not Actual.objects.filter(indicator=visitors, month=4).exists()
    assert Actual.objects.get(indicator=loans, month=4).value == 50

    response = confirm(staff, plan_2024, 4, abonement, preview)
    assert response.status_code == 302
    assert response["Location"] == urls(plan_2024, 4, abonement)["entry"]
    saved = Actual.objects.get(indicator=visitors, month=4, service=abonement)
    assert (saved.value, saved.note, saved.entered_by) == (
        120,
        '=HYPERLINK("x")',
        demo.users["xodim-abonement"],
    )
    assert Actual.objects.get(indicator=loans, month=4).value == 75
    history = Actual.history.filter(indicator=loans, month=4).order_by("history_date", "history_id")
    assert [(h.history_type, h.value) for h in history] == [("+", 50), ("~", 75)]
    assert "Saqlandi: 2 ta o‘zgarish." in staff.get(response["Location"]).content.decode()
    # Downloaded again, the note is text, never a formula.
    sheet = download(staff, plan_2024, 4, abonement).active
    cell = sheet.cell(line_of(sheet, visitors.pk), NOTE)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_a_confirmation_is_used_once(staff, plan_2024, abonement):
    visitors = indicator(plan_2024, "15")
    book = fill(download(staff, plan_2024, 4, abonement), {visitors.pk: (10, "")})
    preview = upload(staff, plan_2024, 4, abonement, book)
    assert confirm(staff, plan_2024, 4, abonement, preview).status_code == 302
    again = confirm(staff, plan_2024, 4, abonement, preview)
    assert again.status_code == 400
    assert Actual.history.filter(indicator=visitors, month=4).count() == 1


def test_rows_in_error_get_the_web_forms_messages_and_nothing_is_kept(staff, plan_2024, abonement):
    visitors, loans, events = (
        indicator(plan_2024, "15"),
        indicator(plan_2024, "16"),
        indicator(plan_2024, "17"),
    )
    book = fill(
        download(staff, plan_2024, 4, abonement),
        {visitors.pk: (-3, ""), loans.pk: (2.5, ""), events.pk: (None, "izoh")},
    )
    preview = upload(staff, plan_2024, 4, abonement, book)
    assert preview.status_code == 400
    errors = {row.indicator: message for row, _line, _typed, message in preview.context["errors"]}
    sheet = book.active
    lines = {row.indicator: line for row, line, _typed, _message in preview.context["errors"]}
    assert lines[visitors] == line_of(sheet, visitors.pk)
    assert errors == {
        visitors: "Son manfiy bo‘lishi mumkin emas.",
        loans: "Butun son kiriting, kasr qismisiz.",
        events: "Izoh bilan birga son kiriting: shu oyda hech narsa qilinmagan bo‘lsa, 0 kiriting.",
    }
    assert preview.context["token"] == ""
    assert 'name="token"' not in preview.content.decode()
    assert not Actual.objects.filter(indicator__in=[visitors, loans, events], month=4).exists()


def test_what_others_saved_since_the_download_is_shown_as_a_conflict(
    client, staff, demo, plan_2024, abonement
):
    visitors = indicator(plan_2024, "15")
    book = fill(download(staff, plan_2024, 4, abonement), {visitors.pk: (120, "")})
    Actual.objects.create(
        indicator=visitors,
        month=4,
        service=abonement,
        value=99,
        note="boshqa",
        entered_by=demo.users["direktor"],
    )
    preview = upload(staff, plan_2024, 4, abonement, book)
    assert preview.status_code == 200
    [change] = preview.context["changes"]
    assert (change.old_value, change.new_value, change.conflict, change.changed_by) == (
        99,
        120,
        True,
        "Direktor (demo)",
    )
    assert preview.context["conflicts"] == 1
    assert confirm(staff, plan_2024, 4, abonement, preview).status_code == 302
    assert Actual.objects.get(indicator=visitors, month=4).value == 120


def test_a_save_between_preview_and_confirmation_is_previewed_again(staff, demo, plan_2024, abonement):
    visitors = indicator(plan_2024, "15")
    book = fill(download(staff, plan_2024, 4, abonement), {visitors.pk: (120, "")})
    preview = upload(staff, plan_2024, 4, abonement, book)
    Actual.objects.create(
        indicator=visitors, month=4, service=abonement, value=7, entered_by=demo.users["direktor"]
    )
    again = confirm(staff, plan_2024, 4, abonement, preview)
    assert again.status_code == 409
    [change] = again.context["changes"]
    assert (change.old_value, change.new_value, change.conflict) == (7, 120, True)
    assert Actual.objects.get(indicator=visitors, month=4).value == 7
    assert confirm(staff, plan_2024, 4, abonement, again).status_code == 302
    assert Actual.objects.get(indicator=visitors, month=4).value == 120


def test_an_unchanged_sheet_changes_nothing(staff, plan_2024, abonement):
    preview = upload(staff, plan_2024, 4, abonement, download(staff, plan_2024, 4, abonement))
    assert preview.status_code == 200
    assert preview.context["changes"] == []
    assert "hech narsani o‘zgartirmaydi" in preview.content.decode()


def refused_message(response):
    assert response.status_code == 400
    return response.context["message"]


def test_a_sheet_of_another_month_is_refused(staff, plan_2024, abonement):
    book = fill(download(staff, plan_2024, 3, abonement), {indicator(plan_2024, "15").pk: (5, "")})
    message = refused_message(upload(staff, plan_2024, 4, abonement, book))
    assert (
        message == "Bu varaq Mart oyiniki, Aprel oyiniki emas. Uni o‘sha oyning kiritish sahifasida yuklang."
    )
    assert not Actual.objects.filter(indicator__item__number="15", month__in=[3, 4], value=5).exists()


def test_a_sheet_of_another_service_is_refused(client, demo, plan_2024, abonement):
    client.force_login(demo.users["direktor"])
    other = demo.service("bibliografiya")
    book = download(client, plan_2024, 4, other)
    message = refused_message(upload(client, plan_2024, 4, abonement, book))
    assert message.startswith("Bu varaq boshqa xizmatniki.")


def test_a_sheet_of_another_plan_is_refused(client, demo, plan_2024, abonement):
    client.force_login(demo.users["direktor"])
    book = download(client, plan_2024, 4, abonement)
    other = Plan.objects.create(organization=demo.district, year=2023, approved_at=now())
    do_reopen_month(other, 4, acting_user=demo.users["direktor"], reason="tuzatish")
    message = refused_message(upload(client, other, 4, abonement, book))
    assert message.startswith("Bu varaq boshqa rejaniki.")


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda sheet: setattr(sheet.cell(FIRST_ROW, ID), "value", 999999), id="another id"),
        pytest.param(
            lambda sheet: setattr(sheet.cell(FIRST_ROW, LOADED_VALUE), "value", 7), id="loaded value"
        ),
        pytest.param(lambda sheet: sheet.delete_rows(FIRST_ROW + 1), id="row removed"),
        pytest.param(lambda sheet: sheet.insert_rows(FIRST_ROW + 1), id="row inserted"),
        pytest.param(lambda sheet: setattr(sheet.cell(IDENTITY_ROW, 3), "value", "forged"), id="signature"),
    ],
)
def test_a_tampered_sheet_is_refused(staff, plan_2024, abonement, tamper):
    book = download(staff, plan_2024, 4, abonement)
    tamper(book.active)
    message = refused_message(upload(staff, plan_2024, 4, abonement, book))
    assert message.startswith("Varaqning tuzilishi o‘zgartirilgan")


def test_a_workbook_that_is_no_month_sheet_is_refused(staff, plan_2024, abonement):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "something else"
    message = refused_message(upload(staff, plan_2024, 4, abonement, book))
    assert message == "Bu kiritish sahifasidan yuklab olingan oy varaqasi emas."


def test_a_file_that_is_no_workbook_is_refused(staff, plan_2024, abonement):
    fake = io.BytesIO(b"%PDF-1.4 not a sheet")
    fake.name = "oy.xlsx"
    response = staff.post(urls(plan_2024, 4, abonement)["sheet-upload"], {"sheet": fake})
    assert refused_message(response) == "Fayl o‘qiladigan XLSX kitobi emas."


def test_an_upload_without_a_file_is_refused(staff, plan_2024, abonement):
    response = staff.post(urls(plan_2024, 4, abonement)["sheet-upload"], {})
    assert refused_message(response) == "To‘ldirilgan varaqni (XLSX fayl) tanlang."


def test_a_closed_month_refuses_the_upload(staff, demo, plan_2024, abonement):
    book = fill(download(staff, plan_2024, 3, abonement), {indicator(plan_2024, "15").pk: (5, "")})
    do_close_month(plan_2024, 3, acting_user=demo.users["direktor"])
    response = upload(staff, plan_2024, 3, abonement, book)
    assert response.status_code == 403


def test_a_month_closed_before_the_confirmation_saves_nothing(staff, demo, plan_2024, abonement):
    visitors = indicator(plan_2024, "15")
    book = fill(download(staff, plan_2024, 3, abonement), {visitors.pk: (5, "")})
    preview = upload(staff, plan_2024, 3, abonement, book)
    do_close_month(plan_2024, 3, acting_user=demo.users["direktor"])
    assert confirm(staff, plan_2024, 3, abonement, preview).status_code == 403
    assert not Actual.objects.filter(indicator=visitors, month=3, value=5).exists()


def test_staff_of_another_service_may_not_upload_or_confirm(client, demo, plan_2024, abonement):
    client.force_login(demo.users["xodim-fond"])
    target = urls(plan_2024, 4, abonement)
    assert client.post(target["sheet-upload"], {}).status_code == 403
    assert client.post(target["sheet-confirm"], {"token": "x"}).status_code == 403
    assert client.get(target["sheet"]).status_code == 403


def test_the_entry_page_offers_the_download_and_the_upload(staff, plan_2024, abonement):
    html = staff.get(urls(plan_2024, 4, abonement)["entry"]).content.decode()
    assert urls(plan_2024, 4, abonement)["sheet"] in html
    assert urls(plan_2024, 4, abonement)["sheet-upload"] in html


def test_a_reviewer_may_download_but_not_upload(client, demo, plan_2024, abonement):
    client.force_login(demo.users["viloyat"])
    target = urls(plan_2024, 4, abonement)
    assert client.get(target["sheet"]).status_code == 200
    assert client.post(target["sheet-upload"], {}).status_code == 403
    html = client.get(target["entry"]).content.decode()
    assert target["sheet"] in html and target["sheet-upload"] not in html


def test_a_file_over_the_size_limit_is_refused_by_its_size(staff, plan_2024, abonement):
    big = io.BytesIO(b"PK" + b"\0" * (5 * 1024 * 1024))
    big.name = "oy.xlsx"
    response = staff.post(urls(plan_2024, 4, abonement)["sheet-upload"], {"sheet": big})
    assert refused_message(response).startswith("Fayl hajmi")


class TestQueryCounts:
    """The sheet's download and preview make a fixed number of queries, whatever the rows."""

    @staticmethod
    def add_indicators(plan, service, count):
        from plans.models import PlanItem

        first = PlanItem.objects.filter(plan=plan).order_by("pk").first()
        for n in range(count):
            item = PlanItem.objects.create(
                plan=plan,
                section=first.section,
                number=f"90.{n}",
                title=f"qo‘shimcha {n}",
                unit=first.unit,
                deadline=first.deadline,
                order=1000 + n,
            )
            item.services.add(service)
            Indicator.objects.create(item=item, annual_target=10)

    @pytest.mark.parametrize("extra", [0, 40])
    def test_download(self, staff, plan_2024, abonement, extra, django_assert_num_queries):
        self.add_indicators(plan_2024, abonement, extra)
        # The session, the user, memberships (3), the plan, entry_rows (6).
        with django_assert_num_queries(11):
            assert staff.get(urls(plan_2024, 4, abonement)["sheet"]).status_code == 200

    @pytest.mark.parametrize("extra", [0, 40])
    def test_upload_and_preview(self, staff, plan_2024, abonement, extra, django_assert_num_queries):
        self.add_indicators(plan_2024, abonement, extra)
        book = download(staff, plan_2024, 4, abonement)
        sheet = book.active
        for line in range(FIRST_ROW, sheet.max_row + 1):
            sheet.cell(line, VALUE).value = 1 + line % 2
        upload_file = as_file(book)
        # As the download, and the month's window, three to find unlikely values and the
        # session's save.
        with django_assert_num_queries(19):
            response = staff.post(urls(plan_2024, 4, abonement)["sheet-upload"], {"sheet": upload_file})
        assert response.status_code == 200
        assert len(response.context["changes"]) == sheet.max_row - FIRST_ROW + 1


def test_ids_kept_as_decimals_by_another_program_still_read(staff, plan_2024, abonement):
    visitors = indicator(plan_2024, "15")
    book = fill(download(staff, plan_2024, 4, abonement), {visitors.pk: (12, "")})
    sheet = book.active
    for line in range(FIRST_ROW, sheet.max_row + 1):
        sheet.cell(line, ID).value = float(sheet.cell(line, ID).value)
    preview = upload(staff, plan_2024, 4, abonement, book)
    assert preview.status_code == 200
    assert [(c.row.indicator, c.new_value) for c in preview.context["changes"]] == [(visitors, 12)]
