"""CSV exports of a round for program leads: its proposals and its reviews, streamed row by row.

Each text cell is neutralised against spreadsheet formula injection (OWASP, "CSV Injection"): a cell starting with
=, +, -, @, tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as text and never runs it.
Numbers are written as numbers, a negative one included. Rows come from `.iterator()` with what they show loaded
per chunk (select_related / prefetch_related) and score summaries loaded once, so the query count does not grow with
the rows. Sealed commercial terms are in the proposals export only for a program lead once the round has closed.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from exports.selectors import (
    commercial_terms_exported,
    criterion_list_for_reviews,
    proposal_list_for_export,
    review_list_for_export,
)
from rfp.enums import CheckOutcome
from rfp.models import Rfp
from rfp.selectors import commercial_terms_visible_to, proposal_score_summaries

# OWASP's list: what makes Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500
# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

PROPOSAL_COLUMNS = (
    "reference",
    "title",
    "sector",
    "categories",
    "supplier_legal_name",
    "facility_states",
    "status",
    "submitted_at",
    "version",
    "current_annual_capacity_units",
    "annual_capacity_units",
    "lead_time_weeks",
    "site_power_mw",
    "workforce_total",
    "domestic_content_pct",
    "checks_outcome",
    "checks_failed",
    "checks_warned",
    "checks_passed",
    "review_count",
    "score_mean",
    "score_median",
    "decision",
    "decided_at",
    "technical_narrative",
)
COMMERCIAL_TERMS_COLUMNS = (
    "unit_price_usd",
    "total_price_usd",
    "price_validity_days",
    "payment_terms",
    "incoterms",
    "commercial_terms_notes",
)
REVIEW_COLUMNS = (
    "proposal_reference",
    "sector",
    "reviewer_email",
    "reviewer_name",
    "recommendation",
    "weighted_score",
    "submitted_at",
    "rubric",
    "comments",
)


def csv_cell(value) -> str:
    """One cell as text a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number, "-5" included, is data: prefixing it would turn it into text
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write() hands the formatted line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text, one line at a time, every cell (the header's too) through `csv_cell`."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def _checks_outcome(*, failed: int, warned: int, total: int) -> str:
    if failed:
        return CheckOutcome.FAIL
    if warned:
        return CheckOutcome.WARNING
    return CheckOutcome.PASS if total else ""


def proposals_csv(*, rfp: Rfp, user, now) -> Iterator[str]:
    """The round's submitted proposals, one row each; nothing is read before the first line is asked for."""
    with_terms = commercial_terms_exported(user=user, rfp=rfp, now=now)
    proposals = proposal_list_for_export(rfp=rfp, now=now, with_commercial_terms=with_terms)
    summaries = proposal_score_summaries(proposals=proposals)
    yield from csv_lines(
        [*PROPOSAL_COLUMNS, *(COMMERCIAL_TERMS_COLUMNS if with_terms else ())],
        (
            _proposal_row(proposal, summary=summaries.get(proposal.pk), user=user, now=now, with_terms=with_terms)
            for proposal in proposals.iterator(chunk_size=CHUNK_SIZE)
        ),
    )


def _proposal_row(proposal, *, summary, user, now, with_terms: bool) -> list:
    decision = getattr(proposal, "decision", None)
    row = [
        proposal.reference,
        proposal.submitted_title,
        proposal.sector.name,
        [category.name for category in proposal.categories.all()],
        proposal.submitted_legal_name,
        sorted({facility.state for facility in proposal.facilities.all()}),
        proposal.status,
        proposal.submitted_at,
        proposal.version,
        proposal.current_annual_capacity_units,
        proposal.annual_capacity_units,
        proposal.lead_time_weeks,
        proposal.site_power_mw,
        proposal.workforce_total,
        proposal.domestic_content_pct,
        _checks_outcome(failed=proposal.checks_failed, warned=proposal.checks_warned, total=proposal.checks_total),
        proposal.checks_failed,
        proposal.checks_warned,
        proposal.checks_total - proposal.checks_failed - proposal.checks_warned,
        summary.count if summary else 0,
        summary.mean if summary else None,
        summary.median if summary else None,
        decision.outcome if decision else None,
        decision.decided_at if decision else None,
        proposal.technical_narrative,
    ]
    if with_terms:
        terms = commercial_terms_visible_to(user=user, proposal=proposal, now=now)
        row += (
            [
                terms.unit_price_usd,
                terms.total_price_usd,
                terms.price_validity_days,
                terms.payment_terms,
                terms.incoterms,
                terms.notes,
            ]
            if terms
            else [None] * len(COMMERCIAL_TERMS_COLUMNS)
        )
    return row


def reviews_csv(*, rfp: Rfp) -> Iterator[str]:
    """The round's submitted reviews, one row each, with a column per criterion of each rubric used."""
    reviews = review_list_for_export(rfp=rfp)
    criteria = criterion_list_for_reviews(reviews=reviews)
    header = [
        *REVIEW_COLUMNS,
        *(f"{criterion.rubric.name}: {criterion.name} (0-{criterion.max_score})" for criterion in criteria),
    ]
    rows = (_review_row(review, criteria=criteria) for review in reviews.iterator(chunk_size=CHUNK_SIZE))
    yield from csv_lines(header, rows)


def _review_row(review, *, criteria) -> list:
    assignment = review.assignment
    values = {score.criterion_id: score.value for score in review.scores.all()}
    return [
        assignment.proposal.reference,
        assignment.proposal.sector.name,
        assignment.reviewer.email,
        assignment.reviewer.full_name,
        review.recommendation,
        review.weighted_score,
        review.submitted_at,
        review.rubric.name,
        review.comments,
        *(values.get(criterion.pk) for criterion in criteria),
    ]
