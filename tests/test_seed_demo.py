"""`manage.py seed_demo`: idempotent, on the assumed 2026 deadline, every status shown, every login working."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_chain_verify
from jobs.models import Job
from rfp.enums import AssignmentStatus, ProposalStatus, Recommendation
from rfp.management.commands.seed_demo import (
    DEMO_PASSWORD,
    PROGRAM_LEADS_GROUP,
    REVIEWERS_GROUP,
    RFP_2026,
    RFP_OPEN,
    demo_logins,
)
from rfp.models import Proposal, ProposalVersion, Review, ReviewAssignment, Rfp, Sector
from rfp.services import proposal_submit
from suppliers.models import Certification, Facility, Supplier

pytestmark = pytest.mark.django_db

SEEDED_APPS = ("accounts", "suppliers", "rfp", "audit", "jobs")
PACIFIC = ZoneInfo("America/Los_Angeles")


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return _seed()


def _row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model.objects.count()
        for label in SEEDED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    counts["auth.Group"] = Group.objects.count()
    counts["auth.Group_permissions"] = Group.permissions.through.objects.count()
    return counts


def _fingerprint() -> dict[str, list]:
    return {
        "rfps": list(
            Rfp.objects.order_by("reference").values_list("reference", "title", "description", "opens_at", "closes_at")
        ),
        "proposals": list(
            Proposal.objects.order_by("reference").values_list(
                "reference",
                "status",
                "version",
                "title",
                "submitted_at",
                "queued_at",
                "decided_at",
                "withdrawn_at",
                "updated_at",
            )
        ),
        "versions": list(
            ProposalVersion.objects.order_by("proposal__reference", "number").values_list(
                "proposal__reference", "number", "sha256"
            )
        ),
        "suppliers": list(
            Supplier.objects.order_by("ein").values_list("ein", "legal_name", "uei", "cage", "hq_zip", "updated_at")
        ),
        "facilities": list(
            Facility.objects.order_by("supplier__ein", "name").values_list(
                "supplier__ein", "name", "state", "zip_code", "site_power_mw", "grid_operator", "technicians"
            )
        ),
        "certifications": list(
            Certification.objects.order_by("supplier__ein", "kind", "number").values_list(
                "supplier__ein", "kind", "number", "expires_on"
            )
        ),
        "users": list(
            User.objects.order_by("email").values_list(
                "email", "password", "full_name", "buyer_role", "is_staff", "is_superuser", "date_joined"
            )
        ),
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", "action", "object_id", "hash")),
        "jobs": list(Job.objects.order_by("dedupe_key").values_list("dedupe_key", "status", "created_at")),
    }


def test_second_run_changes_nothing(seeded):
    counts, fingerprint = _row_counts(), _fingerprint()
    assert counts["rfp.Proposal"] >= 10 and counts["audit.AuditEvent"] > 0

    output = _seed()

    assert _row_counts() == counts
    assert _fingerprint() == fingerprint
    assert "Nothing new" in output
    assert audit_chain_verify() == []


def test_2026_round_closes_on_the_assumed_deadline(seeded):
    rfp = Rfp.objects.get(reference=RFP_2026)

    assert rfp.closes_at == datetime(2026, 7, 1, 6, 59, 59, tzinfo=UTC)
    assert rfp.closes_at.astimezone(PACIFIC) == datetime(2026, 6, 30, 23, 59, 59, tzinfo=PACIFIC)
    assert rfp.opens_at.astimezone(PACIFIC) == datetime(2026, 1, 15, 9, 0, tzinfo=PACIFIC)
    assert rfp.display_time_zone == "America/Los_Angeles"
    assert "assum" in rfp.description.lower()
    assert "through June 2026" in rfp.description
    assert set(rfp.sectors.values_list("code", flat=True)) == {"datacenter", "consumer-electronics", "robotics"}
    assert rfp.addenda.count() == 1
    assert rfp.clarifications.filter(is_published=True).count() == 1


def test_2026_proposals_were_submitted_while_the_round_was_open(seeded):
    rfp = Rfp.objects.get(reference=RFP_2026)
    submitted = Proposal.objects.filter(rfp=rfp, submitted_at__isnull=False)

    assert submitted.count() >= 5
    for proposal in submitted:
        assert rfp.opens_at <= proposal.submitted_at < rfp.closes_at, proposal.reference
        assert proposal.versions.filter(number=1).get().submitted_at == proposal.submitted_at


def test_proposals_show_every_status(seeded):
    statuses = set(Proposal.objects.values_list("status", flat=True))

    assert statuses >= set(ProposalStatus.values)
    open_round = Proposal.objects.filter(rfp__reference=RFP_OPEN)
    assert open_round.filter(status=ProposalStatus.DRAFT).count() >= 2
    assert open_round.filter(status=ProposalStatus.SUBMITTED).count() >= 1
    decided = Proposal.objects.filter(status__in=[ProposalStatus.SHORTLISTED, ProposalStatus.DECLINED])
    assert all(hasattr(proposal, "decision") for proposal in decided)


def test_every_demo_login_authenticates(seeded):
    logins = demo_logins()

    assert len(logins) == len({email for _, email in logins})
    for _role, email in logins:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None and user.email == email, email


def test_reviewers_and_program_lead_have_their_roles(seeded):
    reviewers = User.objects.filter(buyer_role=User.BuyerRole.REVIEWER)
    for sector in Sector.objects.all():
        assert reviewers.filter(reviewer_profile__sectors=sector).count() >= 2, sector.code
    assert all(r.is_staff and r.groups.filter(name=REVIEWERS_GROUP).exists() for r in reviewers)
    reviewer_perms = Group.objects.get(name=REVIEWERS_GROUP).permissions
    assert reviewer_perms.filter(codename="view_proposal").exists()
    assert not reviewer_perms.exclude(codename__startswith="view_").exists()

    lead = User.objects.get(email="lead@buyer.example")
    assert lead.is_program_lead and lead.is_staff
    assert lead.groups.filter(name=PROGRAM_LEADS_GROUP).exists()
    lead_perms = Group.objects.get(name=PROGRAM_LEADS_GROUP).permissions
    assert lead_perms.filter(codename="change_proposal").exists()
    assert lead_perms.filter(codename="view_auditevent").exists()
    assert not lead_perms.filter(content_type__app_label="audit").exclude(codename__startswith="view_").exists()


def test_every_supplier_and_facility_is_valid(seeded):
    suppliers = Supplier.objects.all()

    assert suppliers.count() >= 6
    for supplier in suppliers:
        supplier.full_clean()
        assert supplier.members.filter(role="owner").exists(), supplier.legal_name
    for facility in Facility.objects.all():
        facility.full_clean()
    for sector in Sector.objects.all():
        assert Supplier.objects.filter(proposals__sector=sector).distinct().count() >= 2, sector.code
    assert any(certification.is_expired for certification in Certification.objects.all())


def test_open_round_accepts_submissions_now(seeded):
    now = timezone.now()

    assert Rfp.objects.get(reference=RFP_OPEN).accepts_submissions_at(now)
    assert not Rfp.objects.get(reference=RFP_2026).accepts_submissions_at(now)


def test_a_demo_user_can_submit_the_ready_draft_and_a_reseed_leaves_it(seeded):
    draft = Proposal.objects.get(rfp__reference=RFP_OPEN, sector__code="datacenter", status=ProposalStatus.DRAFT)
    editor = User.objects.get(email="editor@lonestarrack.example")

    proposal_submit(proposal=draft, actor=editor)
    counts = _row_counts()
    output = _seed()

    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    assert _row_counts() == counts
    assert "Nothing new" in output


def test_demo_supplier_signs_in_through_the_portal_login(seeded, client):
    response = client.post(
        "/accounts/login/", {"login": "owner@lonestarrack.example", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Lone Star Rack Systems" in response.content.decode()


def test_every_decision_follows_submitted_reviews_that_recommend_it(seeded):
    decided = Proposal.objects.filter(status__in=[ProposalStatus.SHORTLISTED, ProposalStatus.DECLINED])

    assert decided.filter(status=ProposalStatus.SHORTLISTED).exists()
    assert decided.filter(status=ProposalStatus.DECLINED).exists()
    for proposal in decided:
        reviews = Review.objects.filter(assignment__proposal=proposal, assignment__status=AssignmentStatus.COMPLETED)
        assert reviews.count() >= 1, proposal.reference
        wanted = Recommendation.SHORTLIST if proposal.status == ProposalStatus.SHORTLISTED else Recommendation.DECLINE
        for review in reviews:
            assert review.recommendation == wanted, proposal.reference
            assert review.weighted_score is not None and review.scores.exists()
            assert review.submitted_at < proposal.decision.decided_at
        scores = [review.weighted_score for review in reviews]
        if proposal.status == ProposalStatus.SHORTLISTED:
            assert min(scores) >= 70, (proposal.reference, scores)
        else:
            assert max(scores) <= 50, (proposal.reference, scores)


def test_every_assignment_was_made_after_its_proposal_was_submitted(seeded):
    assignments = ReviewAssignment.objects.select_related("proposal")

    assert assignments.count() >= 10
    for assignment in assignments:
        assert assignment.assigned_at >= assignment.proposal.submitted_at, assignment.proposal.reference
        assert assignment.assigned_at < timezone.now() - timedelta(days=1), "not assigned 'now'"


def test_the_open_round_shows_an_overdue_review(seeded):
    overdue = ReviewAssignment.objects.filter(
        proposal__rfp__reference=RFP_OPEN, status=AssignmentStatus.ASSIGNED, due_at__lt=timezone.now()
    )

    assert overdue.exists()
    assert all(a.proposal.status == ProposalStatus.IN_REVIEW for a in overdue)
