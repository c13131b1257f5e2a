"""Supplier B gets a 404 for every one of supplier A's objects, through every endpoint that names one, and
changes nothing; the list of endpoints below must cover every such route (a new one fails the last test)."""

import pytest
from django.urls import URLPattern

from api import urls as api_urls
from rfp import services
from rfp.models import Attachment, Proposal
from suppliers import services as supplier_services
from suppliers.factories import FacilityFactory
from suppliers.models import Certification, Facility, Invitation, SupplierMember
from tests.api.conftest import client_for
from tests.portal.attachments.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

PROPOSAL = "proposals/<str:reference>/"
FACILITY = "company/facilities/<int:facility_id>/"
CERTIFICATE = "company/certifications/<int:certification_id>/"
ATTACHMENT = f"{PROPOSAL}attachments/<int:attachment_id>/"
MEMBER = "company/members/<int:member_id>/"

# (route, method, body): every endpoint that names one of a company's own objects.
CALLS = [
    (FACILITY, "get", None),
    (FACILITY, "patch", {"name": "Taken over"}),
    (FACILITY, "delete", None),
    (MEMBER, "get", None),
    (MEMBER, "patch", {"role": "owner"}),
    (MEMBER, "delete", None),
    ("company/invitations/<int:invitation_id>/revoke/", "post", None),
    (CERTIFICATE, "get", None),
    (CERTIFICATE, "patch", {"number": "Taken over"}),
    (CERTIFICATE, "delete", None),
    (f"{CERTIFICATE}document/", "get", None),
    (PROPOSAL, "get", None),
    (PROPOSAL, "patch", {"title": "Taken over"}),
    (f"{PROPOSAL}sector-details/", "get", None),
    (f"{PROPOSAL}sector-details/", "patch", {"sector": "datacenter", "annual_units": 1}),
    (f"{PROPOSAL}commercial-terms/", "get", None),
    (f"{PROPOSAL}commercial-terms/", "patch", {"notes": "Taken over"}),
    (f"{PROPOSAL}status/", "get", None),
    (f"{PROPOSAL}submit/", "post", None),
    (f"{PROPOSAL}withdraw/", "post", {"reason": "Taken over"}),
    (f"{PROPOSAL}resubmit/", "post", {"response": "Taken over"}),
    (f"{PROPOSAL}information-requests/", "get", None),
    (f"{PROPOSAL}versions/", "get", None),
    (f"{PROPOSAL}versions/<int:number>/", "get", None),
    (f"{PROPOSAL}attachments/", "get", None),
    (f"{PROPOSAL}attachments/", "post", "file"),
    (ATTACHMENT, "get", None),
    (ATTACHMENT, "delete", None),
    (f"{ATTACHMENT}download/", "get", None),
]


@pytest.fixture
def objects_of_a(draft, owner, supplier, editor):
    """Company A's proposal (submitted, so it has a version), one of its files, a facility, a certificate, its
    editor's membership and an open invitation."""
    attachment = services.attachment_add(proposal=draft, actor=owner, upload=upload("a.pdf", pdf_bytes()), kind="other")
    services.proposal_submit(proposal=draft, actor=owner)
    facility = FacilityFactory(supplier=supplier)
    certification = supplier_services.certification_create(
        supplier=supplier,
        actor=owner,
        data={"kind": "iso_9001", "number": "Q-1"},
        document=upload("iso.pdf", pdf_bytes()),
    )
    invitation = supplier_services.invitation_send(
        supplier=supplier, actor=owner, email="colleague@lonestar.example", role="viewer"
    )
    yield {
        "member_id": SupplierMember.objects.get(user=editor).pk,
        "invitation_id": invitation.pk,
        "reference": draft.reference,
        "facility_id": facility.pk,
        "certification_id": certification.pk,
        "attachment_id": attachment.pk,
        "number": 1,
    }
    certification.document.delete(save=False)


def _url(route: str, values: dict) -> str:
    path = route
    for name, value in values.items():
        for converter in ("str", "int"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return f"/api/v1/{path}"


@pytest.mark.parametrize(("route", "method", "body"), CALLS, ids=[f"{m.upper()} {r}" for r, m, _ in CALLS])
def test_another_company_gets_404_and_changes_nothing(route, method, body, objects_of_a, other_owner, draft):
    client = client_for(other_owner)
    if body == "file":
        response = client.post(_url(route, objects_of_a), {"file": upload("b.pdf", pdf_bytes())}, format="multipart")
    else:
        response = getattr(client, method)(_url(route, objects_of_a), body, format="json")

    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    proposal = Proposal.objects.get(pk=draft.pk)
    assert (proposal.title, proposal.status) == ("US supply offer", "submitted")
    assert Attachment.objects.filter(pk=objects_of_a["attachment_id"]).exists()
    assert Attachment.objects.count() == 1
    assert Facility.objects.filter(pk=objects_of_a["facility_id"]).exists()
    assert SupplierMember.objects.get(pk=objects_of_a["member_id"]).role == "editor"
    assert Invitation.objects.get(pk=objects_of_a["invitation_id"]).revoked_at is None
    assert Certification.objects.get(pk=objects_of_a["certification_id"]).number == "Q-1"


def test_the_company_s_own_owner_reaches_each_of_those_objects(objects_of_a, owner):
    client = client_for(owner)

    for route, method, _body in CALLS:
        if method == "get":
            response = client.get(_url(route, objects_of_a))
            assert response.status_code == 200, (route, response.status_code)


def _supplier_object_routes() -> set[tuple[str, str]]:
    found = set()
    for pattern in api_urls.urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        route = str(pattern.pattern)
        if "<" not in route or not route.startswith(("company/", "proposals/")):
            continue
        callback = pattern.callback
        methods = getattr(callback, "operations", None) or {
            method.upper(): None for method in callback.cls.http_method_names if hasattr(callback.cls, method)
        }
        found |= {(route, method.lower()) for method in methods if method not in ("HEAD", "OPTIONS")}
    return found


def test_every_endpoint_that_names_a_company_s_object_is_in_the_list_above():
    assert _supplier_object_routes() == {(route, method) for route, method, _ in CALLS}
