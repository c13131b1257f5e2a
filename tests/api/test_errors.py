"""Every error is RFC 9457 problem details in one shape, whatever raised it."""

import pytest
from rest_framework.test import APIClient

from rfp import services
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

SHAPE = {"type", "title", "status", "detail", "code", "errors"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= SHAPE
    assert body["status"] == status
    assert isinstance(body["errors"], dict)
    return body


def test_invalid_input_names_each_field(api, draft):
    body = _problem(api.patch(f"/api/v1/proposals/{draft.reference}/", {"lead_time_weeks": "soon"}, format="json"), 400)

    assert body["type"] == "urn:rfp-intake:problem:validation"
    assert body["errors"] == {"lead_time_weeks": ["A valid integer is required."]}
    assert body["detail"] == "A valid integer is required."


def test_a_refusal_of_the_state_machine_is_a_409(api, draft, owner):
    services.proposal_submit(proposal=draft, actor=owner)

    body = _problem(api.post(f"/api/v1/proposals/{draft.reference}/submit/"), 409)

    assert body["type"] == "urn:rfp-intake:problem:state"
    assert body["code"] == "submit_not_allowed"
    assert body["detail"] == f"You cannot submit proposal {draft.reference}: it is submitted."


def test_a_domain_refusal_is_a_400_with_its_code(api, rfp, draft):
    body = _problem(
        api.post("/api/v1/proposals/", {"rfp": rfp.reference, "sector": "datacenter", "title": "Again"}), 400
    )

    assert body["code"] == "duplicate_proposal"
    assert "already has a Datacenter proposal" in body["detail"]


def test_malformed_json_unknown_paths_and_wrong_methods(api, draft):
    malformed = api.generic(
        "PATCH", f"/api/v1/proposals/{draft.reference}/", "{not json", content_type="application/json"
    )
    _problem(malformed, 400)
    assert _problem(api.get("/api/v1/no-such-thing/"), 404)["code"] == "not_found"
    wrong = api.put(f"/api/v1/proposals/{draft.reference}/", {}, format="json")
    assert _problem(wrong, 405)["code"] == "method_not_allowed"
    assert wrong["Allow"] == "GET, HEAD, OPTIONS, PATCH"


def test_unauthenticated_forbidden_and_not_found(viewer, draft):
    assert _problem(APIClient().get("/api/v1/proposals/"), 401)["code"] == "not_authenticated"
    forbidden = _problem(client_for(viewer).post(f"/api/v1/proposals/{draft.reference}/submit/"), 403)
    assert forbidden["detail"] == "Your role is viewer: you can read your company's data but not change it."
    assert _problem(client_for(viewer).get("/api/v1/proposals/NOPE/"), 404)["title"] == "Not Found"


def test_odd_path_values_are_a_404_not_a_server_error(api, draft):
    assert _problem(api.get("/api/v1/proposals/A%00B/"), 404)["code"] == "not_found"
    assert _problem(api.get(f"/api/v1/company/facilities/{10**30}/"), 404)["code"] == "not_found"
    assert _problem(api.get(f"/api/v1/proposals/{draft.reference}/versions/{2**70}/"), 404)["code"] == "not_found"
