"""Who may download the exports: program leads, from the RFP's page in the panel or through the API; everyone else
gets a 404, as if the round did not exist, and nothing is recorded."""

import json
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import override_settings
from django.urls import reverse

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory
from audit.models import AuditEvent
from suppliers.factories import SupplierMemberFactory
from tests.exports.support import checked_and_in_review, submitted
from tokens.services import TOKEN_LIFETIMES_DAYS, api_token_create

pytestmark = pytest.mark.django_db

PANEL = {
    "exports:rfp-proposals-csv": ("text/csv", "proposals", "csv"),
    "exports:rfp-reviews-csv": ("text/csv", "reviews", "csv"),
    "exports:rfp-ocds": ("application/json", "ocds", "json"),
}
API = {
    "api:exports-rfp-proposals": ("text/csv", "proposals", "csv"),
    "api:exports-rfp-reviews": ("text/csv", "reviews", "csv"),
    "api:exports-rfp-ocds": ("application/json", "ocds", "json"),
}


def _exports_recorded() -> int:
    return AuditEvent.objects.filter(action__startswith="export.").count()


@pytest.mark.parametrize("name", [*PANEL, *API])
def test_suppliers_and_reviewers_get_a_404(client, rfp, name):
    proposal = checked_and_in_review(submitted(rfp=rfp))
    member = SupplierMemberFactory(supplier=proposal.supplier)
    reviewer = ReviewerUserFactory()
    url = reverse(name, args=[rfp.reference])

    for user in (member.user, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404, user
        if name.startswith("api:"):
            assert response["Content-Type"] == "application/problem+json"
    assert _exports_recorded() == 0


@pytest.mark.parametrize("name", [*PANEL, *API])
def test_a_program_lead_downloads_a_dated_file(lead_client, lead, rfp, name):
    submitted(rfp=rfp)
    content_type, export, extension = {**PANEL, **API}[name]

    response = lead_client.get(reverse(name, args=[rfp.reference]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert re.fullmatch(
        rf'attachment; filename="exp-2025-{export}-\d{{8}}-\d{{4}}\.{extension}"', response["Content-Disposition"]
    )
    if extension == "csv":
        header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
        assert header.startswith("reference," if export == "proposals" else "proposal_reference,")
    else:
        assert json.loads(response.content)["releases"][0]["tender"]["id"] == rfp.reference
    event = AuditEvent.objects.get(action__startswith="export.")
    assert (event.actor, event.object_id) == (lead, str(rfp.pk))


@pytest.mark.parametrize("name", [*PANEL, *API])
def test_an_unknown_round_is_a_404_for_a_program_lead_too(lead_client, name):
    assert lead_client.get(reverse(name, args=["NO-SUCH-RFP"])).status_code == 404


def test_signed_out_people_are_sent_to_the_panel_sign_in_or_refused_by_the_api(client, rfp):
    url = reverse("exports:rfp-proposals-csv", args=[rfp.reference])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    assert client.get(reverse("api:exports-rfp-proposals", args=[rfp.reference])).status_code == 401
    assert _exports_recorded() == 0


def test_a_program_leads_read_token_exports_through_the_api(client, lead, rfp):
    submitted(rfp=rfp)
    issued = api_token_create(user=lead, name="Analytics", scope="read", lifetime_days=TOKEN_LIFETIMES_DAYS[0])

    response = client.get(
        reverse("api:exports-rfp-ocds", args=[rfp.reference]), headers={"authorization": f"Bearer {issued.plaintext}"}
    )

    assert response.status_code == 200
    assert response.json()["releases"][0]["tender"]["id"] == rfp.reference


def test_the_rfp_page_in_the_panel_links_the_exports_for_program_leads(client, rfp):
    client.force_login(ProgramLeadFactory(is_superuser=True))

    page = client.get(reverse("admin:rfp_rfp_change", args=[rfp.pk])).content.decode()

    for name, label in zip(PANEL, ("Export proposals CSV", "Export reviews CSV", "Export OCDS JSON"), strict=True):
        assert f'<a href="{reverse(name, args=[rfp.reference])}">{label}</a>' in page


def test_the_exports_need_the_second_factor_like_the_panel(client, lead, rfp):
    lead.emailaddress_set.create(email=lead.email, verified=True, primary=True)
    TOTP.activate(lead, "JBSWY3DPEHPK3PXPJBSWY3DP")
    client.force_login(lead)  # a session that never showed a code

    with override_settings(BUYER_MFA_REQUIRED=True):
        response = client.get(reverse("exports:rfp-ocds", args=[rfp.reference]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert _exports_recorded() == 0
