"""Servers the deployment tests need on loopback: an S3 server (moto's server mode), a private Redis."""

import os
import re
import secrets
import shlex
import subprocess
import sys

import boto3
import pytest

from tests.support.processes import PROJECT_DIR, free_port, wait_for_port

S3_REGION = "us-east-1"
S3_KEY_ID = "rfp-test-key"
S3_SECRET = "rfp-test-secret"


class S3Server:
    """moto's S3 in server mode, answering real HTTP on 127.0.0.1, with one private bucket of the test's own."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.bucket = f"rfp-test-{secrets.token_hex(4)}"

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEY_ID,
            aws_secret_access_key=S3_SECRET,
        )

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def start(self) -> None:
        self.server.start()
        wait_for_port(self.port)
        self.client().create_bucket(Bucket=self.bucket)

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def s3_server():
    server = S3Server()
    server.start()
    yield server
    server.stop()


def dockerfile_collectstatic_env() -> dict[str, str]:
    """The placeholder variables deploy/Dockerfile gives `collectstatic` in its runtime stage."""
    dockerfile = (PROJECT_DIR / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    command = re.search(r"RUN (SECRET_KEY=.*?python manage.py collectstatic[^&]*)", dockerfile).group(1)
    return dict(word.split("=", 1) for word in shlex.split(command) if "=" in word and not word.startswith("-"))


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected as the image build collects them (production settings, whitenoise's manifest)."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("CELERY_", "DJANGO_"))},
        **dockerfile_collectstatic_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "STATIC_ROOT": str(root),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return root


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it is given."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        import email
        from email import policy

        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def smtp_sink():
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()
