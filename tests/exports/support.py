"""Builds rounds for the export tests through the services, as production does, and reads a download back."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from accounts.factories import ReviewerUserFactory, UserFactory
from rfp import services
from rfp.factories import draft_proposal
from rfp.models import Proposal, Review, ReviewAssignment, Rfp
from rfp.selectors import rubric_for_proposal
from suppliers.models import Supplier

HYPERLINK = '=HYPERLINK("http://x","y")'


def submitted(*, rfp: Rfp, supplier=None, sector_code: str = "datacenter", fields=None, terms=None) -> Proposal:
    """A proposal made, completed and submitted through the services; `fields` and `terms` edit the draft first."""
    actor = UserFactory()
    proposal = draft_proposal(rfp=rfp, supplier=supplier, sector_code=sector_code, actor=actor)
    if fields or terms:
        proposal = services.proposal_update(proposal=proposal, actor=actor, fields=fields, commercial_terms=terms)
    return services.proposal_submit(proposal=proposal, actor=actor)


def renamed_and_retitled_since(proposal: Proposal, *, legal_name: str, title: str) -> Proposal:
    """After the submit, the company takes a new name and the proposal a new title, as a later draft change would;
    the submitted version keeps what was sent."""
    Supplier.objects.filter(pk=proposal.supplier_id).update(legal_name=legal_name)
    Proposal.objects.filter(pk=proposal.pk).update(title=title)
    proposal.refresh_from_db()
    return proposal


def checked_and_in_review(proposal: Proposal) -> Proposal:
    services.proposal_run_checks(proposal_id=proposal.pk, version=proposal.version)
    return services.proposal_start_review(proposal=proposal)


def reviewed(proposal: Proposal, *, points: int, comments: str = "", reviewer=None) -> Review:
    """A submitted review giving every criterion of the proposal's rubric `points` (of 5)."""
    now = timezone.now()
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer or ReviewerUserFactory(),
        assigned_at=now,
        due_at=now + timedelta(days=10),
    )
    assignment = services.assignment_declare_no_conflict(assignment=assignment, actor=assignment.reviewer)
    scores = {criterion.code: points for criterion in rubric_for_proposal(proposal=proposal).criteria.all()}
    return services.review_save(
        assignment=assignment,
        actor=assignment.reviewer,
        scores=scores,
        comments=comments,
        recommendation="shortlist",
        submit=True,
    )


def close(rfp: Rfp) -> Rfp:
    Rfp.objects.filter(pk=rfp.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    rfp.refresh_from_db()
    return rfp


def parse_csv(response) -> list[dict[str, str]]:
    """The download as a spreadsheet would read it: UTF-8 (with its byte order mark), one dict per row."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))
