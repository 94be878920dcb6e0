"""`make bench`, slow-line part: the entry page and the centre dashboard in Chromium on a district line.

Serves the demo with gunicorn as in production (DEBUG off, compressed static files under hashed
names), opens each page in Debian's Chromium through Playwright with the network throttled to
400 kbit/s each way and a 400 ms round trip (Chrome DevTools' network emulation), and records
how long until the page is ready (its load event: HTML, styles, scripts and images all in) and
how many bytes crossed the line, compressed: first with an empty browser cache, then visited
again. Writes tests/bench/results-slowline.md. Not collected by pytest.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
RESULTS = Path(__file__).resolve().parent / "results-slowline.md"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
RUNS = int(os.environ.get("SLOWLINE_RUNS", "5"))
# 400 kbit/s each way and 400 ms round trip: a district centre's line on a bad day.
KBIT = 400
ROUND_TRIP_MS = 400
TARGET_SECONDS = 3.0
PASSWORD = "slow-line-password"


def main() -> None:
    if not Path(CHROMIUM).exists():
        print(f"Slow-line bench skipped: no Chromium at {CHROMIUM}.")
        return
    from playwright.sync_api import sync_playwright

    from tests.faults.loadrun import Gunicorn, server_environment

    work = Path(tempfile.mkdtemp(prefix="akm-slowline-"))
    url = f"sqlite:///{work / 'demo.sqlite3'}"
    environment = {
        **server_environment(url),
        "DEMO_PASSWORD": PASSWORD,
        "STATIC_MANIFEST": "1",
        "STATIC_ROOT": str(work / "static"),
    }
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=environment,
            check=True,
            capture_output=True,
        )
    with sqlite3.connect(work / "demo.sqlite3") as database:
        (service,) = database.execute(
            "SELECT id FROM services_service WHERE name LIKE 'Abonement%'"
        ).fetchone()
    pages = {
        "Centre dashboard (director)": ("direktor", "/plan/dashboard/"),
        "Entry page (a service's month)": ("xodim-abonement", f"/plan/entry/2024/3/{service}/"),
    }
    rows = []
    with Gunicorn(url, workers=2, environment=environment) as gunicorn, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        base = f"http://127.0.0.1:{gunicorn.port}"
        for name, (username, path) in pages.items():
            cold, warm = [], []
            for _ in range(RUNS):
                cold.append(visit(browser, base, username, path, cached=False))
                warm.append(visit(browser, base, username, path, cached=True))
            rows.append((name, cold, warm))
        browser.close()
    write(rows)


def visit(browser, base: str, username: str, path: str, *, cached: bool) -> tuple[float, int]:
    """Seconds until the page's load event and compressed bytes received, on the throttled line."""
    context = browser.new_context(base_url=base, locale="uz-UZ")
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    if cached:
        page.goto(path)  # the first visit fills the cache; the measured one comes after
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if not cached:
        cdp.send("Network.clearBrowserCache")
    received: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(int(event["encodedDataLength"])))
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": ROUND_TRIP_MS,
            "downloadThroughput": KBIT * 1000 / 8,
            "uploadThroughput": KBIT * 1000 / 8,
        },
    )
    page.goto(path, wait_until="load")
    timing = page.evaluate(
        "() => { const [n] = performance.getEntriesByType('navigation');"
        " return n.loadEventEnd - n.startTime; }"
    )
    context.close()
    return timing / 1000, sum(received)


def write(rows) -> None:
    lines = [
        "# Slow line: pages in Chromium at 400 kbit/s and 400 ms round trip",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.platform()} · {os.cpu_count()} CPUs · "
        f"gunicorn (2 workers), DEBUG off, static files compressed under hashed names; the demo "
        f"(the 2024 plan, 3 April 2024). Median of {RUNS} visits each. Regenerate with `make bench`.",
        "",
        "| Page | ready, empty cache (s) | bytes, empty cache | ready, visited again (s) "
        "| bytes, visited again |",
        "|---|---|---|---|---|",
    ]
    over = []
    for name, cold, warm in rows:
        cold_s, cold_b = statistics.median(t for t, _ in cold), statistics.median(b for _, b in cold)
        warm_s, warm_b = statistics.median(t for t, _ in warm), statistics.median(b for _, b in warm)
        lines.append(
            f"| {name} | {cold_s:.2f} | {cold_b / 1024:.1f} KB | {warm_s:.2f} | {warm_b / 1024:.1f} KB |"
        )
        if cold_s > TARGET_SECONDS:
            over.append(name)
    lines += [
        "",
        f"Target: ready in under {TARGET_SECONDS:.0f} s with an empty cache. "
        + ("Over it: " + "; ".join(over) + "." if over else "Both pages are within it."),
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
