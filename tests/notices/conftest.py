"""Real components on loopback for the notice tests: an SMTP server (aiosmtpd), a small Bot API server,
and the queue's own consumer running its worker threads in this process.

Nothing here stands in for the code under test: mail goes through Django's SMTP backend to a real
SMTP server, Telegram calls go over HTTP to a server answering as the Bot API does, and tasks go
through huey's storage (SQLite in a file) to huey's consumer.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ENQUEUED

from services.models import Membership, Organization

BOT_TOKEN = "123456:TEST-TOKEN"


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_queue():
    """Each test starts (and leaves) the queue empty: nothing queued by another test runs in it."""
    HUEY.flush()
    yield
    HUEY.flush()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# SMTP.


@dataclass
class Mailbox:
    """What the SMTP server received; `refuse` answers the next DATA commands with these replies."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    refused: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.arrived:
            if self.refuse:
                self.refused += 1
                return self.refuse.pop(0)
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.recipients.append(list(envelope.rcpt_tos))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt]


@pytest.fixture
def smtp(settings) -> Mailbox:
    """An SMTP server on 127.0.0.1, and the settings pointing Django's mail at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://reja.example.uz"
    yield mailbox
    controller.stop()


def body_of(message: EmailMessage, subtype: str) -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


# The Bot API.


@dataclass
class Bot:
    """What the Bot API server was asked, and what it answers next."""

    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    # (status, description, parameters) answered to the next sendMessage calls.
    fail: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_update_id: int = 700

    def says(self, chat_id: int, text: str, *, language: str = "uz", chat_type: str = "private") -> None:
        """A person writes `text` to the bot; it waits for getUpdates."""
        with self.lock:
            self.next_update_id += 1
            self.updates.append(
                {
                    "update_id": self.next_update_id,
                    "message": {
                        "message_id": self.next_update_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": chat_type},
                        "from": {
                            "id": chat_id,
                            "is_bot": False,
                            "first_name": "Test",
                            "language_code": language,
                        },
                        "text": text,
                    },
                }
            )

    def texts_to(self, chat_id: int) -> list[str]:
        return [call["text"] for call in self.sent if str(call["chat_id"]) == str(chat_id)]


def _bot_handler(bot: Bot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def answer(self, status: int, body: dict[str, Any]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:
            match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.path)
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            if match is None or match["token"] != BOT_TOKEN:
                return self.answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            with bot.lock:
                if match["method"] == "sendMessage":
                    if bot.fail:
                        status, description, parameters = bot.fail.pop(0)
                        body = {"ok": False, "error_code": status, "description": description}
                        return self.answer(status, {**body, "parameters": parameters} if parameters else body)
                    bot.sent.append(payload)
                    return self.answer(
                        200, {"ok": True, "result": {"message_id": len(bot.sent), "text": payload["text"]}}
                    )
                if match["method"] == "getUpdates":
                    offset = int(payload.get("offset") or 0)
                    bot.offsets.append(offset)
                    # As the Bot API does: asking from an offset confirms (forgets) what came before.
                    bot.updates = [u for u in bot.updates if u["update_id"] >= offset]
                    return self.answer(200, {"ok": True, "result": list(bot.updates)})
            return self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    return Handler


@pytest.fixture
def bot(settings) -> Bot:
    """A Bot API server on 127.0.0.1 (sendMessage, getUpdates), and the settings pointing at it."""
    state = Bot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _bot_handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.TELEGRAM_API_URL = state.url
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.TELEGRAM_BOT_USERNAME = "akm_reja_test_bot"
    settings.TELEGRAM_TIMEOUT = 5
    settings.SITE_URL = "https://reja.example.uz"
    yield state
    server.shutdown()
    server.server_close()


# The worker.


class Worker:
    """huey's consumer with its worker threads, and a way to wait until it has nothing left to do.

    On SQLite the test database lives in memory, shared by this process's connections; SQLite
    shares it with table locks that do not wait, so the worker threads take turns (one task at a
    time). On PostgreSQL they run side by side."""

    def __init__(self, workers: int, serial: bool):
        self.workers = workers
        self.outstanding = 0
        self.changed = threading.Condition()
        self.turn = threading.Lock() if serial else None
        self.consumer = None

    def _enqueued(self, signal, task) -> None:
        with self.changed:
            self.outstanding += 1

    def _before(self, task) -> None:
        if self.turn is not None:
            self.turn.acquire()

    def _after(self, task, value, error) -> None:
        if self.turn is not None:
            self.turn.release()
        with self.changed:
            self.outstanding -= 1
            self.changed.notify_all()

    def start(self) -> None:
        HUEY.signal(SIGNAL_ENQUEUED)(self._enqueued)
        HUEY.pre_execute("test-worker")(self._before)
        HUEY.post_execute("test-worker")(self._after)
        HUEY.on_shutdown("test-worker")(_close_connections)
        self.consumer = HUEY.create_consumer(
            workers=self.workers,
            worker_type="thread",
            periodic=False,
            check_worker_health=False,
            initial_delay=0.02,
            max_delay=0.1,
        )
        handlers = _signal_handlers()
        self.consumer.start()
        _restore_signal_handlers(handlers)

    def stop(self) -> None:
        self.consumer.stop(graceful=True)
        HUEY.disconnect_signal(self._enqueued, SIGNAL_ENQUEUED)
        HUEY.unregister_pre_execute("test-worker")
        HUEY.unregister_post_execute("test-worker")
        HUEY.unregister_on_shutdown("test-worker")

    def wait(self, timeout: float = 20.0) -> None:
        """Until every queued task ran, retries waiting in the schedule included."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 3:
            with self.changed:
                if not self.changed.wait_for(lambda: self.outstanding <= 0, deadline - time.monotonic()):
                    raise AssertionError(f"the worker still has {self.outstanding} tasks after {timeout} s")
            if HUEY.scheduled_count() or HUEY.pending_count():
                quiet = 0
            else:
                quiet += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker still has scheduled tasks after {timeout} s")
            time.sleep(0.05)


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


