"""The production settings as a deployment starts them: `check --deploy` clean, private S3 storage, mail by provider,
JSON log lines with the request id. Each runs in a subprocess with only the environment an operator would set."""

import json
import os
import secrets
import subprocess
import sys

from tests.support.processes import PROJECT_DIR


def production_env(**overrides: str) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CELERY_", "DJANGO_", "S3_", "EMAIL_", "ANYMAIL_", "METRICS_", "LOG_"))
        and name not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "rfp.example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "S3_BUCKET": "rfp-intake-private",
        **overrides,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def settings_json(env: dict[str, str], expression: str):
    script = f"import json; from django.conf import settings; print(json.dumps({expression}))"
    result = manage(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_at_warning_level():
    result = manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_private_and_default_storage_are_a_private_bucket_with_short_signed_urls():
    storages = settings_json(
        production_env(S3_ENDPOINT_URL="http://minio:9000", S3_ADDRESSING_STYLE="path"), "settings.STORAGES"
    )

    for name in ("private", "default"):
        assert storages[name]["BACKEND"] == "operations.storage.PrivateS3Storage"
        options = storages[name]["OPTIONS"]
        assert options["bucket_name"] == "rfp-intake-private"
        assert options["default_acl"] == "private"
        assert options["querystring_auth"] is True
        assert options["querystring_expire"] == 60
        assert options["file_overwrite"] is False
        assert options["endpoint_url"] == "http://minio:9000"
        assert options["addressing_style"] == "path"
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_mail_goes_through_the_provider_the_environment_names():
    env = production_env(EMAIL_PROVIDER="postmark", ANYMAIL_POSTMARK_SERVER_TOKEN="server-token-1")

    backend, anymail = settings_json(env, "[settings.EMAIL_BACKEND, settings.ANYMAIL]")

    assert backend == "anymail.backends.postmark.EmailBackend"
    assert anymail == {"POSTMARK_SERVER_TOKEN": "server-token-1"}
    assert settings_json(production_env(), "settings.EMAIL_BACKEND") == "django.core.mail.backends.smtp.EmailBackend"


def test_an_unknown_mail_provider_stops_the_start():
    result = manage(production_env(EMAIL_PROVIDER="carrier-pigeon"), "check")

    assert result.returncode != 0
    assert "EMAIL_PROVIDER='carrier-pigeon' is neither smtp nor an anymail provider" in result.stderr


def test_a_malformed_metrics_network_fails_the_check():
    result = manage(production_env(METRICS_ALLOWED_NETWORKS="10.0.0.0/8,not-a-network"), "check")

    assert result.returncode != 0
    assert "operations.E001" in result.stderr
    assert "'not-a-network'" in result.stderr


def test_logs_are_json_lines_carrying_the_request_id():
    script = (
        "import logging; from operations.context import request_id_var; "
        "request_id_var.set('req-0123456789'); "
        "logging.getLogger('rfp.example').warning('proposal %s submitted', 'P-1', extra={'proposal': 'P-1'})"
    )

    result = manage(production_env(), "shell", "-c", script)

    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stderr.splitlines() if "rfp.example" in line]
    record = json.loads(line)
    assert record["message"] == "proposal P-1 submitted"
    assert record["level"] == "WARNING"
    assert record["logger"] == "rfp.example"
    assert record["request_id"] == "req-0123456789"
    assert record["proposal"] == "P-1"
    assert record["time"].endswith("+00:00")
