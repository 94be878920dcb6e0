"""The production arrangement end to end, in processes of their own: a Redis queue (a redis-server this test
starts on loopback), `manage.py run_huey` as the worker, `manage.py send_reminders` as the scheduler's
run, and mail arriving at the test's SMTP server."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import body_of, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while (
        subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG"
    ):
        if time.monotonic() > deadline:
            raise AssertionError("redis-server did not start")
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def environment(tmp_path, redis_url: str, smtp_port: int) -> dict[str, str]:
    inherited = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'akm.sqlite3'}",
        HUEY_URL=redis_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        SITE_URL="https://reja.example.uz",
        AKM_TODAY="2024-04-03",
        DEMO_PASSWORD="demo-password",
    )
    return env


def manage(env, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_reminders_reach_people_through_redis_and_a_worker_process(tmp_path, redis_url, smtp, settings):
    env = environment(tmp_path, redis_url, smtp_port=settings.EMAIL_PORT)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "[User.objects.filter(pk=u.pk).update(email=u.username + '@example.uz')"
        " for u in User.objects.filter(username__startswith='boshliq-')]",
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--no-periodic"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        manage(env, "send_reminders")
        manage(env, "send_reminders")
        deadline = time.monotonic() + 60
        while len(smtp.messages) < 6 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # anything sent twice would arrive meanwhile
    finally:
        worker.terminate()
        worker.wait(30)

    assert sorted(rcpt for [rcpt] in smtp.recipients) == sorted(
        f"boshliq-{short}@example.uz"
        for short in ("bibliografiya", "abonement", "akt", "fond", "madaniyat", "kadrlar")
    )
    assert all("https://reja.example.uz/plan/entry/2024/3/" in body_of(m, "plain") for m in smtp.messages)
