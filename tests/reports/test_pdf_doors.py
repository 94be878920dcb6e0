"""What reaches the PDF renderer: escaped text only, and only the app's static files (reports/fetcher.py)."""

import datetime
import io
import json
import socket
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from plans.exchange import FORMAT
from plans.models import Amendment, Indicator, Plan
from reports.fetcher import STATIC_ORIGIN, RefusedURL, StaticFilesFetcher, static_path
from reports.pdf import render_pdf
from reports.tables import build_table

ON = datetime.date(2024, 4, 3)


class Listener:
    """A TCP server on 127.0.0.1 that only counts who connects to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_the_listener_counts_a_connection(listener):
    # The tests below rely on it: a request that reached it would be seen.
    socket.create_connection(("127.0.0.1", listener.port)).close()
    for _ in range(50):
        if listener.connections:
            break
        threading.Event().wait(0.02)
    assert listener.connections == 1


def _payload(port: int, what: str) -> str:
    """Text that breaks out of HTML and CSS and names a local file and the listener, as in the report."""
    return (
        f'{what}"; }} @import url(http://127.0.0.1:{port}/{what}.css); x {{ content: "'
        f"</style><link rel=attachment href=file:///etc/passwd>"
        f"<img src=http://127.0.0.1:{port}/{what}><a href=http://127.0.0.1:{port}/a>link</a>"
    )


def _short_payload(port: int, what: str) -> str:
    # Units are at most 64 characters.
    return f"<img src=http://127.0.0.1:{port}/{what}>"


@pytest.fixture
def hostile_plan(db, listener, tmp_path) -> Plan:
    """A plan imported with `import_plan --create-centre` whose every printed text is hostile."""
    port = listener.port
    data = {
        "format": FORMAT,
        "year": 2024,
        "centre": _payload(port, "centre"),
        "services": [_payload(port, "service")],
        "sections": [
            {
                "number": "I",
                "title": _payload(port, "section"),
                "items": [
                    {
                        "number": "1",
                        "parent": None,
                        "title": _payload(port, "item"),
                        "unit": _short_payload(port, "unit"),
                        "steps": "",
                        "deadline": "2024-yil davomida",
                        "services": [_payload(port, "service")],
                        "all_services": False,
                        "note": _payload(port, "item-note"),
                        "indicators": [
                            {"label": _payload(port, "label-a"), "annual_target": 10},
                            {"label": _payload(port, "label-b"), "annual_target": 4},
                        ],
                    }
                ],
            }
        ],
    }
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_plan", str(source), "--create-centre", stdout=io.StringIO())
    plan = Plan.objects.select_related("organization").get(organization__name=data["centre"])
    plan.organization.director_name = _payload(port, "director")
    plan.organization.save()
    return plan


def _hostile_pdfs(plan: Plan, port: int) -> list[bytes]:
    notes = {
        indicator.pk: _payload(port, f"note-{indicator.pk}")
        for indicator in Indicator.objects.filter(item__plan=plan)
    }
    table = build_table(plan, 1, notes=notes)
    amendment = Amendment(
        plan=plan, kind=Amendment.Kind.CHANGED, subject=Amendment.Subject.ITEM, what=_payload(port, "what"),
        field="title", old_value=_payload(port, "old"), new_value=_payload(port, "new"),
        reason=_payload(port, "why"), created_at=timezone.now(),
    )  # fmt: skip
    with translation.override("uz"):
        return [
            render_pdf(table, on=ON, version=3, amendments=[amendment]),
            render_pdf(table, on=ON, draft=True),
        ]


def _walk(value, seen: set) -> list[DictionaryObject]:
    """Every dictionary reachable from `value` in the PDF's object graph."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def test_hostile_text_makes_no_request_and_attaches_nothing(hostile_plan, listener):
    pdfs = _hostile_pdfs(hostile_plan, listener.port)
    assert listener.connections == 0
    for content in pdfs:
        reader = PdfReader(io.BytesIO(content))
        assert reader.attachments == {}
        dictionaries = _walk(reader.trailer["/Root"], set())
        assert not [d for d in dictionaries if "/EmbeddedFiles" in d or "/EmbeddedFile" in d.values()]
        assert not [d for d in dictionaries if d.get("/Subtype") in ("/FileAttachment", "/Link")]
        assert not [d for d in dictionaries if "/URI" in d or d.get("/S") in ("/URI", "/Launch")]


