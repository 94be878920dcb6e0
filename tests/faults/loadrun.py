"""The load harness: gunicorn on loopback against a PostgreSQL database, and clients saving months over HTTP.

Used by tests/faults/test_zz_load.py and by `make bench` (tests/bench/load.py). Real HTTP with the
standard library only: each client keeps its own cookies and CSRF token like a browser.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import psycopg2

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "load-test-password"
YEAR, MONTH = 2024, 4
# Two clients per service (its staff member and its head) save the same service's figures, and
# four clients as the director save every service's: the same cells are written concurrently.
SERVICES = ["bibliografiya", "abonement", "akt", "fond", "madaniyat", "kadrlar"]
CLIENTS = [f"{role}-{short}" for short in SERVICES for role in ("xodim", "boshliq")] + ["direktor"] * 4
# Each client writes only the first few rows of its service, so that saves collide often.
ROWS_PER_CLIENT = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect(url: str, dbname: str | None = None):
    """A psycopg2 connection to the database `url` names, or to `dbname` on the same server."""
    parts = urllib.parse.urlsplit(url)
    return psycopg2.connect(
        dbname=dbname or parts.path.lstrip("/"),
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )


def recreate_database(url: str) -> None:
    """Drop and create the database `url` names (on the server it names)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    connection = connect(url, dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    connection = connect(url, dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    connection.close()


def conflict_message() -> str:
    """The part of the entry page's conflict notice in Uzbek that does not depend on how many rows
    were refused (the page says the number), HTML-escaped as the page writes it."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("uz"):
        text = translation.ngettext(
            "Someone else saved %(n)s of these rows while you were entering. Nothing was saved: "
            "compare it below, then save again to keep your value, or correct it.",
            "Someone else saved %(n)s of these rows while you were entering. Nothing was saved: "
            "compare them below, then save again to keep your values, or correct them.",
            2,
        )
    return escape(max(text.split("%(n)s"), key=len).strip())


def server_environment(database_url: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))
    }
    environment.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="load-test-only-secret-key-load-test-only-secret-key",
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        CONN_MAX_AGE="60",
        AKM_TODAY=f"{YEAR}-04-03",
        DEMO_ACCOUNTS_ALLOWED="1",
        DEMO_PASSWORD=PASSWORD,
        STATIC_MANIFEST="0",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="akm_plan.settings",
    )
    return environment


def prepare_database(database_url: str) -> None:
    """A fresh database with the demo: the 2024 plan and one account per role."""
    recreate_database(database_url)
    environment = server_environment(database_url)
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=environment,
            check=True,
            capture_output=True,
        )


class Gunicorn:
    """gunicorn serving the app on a free loopback port, stopped on leaving the `with` block."""

    def __init__(
        self, database_url: str, workers: int = 4, environment: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"akm-load-gunicorn-{self.port}.log", "w+b")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "akm_plan.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={workers}",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=BASE_DIR,
            env=environment or server_environment(database_url),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Gunicorn:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.output()}")
            try:
                if Browser(self.port).get("/login/").status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 30 s:\n{self.output()}")

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class Browser:
    """One person's HTTP client: a connection, cookies and the CSRF token, nothing else."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Accept-Language": "uz"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            text = raw.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        seconds = time.perf_counter() - started
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if raw.getheader("Connection", "").lower() == "close" or raw.will_close:
            self.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def log_in(self, username: str) -> None:
        self.get("/login/")
        response = self.post("/login/", {"username": username, "password": PASSWORD})
        if response.status != 302:
            raise RuntimeError(f"{username} could not log in: {response.status}")


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values[attributes["name"] or ""] = attributes.get("value") or ""


_ROW = re.compile(r"^value-(\d+)$")


def entry_form(html: str) -> dict[str, str]:
    """The entry form's fields as the page filled them."""
    parser = _Inputs()
    parser.feed(html)
    return {name: value for name, value in parser.values.items() if name != "csrfmiddlewaretoken"}


def entry_path(service_id: int) -> str:
    return f"/plan/entry/{YEAR}/{MONTH}/{service_id}/"


@dataclass(frozen=True)
class Save:
    """A save the server acknowledged (redirected after saving): the cell, what was there, what was put."""

    service: int
    indicator: int
    was: int | None
    value: int
    at: float


@dataclass
class Outcome:
    """Everything the clients saw."""

    acknowledged: list[Save] = field(default_factory=list)
    # Times are time.monotonic() readings.
    # Saves whose answer never came (the connection broke): written or not, nobody was told.
    unknown: list[tuple[int, int, int]] = field(default_factory=list)
    conflicts: int = 0
    conflict_pages_without_message: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[tuple[float, str, int | str, str]] = field(default_factory=list)
    successes: list[float] = field(default_factory=list)
    save_latencies: list[float] = field(default_factory=list)
    page_latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def run_load(
    port: int,
    service_ids: dict[str, int],
    *,
    seconds: float,
    max_saves: int,
    conflict_message: str,
    during: Callable[[], None] | None = None,
) -> Outcome:
    """16 clients save April's figures for `seconds` (or until `max_saves` were acknowledged)."""
    outcome = Outcome()
    started = time.monotonic()
    stop = threading.Event()
    counter = iter(range(1, 10**9))
    counter_lock = threading.Lock()

    def unique_value() -> int:
        # Each written value is unique, so the history of a cell tells whose save each row is.
        with counter_lock:
            return next(counter)

    def record(
        status: int | str, path: str, response: Response | None, seconds_taken: float, saving: bool
    ) -> None:
        with outcome.lock:
            if isinstance(status, int):
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
            (outcome.save_latencies if saving else outcome.page_latencies).append(seconds_taken)
            now = time.monotonic()
            if isinstance(status, str) or status >= 500:
                outcome.failures.append((now, path, status, response.body[:2000] if response else ""))
            else:
                outcome.successes.append(now)

    def client(number: int, username: str) -> None:
        browser = Browser(port)
        services = [service_ids[username.split("-", 1)[1]]] if "-" in username else list(service_ids.values())
        chooser = random.Random(number)
        try:
            browser.log_in(username)
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            record(type(error).__name__, "/login/", None, 0.0, False)
            return
        finally:
            # Everyone is logged in before the clock starts: logging in is slow on purpose.
            logged_in.wait()
        while not stop.is_set():
            service = chooser.choice(services)
            path = entry_path(service)
            try:
                page = browser.get(path)
            except (OSError, http.client.HTTPException) as error:
                record(type(error).__name__, path, None, 0.0, False)
                time.sleep(0.2)
                continue
            record(page.status, path, page, page.seconds, False)
            if page.status != 200:
                time.sleep(0.2)
                continue
            form = entry_form(page.body)
            rows = sorted(int(m[1]) for name in form if (m := _ROW.match(name)))[:ROWS_PER_CLIENT]
            chosen = chooser.sample(rows, k=chooser.randint(1, min(2, len(rows))))
            writes = {}
            for indicator in chosen:
                writes[indicator] = unique_value()
                form[f"value-{indicator}"] = str(writes[indicator])
                # Ever-growing values are unlikely ones (plans.unlikely): confirmed, as a person would.
                form[f"sure-{indicator}"] = str(writes[indicator])
            try:
                response = browser.post(path, form)
            except (OSError, http.client.HTTPException) as error:
                record(type(error).__name__, path, None, 0.0, True)
                with outcome.lock:
                    outcome.unknown.extend((service, indicator, value) for indicator, value in writes.items())
                continue
            record(response.status, path, response, response.seconds, True)
            if response.status == 302 and response.headers.get("location") == path:
                at = time.monotonic()
                with outcome.lock:
                    for indicator, value in writes.items():
                        was = form[f"was-{indicator}"]
                        outcome.acknowledged.append(
                            Save(service, indicator, int(was) if was else None, value, at)
                        )
                    if len(outcome.acknowledged) >= max_saves:
                        stop.set()
            elif response.status == 409:
                with outcome.lock:
                    outcome.conflicts += 1
                    if conflict_message not in response.body:
                        outcome.conflict_pages_without_message += 1
            elif response.status >= 500:
                with outcome.lock:
                    outcome.unknown.extend((service, indicator, value) for indicator, value in writes.items())
        browser.close()

    logged_in = threading.Barrier(len(CLIENTS) + 1)
    threads = [
        threading.Thread(target=client, args=(number, username), daemon=True)
        for number, username in enumerate(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    logged_in.wait()
    started = time.monotonic()
    if during is not None:
        during()
    stop.wait(max(0.0, seconds - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    outcome.seconds = time.monotonic() - started
    return outcome


def history_of_cells(
    database_url: str,
) -> tuple[dict[tuple[int, int], list[int]], dict[tuple[int, int], int | None]]:
    """For each April cell: the values its history recorded, in order, and its value now."""
    connection = connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT service_id, indicator_id, value FROM plans_historicalactual "
            "WHERE month = %s AND history_type IN ('+', '~') ORDER BY history_id",
            [MONTH],
        )
        history: dict[tuple[int, int], list[int]] = {}
        for service, indicator, value in cursor.fetchall():
            history.setdefault((service, indicator), []).append(value)
        cursor.execute("SELECT service_id, indicator_id, value FROM plans_actual WHERE month = %s", [MONTH])
        now = {(service, indicator): value for service, indicator, value in cursor.fetchall()}
    connection.close()
    return history, now


def service_ids(database_url: str) -> dict[str, int]:
    from demo.district import DISTRICT, SERVICES

    connection = connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.name, s.id FROM services_service s JOIN services_organization o "
            "ON o.id = s.organization_id WHERE o.name = %s",
            [DISTRICT],
        )
        by_name = dict(cursor.fetchall())
    connection.close()
    return {short: by_name[name] for short, name in SERVICES}


def lost_or_doubled(outcome: Outcome, database_url: str) -> dict[str, list]:
    """Acknowledged saves missing from the database, written twice, or out of their chain.

    Every save says what the cell held when its page was loaded; the server writes it only if
    the cell still holds that. So the acknowledged saves of a cell, in the order the history
    recorded them, must each follow the one before, and the last is the cell's value now.
    Saves nobody was told about (the connection broke) may or may not be in the history.
    """
    history, now = history_of_cells(database_url)
    unknown = {(service, indicator): set() for service, indicator, _ in outcome.unknown}
    for service, indicator, value in outcome.unknown:
        unknown[(service, indicator)].add(value)
    acknowledged: dict[tuple[int, int], dict[int, Save]] = {}
    for save in outcome.acknowledged:
        acknowledged.setdefault((save.service, save.indicator), {})[save.value] = save
    problems: dict[str, list] = {"missing": [], "doubled": [], "unacknowledged": [], "chain": [], "final": []}
    for cell, saves in acknowledged.items():
        recorded = history.get(cell, [])
        for value in saves:
            count = recorded.count(value)
            if count == 0:
                problems["missing"].append((cell, value))
            elif count > 1:
                problems["doubled"].append((cell, value))
        known = [value for value in recorded if value in saves]
        for previous, value in zip(known, known[1:], strict=False):
            if saves[value].was != previous and saves[value].was not in unknown.get(cell, set()):
                problems["chain"].append((cell, previous, value, saves[value].was))
        if known and now.get(cell) != recorded[-1]:
            problems["final"].append((cell, now.get(cell), recorded[-1]))
    for cell, recorded in history.items():
        for value in recorded:
            if value not in acknowledged.get(cell, {}) and value not in unknown.get(cell, set()):
                problems["unacknowledged"].append((cell, value))
    return {kind: found for kind, found in problems.items() if found}


def summary(outcome: Outcome) -> dict[str, float | int]:
    return {
        "seconds": round(outcome.seconds, 1),
        "requests": outcome.requests,
        "requests_per_second": round(outcome.requests / outcome.seconds, 1) if outcome.seconds else 0,
        "acknowledged_saves": len(outcome.acknowledged),
        "saves_per_second": round(len(outcome.acknowledged) / outcome.seconds, 1) if outcome.seconds else 0,
        "conflicts": outcome.conflicts,
        "server_errors": outcome.server_errors,
        "failed_connections": sum(1 for failure in outcome.failures if isinstance(failure[2], str)),
        "save_p50_ms": round(percentile(outcome.save_latencies, 0.50) * 1000),
        "save_p90_ms": round(percentile(outcome.save_latencies, 0.90) * 1000),
        "save_p99_ms": round(percentile(outcome.save_latencies, 0.99) * 1000),
        "page_p50_ms": round(percentile(outcome.page_latencies, 0.50) * 1000),
        "page_p90_ms": round(percentile(outcome.page_latencies, 0.90) * 1000),
        "page_p99_ms": round(percentile(outcome.page_latencies, 0.99) * 1000),
    }
