"""Sign-in counts failed attempts in Redis (production's cache): a stalled Redis must not hold the request."""

import signal
import time

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.processes import PrivateRedis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache():
    server = PrivateRedis()
    server.start()
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": server.url,
        "OPTIONS": settings.REDIS_CACHE_OPTIONS,  # as base.py configures it when REDIS_URL is set
    }
    try:
        with override_settings(CACHES={"default": cache}):
            yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.send_signal(signal.SIGCONT)
        server.cleanup()


def test_a_sign_in_while_redis_is_stalled_answers_503_within_seconds_then_works_again(client, redis_cache):
    user = UserFactory(email="rush@stalled-cache.example")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    form = {"login": user.email, "password": DEFAULT_PASSWORD}

    redis_cache.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = client.post("/accounts/login/", form)
        took = time.monotonic() - started
    finally:
        redis_cache.process.send_signal(signal.SIGCONT)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "could not reach its cache server in time" in response.content.decode()
    assert took < 3.0, f"the sign-in waited {took:.1f}s on a stalled Redis"
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", form)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    print(f"\nredis stalled (SIGSTOP) at sign-in: 503 after {took:.2f}s; signed in once it answered again")
