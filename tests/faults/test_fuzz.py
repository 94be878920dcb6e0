"""Generated bad input to the entry form and to the imports: refused without a server error, nothing written.

Each example carries at least one defect that must refuse the whole submission (a bad number,
a note without a number, a tampered hidden field, an indicator of another service), mixed with
random other changes that would be written if the refusal were not all or nothing.
"""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from common.sheet_writer import write_row
from common.text import clean_text
from demo.district import PLAN_FILE
from plans.exchange import PlanImportError, import_plan, plan_to_dict, plan_to_xlsx, read_plan_upload
from plans.forms import MAX_VALUE, WholeNumberField
from plans.models import Actual, Deadline, Indicator, MonthEvent, Plan, PlanItem, Section, Target, Unit
from plans.resources import ActualResource, parse_whole_number
from services.models import Organization, Service
from tests.entry_form import row_inputs

pytestmark = pytest.mark.django_db

# Modest and reproducible: the same examples on every run, no per-example time limit (the first
# request of a test is slower while Django warms up).
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MONTH = 4


def refused_by_the_form(text: str) -> bool:
    try:
        WholeNumberField().clean(text)
    except ValidationError:
        return True
    return False


def refused_by_the_import(value: Any) -> bool:
    try:
        return parse_whole_number(value) < 0
    except (ValueError, TypeError, ArithmeticError):
        return True


# Numbers as people mistype them, and anything else, kept only when the form must refuse it.
bad_numbers = st.one_of(
    st.integers(max_value=-1).map(str),
    st.integers(min_value=MAX_VALUE + 1, max_value=10**40).map(str),
    st.builds("{}{}{}".format, st.integers(0, 10**6), st.sampled_from(".,"), st.integers(1, 999)),
    st.text(alphabet="٠١٢٣٤٥٦٧٨٩०१२३४५੦੧", min_size=1, max_size=6),
    st.text(min_size=1, max_size=40),
).filter(refused_by_the_form)
any_text = st.text(max_size=600)
# Anything a hidden or visible field could be made to carry.
any_field = st.one_of(any_text, st.integers().map(str), bad_numbers)


def snapshot() -> dict[str, Any]:
    """Everything the entry page or an import could write."""
    return {
        "actuals": sorted(
            Actual.objects.values_list(
                "indicator_id", "month", "service_id", "value", "note", "entered_by_id"
            )
        ),
        "history": Actual.history.count(),
        "events": MonthEvent.objects.count(),
        "plans": Plan.objects.count(),
        "sections": Section.objects.count(),
        "items": PlanItem.objects.count(),
        "indicators": sorted(Indicator.objects.values_list("pk", "label", "annual_target")),
        "targets": Target.objects.count(),
        "units": Unit.objects.count(),
        "deadlines": Deadline.objects.count(),
        "services": Service.objects.count(),
    }


@pytest.fixture
def entry(demo):
    """The lending service's April page as its staff member loaded it, and another service's ids."""
    service = demo.service("abonement")
    url = reverse("plans:entry", kwargs={"year": 2024, "month": MONTH, "service": service.pk})
    client = Client()
    client.force_login(demo.users["xodim-abonement"])
    loaded = row_inputs(client.get(url).content.decode())
    own = sorted({int(name.rsplit("-", 1)[1]) for name in loaded})
    foreign = sorted(
        set(Indicator.objects.filter(item__plan=demo.plan).values_list("pk", flat=True)) - set(own)
    )
    return client, url, loaded, own, foreign


@st.composite
def defect(draw, own: list[int], foreign: list[int]) -> dict[str, str]:
    """One change that must refuse the whole form."""
    pk = draw(st.sampled_from(own))
    kind = draw(
        st.sampled_from(["value", "was", "note-alone", "long-note", "nul-note", "foreign", "unknown"])
    )
    if kind == "value":
        return {f"value-{pk}": draw(bad_numbers)}
    if kind == "was":
        return {f"was-{pk}": draw(bad_numbers)}
    if kind == "note-alone":
        note = st.text(min_size=1).filter(lambda text: clean_text(text).strip() and "\x00" not in text)
        return {f"value-{pk}": "", f"note-{pk}": draw(note)}
    if kind == "long-note":
        return {
            f"value-{pk}": "1",
            f"note-{pk}": draw(
                # Too long once cleaned: the limit counts what is stored (common.text).
                st.text(min_size=501, max_size=700).filter(lambda text: len(clean_text(text).strip()) > 500)
            ),
        }
    if kind == "nul-note":
        return {f"value-{pk}": "1", f"note-{pk}": draw(any_text) + "\x00"}
    field = draw(st.sampled_from(["value", "note", "was", "was_note"]))
    other = draw(st.sampled_from(foreign)) if kind == "foreign" else draw(st.integers(10**6, 10**12))
    return {f"{field}-{other}": draw(any_field)}


