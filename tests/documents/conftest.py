"""A submitted proposal with everything its PDF summary shows, the people who may read each copy, and PDF text."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from documents.models import SummaryPdf
from rfp import services
from rfp.enums import AttachmentKind, ConflictDeclaration
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Attachment, Proposal, ReviewAssignment
from suppliers.enums import CertificationKind, MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification
from tests.portal.attachments.files import pdf_bytes, upload

UNIT_PRICE = Decimal("48250.75")
PAYMENT_TERMS = "Net 45 days after acceptance"
TERMS_NOTE = "Price held for the first 400 racks"


@dataclass
class SummaryCase:
    proposal: Proposal
    owner: object
    lead: object
    reviewer: object
    assignment: ReviewAssignment
    attachment: Attachment


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Jobs enqueued here must not reach the shared Redis; tests run them with job_run where it matters."""


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    for stored in [*SummaryPdf.objects.all(), *Attachment.objects.all()]:
        stored.file.storage.delete(stored.file.name)


def make_case(
    *, narrative: str = "Liquid-cooled racks built in Round Rock, Texas.", blind: bool = False
) -> SummaryCase:
    rfp = RfpFactory(reference="AIS-2026", blind_review=blind, closes_at=timezone.now() + timedelta(days=20))
    supplier = SupplierFactory(legal_name="Lone Star Racks LLC", dba="LSR", ein="74-1234567")
    owner = SupplierMemberFactory(supplier=supplier, role=MemberRole.OWNER, user=UserFactory(email="owner@lsr.example"))
    Certification.objects.create(
        supplier=supplier, kind=CertificationKind.ISO_9001, number="ISO-9001-CERT-4471", issued_by="BSI"
    )
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner.user)
    facilities = [
        FacilityFactory(
            supplier=supplier,
            name="Round Rock Works",
            city="Round Rock",
            zip_code="78664",
            site_power_mw=Decimal("14.50"),
            electricians=21,
            machinists=33,
            technicians=44,
            assemblers=155,
            engineers=27,
        ),
        FacilityFactory(supplier=supplier, name="Temple Assembly", city="Temple", zip_code="76501", site_power_mw=6),
    ]
    proposal = services.proposal_update(
        proposal=proposal,
        actor=owner.user,
        fields={
            "technical_narrative": narrative,
            "current_annual_capacity_units": 2_400,
            "annual_capacity_units": 9_600,
            "capacity_ramp": "Q1 600, Q2 1,200, Q3 2,400",
            "countries_of_origin": ["MX", "JP"],
        },
        commercial_terms={"unit_price_usd": UNIT_PRICE, "payment_terms": PAYMENT_TERMS, "notes": TERMS_NOTE},
        facilities=facilities,
    )
    attachment = services.attachment_add(
        proposal=proposal,
        actor=owner.user,
        upload=upload("rack-datasheet.pdf", pdf_bytes(padding=321)),
        kind=AttachmentKind.DRAWING,
    )
    proposal = services.proposal_submit(proposal=proposal, actor=owner.user)
    now = timezone.now()
    reviewer = ReviewerUserFactory(email="ana@buyer.example")
    # The reviewer declared no conflict: the one reviewer who may read the proposal (rfp.rules.may_read_for_review).
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        assigned_at=now,
        due_at=now + timedelta(days=10),
        conflict_declaration=ConflictDeclaration.NO_CONFLICT,
    )
    return SummaryCase(
        proposal=proposal,
        owner=owner.user,
        lead=ProgramLeadFactory(email="lead@buyer.example"),
        reviewer=reviewer,
        assignment=assignment,
        attachment=attachment,
    )


@pytest.fixture
def case(db) -> SummaryCase:
    return make_case()


def pdf_text(content: bytes) -> str:
    """The text a person reading the PDF sees, page after page."""
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def stored_text(summary: SummaryPdf) -> str:
    with summary.file.open("rb") as stored:
        return pdf_text(stored.read())
