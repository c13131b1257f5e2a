import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_broker_ready(client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["checks"]["broker"] == {"ok": True, "transport": "redis"}


def test_readyz_says_which_part_is_not_ready(client):
    from tests.support.processes import celery_app_publishing_to, free_port

    with celery_app_publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert "error" in body["checks"]["broker"]


def test_portal_home_shows_the_open_rfp_deadline_in_its_time_zone(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from rfp.factories import RfpFactory

    RfpFactory(
        reference="AI-INFRA-2026",
        title="AI infrastructure supply 2026",
        opens_at=datetime(2026, 1, 15, 9, tzinfo=ZoneInfo("America/Los_Angeles")),
        closes_at=datetime(2026, 6, 30, 23, 59, 59, tzinfo=ZoneInfo("America/Los_Angeles")),
    )
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=ZoneInfo("UTC")), tick=False):
        response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "AI infrastructure supply 2026" in page
    assert "June 30, 2026, 11:59:59 PM PDT" in page
    assert 'datetime="2026-07-01T06:59:59+00:00"' in page


def test_api_lists_open_rfps_with_their_local_deadline(client, django_assert_max_num_queries):
    from rfp.factories import RfpFactory

    RfpFactory(reference="OPEN-1")
    RfpFactory(reference="OPEN-2")

    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/rfps/open/")

    assert response.status_code == 200
    body = response.json()
    assert [rfp["reference"] for rfp in body] == ["OPEN-1", "OPEN-2"]
    assert body[0]["sectors"] == ["datacenter", "consumer-electronics", "robotics"]
    assert body[0]["closes_at_local"].endswith(("-08:00", "-07:00"))
