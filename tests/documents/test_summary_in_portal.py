"""The supplier downloads its own PDF summary from the proposal's status and receipt pages; nobody else gets it."""

import re

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from documents.models import Audience
from documents.services import summary_pdf_render
from rfp.factories import draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.documents.conftest import PAYMENT_TERMS, pdf_text

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)">Download PDF summary</a>')


def _portal_pages(proposal) -> list[str]:
    return [
        reverse("portal:proposal_detail", args=[proposal.reference]),
        reverse("portal:proposal_receipt", args=[proposal.reference, 1]),
    ]


@pytest.mark.parametrize("page", [0, 1], ids=["status page", "receipt"])
def test_a_supplier_member_downloads_the_suppliers_copy_from_the_portal(client, case, page):
    summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.SUPPLIER, reason="test")
    client.force_login(case.owner)

    html = client.get(_portal_pages(case.proposal)[page]).content.decode()
    [href] = LINK.findall(html)
    response = client.get(href)

    assert href == f"/documents/proposals/{case.proposal.pk}/summary.pdf"
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "Supplier's copy" in text and PAYMENT_TERMS in text


def test_another_company_and_a_stranger_get_a_404_for_that_link(client, case):
    summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.SUPPLIER, reason="test")
    href = reverse("documents:proposal_summary_pdf", args=[case.proposal.pk])
    outsider = SupplierMemberFactory(role=MemberRole.OWNER, user=UserFactory(email="owner@rival.example")).user

    for user in (outsider, UserFactory(email="nobody@example.com")):
        client.force_login(user)
        assert client.get(href).status_code == 404
    assert client.get(href.replace(str(case.proposal.pk), str(case.proposal.pk + 999))).status_code == 404


def test_a_draft_offers_no_pdf_summary(client, supplier, owner):
    proposal = draft_proposal(supplier=supplier, actor=owner)
    client.force_login(owner)

    html = client.get(reverse("portal:proposal_detail", args=[proposal.reference])).content.decode()

    assert "No version submitted yet" in html
    assert not LINK.search(html)
