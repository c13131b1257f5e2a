"""The OpenAPI document: generated without a warning, valid, complete, and its docs page served without a CDN."""

import io

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from rfp.enums import ProposalStatus
from suppliers.enums import UsState


@pytest.fixture(scope="module")
def schema() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    return yaml.safe_load(out.getvalue())


def test_the_schema_is_generated_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "RFP Intake API"


def test_every_operation_has_typed_bodies_and_problem_responses(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, f"{method} {path} has no success response"
            for code in success:
                if code != "204":
                    assert responses[code].get("content"), f"{method} {path} {code} has no body schema"
            for code in ("401", "404"):
                content = responses[code]["content"]
                assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
            bodyless = (
                "/proposals/{reference}/submit/",
                "/acknowledge/",
                "/review/proposals/{reference}/commercial-terms/",
                "/invitations/{invitation_id}/revoke/",
                "/review/proposals/{reference}/assign/",
            )
            if method in ("post", "patch", "put") and not path.endswith(bodyless):
                assert operation.get("requestBody"), f"{method} {path} has no request body"


def test_enum_values_are_listed(schema):
    components = schema["components"]["schemas"]
    assert components["ProposalStatusEnum"]["enum"] == list(ProposalStatus.values)
    assert components["UsStateEnum"]["enum"] == list(UsState.values)
    assert "dtc_single_phase" in components["CoolingTypeEnum"]["enum"]


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served_from_our_own_static_files():
    client = APIClient()
    assert client.get("/api/v1/schema/").status_code == 200

    docs = client.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_the_team_s_roles_and_the_lead_s_overviews_are_typed(schema):
    from suppliers.enums import MemberRole

    components = schema["components"]["schemas"]
    assert components["RoleEnum"]["enum"] == list(MemberRole.values)
    invited_as = components["InvitationSendInputRequest"]["properties"]["role"]
    assert invited_as["allOf"] == [{"$ref": "#/components/schemas/RoleEnum"}]
    assert components["WaitingProposalOutput"]["properties"]["status"]["$ref"] == (
        "#/components/schemas/ProposalStatusEnum"
    )
    ranked = components["RankedProposalOutput"]["properties"]
    assert ranked["status"]["$ref"] == "#/components/schemas/ProposalStatusEnum"