@st.composite
def bad_submission(draw, loaded: dict[str, str], own: list[int], foreign: list[int]) -> dict[str, str]:
    data = dict(loaded)
    # Random other changes: good numbers, fields dropped, hidden fields tampered with.
    for name in draw(st.lists(st.sampled_from(sorted(loaded)), max_size=8, unique=True)):
        action = draw(st.sampled_from(["number", "drop", "anything"]))
        if action == "drop":
            data.pop(name)
        elif action == "number":
            data[name] = str(draw(st.integers(0, MAX_VALUE)))
        else:
            data[name] = draw(any_field)
    data.update(draw(defect(own, foreign)))
    return data


@FUZZ
@given(data=st.data())
def test_bad_entry_forms_are_refused_whole_and_write_nothing(entry, data):
    client, url, loaded, own, foreign = entry
    submission = data.draw(bad_submission(loaded, own, foreign))
    before = snapshot()

    response = client.post(url, submission)

    assert response.status_code == 400
    assert snapshot() == before


@FUZZ
@given(data=st.data())
def test_stale_hidden_values_are_reported_as_conflicts_and_write_nothing(entry, data):
    """Good numbers, but the hidden fields claim the page was loaded with other figures."""
    client, url, loaded, own, _foreign = entry
    submission = dict(loaded)
    for pk in data.draw(st.lists(st.sampled_from(own), min_size=1, max_size=5, unique=True)):
        now = loaded[f"was-{pk}"]
        value = str(data.draw(st.integers(0, MAX_VALUE).filter(lambda n, now=now: str(n) != now)))
        stale = data.draw(
            st.integers(0, MAX_VALUE).map(str).filter(lambda n, now=now, value=value: n not in (now, value))
        )
        submission.update({f"value-{pk}": value, f"was-{pk}": stale})
    before = snapshot()

    response = client.post(url, submission)

    assert response.status_code == 409
    assert snapshot() == before


# Plan files: the real 2024 plan, broken in one place.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
not_text = json_values.filter(lambda value: not (isinstance(value, str) and value.strip()))
bad_targets = st.one_of(
    st.integers(max_value=-1),
    st.floats(),
    st.text(max_size=10),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
).filter(lambda value: value is not None)


@st.composite
def broken_plan(draw, plan: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(plan)
    section = draw(st.sampled_from(data["sections"]))
    item = draw(st.sampled_from(section["items"]))
    kind = draw(
        st.sampled_from(
            [
                "format",
                "year",
                "sections",
                "items",
                "item-text",
                "target",
                "indicator",
                "indicators",
                "parent",
                "duplicate",
                "deadline",
                "section-text",
            ]
        )
    )
    if kind == "format":
        data["format"] = draw(json_values.filter(lambda value: value != "akm-plan/1"))
    elif kind == "year":
        data["year"] = draw(
            json_values.filter(lambda value: not isinstance(value, int) or isinstance(value, bool))
        )
    elif kind == "sections":
        data["sections"] = draw(
            json_values.filter(
                lambda value: (
                    not isinstance(value, list)
                    or value
                    and any(not isinstance(entry, dict) for entry in value)
                )
            )
        )
    elif kind == "items":
        section["items"] = draw(json_values.filter(lambda value: not isinstance(value, list)))
    elif kind == "item-text":
        item[draw(st.sampled_from(["number", "title", "unit", "deadline"]))] = draw(not_text)
    elif kind == "section-text":
        section[draw(st.sampled_from(["number", "title"]))] = draw(not_text)
    elif kind == "target":
        item["indicators"] = [{"label": "", "annual_target": draw(bad_targets)}]
        item["parent"] = None
    elif kind == "indicator":
        item["indicators"] = [draw(json_values.filter(lambda value: not isinstance(value, dict)))]
    elif kind == "indicators":
        item["indicators"] = draw(json_values.filter(lambda value: not isinstance(value, list)))
    elif kind == "parent":
        item["parent"] = draw(json_values.filter(lambda value: value is not None))
    elif kind == "duplicate":
        section["items"].append(copy.deepcopy(item))
    else:
        item["deadline"] = draw(st.text(min_size=1, max_size=30).filter(str.strip))
    return data


@pytest.fixture
def plan_file() -> dict[str, Any]:
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def new_centre(db) -> Organization:
    return Organization.objects.create(
        name="Yangi tuman axborot-kutubxona markazi", kind=Organization.Kind.DISTRICT
    )


@FUZZ
@given(data=st.data())
def test_broken_plan_files_are_refused_with_a_message_and_write_nothing(plan_file, new_centre, data):
    broken = data.draw(broken_plan(plan_file))
    before = snapshot()

    try:
        import_plan(broken, organization=new_centre)
    except PlanImportError as error:
        assert str(error)
    else:
        # A few mutations leave a readable plan (a deadline that happens to parse, a parent
        # that happens to come before): then it must have been imported whole.
        assert Plan.objects.filter(organization=new_centre).exists()
        Plan.objects.filter(organization=new_centre).delete()
        return
    assert snapshot() == before


@FUZZ
@given(data=json_values)
def test_arbitrary_json_is_refused_as_not_a_plan_file(new_centre, data):
    before = snapshot()

    with pytest.raises(PlanImportError):
        import_plan(data, organization=new_centre)

    assert snapshot() == before


@pytest.fixture
def actuals_file(demo) -> tablib.Dataset:
    return ActualResource().export()


bad_cells = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**31),
    st.floats(),
    st.text(max_size=20),
).filter(refused_by_the_import)


