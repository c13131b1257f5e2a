"""The portal page where a person makes and revokes their own API tokens."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import token_for
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_supplier_makes_a_token_sees_it_once_and_it_works(client, owner, supplier):
    client.force_login(owner)

    page = client.post(reverse("portal:api_tokens"), {"name": "ERP export", "scope": "read", "lifetime_days": "90"})

    html = page.content.decode()
    token = ApiToken.objects.get(user=owner)
    plaintext = html.split('id="issued-token" type="text" readonly value="')[1].split('"')[0]
    assert plaintext.startswith(f"rfpi_{token.prefix}_")
    assert "it is shown only this once" in html
    assert page["Cache-Control"].startswith("max-age=0")
    assert plaintext not in client.get(reverse("portal:api_tokens")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v1/company/").json()["legal_name"] == "Lone Star Racks Inc."
    assert api.patch("/api/v1/company/", {"dba": "X"}, format="json").status_code == 403


def test_a_token_is_revoked_from_the_page_and_stops_working(client, owner, supplier):
    plaintext = token_for(owner)
    client.force_login(owner)
    token = ApiToken.objects.get(user=owner)

    response = client.post(reverse("portal:api_token_revoke", args=[token.pk]), follow=True)

    assert "is revoked" in response.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v1/company/").status_code == 401


def test_nobody_revokes_another_person_s_token(client, owner, other_owner):
    token_for(owner)
    client.force_login(other_owner)

    response = client.post(reverse("portal:api_token_revoke", args=[ApiToken.objects.get().pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_needs_a_name_and_a_known_lifetime(client, owner):
    client.force_login(owner)

    page = client.post(reverse("portal:api_tokens"), {"name": "", "scope": "write", "lifetime_days": "9999"})

    html = page.content.decode()
    assert "Name the token after what will use it" in html
    assert "Select a valid choice" in html
    assert not ApiToken.objects.exists()


def test_buyer_staff_make_tokens_too(client, lead):
    client.force_login(lead)

    client.post(reverse("portal:api_tokens"), {"name": "Analysis", "scope": "read", "lifetime_days": "30"})

    assert ApiToken.objects.get().user == lead


@override_settings(BUYER_MFA_REQUIRED=True)
def test_buyer_staff_whose_session_showed_no_second_factor_are_sent_to_show_it(client, reviewer):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(reviewer)

    response = client.post(reverse("portal:api_tokens"), {"name": "Sync", "scope": "read", "lifetime_days": "30"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.exists()


def test_a_program_lead_revokes_a_leaked_token_in_the_panel(client, owner):
    from accounts.factories import ProgramLeadFactory

    token_for(owner)
    lead = ProgramLeadFactory(is_superuser=True)
    client.force_login(lead)

    response = client.post(
        reverse("admin:tokens_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
        follow=True,
    )

    assert "is revoked" in response.content.decode()
    assert ApiToken.objects.get().revoked_at is not None
