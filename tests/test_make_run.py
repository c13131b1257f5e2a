"""`make run`'s service on the embedded default: SQLite, a file broker, a real worker and beat, one Ctrl-C."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import PROJECT_DIR, free_port, wait_until

SERVER_ENV_NAMES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def _job_statuses(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT status FROM jobs_job")]


@pytest.fixture
def running_service(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_NAMES}
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        PATH=f"{Path(sys.executable).parent}:{env['PATH']}",
        JOB_SWEEP_INTERVAL_SECONDS="5",
    )
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["scripts/run"], cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=180, message="the web server answering")
    except AssertionError:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("make run did not start:\n" + (tmp_path / "run.log").read_text()[-4000:])
    yield base, process, tmp_path
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_make_run_serves_portal_panel_and_readiness_then_stops_on_one_ctrl_c(running_service):
    base, process, tmp_path = running_service

    status, body = _get(f"{base}/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"]["broker"]["transport"] == "filesystem"
    status, page = _get(f"{base}/")
    assert status == 200
    assert "AI-INFRA-2026-R2" in page, "the open demo round is on the portal home page"
    status, page = _get(f"{base}/panel/login/")
    assert (status, "Email address" in page) == (200, True)

    database = tmp_path / "var" / "db.sqlite3"
    wait_until(
        lambda: set(_job_statuses(database)) == {"done"},
        timeout=90,
        message="the worker finishing every demo job",
    )
    output = (tmp_path / "run.log").read_text()
    assert "Review panel" in output
    assert "lead@buyer.example" in output

    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the group is left running