# Each example imports the whole file (about a hundred rows): fewer examples.
@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_the_admin_import_of_actuals_refuses_bad_cells_and_writes_nothing(demo, actuals_file, data):
    rows = [list(row) for row in actuals_file]
    headers = actuals_file.headers
    good = data.draw(st.integers(0, len(rows) - 1))
    rows[good][headers.index("value")] = int(rows[good][headers.index("value")]) + 1
    bad = data.draw(st.integers(0, len(rows) - 1).filter(lambda index: index != good))
    column = data.draw(st.sampled_from(["value", "month"]))
    rows[bad][headers.index(column)] = data.draw(bad_cells)
    before = snapshot()

    result = ActualResource().import_data(
        tablib.Dataset(*rows, headers=headers),
        dry_run=False,
        rollback_on_validation_errors=True,
        user=demo.users["admin"],
    )

    assert result.has_validation_errors() or result.has_errors()
    assert snapshot() == before


# Plan files with anything anywhere: a value replaced by any JSON value, a key dropped or added.
def places(value: Any, path: tuple = ()) -> list[tuple]:
    """The path of every value in the tree, the whole first."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += places(child, (*path, index))
    return found


@st.composite
def mutated_plan(draw, plan: dict[str, Any]) -> Any:
    data: Any = copy.deepcopy(plan)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(data)))
        if not path:
            data = draw(json_values)
            continue
        *parents, last = path
        container = data
        for part in parents:
            container = container[part]
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "replace":
            container[last] = draw(json_values)
        elif action == "drop":
            del container[last]
        elif isinstance(container, dict):
            container[draw(st.text(max_size=12))] = draw(json_values)
        else:
            container.insert(last, draw(json_values))
    return data


def as_imported(data: Any) -> Any:
    """A plan file as plan_to_dict gives it back once imported: optional keys filled in, text
    cleaned, each item's services in the centre's order; the centre's name is the centre's."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, list):
        return [as_imported(value) for value in data]
    if not isinstance(data, dict):
        return data
    data = {key: as_imported(value) for key, value in data.items() if key != "centre"}
    if "sections" in data:
        data.setdefault("services", [])
        order = data["services"]
        for section in data["sections"]:
            for item in section["items"]:
                for key, default in [("parent", None), ("steps", ""), ("all_services", False), ("note", "")]:
                    item.setdefault(key, default)
                item["services"] = sorted(set(item.get("services", [])), key=order.index)
                for indicator in item["indicators"]:
                    indicator.setdefault("label", "")
    return data


def import_whole_or_refuse(load, centre: Organization, *, given: Any = None) -> None:
    """Import what `load` gives: refused with a message and nothing written, or imported whole,
    exactly as `given` (then rolled back for the next example)."""
    with transaction.atomic():
        before = snapshot()
        try:
            load()
        except PlanImportError as error:
            assert str(error)
            assert snapshot() == before
        else:
            plan = Plan.objects.get(organization=centre)
            assert plan.items.exists()
            if given is not None:
                imported = plan_to_dict(plan)
                del imported["centre"]
                assert imported == as_imported(given)
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_plan_files_with_anything_anywhere_are_refused_whole_or_imported_whole(plan_file, new_centre, data):
    mutated = data.draw(mutated_plan(plan_file))

    import_whole_or_refuse(lambda: import_plan(mutated, organization=new_centre), new_centre, given=mutated)


any_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["0", "1", "12.1", "-", "=1+1", "2024-yil davomida", "a\nb", "x\x00"]),
)


@pytest.fixture
def plan_sheet(plan_2024) -> list[list[Any]]:
    return [list(row) for row in load_workbook(io.BytesIO(plan_to_xlsx(plan_2024))).active.values]


# Each example writes and reads a workbook: fewer examples.
@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_xlsx_plan_files_with_cells_changed_are_refused_whole_or_imported_whole(plan_sheet, new_centre, data):
    rows = [list(row) for row in plan_sheet]
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[row])))
        value = data.draw(any_cell)
        if column == len(rows[row]):
            rows[row].append(value)
        else:
            rows[row][column] = value
    book = Workbook()
    for number, values in enumerate(rows, start=1):
        write_row(book.active, number, values)
    buffer = io.BytesIO()
    book.save(buffer)

    def load():
        content, locate = read_plan_upload(buffer.getvalue(), "plan.xlsx")
        import_plan(content, organization=new_centre, locate=locate)

    import_whole_or_refuse(load, new_centre)
