"""The review workspace's overviews for program leads, through the API: the unassigned lane and assigning now,
service levels, the ranking per sector; and a read-only token changes nothing on the buyer's side."""

import pytest

from audit.models import AuditEvent
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.factories import RfpFactory
from rfp.models import Proposal, ReviewAssignment
from tests.api.conftest import client_for
from tests.review.conftest import assign, in_review, make_reviewer
from tests.review.test_queues import _submitted_review

pytestmark = pytest.mark.django_db

LEAD_ONLY = [
    ("get", "/api/v1/review/unassigned/"),
    ("get", "/api/v1/review/sla/"),
    ("get", "/api/v1/review/rfps/{rfp}/ranking/"),
    ("post", "/api/v1/review/proposals/{reference}/assign/"),
]


def test_the_lead_assigns_a_waiting_proposal_once_reviewers_are_added(lead):
    proposal = in_review()
    api = client_for(lead)
    url = f"/api/v1/review/proposals/{proposal.reference}/assign/"

    lane = api.get("/api/v1/review/unassigned/").json()
    nobody = api.post(url)
    first, second = make_reviewer(email="ana@buyer.example"), make_reviewer(email="ben@buyer.example")
    assigned = api.post(url)

    assert [(row["reference"], row["assigned_count"], row["required_count"], row["missing_count"]) for row in lane] == [
        (proposal.reference, 0, 2, 2)
    ]
    assert nobody.status_code == 200, nobody.json()
    assert (nobody.json()["assigned"], nobody.json()["missing"]) == ([], 2)
    assert assigned.status_code == 200, assigned.json()
    assert sorted(assigned.json()["assigned"]) == [first.email, second.email]
    assert (assigned.json()["held"], assigned.json()["missing"]) == (2, 0)
    assert set(
        ReviewAssignment.objects.filter(proposal=proposal, status=AssignmentStatus.ASSIGNED).values_list(
            "reviewer__email", flat=True
        )
    ) == {first.email, second.email}
    assert AuditEvent.objects.filter(action="review.assignment_retried", actor=lead).count() == 2
    assert api.get("/api/v1/review/unassigned/").json() == []


def test_a_decided_proposal_takes_no_reviewers(lead):
    proposal = in_review()
    services.proposal_decide(proposal=proposal, actor=lead, outcome="declined", rationale="Out of scope.")

    response = client_for(lead).post(f"/api/v1/review/proposals/{proposal.reference}/assign/")

    assert response.status_code == 409
    assert response.json()["code"] == "not_assignable"
    assert not ReviewAssignment.objects.filter(proposal=proposal).exists()


def test_service_levels_put_the_overdue_review_first(lead):
    late = assign(in_review(), make_reviewer(email="late@buyer.example"), due_in_days=-3)
    on_time = assign(in_review(), make_reviewer(email="prompt@buyer.example"), due_in_days=5)

    levels = client_for(lead).get("/api/v1/review/sla/").json()

    assert levels["overdue_count"] == 1
    assert [(row["reference"], row["reviewer"]) for row in levels["open_reviews"]] == [
        (late.proposal.reference, "late@buyer.example"),
        (on_time.proposal.reference, "prompt@buyer.example"),
    ]
    assert levels["open_reviews"][0]["days_overdue"] == 3.0
    assert levels["open_reviews"][1]["days_overdue"] is None
    assert {row["reference"] for row in levels["waiting"]} == {late.proposal.reference, on_time.proposal.reference}
    assert all(row["open_review_count"] == 1 for row in levels["waiting"])


def test_the_ranking_orders_each_sector_by_mean_score(lead):
    rfp = RfpFactory(reference="RANK-2026")
    low, high, unscored = in_review(rfp=rfp), in_review(rfp=rfp), in_review(rfp=rfp)
    robot = in_review(rfp=rfp, sector_code="robotics")
    _submitted_review(assign(low, make_reviewer()), "55.00")
    _submitted_review(assign(high, make_reviewer()), "91.25")

    ranking = client_for(lead).get("/api/v1/review/rfps/RANK-2026/ranking/").json()
    unknown = client_for(lead).get("/api/v1/review/rfps/NO-SUCH-ROUND/ranking/")

    sectors = {sector["code"]: sector["proposals"] for sector in ranking["sectors"]}
    assert [
        (row["rank"], row["reference"], row["score_mean"], row["review_count"]) for row in sectors["datacenter"]
    ] == [
        (1, high.reference, "91.25", 1),
        (2, low.reference, "55.00", 1),
        (3, unscored.reference, None, 0),
    ]
    assert [row["reference"] for row in sectors["robotics"]] == [robot.reference]
    assert sectors["consumer-electronics"] == []
    assert unknown.status_code == 404


@pytest.mark.parametrize("person", ["reviewer", "owner"])
def test_reviewers_and_suppliers_get_404_from_every_lead_overview(person, request):
    proposal = in_review()
    api = client_for(request.getfixturevalue(person))

    for method, url in LEAD_ONLY:
        response = getattr(api, method)(url.format(rfp=proposal.rfp.reference, reference=proposal.reference))
        assert response.status_code == 404, (person, url, response.status_code)
    assert not ReviewAssignment.objects.filter(proposal=proposal).exists()


def test_a_read_only_token_reads_the_buyer_s_side_but_changes_nothing(lead, reviewer):
    proposal = in_review()
    assignment = assign(proposal, reviewer)
    lead_api, reviewer_api = client_for(lead, scope="read"), client_for(reviewer, scope="read")
    base = f"/api/v1/review/proposals/{proposal.reference}/"

    assert lead_api.get("/api/v1/review/unassigned/").status_code == 200
    for response in (
        lead_api.post(f"{base}assign/"),
        lead_api.post(f"{base}decision/", {"outcome": "declined", "rationale": "No."}),
        lead_api.post(
            "/api/v1/review/decisions/",
            {"references": [proposal.reference], "outcome": "declined", "rationale": "No."},
            format="json",
        ),
        reviewer_api.post(f"{base}conflict/", {"declaration": "no_conflict"}),
    ):
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW
    assert ReviewAssignment.objects.get(pk=assignment.pk).conflict_declaration == ConflictDeclaration.UNDECLARED
    assert ReviewAssignment.objects.filter(proposal=proposal).count() == 1