def test_hostile_text_is_printed_as_text(hostile_plan, listener):
    content = _hostile_pdfs(hostile_plan, listener.port)[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # The markup is there as words on the page, so it was never read as markup.
    assert "</style><link rel=attachment href=file:///etc/passwd>" in " ".join(text.split())
    assert "3-versiya, 03.04.2024 da yuborilgan" in text


# The fetcher itself.


def test_fetcher_serves_a_static_font_and_stylesheet():
    fetcher = StaticFilesFetcher()
    font = fetcher.fetch(STATIC_ORIGIN + "fonts/DejaVuSans.ttf")
    assert font.read() == Path(finders.find("fonts/DejaVuSans.ttf")).read_bytes()
    assert font.content_type == "font/ttf"
    assert fetcher.fetch(STATIC_ORIGIN + "css/report.css").content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/plain,secret",
        "http://static.akm-reja.invalid/fonts/DejaVuSans.ttf",
        STATIC_ORIGIN + "../../../../etc/passwd",
        STATIC_ORIGIN + "css/../../../../../etc/passwd",
        STATIC_ORIGIN + "%2e%2e/%2e%2e/etc/passwd",
        STATIC_ORIGIN + "css%2f..%2f..%2fmanage.py",
        STATIC_ORIGIN + "/etc/passwd",
        STATIC_ORIGIN + "css\\..\\..\\manage.py",
        STATIC_ORIGIN + "fonts/LICENSE-DejaVu.txt",
        STATIC_ORIGIN + "js/entry.js",
        STATIC_ORIGIN + "css/report.css?x=1",
        STATIC_ORIGIN + "fonts/absent.ttf",
        STATIC_ORIGIN,
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_fetcher_refuses_the_listener_without_calling_it(listener):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(f"http://127.0.0.1:{listener.port}/x")
    with pytest.raises(RefusedURL):
        StaticFilesFetcher()(f"https://127.0.0.1:{listener.port}/x")
    assert listener.connections == 0


def test_static_path_names_the_file_under_the_origin():
    assert static_path(STATIC_ORIGIN + "fonts/DejaVuSans-Bold.ttf") == "fonts/DejaVuSans-Bold.ttf"


def test_the_renderer_reads_nothing_but_static_files_even_from_raw_markup(listener):
    # The second door on its own: markup that escaping would never let through, rendered as is.
    from reports.pdf import _ReportHTML

    markup = (
        "<link rel=attachment href=file:///etc/passwd>"
        f"<link rel=stylesheet href=http://127.0.0.1:{listener.port}/s.css>"
        f"<img src=http://127.0.0.1:{listener.port}/i.png><img src='data:image/png;base64,AAAA'>"
        f"<style>@import url(http://127.0.0.1:{listener.port}/i.css);"
        " p { background: url(file:///etc/passwd) }</style><p>x</p>"
    )
    content = _ReportHTML(string=markup, base_url=STATIC_ORIGIN, url_fetcher=StaticFilesFetcher()).write_pdf()
    assert listener.connections == 0
    assert PdfReader(io.BytesIO(content)).attachments == {}


def test_a_report_reads_the_stylesheet_and_fonts_once_per_process(plan_2024, monkeypatch):
    from reports import pdf

    table = build_table(plan_2024, 1)
    pdf._stylesheet.cache_clear()
    fetched = []
    real = StaticFilesFetcher.fetch
    monkeypatch.setattr(
        StaticFilesFetcher, "fetch", lambda self, url, headers=None: fetched.append(url) or real(self, url)
    )
    render_pdf(table, on=ON, draft=True)
    assert sorted(fetched) == [
        STATIC_ORIGIN + name
        for name in ("css/report.css", "fonts/DejaVuSans-Bold.ttf", "fonts/DejaVuSans.ttf")
    ]
    fetched.clear()
    render_pdf(table, on=ON, draft=True)
    assert fetched == []
