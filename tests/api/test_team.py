"""The company's team and registration through the API: invitations sent, accepted and revoked, roles changed,
members removed, a company registered, certificates changed and deleted; with the portal's rules and words."""

import pytest
from django.core import mail

from accounts.factories import UserFactory
from audit.models import AuditEvent
from suppliers import services as supplier_services
from suppliers.enums import MemberRole
from suppliers.models import Certification, Invitation, Supplier, SupplierMember
from tests.api.conftest import client_for
from tests.portal.attachments.files import HTML, pdf_bytes, storage_root, upload
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

OWNERS_ONLY = "Only the company's owners can do this."


def _invitation(supplier, owner, email="colleague@lonestar.example", role=MemberRole.EDITOR) -> Invitation:
    return supplier_services.invitation_send(supplier=supplier, actor=owner, email=email, role=role)


def _member(user) -> SupplierMember:
    return SupplierMember.objects.get(user=user)


# --- Invitations --------------------------------------------------------------------------------------------------


def test_an_owner_invites_and_the_invitee_joins_with_the_token(
    api, supplier, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post("/api/v1/company/invitations/", {"email": "New.Hire@LoneStar.example", "role": "viewer"})

    assert sent.status_code == 201, sent.json()
    assert (sent.json()["email"], sent.json()["role"], sent.json()["is_expired"]) == (
        "new.hire@lonestar.example",
        "viewer",
        False,
    )
    assert "token" not in sent.json()
    invitation = Invitation.objects.get(supplier=supplier)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("new.hire@lonestar.example", "viewer", owner)
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["new.hire@lonestar.example"]]
    assert invitation.token in mail.outbox[0].body
    listed = api.get("/api/v1/company/invitations/").json()
    assert [row["email"] for row in listed] == ["new.hire@lonestar.example"]

    invitee = UserFactory(email="new.hire@lonestar.example")
    joined = client_for(invitee).post("/api/v1/invitations/accept/", {"token": invitation.token})
    again = client_for(invitee).post("/api/v1/invitations/accept/", {"token": invitation.token})

    assert joined.status_code == 201, joined.json()
    assert joined.json()["company"] == "Lone Star Racks Inc." and joined.json()["role"] == "viewer"
    assert _member(invitee).supplier == supplier and _member(invitee).role == MemberRole.VIEWER
    assert again.status_code == 400
    assert again.json()["detail"].startswith("This invitation to Lone Star Racks Inc. has already been used.")
    assert api.get("/api/v1/company/invitations/").json() == []


def test_an_invitation_is_refused_with_the_portal_s_words(api, supplier, owner, editor):
    _invitation(supplier, owner)

    missing = api.post("/api/v1/company/invitations/", {}, format="json")
    malformed = api.post("/api/v1/company/invitations/", {"email": "not-an-address"})
    bad_role = api.post("/api/v1/company/invitations/", {"email": "a@lonestar.example", "role": "boss"})
    member = api.post("/api/v1/company/invitations/", {"email": "editor@lonestar.example"})
    pending = api.post("/api/v1/company/invitations/", {"email": "Colleague@lonestar.example"})
    by_editor = client_for(editor).post("/api/v1/company/invitations/", {"email": "b@lonestar.example"})

    assert missing.json()["errors"] == {"email": ["This field is required."]}
    assert malformed.json()["errors"] == {"email": ["Enter a valid email address."]}
    assert bad_role.json()["errors"] == {"role": ["Select a valid choice. boss is not one of the available choices."]}
    assert member.json()["errors"]["email"] == [
        "editor@lonestar.example is already a member of your team; change their role in the list of members instead."
    ]
    assert pending.json()["errors"]["email"][0].startswith("colleague@lonestar.example already has an open invitation")
    assert by_editor.status_code == 403 and by_editor.json()["detail"] == OWNERS_ONLY
    assert Invitation.objects.filter(supplier=supplier).count() == 1


