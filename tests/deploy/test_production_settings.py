"""Production settings, read in a fresh process from a production environment: the deploy check is clean."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_environment(**overrides: str) -> dict[str, str]:
    # Not passed on: the test run's database and settings, and the async-safety switch the
    # browser tests set for their own process.
    inherited = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in inherited}
    environment.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="reja.example.uz",
        BEHIND_PROXY="1",
    )
    # Set even when empty: an empty variable also overrides the developer's .env.
    environment.update(overrides)
    return environment


def manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_deploy_check_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_complains_when_https_is_turned_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_production_serves_compressed_static_files_under_hashed_names(tmp_path):
    collected = manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path))
    assert collected.returncode == 0, collected.stderr
    rendered = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.templatetags.static import static; "
            "print(static('css/app.css'))",
        ],
        cwd=BASE_DIR,
        env=production_environment(STATIC_ROOT=str(tmp_path), DJANGO_SETTINGS_MODULE="akm_plan.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    url = rendered.stdout.strip()
    assert url.startswith("/static/css/app.") and url != "/static/css/app.css"
    hashed = tmp_path / url.removeprefix("/static/")
    assert hashed.is_file()
    assert Path(f"{hashed}.gz").is_file()
