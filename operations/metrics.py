"""Prometheus metrics at /metrics: HTTP requests by view, Celery task outcomes, queue depth and the jobs table.

Request counters live in each web process; under gunicorn they are shared through prometheus_client's multiprocess
files (PROMETHEUS_MULTIPROC_DIR, set by deploy/gunicorn.conf.py), so one scrape sees every worker process. Task
counts come from Redis (operations.celery_signals); queue depth and job ages are read at scrape time.

Access: a bearer token (METRICS_TOKEN) or a client address inside METRICS_ALLOWED_NETWORKS. With neither set the
endpoint does not exist (404).
"""

import functools
import hmac
import ipaddress
import os

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from operations.broker import UNACKED_KEY, broker_client, queue_keys
from operations.celery_signals import task_counts

HTTP_REQUESTS = Counter(
    "rfp_http_requests", "HTTP requests answered, by view name, method and status code.", ["view", "method", "status"]
)
HTTP_REQUEST_SECONDS = Histogram(
    "rfp_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view name and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)

# The Celery queues the service routes to (config.settings CELERY_TASK_ROUTES / CELERY_TASK_DEFAULT_QUEUE).
QUEUES = ("default", "pdf", "mail")


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(view, method, str(status)).inc()
    HTTP_REQUEST_SECONDS.labels(view, method).observe(seconds)


class ServiceCollector:
    """Gauges read when Prometheus scrapes: the broker's queues and the jobs outbox."""

    def collect(self):
        yield from self._broker()
        yield from self._jobs()

    def _broker(self):
        client = broker_client()
        if client is None:
            return
        up = GaugeMetricFamily("rfp_broker_up", "1 when this scrape could read the broker (Redis), else 0.")
        try:
            pipe = client.pipeline(transaction=False)
            for queue in QUEUES:
                for key in queue_keys(queue):
                    pipe.llen(key)
            pipe.hlen(UNACKED_KEY)
            lengths = pipe.execute()
            counts, seconds = task_counts(client)
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        depth = GaugeMetricFamily(
            "rfp_celery_queue_messages",
            "Messages waiting in a Celery queue (not yet taken by a worker).",
            labels=["queue"],
        )
        per_queue = len(queue_keys(QUEUES[0]))
        for index, queue in enumerate(QUEUES):
            depth.add_metric([queue], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        yield depth
        unacked = GaugeMetricFamily(
            "rfp_celery_unacked_messages",
            "Messages taken by a worker and not acknowledged yet (running or prefetched).",
        )
        unacked.add_metric([], lengths[-1])
        yield unacked
        runs = CounterMetricFamily(
            "rfp_celery_tasks",
            "Celery task runs by task name and outcome (success, failure, retry).",
            labels=["task", "state"],
        )
        for (task, state), value in sorted(counts.items()):
            runs.add_metric([task, state], value)
        yield runs
        busy = CounterMetricFamily(
            "rfp_celery_task_seconds", "Seconds spent running each Celery task.", labels=["task"]
        )
        for task, value in sorted(seconds.items()):
            busy.add_metric([task], value)
        yield busy

    def _jobs(self):
        from jobs.models import Job

        up = GaugeMetricFamily("rfp_database_up", "1 when this scrape could read the database, else 0.")
        try:
            rows = list(Job.objects.order_by().values("status").annotate(number=Count("id"), oldest=Min("created_at")))
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        by_status = {row["status"]: row for row in rows}
        now = timezone.now()
        jobs = GaugeMetricFamily("rfp_jobs", "Jobs in the outbox by status.", labels=["status"])
        age = GaugeMetricFamily(
            "rfp_job_oldest_age_seconds",
            "Age (since it was created) of the oldest job still in this status; 0 when there is none.",
            labels=["status"],
        )
        for status in Job.Status.values:
            row = by_status.get(status)
            jobs.add_metric([status], row["number"] if row else 0)
            if status in (Job.Status.PENDING, Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.RETRYING):
                age.add_metric([status], max((now - row["oldest"]).total_seconds(), 0.0) if row else 0.0)
        yield jobs
        yield age


@functools.cache
def _networks(allowed: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network, strict=False) for network in allowed)


def metrics_access(request) -> str:
    """ "allowed", "refused" or "disabled" (neither a token nor a network is configured)."""
    token = settings.METRICS_TOKEN
    networks = _networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
    if not token and not networks:
        return "disabled"
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return "allowed"
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return "refused"
        if any(address in network for network in networks):
            return "allowed"
    return "refused"


def _process_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
@require_GET
def metrics(request):
    access = metrics_access(request)
    if access == "disabled":
        raise Http404("Metrics are not enabled: set METRICS_TOKEN or METRICS_ALLOWED_NETWORKS.")
    if access == "refused":
        response = HttpResponse("Metrics need a valid bearer token or an allowed address.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    service = CollectorRegistry(auto_describe=False)
    service.register(ServiceCollector())
    return HttpResponse(_process_metrics() + generate_latest(service), content_type=CONTENT_TYPE_LATEST)
