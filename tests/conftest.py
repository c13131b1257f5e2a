"""The suite runs against real PostgreSQL and Redis; if either is unreachable it stops at once and says which."""

import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

pytest_plugins = ["tests.support.browser", "tests.support.processes", "tests.support.team"]


def _reachable(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as error:
        return str(error)


def _check_postgresql() -> str | None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return f"the tests need PostgreSQL, but DATABASE_URL selects {database['ENGINE']}"
    host, port = database.get("HOST") or "127.0.0.1", int(database.get("PORT") or 5432)
    error = _reachable(host, port)
    return error and f"PostgreSQL is unreachable at {host}:{port} ({error})"


def _check_redis() -> str | None:
    if not settings.REDIS_URL:
        return "the tests need Redis, but REDIS_URL is empty"
    url = urlparse(settings.REDIS_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis is unreachable at {host}:{port} ({error})"
    return None


def pytest_sessionstart(session):
    problems = [problem for problem in (_check_postgresql(), _check_redis()) if problem]
    if problems:
        pytest.exit(
            "Cannot run the suite: "
            + "; ".join(problems)
            + ". Start the service (see README, 'Services') or set DATABASE_URL / REDIS_URL.",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (failed logins) and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _broker_not_known_down():
    """A publish that failed in one test (the broker stopped on purpose) must not hold back the next test's."""
    import jobs.services

    jobs.services._broker_unreachable_until = 0.0


@pytest.fixture
def jobs_unpublished(monkeypatch):
    """Submits enqueue review jobs; running on-commit callbacks must not publish them to the shared Redis (a test
    with its own worker and broker leaves this out)."""
    import jobs.services

    monkeypatch.setattr(jobs.services, "job_publish", lambda **kwargs: False)
