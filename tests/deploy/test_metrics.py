"""/metrics for Prometheus: who may read it, and what it tells (requests by view, queue depth, task outcomes, jobs)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from jobs.models import Job
from operations.broker import broker_client
from operations.celery_signals import task_record

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-0123456789"


def samples(response) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a Prometheus text exposition."""
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    return samples(response)


@pytest.fixture
def broker(redis_server):
    """The broker this process counts and measures is a private Redis, for this test only."""
    broker_client.cache_clear()
    with override_settings(CELERY_BROKER_URL=redis_server.url):
        yield redis_server
    broker_client.cache_clear()


# --- Who may read it -------------------------------------------------------------------------------------------


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_NETWORKS=[])
def test_without_a_token_or_a_network_the_endpoint_does_not_exist(client):
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=[])
def test_a_bearer_token_is_required_and_checked(client):
    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    right = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert wrong.status_code == 401
    assert b"rfp_" not in wrong.content
    assert right.status_code == 200
    assert right["Content-Type"].startswith("text/plain; version=")


@pytest.mark.parametrize(("networks", "status"), [(["127.0.0.0/8"], 200), (["10.0.0.0/8", "192.0.2.7"], 401)])
def test_an_allowed_network_needs_no_token(client, networks, status):
    with override_settings(METRICS_TOKEN="", METRICS_ALLOWED_NETWORKS=networks):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == status


# --- What it tells ---------------------------------------------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN)
def test_requests_are_counted_and_timed_by_view_name(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page-at-all/")

    after = scrape(client)

    healthz = ("rfp_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    unmatched = ("rfp_http_requests_total", (("method", "GET"), ("status", "404"), ("view", "unmatched")))
    timed = ("rfp_http_request_duration_seconds_count", (("method", "GET"), ("view", "healthz")))
    assert after[healthz] - before.get(healthz, 0) == 2
    assert after[unmatched] - before.get(unmatched, 0) == 1
    assert after[timed] - before.get(timed, 0) == 2


@override_settings(METRICS_TOKEN=TOKEN)
def test_queue_depth_comes_from_the_broker_and_task_outcomes_from_the_workers_counts(client, broker):
    from config.celery_app import app

    # Published as job_publish does, routed by CELERY_TASK_ROUTES: render_* to pdf, send_* to mail, the rest default.
    with app.connection_for_write(broker.url) as connection:
        for _ in range(3):
            app.send_task("documents.render_summary_pdf", kwargs={"job_id": "x"}, connection=connection)
        app.send_task("notifications.send_email", kwargs={"job_id": "x"}, connection=connection)
        app.send_task("rfp.proposal_run_checks", kwargs={"job_id": "x"}, connection=connection)
    task_record(name="rfp.proposal_run_checks", state="success", seconds=0.25)
    task_record(name="rfp.proposal_run_checks", state="success", seconds=0.5)
    task_record(name="rfp.proposal_run_checks", state="failure", seconds=1.0)

    metrics = scrape(client)

    assert metrics[("rfp_broker_up", ())] == 1
    assert metrics[("rfp_celery_queue_messages", (("queue", "pdf"),))] == 3
    assert metrics[("rfp_celery_queue_messages", (("queue", "mail"),))] == 1
    assert metrics[("rfp_celery_queue_messages", (("queue", "default"),))] == 1
    assert metrics[("rfp_celery_unacked_messages", ())] == 0
    checks = "rfp.proposal_run_checks"
    assert metrics[("rfp_celery_tasks_total", (("state", "success"), ("task", checks)))] == 2
    assert metrics[("rfp_celery_tasks_total", (("state", "failure"), ("task", checks)))] == 1
    assert metrics[("rfp_celery_task_seconds_total", (("task", checks),))] == pytest.approx(1.75)


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_broker_that_does_not_answer_is_reported_not_fatal(client, broker):
    broker.stop()

    metrics = scrape(client)

    assert metrics[("rfp_broker_up", ())] == 0
    assert metrics[("rfp_database_up", ())] == 1
    assert ("rfp_celery_queue_messages", (("queue", "pdf"),)) not in metrics


@override_settings(METRICS_TOKEN=TOKEN)
def test_jobs_are_counted_by_status_with_the_age_of_the_oldest_waiting(client):
    now = timezone.now()
    waiting = Job.objects.create(task_name="rfp.proposal_run_checks", status=Job.Status.PENDING)
    Job.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(seconds=600))
    Job.objects.create(task_name="rfp.proposal_run_checks", status=Job.Status.PENDING)
    queued = Job.objects.create(task_name="rfp.proposal_assign_reviewers", status=Job.Status.QUEUED)
    Job.objects.filter(pk=queued.pk).update(created_at=now - timedelta(seconds=90))
    for _ in range(2):
        Job.objects.create(task_name="rfp.proposal_run_checks", status=Job.Status.DONE)
    Job.objects.create(task_name="rfp.proposal_run_checks", status=Job.Status.DEAD)

    metrics = scrape(client)

    def jobs(status):
        return metrics[("rfp_jobs", (("status", status),))]

    def age(status):
        return metrics[("rfp_job_oldest_age_seconds", (("status", status),))]

    assert (jobs("pending"), jobs("queued"), jobs("running"), jobs("done"), jobs("dead")) == (2, 1, 0, 2, 1)
    assert 600 <= age("pending") < 660
    assert 90 <= age("queued") < 150
    assert age("running") == 0
    assert ("rfp_job_oldest_age_seconds", (("status", "done"),)) not in metrics


# --- Request ids -----------------------------------------------------------------------------------------------


def test_each_response_names_its_request_id_keeping_a_proxys_sane_one(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    fresh = client.get("/healthz")

    assert kept["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert replaced["X-Request-ID"] != "<script>"
    assert len(replaced["X-Request-ID"]) == 32
    assert fresh["X-Request-ID"] != replaced["X-Request-ID"]
