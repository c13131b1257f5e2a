"""What each copy of the PDF summary says, read back from the stored PDF as a person would read it."""

import hashlib
import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from documents.models import Audience
from documents.services import summary_pdf_render
from rfp import services
from rfp.enums import DecisionOutcome
from rfp.selectors import rubric_for_proposal
from tests.documents.conftest import PAYMENT_TERMS, TERMS_NOTE, make_case, stored_text

pytestmark = pytest.mark.django_db


def _render(case, audience):
    return summary_pdf_render(proposal_id=case.proposal.pk, audience=audience, reason="test")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _manifest_row(text: str, attachment) -> bool:
    """The end of the attachment's row: its size (a non-breaking space before "bytes"), then its SHA-256."""
    return re.search(rf"^{attachment.size_bytes}\sbytes {attachment.sha256}$", text, re.MULTILINE) is not None


def test_the_lead_copy_has_the_cover_facilities_answers_attachments_and_terms(case):
    with time_machine.travel(case.proposal.rfp.closes_at + timedelta(hours=1)):
        summary = _render(case, Audience.PROGRAM_LEAD)
    with summary.file.open("rb") as stored:
        content = stored.read()
    text = stored_text(summary)
    lines = _lines(text)
    reference = case.proposal.reference

    assert summary.sha256 == hashlib.sha256(content).hexdigest()
    assert (summary.size_bytes, summary.page_count) == (len(content), len(PdfReader(BytesIO(content)).pages))
    assert (summary.proposal_version, summary.includes_commercial_terms) == (1, True)
    # Cover: reference, sector, supplier and the submit time in the round's time zone (Los Angeles).
    assert reference in lines
    assert "Sector Datacenter" in lines
    assert "Supplier Lone Star Racks LLC (doing business as LSR)" in lines
    assert any(line.startswith("Submitted ") and "(America/Los_Angeles)" in line for line in lines)
    # Identifiers and certifications.
    assert "EIN 74-1234567" in lines
    assert "NAICS 2022 codes 334111: Electronic Computer Manufacturing" in lines
    assert "ISO 9001 ISO-9001-CERT-4471 BSI no expiry given" in lines
    # The facilities table: one row per facility with site power and workforce by trade, then the totals.
    assert "Round Rock Works Round Rock, TX 78664 Operating 14.5 21 33 44 155 27 280" in lines
    assert "Temple Assembly Temple, TX 76501 Operating 6 20 35 40 120 25 240" in lines
    assert "Total 20.5 41 68 84 275 52 520" in lines
    # The sector's answers with units, capacity, ramp, lead time, domestic content and origin.
    assert "Rack power density 132 kW/rack" in lines
    assert "Cooling type Direct-to-chip, single-phase" in lines
    assert "Proposed US capacity 9,600 units" in lines
    assert "Capacity ramp Q1 600, Q2 1,200, Q3 2,400" in lines
    assert "Lead time 12 weeks" in lines
    assert "Domestic content 72.5%" in lines
    assert "Mexico (MX)" in lines and "Japan (JP)" in lines
    # Charts drawn by the project, as text in the PDF.
    assert "Site power by facility (MW)" in lines
    assert "14.5 MW" in lines
    # The attachment manifest, with the file's SHA-256 on one line.
    attachment = case.attachment
    assert f"{attachment.original_name} Drawing or datasheet" in lines
    assert _manifest_row(text, attachment)
    # The sealed prices: the program lead's copy has them.
    assert "Unit price $48,250.75" in lines
    assert f"Payment terms {PAYMENT_TERMS}" in lines
    # Page numbers on every page, and the reference in the header from page 2 on.
    pages = [page.extract_text() for page in PdfReader(BytesIO(content)).pages]
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page_text
        if number > 1:
            assert f"{reference} Program lead's copy" in page_text


def test_the_lead_copy_has_no_commercial_terms_before_the_round_closes_and_says_until_when(case):
    summary = _render(case, Audience.PROGRAM_LEAD)
    text = stored_text(summary)

    assert "Program lead's copy" in text
    assert "48250.75" not in text
    assert PAYMENT_TERMS not in text
    assert TERMS_NOTE not in text
    assert "Commercial terms stay sealed in this copy until the round closes on" in text
    assert summary.includes_commercial_terms is False


