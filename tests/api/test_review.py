"""The buyer's side through the API: queues, blind review, conflicts, scoring, decisions and the audit history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.models import CommercialTerms, Proposal, ReviewAssignment, ReviewerProfile, Rfp, Sector
from rfp.selectors import rubric_for_proposal
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(draft, owner):
    services.proposal_submit(proposal=draft, actor=owner)
    return services.proposal_start_review(proposal=draft)


def assign(proposal, reviewer, *, days=10):
    now = timezone.now()
    return ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewer, assigned_at=now, due_at=now + timedelta(days=days)
    )


@pytest.fixture
def assignment(in_review, reviewer):
    return assign(in_review, reviewer)


SCORES = {"power-cooling": 4, "us-capacity": 5, "technical": 3, "lead-time": 4, "domestic-content": 5, "quality": 3}


def test_a_reviewer_declares_no_conflict_scores_a_draft_then_submits(in_review, assignment, reviewer):
    api = client_for(reviewer)
    url = f"/api/v1/review/proposals/{in_review.reference}/"

    gated = api.get(url)
    assert gated.status_code == 409 and gated.json()["code"] == "conflict_undeclared"
    declared = api.post(f"{url}conflict/", {"declaration": "no_conflict"})
    assert declared.status_code == 200, declared.json()
    detail = api.get(url).json()
    assert detail["supplier"]["legal_name"] == "Lone Star Racks Inc."
    assert [c["code"] for c in detail["rubric"]["criteria"]] == list(SCORES)
    assert all(
        section["title"] != "Asks & commercial terms"
        or all("price" not in row["label"].lower() for row in section["rows"])
        for section in detail["answers"]
    )

    draft = api.put(f"{url}review/", {"scores": {"power-cooling": 4}, "comments": "Solid."}, format="json")
    assert draft.status_code == 200, draft.json()
    assert draft.json()["submitted"] is False and draft.json()["weighted_score"] is None
    out_of_range = api.post(f"{url}review/submit/", {"scores": {**SCORES, "quality": 9}}, format="json")
    assert out_of_range.status_code == 400
    assert out_of_range.json()["errors"] == {"scores.quality": ["Ensure this value is less than or equal to 5."]}
    no_recommendation = api.post(f"{url}review/submit/", {"scores": SCORES}, format="json")
    assert no_recommendation.status_code == 400
    assert no_recommendation.json()["code"] == "recommendation_required"
    assert "Choose a recommendation: Shortlist, Decline or Request more information." in str(no_recommendation.json())
    assert "request_info" not in str(no_recommendation.json())

    submitted = api.post(
        f"{url}review/submit/", {"scores": SCORES, "recommendation": "shortlist", "comments": "Go."}, format="json"
    )

    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["submitted"] is True
    assert submitted.json()["weighted_score"] == "81.00"
    assert ReviewAssignment.objects.get(pk=assignment.pk).status == AssignmentStatus.COMPLETED
    assert api.get(f"{url}review/").json()["scores"] == SCORES


def test_submitting_with_scores_missing_names_them_and_no_internal_code(in_review, assignment, reviewer):
    api = client_for(reviewer)
    url = f"/api/v1/review/proposals/{in_review.reference}/"
    assert api.post(f"{url}conflict/", {"declaration": "no_conflict"}).status_code == 200
    names = {criterion.code: criterion.name for criterion in rubric_for_proposal(proposal=in_review).criteria.all()}

    refused = api.post(f"{url}review/submit/", {"scores": {"power-cooling": 4}}, format="json")

    assert refused.status_code == 400
    detail = str(refused.json())
    missing = ", ".join(name for code, name in names.items() if code != "power-cooling")
    assert f"Score every criterion before submitting: {missing}." in detail
    assert "Choose a recommendation: Shortlist, Decline or Request more information." in detail
    assert "request_info" not in detail and "shortlist," not in detail
    assert ReviewAssignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ASSIGNED


def test_an_unknown_criterion_is_refused_by_name(in_review, assignment, reviewer):
    api = client_for(reviewer)
    url = f"/api/v1/review/proposals/{in_review.reference}/"
    api.post(f"{url}conflict/", {"declaration": "no_conflict"})

    response = api.put(f"{url}review/", {"scores": {"beauty": 3}}, format="json")

    assert response.status_code == 400
    assert "has no criterion beauty" in response.json()["detail"]


def test_declaring_a_conflict_releases_the_assignment_and_hides_the_proposal(in_review, assignment, reviewer):
    api = client_for(reviewer)
    url = f"/api/v1/review/proposals/{in_review.reference}/"

    without_note = api.post(f"{url}conflict/", {"declaration": "conflict"})
    declared = api.post(f"{url}conflict/", {"declaration": "conflict", "note": "My brother works there."})

    assert without_note.json()["errors"] == {"note": ["Say briefly what the conflict is; the program lead reads it."]}
    assert declared.status_code == 200, declared.json()
    assert declared.json()["status"] == AssignmentStatus.RELEASED
    assert declared.json()["conflict_declaration"] == ConflictDeclaration.CONFLICT
    assert api.get(url).status_code == 404
    assert api.get("/api/v1/review/assignments/").json()["results"] == []


def test_in_a_blind_round_the_reviewer_never_sees_the_supplier(in_review, assignment, reviewer, lead):
    in_review.rfp.blind_review = True
    in_review.rfp.save()
    api = client_for(reviewer)
    url = f"/api/v1/review/proposals/{in_review.reference}/"
    api.post(f"{url}conflict/", {"declaration": "no_conflict"})

    detail = api.get(url)
    queue = api.get("/api/v1/review/assignments/").json()["results"]

    assert detail.json()["blind"] is True
    assert detail.json()["supplier"] is None
    assert "Lone Star" not in detail.content.decode()
    assert queue[0]["supplier"] is None
    assert client_for(lead).get(url).json()["supplier"]["legal_name"] == "Lone Star Racks Inc."


def test_a_reviewer_sees_only_proposals_they_are_assigned_to(in_review, reviewer, rfp, other_supplier):
    from rfp.factories import draft_proposal

    other = draft_proposal(rfp=rfp, supplier=other_supplier, sector_code="robotics")
    services.proposal_submit(proposal=other, actor=None)
    assign(other, reviewer)
    api = client_for(reviewer)

    assert api.get(f"/api/v1/review/proposals/{in_review.reference}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/review/proposals/{in_review.reference}/conflict/", {"declaration": "no_conflict"}
        ).status_code
        == 404
    )
    assert [row["reference"] for row in api.get("/api/v1/review/assignments/").json()["results"]] == [other.reference]
    assert api.get("/api/v1/review/proposals/").status_code == 404, "the program lead's queue"
    assert api.get(f"/api/v1/review/proposals/{in_review.reference}/history/").status_code == 404


def test_supplier_staff_get_404_on_every_review_endpoint(in_review, owner):
    api = client_for(owner)
    base = f"/api/v1/review/proposals/{in_review.reference}/"

    for method, url in [
        ("get", "/api/v1/review/assignments/"),
        ("get", "/api/v1/review/proposals/"),
        ("post", "/api/v1/review/decisions/"),
        ("get", base),
        ("post", f"{base}conflict/"),
        ("get", f"{base}review/"),
        ("put", f"{base}review/"),
        ("post", f"{base}review/submit/"),
        ("post", f"{base}commercial-terms/"),
        ("post", f"{base}decision/"),
        ("get", f"{base}history/"),
    ]:
        assert getattr(api, method)(url, {}, format="json").status_code == 404, (method, url)


def test_the_lead_s_queue_filters_and_pages_with_a_cursor(lead, rfp, owner, supplier, other_supplier, in_review):
    from rfp.factories import draft_proposal
    from suppliers.factories import SupplierFactory

    robotics = []
    for _ in range(3):
        proposal = draft_proposal(rfp=rfp, supplier=SupplierFactory(), sector_code="robotics")
        robotics.append(services.proposal_submit(proposal=proposal, actor=None))
    api = client_for(lead)

    first = api.get("/api/v1/review/proposals/", {"sector": "robotics", "page_size": 2}).json()
    second = api.get(first["next"]).json()
    by_status = api.get("/api/v1/review/proposals/", {"status": "in_review"}).json()["results"]
    bad = api.get("/api/v1/review/proposals/", {"status": "draft", "sector": "nope"})

    assert [row["reference"] for row in first["results"] + second["results"]] == [p.reference for p in robotics]
    assert second["next"] is None
    assert [row["reference"] for row in by_status] == [in_review.reference]
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"status", "sector"}


def test_a_lead_decides_one_and_many_and_reads_the_history(lead, in_review, rfp, django_capture_on_commit_callbacks):
    from rfp.factories import draft_proposal
    from suppliers.factories import SupplierFactory

    api = client_for(lead)
    others = []
    for _ in range(2):
        proposal = draft_proposal(rfp=rfp, supplier=SupplierFactory(), sector_code="robotics")
        services.proposal_submit(proposal=proposal, actor=None)
        others.append(services.proposal_start_review(proposal=proposal))
    url = f"/api/v1/review/proposals/{in_review.reference}/"

    empty = api.post(f"{url}decision/", {"outcome": "shortlisted", "rationale": ""})
    decided = api.post(f"{url}decision/", {"outcome": "shortlisted", "rationale": "Best density."})
    again = api.post(f"{url}decision/", {"outcome": "declined", "rationale": "Changed my mind."})
    bulk = api.post(
        "/api/v1/review/decisions/",
        {
            "references": [p.reference for p in others] + [in_review.reference, "NOPE"],
            "outcome": "declined",
            "rationale": "Capacity too small.",
        },
        format="json",
    )

    assert empty.json()["errors"] == {"rationale": ["Give the reason, or the question for a request for information."]}
    assert decided.status_code == 200 and decided.json()["status"] == ProposalStatus.SHORTLISTED
    assert again.status_code == 409
    assert bulk.status_code == 200, bulk.json()
    assert sorted(bulk.json()["decided"]) == sorted(p.reference for p in others)
    assert set(bulk.json()["errors"]) == {in_review.reference, "NOPE"}
    assert set(Proposal.objects.filter(pk__in=[p.pk for p in others]).values_list("status", flat=True)) == {"declined"}
    history = api.get(f"{url}history/").json()
    assert history["events"][0]["action"] == "proposal.shortlisted"
    assert [period["status"] for period in history["status_periods"]] == ["submitted", "in_review", "shortlisted"]
    assert AuditEvent.objects.filter(action="proposal.declined").count() == 2


def test_the_api_decision_keeps_the_internal_note_from_the_supplier_and_asks_to_confirm_open_reviews(
    lead, owner, in_review, assignment
):
    api = client_for(lead)
    url = f"/api/v1/review/proposals/{in_review.reference}/decision/"
    body = {"outcome": "declined", "rationale": "Lead time too long.", "internal_note": "Price 30% above median."}

    refused = api.post(url, body, format="json")

    assert refused.status_code == 409, refused.json()
    assert "1 review is still open. Decide anyway?" in refused.json()["detail"]
    assert Proposal.objects.get(pk=in_review.pk).status == ProposalStatus.IN_REVIEW

    decided = api.post(url, {**body, "open_reviews_confirmed": True}, format="json")

    assert decided.status_code == 200, decided.json()
    assert decided.json()["decision"]["internal_note"] == "Price 30% above median."
    supplier_view = client_for(owner).get(f"/api/v1/proposals/{in_review.reference}/status/").json()
    assert supplier_view["decision"]["rationale"] == "Lead time too long."
    assert "Price 30% above median." not in str(supplier_view)


def test_sealed_terms_open_to_the_lead_only_and_each_opening_is_audited(lead, in_review, assignment, reviewer):
    reviewer_api = client_for(reviewer)
    reviewer_api.post(f"/api/v1/review/proposals/{in_review.reference}/conflict/", {"declaration": "no_conflict"})

    sealed = reviewer_api.post(f"/api/v1/review/proposals/{in_review.reference}/commercial-terms/")
    opened = client_for(lead).post(f"/api/v1/review/proposals/{in_review.reference}/commercial-terms/")

    assert sealed.status_code == 404
    assert opened.status_code == 200
    assert AuditEvent.objects.filter(action="commercial_terms.opened").count() == 1


def test_before_the_close_a_lead_reads_no_price_until_the_audited_opening_and_after_it_does(lead, in_review):
    CommercialTerms.objects.update_or_create(proposal=in_review, defaults={"unit_price_usd": "4321.98"})
    api = client_for(lead)
    base = f"/api/v1/review/proposals/{in_review.reference}/"

    detail = api.get(base)
    assert detail.status_code == 200
    assert "4321.98" not in detail.content.decode()
    assert not AuditEvent.objects.filter(action="commercial_terms.opened").exists()

    opened = api.post(f"{base}commercial-terms/")
    assert opened.status_code == 200
    assert opened.json()["unit_price_usd"] == "4321.98"
    event = AuditEvent.objects.get(action="commercial_terms.opened")
    assert (event.actor, event.data["before_close"]) == (lead, True)
    assert "4321.98" not in api.get(base).content.decode(), "shown once, in the opening's answer"

    Rfp.objects.filter(pk=in_review.rfp_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    after = api.post(f"{base}commercial-terms/")
    assert after.status_code == 200
    assert AuditEvent.objects.filter(action="commercial_terms.opened", data__before_close=False).count() == 1


@pytest.mark.parametrize("declaration", [ConflictDeclaration.UNDECLARED, ConflictDeclaration.CONFLICT])
def test_a_reviewer_who_has_not_declared_no_conflict_reads_neither_the_detail_nor_the_terms(
    in_review, assignment, reviewer, declaration
):
    ReviewAssignment.objects.filter(pk=assignment.pk).update(conflict_declaration=declaration)
    Rfp.objects.filter(pk=in_review.rfp_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    api = client_for(reviewer)
    base = f"/api/v1/review/proposals/{in_review.reference}/"

    expected_detail = 409 if declaration == ConflictDeclaration.UNDECLARED else 404
    assert api.get(base).status_code == expected_detail
    assert api.post(f"{base}commercial-terms/").status_code == 404
    assert not AuditEvent.objects.filter(action="commercial_terms.opened").exists()


def test_the_reviewer_s_assignment_queue(in_review, assignment, reviewer):
    profile = ReviewerProfile.objects.create(user=reviewer)
    profile.sectors.set(Sector.objects.filter(code="datacenter"))

    rows = client_for(reviewer).get("/api/v1/review/assignments/").json()["results"]

    assert [(row["reference"], row["status"], row["is_overdue"]) for row in rows] == [
        (in_review.reference, "assigned", False)
    ]
