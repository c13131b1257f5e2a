"""A Redis client on the Celery broker, for reading queue depth and keeping task counts; None on other transports."""

import functools

import redis
from django.conf import settings

# kombu's Redis transport keeps a queue in one list per priority step: "pdf", "pdf\x06\x163", "pdf\x06\x166", ...
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)
# Messages a worker has taken but not acknowledged yet (acks_late): kombu keeps them in this hash.
UNACKED_KEY = "unacked"


@functools.cache
def broker_client() -> redis.Redis | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    # redis-py resets its pool in a forked child, so one cached client serves gunicorn and prefork workers alike.
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def queue_keys(queue: str) -> list[str]:
    return [queue, *(f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS)]
