"""The production settings, run as a deployment runs them, on loopback: gunicorn with deploy/gunicorn.conf.py, a real
Celery worker, PostgreSQL (a database of this module's own), a private Redis, an S3 server (moto's server mode) and
an SMTP server. A supplier signs in, uploads a file and submits over HTTP, as the TLS proxy in front would forward it.

Then: the file and the PDF summaries are objects in the bucket and nowhere on local disk; the receipt arrives by
SMTP with the summary attached; the file comes back only through the authorizing view; /metrics counts the requests
of both gunicorn processes and the worker's tasks; every log line is JSON and carries the request id, the worker's
lines too for the tasks that request published.
"""

import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
from contextlib import ExitStack
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.conftest import S3_KEY_ID, S3_REGION, S3_SECRET, S3Server
from tests.portal.attachments.files import pdf_bytes
from tests.support.processes import (
    PROJECT_DIR,
    PrivateRedis,
    celery_worker,
    free_port,
    wait_until,
    worker_log,
)

pytestmark = [pytest.mark.worker, pytest.mark.timeout(900)]

EMAIL = "owner@lonestar-racks.example"
PASSWORD = "correct-horse-battery-staple"  # accounts.factories.DEFAULT_PASSWORD
METRICS_TOKEN = secrets.token_urlsafe(32)
SUBMIT_REQUEST_ID = "e2e-submit-request-0001"
CONTENT = pdf_bytes(padding=5000)
FILE_NAME = "Rack datasheet.pdf"

SEED = """
import json
from allauth.account.models import EmailAddress
from accounts.factories import UserFactory
from rfp.factories import RfpFactory, draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory

rfp = RfpFactory(reference="DEPLOY-E2E-2026")
supplier = SupplierFactory(legal_name="Lone Star Racks Inc.")
user = UserFactory(email="%(email)s")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
SupplierMemberFactory(supplier=supplier, user=user, role=MemberRole.OWNER)
proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=user)
print(json.dumps({"reference": proposal.reference, "id": proposal.pk}))
"""


class Browser:
    """HTTP to gunicorn as the TLS-terminating proxy forwards it (X-Forwarded-Proto: https), keeping cookies the way a
    browser on https would: the session and CSRF cookies are Secure, which an http client would otherwise drop."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.origin = f"https://{urlsplit(base_url).netloc}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> requests.Response:
        sent = {"X-Forwarded-Proto": "https", "Referer": f"{self.origin}{path}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method != "GET":
            sent["Origin"] = self.origin
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        response = requests.request(
            method, f"{self.base_url}{path}", headers=sent, allow_redirects=False, timeout=60, **kwargs
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)


def _server_url(database: str) -> str:
    params = settings.DATABASES["default"]
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{params.get('USER') or 'postgres'}{password}@{host}:{port}/{database}"


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _run(env: dict, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-4000:]}"
    return result.stdout


class Stack:
    """Everything the module's tests look at once the supplier has submitted."""

    database_url: str
    s3: S3Server
    var_dir: Path
    base_url: str
    web_log: Path
    worker: subprocess.Popen
    browser: Browser
    reference: str
    proposal_id: int

    def query(self, sql: str, *params) -> list[tuple]:
        with _connect(self.database_url) as db:
            return db.execute(sql, params).fetchall()

    def metrics(self, **headers) -> requests.Response:
        return requests.get(f"{self.base_url}/metrics", headers=headers, timeout=30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, collected_static, smtp_sink):
    tmp = tmp_path_factory.mktemp("production")
    database = f"deploy_e2e_{secrets.token_hex(4)}"
    with ExitStack() as cleanup:
        with _connect(_server_url("postgres")) as db:
            db.execute(f'CREATE DATABASE "{database}"')

        def drop_database():
            with _connect(_server_url("postgres")) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

        cleanup.callback(drop_database)
        redis_server = PrivateRedis()
        redis_server.start()
        cleanup.callback(redis_server.cleanup)
        s3 = S3Server()
        s3.start()
        cleanup.callback(s3.stop)

        state = Stack()
        state.database_url = _server_url(database)
        state.s3 = s3
        state.var_dir = tmp / "var"
        state.var_dir.mkdir()
        port = free_port()
        state.base_url = f"http://127.0.0.1:{port}"
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("CELERY_", "DJANGO_", "S3_", "EMAIL_", "ANYMAIL_", "METRICS_", "LOG_", "AWS_"))
            and name not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PROMETHEUS_MULTIPROC_DIR")
        }
        env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "PYTHONPATH": str(PROJECT_DIR),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": state.database_url,
            "REDIS_URL": redis_server.url,
            "S3_BUCKET": s3.bucket,
            "S3_ENDPOINT_URL": s3.endpoint_url,
            "S3_REGION": S3_REGION,
            "S3_ACCESS_KEY_ID": S3_KEY_ID,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "S3_ADDRESSING_STYLE": "path",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_sink.port),
            "DEFAULT_FROM_EMAIL": "RFP Intake <rfp-intake@buyer.example>",
            "METRICS_TOKEN": METRICS_TOKEN,
            # Anything written to local disk would land under here: the tests look for it.
            "VAR_DIR": str(state.var_dir),
            "MEDIA_ROOT": str(state.var_dir / "media"),
            "PRIVATE_STORAGE_ROOT": str(state.var_dir / "private"),
            "EMAIL_FILE_PATH": str(state.var_dir / "mail"),
            "STATIC_ROOT": str(collected_static),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "prometheus"),
        }
        _run(env, "migrate", "--noinput", "-v", "0")
        seeded = json.loads(_run(env, "shell", "-c", SEED % {"email": EMAIL}).strip().splitlines()[-1])
        state.reference, state.proposal_id = seeded["reference"], seeded["id"]

        state.web_log = tmp / "web.log"
        with state.web_log.open("wb") as log:
            web = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "config.wsgi",
                ],
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def stop_web():
            if web.poll() is None:
                os.killpg(web.pid, signal.SIGTERM)
                try:
                    web.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(web.pid, signal.SIGKILL)
                    web.wait(timeout=5)

        cleanup.callback(stop_web)
        state.worker = cleanup.enter_context(celery_worker(broker_url=redis_server.url, extra_env=env))

        def ready() -> bool:
            assert web.poll() is None, f"gunicorn exited:\n{state.web_log.read_text()[-4000:]}"
            try:
                return requests.get(f"{state.base_url}/readyz", timeout=30).status_code == 200
            except requests.RequestException:  # not listening yet, or the first request still loading Django
                return False

        wait_until(ready, timeout=180, message="gunicorn answering /readyz")

        state.browser = Browser(state.base_url)
        _sign_in_upload_and_submit(state)
        wait_until(
            lambda: _pipeline_done(state, smtp_sink),
            timeout=300,
            interval=1.0,
            message=f"summary PDFs and the receipt email; worker log:\n{worker_log(state.worker)}",
        )
        yield state