def _signal_handlers():
    import signal

    names = [name for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
    return {name: signal.getsignal(getattr(signal, name)) for name in names}


def _restore_signal_handlers(handlers) -> None:
    import signal

    for name, handler in handlers.items():
        signal.signal(getattr(signal, name), handler)


def _make_worker(count: int):
    worker = Worker(count, serial=connection.vendor == "sqlite")
    worker.start()
    return worker


@pytest.fixture
def worker(transactional_db, settings):
    """One worker thread consuming the queue; `worker.wait()` returns once all is done."""
    settings.NOTICE_RETRY_SECONDS = 0.3
    settings.NOTICE_DELIVERY_TRIES = 3
    running = _make_worker(1)
    yield running
    running.stop()


@pytest.fixture
def two_workers(transactional_db, settings):
    settings.NOTICE_RETRY_SECONDS = 0.3
    settings.NOTICE_DELIVERY_TRIES = 3
    running = _make_worker(2)
    yield running
    running.stop()


# People.


def person(username: str, centre: Organization, role: str, service=None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password=None, first_name=fields.pop("first_name", username), **fields
    )
    Membership.objects.create(user=user, organization=centre, role=role, service=service)
    return user


@pytest.fixture
def outsiders(demo) -> dict[str, Any]:
    """People who may not see the demo district: a manager of a neighbouring district, a reviewer of
    another region, the national library's reviewer (two levels above), a head of a service of the
    neighbouring district."""
    neighbour = Organization.objects.create(
        name="Boshqa tuman axborot-kutubxona markazi", kind=Organization.Kind.DISTRICT, parent=demo.regional
    )
    other_region = Organization.objects.create(
        name="Samarqand viloyat axborot-kutubxona markazi",
        kind=Organization.Kind.REGIONAL,
        parent=demo.regional.parent,
    )
    service = neighbour.services.create(name="Axborot-bibliografiya xizmati", order=1)
    return {
        "neighbour_manager": person(
            "qoshni-direktor", neighbour, Membership.Role.MANAGER, email="q@example.uz"
        ),
        "neighbour_head": person("qoshni-boshliq", neighbour, Membership.Role.HEAD, service),
        "other_reviewer": person("samarqand", other_region, Membership.Role.REVIEWER, email="s@example.uz"),
        "national_reviewer": person(
            "milliy", demo.regional.parent, Membership.Role.REVIEWER, email="m@example.uz"
        ),
    }


def send_report(plan, quarter: int, manager):
    """Write a note for every indicator that needs one and send the quarter's report."""
    from reports.tables import build_table
    from reports.workflow import do_save_notes, do_submit

    table = build_table(plan, quarter)
    do_save_notes(
        plan,
        quarter,
        {row.indicator_id: "Sabab: ma’lumot kech keldi" for row in table.missing_notes()},
        acting_user=manager,
    )
    return do_submit(plan, quarter, acting_user=manager)
