"""`make bench` (reports): time of the quarterly report's PDF and XLSX for the 2024 demo plan.

Measures, each as the median of BENCH_REPORT_RUNS runs (default 7), in-process with
django.test.Client as a manager of the demo's centre:
- the whole PDF request (the live draft of 2024 Q1), goal under 1 s;
- WeasyPrint's own layout and writing of the same HTML with the same stylesheets, and so our
  part of the request (figures, table, template, response), goal under 15 %;
- the whole XLSX request;
- LibreOffice converting that XLSX to PDF (the way reports were made before), where `soffice`
  is installed; otherwise a row says it is not.
Writes the table to tests/bench/results-reports-<db>.md. SQLite in a temporary file by default;
PostgreSQL with DATABASE_URL naming a database for the bench only (…bench…), as run.py does.
Not collected by pytest (the file is not named test_*).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "7"))


def median_seconds(run: Callable[[], object], runs: int = RUNS) -> float:
    run()  # warm caches (templates, stylesheet, fonts) as a running server has them
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        for run, into in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            run()
            into.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    from run import configure  # the same database set-up as the page bench

    vendor = configure()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from demo.district import DISTRICT, load_demo
    from plans.clock import today
    from plans.models import Plan
    from reports.fetcher import STATIC_ORIGIN, StaticFilesFetcher
    from reports.pdf import _ReportHTML, _stylesheet, report_html
    from reports.selectors import current_table
    from services.models import Membership

    call_command("migrate", verbosity=0)
    load_demo(password="bench-password-not-for-login")
    plan = Plan.objects.select_related("organization").get(organization__name=DISTRICT, year=2024)
    client = Client()
    # An account outside the demo group: production settings (DEBUG off) refuse demo accounts.
    manager = get_user_model().objects.create(username="bench-report-direktor")
    Membership.objects.create(user=manager, organization=plan.organization, role=Membership.Role.MANAGER)
    client.force_login(manager)
    kwargs = {"plan_id": plan.pk, "quarter": 1}

    def get(name: str) -> Callable[[], bytes]:
        def run() -> bytes:
            response = client.get(reverse(f"reports:{name}", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="uz")
            assert response.status_code == 200, response.status_code
            return response.content

        return run

    with translation.override("uz"):
        table, _version = current_table(plan, 1)
        html = report_html(table, on=today(), draft=True)
    stylesheet, fonts = _stylesheet()

    def weasyprint_alone() -> bytes:
        # With the same fetcher as the request: what it costs is counted as WeasyPrint's.
        return _ReportHTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticFilesFetcher()).write_pdf(
            stylesheets=[stylesheet], font_config=fonts
        )

    # Taken in turns, so that a change in the machine's load touches both alike.
    pdf_request, weasyprint_only = interleaved_medians(get("pdf"), weasyprint_alone)

    def our_part_alone() -> str:
        with translation.override("uz"):
            return report_html(current_table(plan, 1)[0], on=today(), draft=True)

    ours_alone = median_seconds(our_part_alone)
    xlsx_bytes = get("xlsx")()
    xlsx_request = median_seconds(get("xlsx"))
    ours = max(pdf_request - weasyprint_only, 0) / pdf_request

    rows = [
        ("PDF, whole request (2024 Q1)", f"{pdf_request * 1000:.0f} ms", "< 1000 ms"),
        ("PDF, WeasyPrint's layout and writing of the same HTML", f"{weasyprint_only * 1000:.0f} ms", ""),
        ("PDF, our part of the request (whole minus WeasyPrint)", f"{ours:.1%}", "< 15 %"),
        (
            "PDF, our part alone (figures, table, HTML)",
            f"{ours_alone * 1000:.0f} ms = {ours_alone / pdf_request:.1%}",
            "< 15 %",
        ),
        ("XLSX, whole request", f"{xlsx_request * 1000:.0f} ms", ""),
        libreoffice_row(xlsx_bytes),
    ]
    text = "\n".join(
        [
            f"# Quarterly report bench ({vendor})",
            "",
            f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs;"
            f" median of {RUNS} runs.",
            "",
            "| measure | time | goal |",
            "|---|---:|---|",
            *(f"| {name} | {value} | {goal} |" for name, value, goal in rows),
            "",
        ]
    )
    (HERE / f"results-reports-{vendor}.md").write_text(text, encoding="utf-8")
    print(text)


def libreoffice_row(xlsx: bytes) -> tuple[str, str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return ("LibreOffice converting the XLSX to PDF", "not installed", "for comparison")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.xlsx"
        source.write_bytes(xlsx)

        def convert() -> None:
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=120,
            )

        seconds = median_seconds(convert, runs=3)
    return ("LibreOffice converting the XLSX to PDF", f"{seconds * 1000:.0f} ms", "for comparison")


if __name__ == "__main__":
    main()