def test_the_reviewer_copy_has_no_commercial_terms_before_the_round_closes(case):
    summary = _render(case, Audience.REVIEWER)
    text = stored_text(summary)

    assert case.proposal.reference in text
    assert "Reviewer's copy" in text
    assert "48250.75" not in text
    assert "48,250.75" not in text
    assert PAYMENT_TERMS not in text
    assert TERMS_NOTE not in text
    assert "Commercial terms stay sealed in this copy until the round closes" in text
    assert summary.includes_commercial_terms is False
    # The rest is there: facilities, the attachment's hash, the checks section.
    assert "Round Rock Works Round Rock, TX 78664 Operating 14.5 21 33 44 155 27 280" in _lines(text)
    assert _manifest_row(text, case.attachment)
    assert "Automated checks" in text


def test_the_reviewer_copy_has_the_commercial_terms_once_the_round_has_closed(case):
    with time_machine.travel(case.proposal.rfp.closes_at + timedelta(hours=1)):
        summary = _render(case, Audience.REVIEWER)

    text = stored_text(summary)
    assert "Unit price $48,250.75" in _lines(text)
    assert f"Payment terms {PAYMENT_TERMS}" in _lines(text)
    assert summary.includes_commercial_terms is True


def test_the_supplier_copy_has_its_own_terms_and_nothing_of_the_review(case):
    proposal = services.proposal_start_review(proposal=case.proposal)
    _submit_review(case)
    services.proposal_decide(
        proposal=proposal, actor=case.lead, outcome=DecisionOutcome.SHORTLISTED, rationale="Strong Texas capacity."
    )

    text = stored_text(_render(case, Audience.SUPPLIER))

    assert "Supplier's copy" in text
    assert f"Payment terms {PAYMENT_TERMS}" in _lines(text)
    assert _manifest_row(text, case.attachment)
    for hidden in ("Automated checks", "Scores", "Mean score by criterion", "Shortlisted", "Strong Texas capacity"):
        assert hidden not in text


def _submit_review(case, values=None):
    rubric = rubric_for_proposal(proposal=case.proposal)
    criteria = list(rubric.criteria.all())
    scores = values or {criterion.code: criterion.max_score - 1 for criterion in criteria}
    assignment = services.assignment_declare_no_conflict(assignment=case.assignment, actor=case.reviewer)
    services.review_save(
        assignment=assignment,
        actor=case.reviewer,
        scores=scores,
        comments="Solid.",
        recommendation="shortlist",
        submit=True,
    )
    return criteria


def test_once_reviewed_the_buyer_copies_show_scores_by_criterion_aggregate_and_decision(case):
    services.proposal_start_review(proposal=case.proposal)
    criteria = _submit_review(case)
    services.proposal_decide(
        proposal=case.proposal,
        actor=case.lead,
        outcome=DecisionOutcome.SHORTLISTED,
        rationale="Strong Texas capacity.",
    )

    for audience in (Audience.PROGRAM_LEAD, Audience.REVIEWER):
        text = stored_text(_render(case, audience))
        lines = _lines(text)
        assert "Scores" in lines
        assert "Submitted reviews 1" in lines
        assert any(line.startswith("Weighted score, mean (0 to 100) ") for line in lines)
        first = criteria[0]
        assert any(
            line.startswith(f"{first.name} {first.weight.normalize():f} {first.max_score - 1}.00 {first.max_score} 1")
            for line in lines
        ), lines
        assert "Mean score by criterion" in lines
        assert "Outcome Shortlisted" in lines
        assert "Message to the supplier Strong Texas capacity." in lines


def test_a_blind_rounds_reviewer_copy_leaves_out_who_the_supplier_is():
    case = make_case(blind=True)

    reviewer_text = stored_text(_render(case, Audience.REVIEWER))
    lead_text = stored_text(_render(case, Audience.PROGRAM_LEAD))

    for identifying in ("Lone Star Racks", "74-1234567", "Round Rock Works", "ISO-9001-CERT-4471", "78664"):
        assert identifying not in reviewer_text
        assert identifying in lead_text
    assert "Hidden: this round is reviewed blind" in reviewer_text
    assert "Facility 1" in reviewer_text


def test_supplier_text_is_printed_as_text_never_as_markup():
    case = make_case(narrative='<b>Bold claim</b> & <script>alert("x")</script> {{ secret }}')

    text = stored_text(_render(case, Audience.PROGRAM_LEAD))

    assert '<b>Bold claim</b> & <script>alert("x")</script> {{ secret }}' in text
