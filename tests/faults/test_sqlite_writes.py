"""On SQLite (the default for a single centre), writes that race each other wait their turn.

Two managers sending the same report at once, saving its notes at once, or two reviewers
accepting and returning it at once, over HTTP against gunicorn with four workers and a SQLite
file: each request gets its normal answer (one succeeds, the other is told what happened), none
fails with "database is locked" (503). SQLite transactions begin IMMEDIATE with a busy timeout
(settings), so the second writer waits for the first instead of failing when it upgrades its lock.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from django.conf import settings

from .loadrun import BASE_DIR, Browser, Gunicorn, server_environment

pytestmark = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="runs once, in the SQLite run of the suite (it brings its own SQLite file)",
)

REPORT = "/reports/{plan}/1/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "akm.sqlite3"
    url = f"sqlite:///{database}"
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=server_environment(url),
            check=True,
            capture_output=True,
        )
    with Gunicorn(url, workers=4) as gunicorn:
        yield gunicorn


def logged_in(server, username: str) -> Browser:
    browser = Browser(server.port)
    browser.log_in(username)
    return browser


def plan_id(browser: Browser) -> str:
    listing = browser.get("/reports/").body
    return re.search(r'href="/reports/(\d+)/1/"', listing).group(1)


def at_once(*requests: Callable[[], object]) -> list:
    """Runs the requests in threads released together; their results in order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def notes_form(browser: Browser, path: str, text: str) -> dict[str, str]:
    page = browser.get(path).body
    return {f"note-{pk}": text for pk in re.findall(r'name="note-(\d+)"', page)}


def test_notes_saved_at_once_and_a_report_sent_at_once_both_get_their_answer(server):
    first, second = logged_in(server, "direktor"), logged_in(server, "direktor")
    path = REPORT.format(plan=plan_id(first))
    notes = notes_form(first, path, "Sabab: kech keldi")
    assert notes

    saved = at_once(
        lambda: first.post(path + "notes/", notes), lambda: second.post(path + "notes/", notes)
    )
    assert [response.status for response in saved] == [302, 302]

    sent = at_once(lambda: first.post(path + "submit/", {}), lambda: second.post(path + "submit/", {}))
    assert [response.status for response in sent] == [302, 302]
    page = first.get(path).body
    assert page.count("/v1.pdf") == 1 and "/v2.pdf" not in page  # sent once, not twice

    reviewers = logged_in(server, "viloyat"), logged_in(server, "viloyat")
    moved = at_once(
        lambda: reviewers[0].post(path + "accept/", {}),
        lambda: reviewers[1].post(path + "return/", {"comment": "12-bandni tuzating"}),
    )
    assert [response.status for response in moved] == [302, 302]
    after = reviewers[0].get(path).body
    assert ("state-accepted" in after) != ("state-returned" in after)  # exactly one move happened
