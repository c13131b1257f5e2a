"""The people and objects the authorization matrix walks every route with (tests/security/test_authorization_matrix.py).

Supplier A has a submitted datacenter proposal with a file, a facility, a certificate, an invitation; supplier B
has its own draft. Reviewers of the datacenter sector hold A's proposal: one has not declared conflicts yet, one
declared no conflict; one declared a conflict (released), one declared none and was released; one reviews
robotics. The program lead has the panel permissions `seed_demo` gives program leads.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from documents.models import Audience
from documents.services import summary_pdf_render
from rfp.enums import AssignmentStatus, ConflictDeclaration
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Addendum, ReviewAssignment, ReviewerProfile, Sector
from rfp.services import addendum_acknowledge, attachment_add, clarification_ask
from rfp.services.assignment import assignment_release_for_conflict
from rfp.services.receipts import proposal_submit_with_receipt
from suppliers.enums import CertificationKind, MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification, Invitation, SupplierMember
from tests.portal.attachments.files import pdf_bytes, upload
from tokens.services import api_token_create

ACTORS = (
    "anonymous",
    "a_owner",
    "a_editor",
    "a_viewer",
    "b_editor",
    "reviewer_undeclared",
    "reviewer_declared",
    "reviewer_conflicted",
    "reviewer_released",
    "reviewer_other_sector",
    "program_lead",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _group(name: str, permissions) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions)
    return group


def _reviewer(email: str, sector_code: str, group: Group):
    reviewer = ReviewerUserFactory(email=email)
    reviewer.groups.add(group)
    ReviewerProfile.objects.create(user=reviewer).sectors.set([Sector.objects.get(code=sector_code)])
    return reviewer


def build_world() -> World:
    world = World()
    # The panel permissions of the demo's groups (rfp/management/commands/seed_demo.py, `_people`).
    reviewers = _group(
        "Reviewers",
        Permission.objects.filter(content_type__app_label__in=["rfp", "suppliers"], codename__startswith="view_"),
    )
    leads = _group(
        "Program leads",
        Permission.objects.filter(
            Q(content_type__app_label__in=["rfp", "suppliers", "jobs"])
            | Q(content_type__app_label="audit", codename__startswith="view_")
        ),
    )
    rfp = RfpFactory(reference="AUTHZ-2026")
    addendum = Addendum.objects.create(
        rfp=rfp, number=1, title="Rack density", body="State it.", published_at=timezone.now() - timedelta(days=1)
    )

    supplier_a = SupplierFactory(legal_name="Alpha Racks Inc.")
    a_owner = SupplierMemberFactory(supplier=supplier_a, user=UserFactory(email="owner@alpha.example")).user
    a_editor = SupplierMemberFactory(
        supplier=supplier_a, user=UserFactory(email="editor@alpha.example"), role=MemberRole.EDITOR
    ).user
    a_viewer = SupplierMemberFactory(
        supplier=supplier_a, user=UserFactory(email="viewer@alpha.example"), role=MemberRole.VIEWER
    ).user
    supplier_b = SupplierFactory(legal_name="Bravo Robotics LLC")
    b_editor = SupplierMemberFactory(
        supplier=supplier_b, user=UserFactory(email="editor@bravo.example"), role=MemberRole.EDITOR
    ).user

    facility = FacilityFactory(supplier=supplier_a, name="Austin plant")
    certification = Certification(supplier=supplier_a, kind=CertificationKind.ISO_9001, number="FM 1")
    certification.document.save("iso.pdf", ContentFile(pdf_bytes()), save=True)
    invitation = Invitation.objects.create(
        supplier=supplier_a,
        email="newcomer@alpha.example",
        role=MemberRole.EDITOR,
        token="authz-invitation-token",
        invited_by=a_owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    clarification_ask(rfp=rfp, supplier=supplier_a, actor=a_owner, question="May we bid two sectors?")

    proposal_a = draft_proposal(rfp=rfp, supplier=supplier_a, actor=a_owner)
    attachment = attachment_add(
        proposal=proposal_a, actor=a_owner, upload=upload("offer.pdf", pdf_bytes()), kind="technical"
    )
    addendum_acknowledge(addendum=addendum, supplier=supplier_a, actor=a_owner)
    proposal_submit_with_receipt(proposal=proposal_a, actor=a_owner)
    proposal_a.refresh_from_db()
    summaries = [
        summary_pdf_render(proposal_id=proposal_a.pk, audience=audience, reason="authorization matrix")
        for audience in Audience.values
    ]
    proposal_b = draft_proposal(rfp=rfp, supplier=supplier_b, actor=b_editor, sector_code="robotics")

    same = _reviewer("same@buyer.example", "datacenter", reviewers)
    declared = _reviewer("declared@buyer.example", "datacenter", reviewers)
    released = _reviewer("released@buyer.example", "datacenter", reviewers)
    other = _reviewer("other@buyer.example", "robotics", reviewers)
    conflicted = _reviewer("conflicted@buyer.example", "datacenter", reviewers)
    now = timezone.now()
    ReviewAssignment.objects.create(
        proposal=proposal_a, reviewer=same, assigned_at=now, due_at=now + timedelta(days=10)
    )
    ReviewAssignment.objects.create(
        proposal=proposal_a,
        reviewer=declared,
        assigned_at=now,
        due_at=now + timedelta(days=10),
        conflict_declaration=ConflictDeclaration.NO_CONFLICT,
    )
    ReviewAssignment.objects.create(
        proposal=proposal_a,
        reviewer=released,
        assigned_at=now,
        due_at=now + timedelta(days=10),
        conflict_declaration=ConflictDeclaration.NO_CONFLICT,
        status=AssignmentStatus.RELEASED,
        released_at=now,
    )
    conflicted_assignment = ReviewAssignment.objects.create(
        proposal=proposal_a, reviewer=conflicted, assigned_at=now, due_at=now + timedelta(days=10)
    )
    assignment_release_for_conflict(assignment=conflicted_assignment, actor=conflicted, note="Former employer.")
    assert ReviewAssignment.objects.get(pk=conflicted_assignment.pk).status == AssignmentStatus.RELEASED
    lead = ProgramLeadFactory(email="lead@buyer.example")
    lead.groups.add(leads)
    for user in (a_owner, a_editor, a_viewer, b_editor, same, declared, released, other, conflicted, lead):
        user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    TOTP.activate(lead, "JBSWY3DPEHPK3PXPJBSWY3DP")
    token = api_token_create(user=a_editor, name="ERP", scope="read", lifetime_days=30).token

    world.users = {
        "anonymous": None,
        "a_owner": a_owner,
        "a_editor": a_editor,
        "a_viewer": a_viewer,
        "b_editor": b_editor,
        "reviewer_undeclared": same,
        "reviewer_declared": declared,
        "reviewer_conflicted": conflicted,
        "reviewer_released": released,
        "reviewer_other_sector": other,
        "program_lead": lead,
    }
    world.objects = {
        "rfp": rfp,
        "addendum": addendum,
        "supplier_a": supplier_a,
        "proposal_a": proposal_a,
        "proposal_b": proposal_b,
        "attachment": attachment,
        "facility": facility,
        "certification": certification,
        "invitation": invitation,
        "member": SupplierMember.objects.get(user=a_viewer),
        "api_token": token,
        "summaries": summaries,
    }
    return world
