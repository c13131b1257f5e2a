"""Celery signal handlers: tasks inherit the publishing request's id, and their outcomes are counted in Redis.

Counts live in the broker's Redis (two small hashes) rather than in each worker process, so that /metrics on any web
replica reports the tasks of every worker, and a worker restart loses no count.
"""

import logging
import time

import redis

from operations.broker import broker_client
from operations.context import current_request_id, request_id_var

logger = logging.getLogger(__name__)

TASKS_KEY = "rfp:metrics:celery:tasks"  # field "<task name>|<state>" -> number of runs
TASK_SECONDS_KEY = "rfp:metrics:celery:seconds"  # field "<task name>" -> seconds spent running it
_FIELD_SEPARATOR = "|"

_started: dict[str, float] = {}


def connect() -> None:
    from celery import signals

    signals.before_task_publish.connect(_stamp_request_id, weak=False, dispatch_uid="operations.stamp_request_id")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="operations.task_started")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="operations.task_finished")


def _stamp_request_id(sender=None, headers=None, **kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    _started[task_id] = time.monotonic()
    inherited = getattr(task.request, "request_id", None) if task is not None else None
    request_id_var.set(inherited or f"task-{task_id}")


def _task_finished(sender=None, task_id=None, task=None, state=None, **kwargs) -> None:
    started = _started.pop(task_id, None)
    request_id_var.set("")
    if task is None:
        return
    task_record(
        name=task.name, state=(state or "unknown").lower(), seconds=time.monotonic() - started if started else 0
    )


def task_record(*, name: str, state: str, seconds: float) -> None:
    """Count one run of a task; a broker that does not answer costs the count, never the task."""
    client = broker_client()
    if client is None:
        return
    try:
        pipe = client.pipeline(transaction=False)
        pipe.hincrby(TASKS_KEY, f"{name}{_FIELD_SEPARATOR}{state}", 1)
        pipe.hincrbyfloat(TASK_SECONDS_KEY, name, round(seconds, 6))
        pipe.execute()
    except redis.RedisError as error:
        logger.warning("task count not recorded: %s", error)


def task_counts(client: redis.Redis) -> tuple[dict[tuple[str, str], int], dict[str, float]]:
    """(task, state) -> runs, and task -> seconds, as the workers recorded them."""
    pipe = client.pipeline(transaction=False)
    pipe.hgetall(TASKS_KEY)
    pipe.hgetall(TASK_SECONDS_KEY)
    runs, seconds = pipe.execute()
    counts = {}
    for field, value in runs.items():
        name, _, state = field.decode().rpartition(_FIELD_SEPARATOR)
        counts[(name, state)] = int(value)
    return counts, {field.decode(): float(value) for field, value in seconds.items()}
