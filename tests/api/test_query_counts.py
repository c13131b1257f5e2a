"""List endpoints make the same number of queries for one row as for three."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rfp import services
from rfp.factories import draft_proposal
from suppliers.factories import FacilityFactory, SupplierFactory
from tests.api.conftest import client_for
from tests.api.test_review import assign

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the first call of a token records its use; count a steady call
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def _submitted(rfp, sector_code="robotics"):
    proposal = draft_proposal(rfp=rfp, supplier=SupplierFactory(), sector_code=sector_code)
    return services.proposal_start_review(proposal=services.proposal_submit(proposal=proposal, actor=None))


def test_the_lead_s_queue(lead, rfp):
    client = client_for(lead)
    _submitted(rfp)
    one = _queries(client, "/api/v1/review/proposals/")
    _submitted(rfp), _submitted(rfp)

    assert _queries(client, "/api/v1/review/proposals/") == one


def test_the_reviewer_s_assignments(reviewer, rfp):
    client = client_for(reviewer)
    assign(_submitted(rfp), reviewer)
    one = _queries(client, "/api/v1/review/assignments/")
    assign(_submitted(rfp), reviewer), assign(_submitted(rfp), reviewer)

    assert _queries(client, "/api/v1/review/assignments/") == one


@pytest.mark.parametrize("url", ["/api/v1/proposals/", "/api/v1/company/facilities/"])
def test_the_supplier_s_lists(url, owner, supplier, rfp):
    client = client_for(owner)
    draft_proposal(rfp=rfp, supplier=supplier, sector_code="robotics", complete=False)
    FacilityFactory(supplier=supplier)
    one = _queries(client, url)
    for sector_code in ("datacenter", "consumer-electronics"):
        draft_proposal(rfp=rfp, supplier=supplier, sector_code=sector_code, complete=False)
        FacilityFactory(supplier=supplier)

    assert _queries(client, url) == one


def test_the_company_s_open_invitations(owner, supplier):
    from suppliers.services import invitation_send

    client = client_for(owner)
    invitation_send(supplier=supplier, actor=owner, email="one@lonestar.example", role="editor")
    one = _queries(client, "/api/v1/company/invitations/")
    for name in ("two", "three"):
        invitation_send(supplier=supplier, actor=owner, email=f"{name}@lonestar.example", role="viewer")

    assert _queries(client, "/api/v1/company/invitations/") == one


@pytest.mark.parametrize(
    "url", ["/api/v1/review/unassigned/", "/api/v1/review/sla/", "/api/v1/review/rfps/{rfp}/ranking/"]
)
def test_the_lead_s_overviews(url, lead, rfp, reviewer):
    client = client_for(lead)
    url = url.format(rfp=rfp.reference)
    assign(_submitted(rfp), reviewer)
    one = _queries(client, url)
    assign(_submitted(rfp), reviewer), assign(_submitted(rfp), reviewer)

    assert _queries(client, url) == one