def test_only_the_invited_address_accepts_and_an_unknown_token_names_nothing(supplier, owner):
    invitation = _invitation(supplier, owner)
    stranger = UserFactory(email="stranger@elsewhere.example")

    other_address = client_for(stranger).post("/api/v1/invitations/accept/", {"token": invitation.token})
    unknown = client_for(stranger).post("/api/v1/invitations/accept/", {"token": "no-such-token"})

    assert other_address.status_code == 400
    assert other_address.json()["detail"].startswith(
        "This invitation was sent to colleague@lonestar.example, but you are signed in as stranger@elsewhere.example."
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"].startswith("This invitation link is not valid.")
    assert not SupplierMember.objects.filter(user=stranger).exists()


def test_an_owner_revokes_an_invitation_and_its_token_stops_working(api, supplier, owner, editor):
    invitation = _invitation(supplier, owner)
    url = f"/api/v1/company/invitations/{invitation.pk}/revoke/"

    by_editor = client_for(editor).post(url)
    revoked = api.post(url)
    again = api.post(url)
    accepted = client_for(UserFactory(email="colleague@lonestar.example")).post(
        "/api/v1/invitations/accept/", {"token": invitation.token}
    )

    assert by_editor.status_code == 403
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoked", object_id=str(invitation.pk), actor=owner).exists()
    assert again.status_code == 400
    assert again.json()["detail"] == "The invitation to colleague@lonestar.example was already revoked."
    assert accepted.json()["detail"].startswith("This invitation was revoked by Lone Star Racks Inc.'s owner.")


def test_another_company_sees_none_of_the_invitations_and_a_person_without_one_gets_404(
    supplier, owner, other_owner, reviewer
):
    _invitation(supplier, owner)

    assert client_for(other_owner).get("/api/v1/company/invitations/").json() == []
    assert client_for(reviewer).get("/api/v1/company/invitations/").status_code == 404
    assert client_for(reviewer).post("/api/v1/company/invitations/", {"email": "x@y.example"}).status_code == 404


# --- Members -----------------------------------------------------------------------------------------------------


def test_an_owner_changes_a_role_but_never_demotes_the_last_owner(api, owner, editor, viewer):
    editor_url = f"/api/v1/company/members/{_member(editor).pk}/"
    owner_url = f"/api/v1/company/members/{_member(owner).pk}/"

    changed = api.patch(editor_url, {"role": "viewer"}, format="json")
    last_owner = api.patch(owner_url, {"role": "editor"}, format="json")
    bad_role = api.patch(editor_url, {"role": "boss"}, format="json")
    by_viewer = client_for(viewer).patch(editor_url, {"role": "owner"}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["role"] == "viewer" and _member(editor).role == MemberRole.VIEWER
    assert AuditEvent.objects.filter(action="supplier.member_role_changed", actor=owner).count() == 1
    assert last_owner.status_code == 400
    assert last_owner.json()["detail"] == (
        "owner@lonestar.example is the company's only owner and cannot be demoted: a company always keeps at least "
        "one owner. Make another member owner first."
    )
    assert _member(owner).role == MemberRole.OWNER
    assert bad_role.json()["errors"] == {"role": ["Choose a role: owner, editor or viewer."]}
    assert by_viewer.status_code == 403 and by_viewer.json()["detail"] == OWNERS_ONLY
    assert api.get(editor_url).json()["email"] == "editor@lonestar.example"


def test_an_owner_removes_a_member_but_not_the_last_owner(api, owner, editor, viewer):
    by_editor = client_for(editor).delete(f"/api/v1/company/members/{_member(viewer).pk}/")
    removed = api.delete(f"/api/v1/company/members/{_member(viewer).pk}/")
    last_owner = api.delete(f"/api/v1/company/members/{_member(owner).pk}/")

    assert by_editor.status_code == 403
    assert removed.status_code == 204
    assert not SupplierMember.objects.filter(user=viewer).exists()
    assert AuditEvent.objects.filter(action="supplier.member_removed", actor=owner).count() == 1
    assert last_owner.status_code == 400
    assert "is the company's only owner and cannot be removed" in last_owner.json()["detail"]
    assert SupplierMember.objects.filter(user=owner).exists()


# --- Registration ------------------------------------------------------------------------------------------------

COMPANY = {
    "legal_name": "Gulf Coast Power Systems Inc.",
    "ein": "12-3456789",
    "uei": "JF3KQ7L2M8N4",
    "cage": "1A2B3",
    "naics_codes": ["335311", "334111"],
    "hq_address_line1": "2000 Factory Road",
    "hq_city": "Austin",
    "hq_state": "TX",
    "hq_zip": "78744",
}


def test_someone_without_a_company_registers_one_and_becomes_its_owner(db):
    founder = UserFactory(email="founder@gcps.example")
    api = client_for(founder)

    registered = api.post("/api/v1/company/", COMPANY, format="json")
    twice = api.post("/api/v1/company/", {**COMPANY, "ein": "12-3456780"}, format="json")

    assert registered.status_code == 201, registered.json()
    supplier = Supplier.objects.get(uei="JF3KQ7L2M8N4")
    assert (supplier.legal_name, supplier.naics_codes) == ("Gulf Coast Power Systems Inc.", ["335311", "334111"])
    assert _member(founder).supplier == supplier and _member(founder).role == MemberRole.OWNER
    assert api.get("/api/v1/company/").json()["id"] == supplier.pk
    assert twice.status_code == 400
    assert twice.json()["detail"].startswith(
        "You already belong to Gulf Coast Power Systems Inc.; a person can belong to one company only."
    )
    assert Supplier.objects.count() == 1


def test_registration_is_refused_with_the_portal_s_words(supplier):
    api = client_for(UserFactory(email="founder@gcps.example"))

    missing = api.post("/api/v1/company/", {}, format="json")
    taken = api.post("/api/v1/company/", {**COMPANY, "ein": supplier.ein}, format="json")
    wrong_zip = api.post("/api/v1/company/", {**COMPANY, "hq_zip": "10001"}, format="json")

    assert missing.json()["errors"]["legal_name"] == ["Enter the company's legal name, as registered with the IRS."]
    assert missing.json()["errors"]["hq_state"] == ["Choose the state or territory of the headquarters."]
    assert taken.json()["errors"]["ein"] == [
        "A company with this EIN is already registered. Your company may already be registered: ask its owner to "
        "invite you to its team (the invitation comes by email), or check the number."
    ]
    assert wrong_zip.json()["errors"]["hq_zip"][0].startswith("ZIP code 10001 is in New York (NY), not in Texas")
    assert Supplier.objects.count() == 1


# --- Certificates ------------------------------------------------------------------------------------------------


@pytest.fixture
def certification(supplier, owner):
    """A certificate with its document; the files this test stores (replaced documents too) are removed after."""
    root = storage_root()
    before = set(root.rglob("*")) if root.exists() else set()
    yield supplier_services.certification_create(
        supplier=supplier,
        actor=owner,
        data={"kind": "iso_9001", "number": "Q-1"},
        document=upload("iso.pdf", pdf_bytes()),
    )
    for path in set(root.rglob("*")) - before:
        if path.is_file():
            path.unlink()


def test_a_certificate_is_changed_and_its_document_replaced(api, certification, viewer):
    url = f"/api/v1/company/certifications/{certification.pk}/"
    first_document = certification.document.name

    changed = api.patch(url, {"number": "Q-2", "expires_on": "2031-03-31"}, format="json")
    replaced = api.patch(url, {"document": upload("renewed.pdf", pdf_bytes())}, format="multipart")
    html = api.patch(url, {"document": upload("renewed.pdf", HTML)}, format="multipart")
    by_viewer = client_for(viewer).patch(url, {"number": "X"}, format="json")

    assert changed.status_code == 200, changed.json()
    stored = Certification.objects.get(pk=certification.pk)
    assert (stored.number, str(stored.expires_on)) == ("Q-2", "2031-03-31")
    assert replaced.status_code == 200, replaced.json()
    assert Certification.objects.get(pk=certification.pk).document.name != first_document
    assert html.status_code == 400 and list(html.json()["errors"]) == ["document"]
    assert by_viewer.status_code == 403
    assert Certification.objects.get(pk=certification.pk).number == "Q-2"


def test_a_certificate_is_deleted_by_an_editor_not_a_viewer(certification, editor, viewer):
    url = f"/api/v1/company/certifications/{certification.pk}/"

    by_viewer = client_for(viewer).delete(url)
    deleted = client_for(editor).delete(url)

    assert by_viewer.status_code == 403
    assert deleted.status_code == 204
    assert not Certification.objects.filter(pk=certification.pk).exists()
    assert AuditEvent.objects.filter(action="certification.deleted", actor=editor).exists()