def _sign_in_upload_and_submit(state: Stack) -> None:
    browser = state.browser
    assert browser.get("/accounts/login/").status_code == 200
    signed_in = browser.post("/accounts/login/", data={"login": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.text[-2000:]
    assert "sessionid" in browser.cookies

    attachments = f"/portal/proposals/{state.reference}/attachments/"
    assert browser.get(attachments).status_code == 200
    uploaded = browser.post(
        f"{attachments}upload/",
        data={"kind": "technical"},
        files={"file": (FILE_NAME, CONTENT, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    page = browser.get(urlsplit(uploaded.headers["Location"]).path).text
    assert f"{FILE_NAME} was added" in page

    submitted = browser.post(
        f"/portal/proposals/{state.reference}/submit/", headers={"X-Request-ID": SUBMIT_REQUEST_ID}
    )
    assert submitted.status_code == 302, submitted.text[-2000:]
    assert submitted.headers["X-Request-ID"] == SUBMIT_REQUEST_ID
    receipt = browser.get(submitted.headers["Location"])
    assert receipt.status_code == 200
    assert f"Receipt: proposal {state.reference}, version 1" in receipt.text


def _pipeline_done(state: Stack, smtp_sink) -> bool:
    """The summary PDFs of all three audiences are stored and the receipt email has gone out."""
    [(audiences,)] = state.query(
        "SELECT count(DISTINCT audience) FROM documents_summarypdf WHERE proposal_id = %s", state.proposal_id
    )
    return audiences >= 3 and any(EMAIL in recipients for recipients, _ in smtp_sink.messages)


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


# --- Files ---------------------------------------------------------------------------------------------------


def test_the_attachment_and_the_pdf_summaries_are_in_the_bucket_and_not_on_local_disk(stack):
    [(attachment_name, sha256)] = stack.query(
        "SELECT a.file, a.sha256 FROM rfp_attachment a JOIN rfp_proposal p ON p.id = a.proposal_id "
        "WHERE p.reference = %s",
        stack.reference,
    )
    pdf_names = [name for (name,) in stack.query("SELECT file FROM documents_summarypdf")]
    keys = stack.s3.keys()

    assert f"private/{attachment_name}" in keys
    assert stack.s3.body(f"private/{attachment_name}") == CONTENT
    assert sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert pdf_names
    for name in pdf_names:
        assert f"private/{name}" in keys
        assert stack.s3.body(f"private/{name}").startswith(b"%PDF-")
    acl = stack.s3.client().get_object_acl(Bucket=stack.s3.bucket, Key=f"private/{attachment_name}")
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]

    on_disk = [path for path in stack.var_dir.rglob("*") if path.is_file()]
    assert on_disk == [], f"files written to local disk: {on_disk}"
    for name in (attachment_name, *pdf_names):
        assert not (PROJECT_DIR / "var" / "private" / name).exists()
        assert not (PROJECT_DIR / "var" / "test-private" / name).exists()


def test_the_file_comes_back_only_through_the_authorizing_view(stack):
    [(attachment_id,)] = stack.query(
        "SELECT a.id FROM rfp_attachment a JOIN rfp_proposal p ON p.id = a.proposal_id WHERE p.reference = %s",
        stack.reference,
    )
    path = f"/portal/proposals/{stack.reference}/attachments/{attachment_id}/download/"

    download = stack.browser.get(path)
    anonymous = Browser(stack.base_url).get(path)

    assert download.status_code == 200
    assert download.content == CONTENT
    assert download.headers["Content-Disposition"] == f'attachment; filename="{FILE_NAME}"'
    assert download.headers["Cache-Control"] == "private, no-store"
    assert anonymous.status_code == 302
    assert urlsplit(anonymous.headers["Location"]).path == "/accounts/login/"


# --- Mail ----------------------------------------------------------------------------------------------------


def test_the_receipt_arrives_by_smtp_with_the_summary_pdf_attached(stack, smtp_sink):
    [message] = [message for recipients, message in smtp_sink.messages if EMAIL in recipients]

    assert stack.reference in message["Subject"]
    assert message["From"] == "RFP Intake <rfp-intake@buyer.example>"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{stack.reference}-v1-summary.pdf"
    assert attachment.get_content().startswith(b"%PDF-")


# --- Metrics and logs ----------------------------------------------------------------------------------------


def test_metrics_count_every_gunicorn_process_and_the_workers_tasks(stack):
    refused = stack.metrics()
    response = stack.metrics(Authorization=f"Bearer {METRICS_TOKEN}")

    assert refused.status_code == 401
    assert response.status_code == 200
    metrics = _samples(response.text)
    upload = (("method", "POST"), ("status", "302"), ("view", "portal:attachment_upload"))
    assert metrics[("rfp_http_requests_total", upload)] == 1
    sign_in_page = ("rfp_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "account_login")))
    assert metrics[sign_in_page] >= 1
    render = ("rfp_celery_tasks_total", (("state", "success"), ("task", "documents.render_summary")))
    assert metrics[render] >= 2
    assert metrics[("rfp_broker_up", ())] == 1
    assert metrics[("rfp_database_up", ())] == 1
    assert metrics[("rfp_jobs", (("status", "done"),))] >= 3
    assert metrics[("rfp_jobs", (("status", "dead"),))] == 0
    for queue in ("default", "pdf", "mail"):
        assert ("rfp_celery_queue_messages", (("queue", queue),)) in metrics


def test_logs_are_json_lines_and_the_submit_request_id_follows_its_tasks_into_the_worker(stack):
    web_lines = [json.loads(line) for line in stack.web_log.read_text().splitlines() if line.startswith("{")]
    worker_lines = [
        json.loads(line)
        for line in Path(stack.worker.log_path).read_text().splitlines()
        if line.startswith("{") and line.endswith("}")
    ]

    [submit] = [line for line in web_lines if line.get("request_id") == SUBMIT_REQUEST_ID and "status" in line]
    assert submit["logger"] == "rfp.access"
    assert submit["path"] == f"/portal/proposals/{stack.reference}/submit/"
    assert submit["status"] == 302
    assert submit["view"] == "portal:proposal_submit"
    assert any(line["logger"] == "gunicorn.error" for line in web_lines), "gunicorn's own lines are JSON too"
    assert [line for line in worker_lines if line.get("request_id") == SUBMIT_REQUEST_ID], worker_log(stack.worker)
    assert not [line for line in stack.web_log.read_text().splitlines() if re.match(r"^\[\d{4}-", line)]


def test_the_web_answers_with_the_production_security_headers(stack):
    response = stack.browser.get("/")
    plain = requests.get(f"{stack.base_url}/", allow_redirects=False, timeout=30)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert plain.status_code == 301, "plain http is sent to https"
    assert plain.headers["Location"].startswith("https://")
