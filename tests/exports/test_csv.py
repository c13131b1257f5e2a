"""The CSV exports as a program lead downloads them from the panel: what each cell holds, formulas neutralised,
numbers kept as numbers, sealed prices only after the deadline, and a query count that does not grow with rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import ReviewerUserFactory
from audit.models import AuditEvent
from exports.csv import BOM, csv_lines
from rfp import services
from rfp.models import Category, ProposalCheck, ReviewAssignment
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.models import Supplier
from suppliers.services import supplier_update
from tests.exports.support import (
    HYPERLINK,
    checked_and_in_review,
    close,
    parse_csv,
    renamed_and_retitled_since,
    reviewed,
    submitted,
)

pytestmark = pytest.mark.django_db


def _proposals(client, rfp) -> list[dict[str, str]]:
    response = client.get(reverse("exports:rfp-proposals-csv", args=[rfp.reference]))
    assert response.status_code == 200
    return parse_csv(response)


def _reviews(client, rfp) -> list[dict[str, str]]:
    response = client.get(reverse("exports:rfp-reviews-csv", args=[rfp.reference]))
    assert response.status_code == 200
    return parse_csv(response)


# --- Formula injection ----------------------------------------------------------------------------------------------


def test_cells_starting_like_a_formula_are_prefixed_and_numbers_are_not():
    rows = [
        [HYPERLINK, Decimal("-5"), "-5"],
        ["+1+1", -3, "@SUM(A1:A2)"],
        ["\tcmd", 2.5, "\r=1"],
        ["Plain text", 0, None],
        ["a=b", Decimal("7.50"), "name@example.com"],
    ]
    text = "".join(csv_lines(["text", "number", "more"], rows))
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))

    assert parsed[0] == ["text", "number", "more"]
    assert parsed[1] == ["'" + HYPERLINK, "-5", "'-5"]  # a negative number stays a number; the text "-5" does not
    assert parsed[2] == ["'+1+1", "-3", "'@SUM(A1:A2)"]
    assert parsed[3] == ["'\tcmd", "2.5", "'\r=1"]
    assert parsed[4] == ["Plain text", "0", ""]
    assert parsed[5] == ["a=b", "7.50", "name@example.com"]


def test_a_supplier_name_and_a_narrative_that_are_formulas_come_out_as_text(lead_client, rfp):
    supplier = SupplierFactory(legal_name=HYPERLINK)
    submitted(rfp=rfp, supplier=supplier, fields={"technical_narrative": HYPERLINK, "title": "-1 offer"})

    [row] = _proposals(lead_client, rfp)

    assert row["supplier_legal_name"] == "'" + HYPERLINK
    assert row["technical_narrative"] == "'" + HYPERLINK
    assert row["title"] == "'-1 offer"
    # Numbers are written as numbers, never prefixed.
    assert (row["site_power_mw"], row["annual_capacity_units"], row["domestic_content_pct"]) == (
        "8.50",
        "10000",
        "72.50",
    )
    assert (row["lead_time_weeks"], row["workforce_total"], row["version"]) == ("12", "30", "1")


def test_a_reviewer_comment_that_is_a_formula_comes_out_as_text(lead_client, rfp):
    proposal = checked_and_in_review(submitted(rfp=rfp))
    reviewed(proposal, points=4, comments="@SUM(1+1)*cmd|' /C calc'!A0")

    [row] = _reviews(lead_client, rfp)

    assert row["comments"] == "'@SUM(1+1)*cmd|' /C calc'!A0"


# --- What the rows hold ----------------------------------------------------------------------------------------------


def test_a_proposal_row_shows_its_answers_checks_scores_and_decision(lead_client, lead, rfp):
    proposal = checked_and_in_review(submitted(rfp=rfp))
    for points in (5, 4, 2):  # weighted 100, 80 and 40
        reviewed(proposal, points=points)
    services.proposal_decide(proposal=proposal, actor=lead, outcome="shortlisted", rationale="Strong US capacity.")
    checks = ProposalCheck.objects.filter(proposal=proposal, version=1)

    [row] = _proposals(lead_client, rfp)

    assert row["reference"] == proposal.reference
    assert row["sector"] == "Datacenter"
    assert row["categories"] == Category.objects.filter(sector__code="datacenter").first().name
    assert row["facility_states"] == "TX"
    assert row["status"] == "shortlisted"
    assert row["submitted_at"].startswith(f"{proposal.submitted_at:%Y-%m-%dT%H:%M}")
    assert row["submitted_at"].endswith("+00:00")
    assert (row["review_count"], row["score_mean"], row["score_median"]) == ("3", "73.33", "80.00")
    assert (row["decision"], row["decided_at"][:4]) == ("shortlisted", f"{proposal.submitted_at:%Y}")
    # No screening list is loaded, so screening warns; the counts add up to the checks that ran.
    assert row["checks_outcome"] == "warning"
    counted = int(row["checks_failed"]) + int(row["checks_warned"]) + int(row["checks_passed"])
    assert counted == checks.count()
    assert int(row["checks_warned"]) == checks.filter(outcome="warning").count() > 0


def test_drafts_are_not_exported(lead_client, rfp):
    from rfp.factories import draft_proposal

    draft_proposal(rfp=rfp)
    kept = submitted(rfp=rfp, sector_code="robotics")

    assert [row["reference"] for row in _proposals(lead_client, rfp)] == [kept.reference]


def test_a_review_row_has_the_weighted_score_and_a_column_per_criterion(lead_client, rfp):
    proposal = checked_and_in_review(submitted(rfp=rfp))
    review = reviewed(proposal, points=4)
    # A draft review is the reviewer's own until submitted: not exported.
    now = review.submitted_at
    draft = ReviewAssignment.objects.create(
        proposal=proposal, reviewer=ReviewerUserFactory(), assigned_at=now, due_at=now
    )
    services.assignment_declare_no_conflict(assignment=draft, actor=draft.reviewer)
    services.review_save(
        assignment=draft, actor=draft.reviewer, scores={}, comments="", recommendation="", submit=False
    )

    [row] = _reviews(lead_client, rfp)

    assert row["proposal_reference"] == proposal.reference
    assert row["reviewer_email"] == review.assignment.reviewer.email
    assert (row["recommendation"], row["weighted_score"], row["rubric"]) == ("shortlist", "80.00", review.rubric.name)
    criteria = list(review.rubric.criteria.all())
    columns = [f"{review.rubric.name}: {criterion.name} (0-5)" for criterion in criteria]
    assert [row[column] for column in columns] == ["4"] * len(criteria)


# --- Sealed commercial terms ------------------------------------------------------------------------------------------


def test_commercial_terms_are_exported_only_after_the_deadline(lead_client, rfp, money):
    proposal = submitted(rfp=rfp, terms=money)

    [before] = _proposals(lead_client, rfp)
    assert "unit_price_usd" not in before
    assert "5000000.00" not in before.values()

    close(rfp)
    [after] = _proposals(lead_client, rfp)
    assert (after["unit_price_usd"], after["total_price_usd"], after["incoterms"]) == ("1250.00", "5000000.00", "FCA")

    events = AuditEvent.objects.filter(action="export.proposals_csv", object_id=str(rfp.pk)).order_by("id")
    assert [event.data["commercial_terms"] for event in events] == [False, True]
    assert proposal.reference in after["reference"]


# --- Query count --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_the_proposals_export_query_count_does_not_grow_with_rows(
    lead_client, rfp, money, count, django_assert_max_num_queries
):
    for _ in range(count):
        reviewed(checked_and_in_review(submitted(rfp=rfp, terms=money)), points=3)
    close(rfp)  # the sealed terms are in the rows too

    # Session, user, round, audit event (4), score summaries, the rows' cursor, categories and facilities per chunk,
    # and once the lead's company membership (none), which the rule of the sealed prices asks.
    with django_assert_max_num_queries(13):
        rows = _proposals(lead_client, rfp)

    assert len(rows) == count
    assert all(row["unit_price_usd"] == "1250.00" and row["review_count"] == "1" for row in rows)


@pytest.mark.parametrize("count", [1, 5])
def test_the_reviews_export_query_count_does_not_grow_with_rows(lead_client, rfp, count, django_assert_max_num_queries):
    for _ in range(count):
        reviewed(checked_and_in_review(submitted(rfp=rfp)), points=3)

    # Session, user, round, audit event (4), criteria, the rows' cursor, scores per chunk.
    with django_assert_max_num_queries(11):
        rows = _reviews(lead_client, rfp)

    assert len(rows) == count


def test_a_company_renamed_after_submitting_keeps_the_name_it_submitted_under(lead_client, rfp):
    owner = SupplierMemberFactory(role=MemberRole.OWNER, supplier__legal_name="Lone Star Racks Inc.")
    proposal = submitted(rfp=rfp, supplier=owner.supplier)
    supplier_update(supplier=owner.supplier, actor=owner.user, data={"legal_name": "Texas Thermal Holdings LLC"})

    [row] = _proposals(lead_client, rfp)

    assert row["reference"] == proposal.reference
    assert row["supplier_legal_name"] == "Lone Star Racks Inc."
    assert Supplier.objects.get(pk=owner.supplier.pk).legal_name == "Texas Thermal Holdings LLC"


def test_a_proposal_retitled_after_submitting_keeps_the_title_and_name_it_was_submitted_with(lead_client, rfp):
    owner = SupplierMemberFactory(role=MemberRole.OWNER, supplier__legal_name="Lone Star Racks Inc.")
    proposal = submitted(rfp=rfp, supplier=owner.supplier, fields={"title": "Liquid-cooled racks, 4,000 a year"})
    renamed_and_retitled_since(proposal, legal_name="Texas Thermal Holdings LLC", title="Air-cooled racks only")

    [row] = _proposals(lead_client, rfp)

    assert (row["title"], row["supplier_legal_name"]) == ("Liquid-cooled racks, 4,000 a year", "Lone Star Racks Inc.")
