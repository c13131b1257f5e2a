"""Production settings refuse to start without their secrets and servers; the local default needs none."""

import os
import subprocess
import sys

import pytest

from tests.support.processes import PROJECT_DIR

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "rfp.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "S3_BUCKET": "rfp-intake-private",
}


def _run_django(settings_module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("CELERY_")}
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=PROJECT_DIR,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = _run_django("config.settings.production", env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"not set: {missing}" in result.stderr


def test_production_refuses_sqlite():
    result = _run_django("config.settings.production", {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/x.db"})

    assert result.returncode != 0
    assert "Production needs PostgreSQL" in result.stderr


def test_production_starts_with_its_secrets():
    result = _run_django("config.settings.production", PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_local_default_needs_no_server(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}

    result = _run_django("config.settings.local", env, "migrate", "--noinput", "-v", "0")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def _site_url(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "WEB_PORT")}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=PROJECT_DIR,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_on_another_port_links_emails_to_that_port():
    assert _site_url({"PORT": "8021"}) == "http://127.0.0.1:8021"
    assert _site_url({}) == "http://127.0.0.1:8000"
    assert _site_url({"PORT": "8021", "SITE_URL": "https://rfp.example.com"}) == "https://rfp.example.com"
