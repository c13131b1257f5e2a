"""The suppliers' write services, called as the portal and the API call them: rules, refusals and audit events."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.factories import UserFactory
from audit.models import AuditEvent
from audit.services import audit_chain_verify
from rfp import services as rfp_services
from rfp.factories import draft_proposal
from suppliers import services
from suppliers.enums import MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification, Facility, Invitation, Supplier, SupplierMember
from suppliers.validators import validate_naics_2022, validate_zip_in_state
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

COMPANY = {
    "legal_name": "Gulf Coast Power Systems Inc.",
    "ein": "12-3456789",
    "uei": "JF3KQ7L2M8N4",
    "cage": "1A2B3",
    "naics_codes": ["335311"],
    "hq_address_line1": "2000 Factory Road",
    "hq_city": "Austin",
    "hq_state": "TX",
    "hq_zip": "78744",
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def certificate_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Certification._meta.get_field("document"), "storage", storage)
    return storage


def owned_supplier(**fields):
    member = SupplierMemberFactory(supplier=SupplierFactory(**fields), role=MemberRole.OWNER)
    return member.supplier, member.user


# The validators the services add ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["334111", "335311", "333924", "111110"])
def test_naics_2022_codes_in_the_table_are_valid(code):
    validate_naics_2022(code)


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("999999", "999999 is not in the NAICS 2022 table"),
        ("334119x", "is not a NAICS code"),
        ("3341", "3341 is a NAICS group, not an industry; use one of its six-digit codes, for example 334111"),
    ],
)
def test_naics_codes_outside_the_table_are_refused(code, says):
    with pytest.raises(ValidationError, match=says):
        validate_naics_2022(code)


@pytest.mark.parametrize(
    ("zip_code", "state"), [("78744", "TX"), ("78744-1234", "TX"), ("00601", "PR"), ("96910", "GU"), ("20001", "DC")]
)
def test_zip_codes_in_their_state_are_valid(zip_code, state):
    validate_zip_in_state(zip_code, state)


@pytest.mark.parametrize(
    ("zip_code", "state", "says"),
    [
        ("10001", "TX", "ZIP code 10001 is in New York \\(NY\\), not in Texas"),
        ("09001", "TX", "overseas military post office"),
        ("99999", "TX", "does not exist in the USPS list"),
        ("1000", "NY", "five digits, or ZIP\\+4"),
    ],
)
def test_zip_codes_outside_their_state_name_where_they_are(zip_code, state, says):
    with pytest.raises(ValidationError, match=says):
        validate_zip_in_state(zip_code, state)


# The company -------------------------------------------------------------------------------------------------------


def test_register_creates_the_company_and_its_owner_in_one_step():
    person = UserFactory()
    supplier = services.supplier_register(actor=person, data={**COMPANY, "uei": " jf3kq7l2m8n4 "})
    assert supplier.uei == "JF3KQ7L2M8N4"
    assert SupplierMember.objects.get(user=person).role == MemberRole.OWNER
    event = AuditEvent.objects.get(action="supplier.registered")
    assert (event.object_id, event.actor) == (str(supplier.pk), person)
    assert audit_chain_verify() == []


@pytest.mark.parametrize("field", ["ein", "uei", "cage"])
def test_register_refuses_a_company_already_registered(field):
    SupplierFactory(**{field: COMPANY[field]})
    person = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.supplier_register(actor=person, data=COMPANY)
    assert list(refused.value.error_dict) == [field]
    assert "ask its owner to invite you" in refused.value.error_dict[field][0].message
    assert Supplier.objects.count() == 1
    assert not SupplierMember.objects.filter(user=person).exists()
    assert not AuditEvent.objects.exists()


def test_register_checks_naics_and_zip_like_the_form():
    with pytest.raises(ValidationError) as refused:
        services.supplier_register(actor=UserFactory(), data={**COMPANY, "naics_codes": ["999999"], "hq_zip": "10001"})
    assert set(refused.value.error_dict) == {"naics_codes", "hq_zip"}
    assert not Supplier.objects.exists()


def test_a_member_cannot_register_a_second_company():
    _, owner = owned_supplier(legal_name="First Co")
    with pytest.raises(ValidationError, match="You already belong to First Co"):
        services.supplier_register(actor=owner, data=COMPANY)
    assert Supplier.objects.count() == 1


def test_a_viewer_cannot_update_the_company():
    supplier, _ = owned_supplier()
    viewer = SupplierMemberFactory(supplier=supplier, role=MemberRole.VIEWER).user
    with pytest.raises(PermissionDenied, match="Your role is viewer"):
        services.supplier_update(supplier=supplier, actor=viewer, data={"legal_name": "Changed"})
    with pytest.raises(PermissionDenied):
        services.supplier_update(supplier=supplier, actor=UserFactory(), data={"legal_name": "Changed"})


# The team ----------------------------------------------------------------------------------------------------------


def test_the_invitation_mail_leaves_only_when_the_invitation_is_committed(django_capture_on_commit_callbacks):
    supplier, owner = owned_supplier()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_send(supplier=supplier, actor=owner, email="a@b.example", role="editor")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["a@b.example"]]
    assert invitation.token in mail.outbox[0].body


def test_only_owners_invite_and_roles_are_checked():
    supplier, owner = owned_supplier()
    editor = SupplierMemberFactory(supplier=supplier, role=MemberRole.EDITOR).user
    with pytest.raises(PermissionDenied, match="Only the company's owners"):
        services.invitation_send(supplier=supplier, actor=editor, email="a@b.example", role="editor")
    with pytest.raises(ValidationError, match="choose owner, editor or viewer"):
        services.invitation_send(supplier=supplier, actor=owner, email="a@b.example", role="admin")
    with pytest.raises(ValidationError, match=r"such as name@company\.com"):
        services.invitation_send(supplier=supplier, actor=owner, email="not-an-email", role="editor")
    assert not Invitation.objects.exists()


def test_accepting_twice_adds_one_member():
    supplier, owner = owned_supplier()
    invitation = services.invitation_send(supplier=supplier, actor=owner, email="a@b.example", role="editor")
    person = UserFactory(email="a@b.example")
    services.invitation_accept(token=invitation.token, user=person)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(token=invitation.token, user=person)
    assert SupplierMember.objects.filter(user=person).count() == 1


def test_an_expired_invitation_cannot_be_accepted():
    supplier, owner = owned_supplier()
    invitation = services.invitation_send(supplier=supplier, actor=owner, email="a@b.example", role="editor")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="This invitation expired on"):
        services.invitation_accept(token=invitation.token, user=UserFactory(email="a@b.example"))


def test_the_last_owner_is_protected_and_a_second_owner_lifts_it():
    supplier, owner = owned_supplier()
    membership = SupplierMember.objects.get(user=owner)
    with pytest.raises(ValidationError, match="only owner and cannot be demoted"):
        services.member_change_role(member=membership, actor=owner, role=MemberRole.VIEWER)
    with pytest.raises(ValidationError, match="only owner and cannot be removed"):
        services.member_remove(member=membership, actor=owner)
    second = SupplierMemberFactory(supplier=supplier, role=MemberRole.OWNER)
    services.member_remove(member=membership, actor=owner)
    assert list(SupplierMember.objects.filter(supplier=supplier)) == [second]
    assert AuditEvent.objects.filter(action="supplier.member_removed").count() == 1


# Facilities and certificates -------------------------------------------------------------------------------------

SITE = {
    "name": "Columbus plant",
    "address_line1": "1 Main St",
    "city": "Columbus",
    "state": "OH",
    "zip_code": "43215",
    "status": "planned",
    "site_power_mw": 3,
    "electricians": 4,
}


def test_facility_create_checks_the_zip_against_the_state():
    supplier, owner = owned_supplier()
    with pytest.raises(ValidationError) as refused:
        services.facility_create(supplier=supplier, actor=owner, data={**SITE, "zip_code": "78744"})
    assert "ZIP code 78744 is in Texas (TX), not in Ohio" in refused.value.error_dict["zip_code"][0].message
    facility = services.facility_create(supplier=supplier, actor=owner, data=SITE)
    assert facility.workforce_total == 4
    assert AuditEvent.objects.filter(action="facility.created", object_id=str(facility.pk)).exists()


def test_facility_delete_is_refused_while_a_submitted_proposal_uses_it():
    supplier, owner = owned_supplier()
    proposal = draft_proposal(supplier=supplier, actor=owner)
    facility = proposal.facilities.get()
    rfp_services.proposal_submit(proposal=proposal, actor=owner)
    with pytest.raises(ValidationError, match=f"part of submitted proposal {proposal.reference}"):
        services.facility_delete(facility=facility, actor=owner)
    rfp_services.proposal_withdraw(proposal=proposal, actor=owner)
    services.facility_delete(facility=facility, actor=owner)
    assert not Facility.objects.filter(pk=facility.pk).exists()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_certificate_is_a_pdf_or_an_image_never_an_office_file(certificate_storage):
    supplier, owner = owned_supplier()
    data = {"kind": "iso_9001", "number": "Q-1"}
    # Refused by check_upload or, were office files to pass it, by the certificate's own narrower rule.
    with pytest.raises(ValidationError, match=r"cert\.docx (is not a file type we accept|is a DOCX file)"):
        services.certification_create(
            supplier=supplier, actor=owner, data=data, document=SimpleUploadedFile("cert.docx", _docx())
        )
    with pytest.raises(ValidationError, match="Upload the certificate as a PDF, PNG or JPEG file"):
        services.certification_create(supplier=supplier, actor=owner, data=data)
    certification = services.certification_create(
        supplier=supplier, actor=owner, data=data, document=SimpleUploadedFile("cert.pdf", PDF)
    )
    assert certificate_storage.open(certification.document.name).read() == PDF
    assert Certification.objects.count() == 1


def test_a_certificate_cannot_name_another_companys_facility(certificate_storage):
    supplier, owner = owned_supplier()
    theirs = FacilityFactory(supplier=SupplierFactory())
    with pytest.raises(ValidationError) as refused:
        services.certification_create(
            supplier=supplier,
            actor=owner,
            data={"kind": "other", "facility": theirs},
            document=SimpleUploadedFile("cert.pdf", PDF),
        )
    assert set(refused.value.error_dict) == {"facility", "name"}
    assert not Certification.objects.exists()


def _stored_files(storage) -> list[str]:
    root = storage.location
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names
    )


def test_a_failed_change_leaves_no_new_file_and_keeps_the_old_one(certificate_storage, monkeypatch):
    supplier, owner = owned_supplier()
    certification = services.certification_create(
        supplier=supplier, actor=owner, data={"kind": "iso_9001"}, document=SimpleUploadedFile("a.pdf", PDF)
    )
    first = certification.document.name

    def audit_down(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", audit_down)
    with pytest.raises(RuntimeError):
        services.certification_update(
            certification=certification, actor=owner, data={}, document=SimpleUploadedFile("b.pdf", PDF)
        )
    with pytest.raises(RuntimeError):
        services.certification_update(certification=certification, actor=owner, data={"number": "N-2"})
    with pytest.raises(RuntimeError):
        services.certification_create(
            supplier=supplier, actor=owner, data={"kind": "as9100"}, document=SimpleUploadedFile("c.pdf", PDF)
        )
    assert _stored_files(certificate_storage) == [first]
    certification.refresh_from_db()
    assert certification.document.name == first
