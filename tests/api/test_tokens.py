"""Personal API tokens: only a hash is kept, scopes are enforced, and revoked or expired tokens are refused."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from rfp.models import Proposal
from tests.api.conftest import client_for, token_for
from tokens import services as api_services
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(owner):
    import hashlib

    issued = api_services.api_token_create(user=owner, name="ERP export", scope="read", lifetime_days=30)

    token = ApiToken.objects.get()
    secret = issued.plaintext.split("_", 2)[2]
    assert issued.plaintext.startswith(f"rfpi_{token.prefix}_")
    assert secret not in str(ApiToken.objects.values().get())
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()


def test_a_read_token_reads_but_cannot_change_anything(owner, draft):
    client = client_for(owner, scope="read")

    assert client.get(f"/api/v1/proposals/{draft.reference}/").status_code == 200
    response = client.patch(f"/api/v1/proposals/{draft.reference}/", {"title": "Changed"}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "read-only" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.title == "US supply offer"


def test_a_write_token_changes_what_its_owner_may_change(owner, draft):
    response = client_for(owner, scope="write").patch(
        f"/api/v1/proposals/{draft.reference}/", {"title": "Liquid-cooled racks"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert Proposal.objects.get(pk=draft.pk).title == "Liquid-cooled racks"


def test_a_write_token_of_a_viewer_still_cannot_change_the_company_s_data(viewer, draft):
    response = client_for(viewer, scope="write").patch(
        f"/api/v1/proposals/{draft.reference}/", {"title": "Changed"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Your role is viewer: you can read your company's data but not change it."


def test_a_revoked_token_is_refused_at_once(owner, draft):
    plaintext = token_for(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/v1/proposals/").status_code == 200

    api_services.api_token_revoke(token=ApiToken.objects.get(), actor=owner)
    response = client.get("/api/v1/proposals/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "This API token was revoked; make a new one in the portal."


def test_an_expired_token_is_refused(owner, draft):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(owner, lifetime_days=7)}")
    assert client.get("/api/v1/proposals/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = client.get("/api/v1/proposals/")

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token has expired; make a new one in the portal."


@pytest.mark.parametrize(
    "header",
    ["Bearer rfpi_000000000000_guessed", "Bearer not-a-token", "Bearer", "Bearer a b"],
)
def test_a_wrong_token_is_refused_with_401(owner, header):
    token_for(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/company/")

    assert response.status_code == 401
    assert set(response.json()) >= {"type", "title", "status", "detail", "errors"}


def test_a_token_of_a_deactivated_account_is_refused(owner):
    client = client_for(owner)
    owner.is_active = False
    owner.save()

    assert client.get("/api/v1/company/").status_code == 401


def test_the_token_records_when_it_was_last_used(owner, supplier):
    client = client_for(owner)
    assert ApiToken.objects.get().last_used_at is None

    client.get("/api/v1/company/")

    assert ApiToken.objects.get().last_used_at is not None


def test_without_credentials_the_api_answers_401_with_a_bearer_challenge(db):
    response = APIClient().get("/api/v1/company/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_browser_session_works_and_needs_the_csrf_token_to_change_data(owner, draft):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.get(f"/api/v1/proposals/{draft.reference}/").status_code == 200
    refused = client.patch(f"/api/v1/proposals/{draft.reference}/", {"title": "Changed"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/portal/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(
        f"/api/v1/proposals/{draft.reference}/", {"title": "Changed"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 200


def _rates(anon: str, user: str) -> dict:
    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}


def test_anonymous_callers_are_throttled_per_ip(db):
    with override_settings(REST_FRAMEWORK=_rates("2/minute", "100/minute")):
        first = APIClient(REMOTE_ADDR="203.0.113.7")
        statuses = [first.get("/api/v1/rfps/open/").status_code for _ in range(3)]
        other_ip = APIClient(REMOTE_ADDR="203.0.113.8").get("/api/v1/rfps/open/")

    assert statuses == [200, 200, 429]
    assert other_ip.status_code == 200


def test_each_user_is_throttled_on_their_own(owner, other_owner, supplier, other_supplier):
    with override_settings(REST_FRAMEWORK=_rates("100/minute", "2/minute")):
        client = client_for(owner)
        statuses = [client.get("/api/v1/company/").status_code for _ in range(3)]
        refused = client.get("/api/v1/company/")
        other = client_for(other_owner).get("/api/v1/company/")

    assert statuses == [200, 200, 429]
    assert refused.json()["status"] == 429
    assert int(refused["Retry-After"]) > 0
    assert other.status_code == 200
