"""Real services for integration tests: a private Redis and Celery worker processes, each stopped by its PID."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


class PrivateRedis:
    """A redis-server of this test's own, on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="test-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: run `make test`, which installs it, or apt-get it")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a server a test stopped (SIGSTOP) cannot be terminated
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    """A private Redis for this test's broker, stopped (even if the test froze it) and removed afterwards."""
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


def test_database_url() -> str:
    """The URL of the database this test session uses (pytest-django's test_ copy), for child processes."""
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


@contextlib.contextmanager
def celery_worker(
    *,
    broker_url: str,
    queues: str = "default,pdf,mail",
    concurrency: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the given broker, using this session's test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        **(extra_env or {}),
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-n",
            f"test-{os.getpid()}-{free_port()}@%h",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_path = log.name
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log.close()


def worker_log(process: subprocess.Popen) -> str:
    return Path(process.log_path).read_text(errors="replace")[-5000:]


@contextlib.contextmanager
def celery_app_publishing_to(broker_url: str) -> Iterator[None]:
    """Point this process's Celery app (the one `job_publish` uses) at another broker, then back."""
    from config.celery_app import app
    from config.settings.base import broker_transport_options

    saved = (app.conf.broker_url, app.conf.broker_transport_options)

    def switch(url: str, options: dict) -> None:
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url
        app.conf.broker_transport_options = options

    switch(broker_url, broker_transport_options(broker_url, socket_timeout=1.0, connect_timeout=1.0))
    try:
        yield
    finally:
        switch(*saved)


def wait_until(predicate, *, timeout: float, interval: float = 0.2, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"{message} not met within {timeout}s")
