"""The proposal's life: every change of `status` happens here, and nowhere else.

Each transition locks the proposal row, checks the move against `TRANSITIONS` and, where it matters, the RFP's
deadline against the server clock inside the transaction, writes an audit event, and enqueues follow-up work
that is published only once the transaction commits.
"""

import hashlib
import json
import secrets
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_enqueue
from rfp.enums import DecisionOutcome, ProposalStatus
from rfp.exceptions import DeadlinePassed, DomainError, ProposalIncomplete, TransitionNotAllowed
from rfp.job_names import CHECKS_TASK, INFORMATION_REQUEST_NOTICE_TASK, QUEUE_TASK
from rfp.models import (
    SECTOR_DETAIL_MODELS,
    Category,
    CommercialTerms,
    Decision,
    InformationRequest,
    Proposal,
    ProposalVersion,
    Rfp,
    Sector,
)
from rfp.selectors import proposal_missing_answers, proposal_sector_details, proposal_unacknowledged_addenda
from rfp.services.summaries import summary_pdfs_enqueue
from rfp.states import EDITABLE_STATUSES, TRANSITIONS, Transition
from suppliers.models import WORKFORCE_TRADES, Facility, Supplier

S = ProposalStatus


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("rfp", "sector", "supplier").get(pk=proposal.pk)
    )


def _check_transition(proposal: Proposal, action: str) -> Transition:
    transition = TRANSITIONS[action]
    if proposal.status not in transition.sources:
        raise TransitionNotAllowed(
            f"You cannot {transition.verb} proposal {proposal.reference}: it is "
            f"{proposal.get_status_display().lower()}.",
            code=f"{action}_not_allowed",
        )
    return transition


def rfp_ensure_open(rfp: Rfp, *, now, doing: str) -> None:
    if now < rfp.opens_at:
        local = timezone.localtime(rfp.opens_at, rfp.tz)
        raise DeadlinePassed(
            f"{rfp.reference} opens on {local:%B %-d, %Y at %-I:%M %p %Z}; you cannot {doing} before then.",
            code="not_open",
        )
    if now >= rfp.closes_at:
        local = timezone.localtime(rfp.closes_at, rfp.tz)
        raise DeadlinePassed(
            f"{rfp.reference} closed on {local:%B %-d, %Y at %-I:%M:%S %p %Z}; you can no longer {doing}.",
            code="deadline_passed",
        )


def _addenda_names(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"addendum {numbers[0]}"
    listed = ", ".join(str(number) for number in numbers[:-1])
    return f"addenda {listed} and {numbers[-1]}"


def _ensure_addenda_acknowledged(proposal: Proposal, *, now) -> None:
    unacknowledged = proposal_unacknowledged_addenda(proposal=proposal, now=now)
    if unacknowledged:
        names = _addenda_names([addendum.number for addendum in unacknowledged])
        raise DomainError(
            f"Acknowledge {names} of {proposal.rfp.reference} before submitting proposal {proposal.reference}: "
            "open the round's page, read each addendum and press “Acknowledge”.",
            code="addenda_unacknowledged",
        )


def _move(proposal: Proposal, transition: Transition, *, actor, action: str, now, data=None, fields=()) -> None:
    previous = proposal.status
    proposal.status = transition.target
    proposal.status_changed_at = now
    proposal.save(update_fields=["status", "status_changed_at", "updated_at", *fields])
    audit_record(
        action=f"proposal.{action}",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: {S(previous).label} → {S(transition.target).label}",
        data={"from": previous, "to": transition.target, "at": now.isoformat(), **(data or {})},
    )


def _enqueue_review_pipeline(proposal: Proposal) -> None:
    job_enqueue(
        task_name=QUEUE_TASK,
        arguments={"proposal_id": proposal.pk, "version": proposal.version},
        dedupe_key=f"{QUEUE_TASK}:{proposal.pk}:v{proposal.version}",
    )


def proposal_snapshot(*, proposal: Proposal) -> dict[str, Any]:
    """What the supplier submitted, as plain JSON, for the immutable version record."""
    details = proposal_sector_details(proposal=proposal)
    terms = CommercialTerms.objects.filter(proposal=proposal).first()
    detail_fields = [f.name for f in SECTOR_DETAIL_MODELS[proposal.sector.code]._meta.concrete_fields]
    term_fields = [f.name for f in CommercialTerms._meta.concrete_fields]
    snapshot = {
        "reference": proposal.reference,
        "rfp": proposal.rfp.reference,
        "supplier": {"id": proposal.supplier_id, "legal_name": proposal.supplier.legal_name},
        "sector": proposal.sector.code,
        "title": proposal.title,
        "technical_narrative": proposal.technical_narrative,
        "categories": sorted(proposal.categories.values_list("code", flat=True)),
        "facilities": [
            {
                "id": facility.id,
                "name": facility.name,
                "city": facility.city,
                "state": facility.state,
                "zip_code": facility.zip_code,
                "status": facility.status,
                "site_power_mw": facility.site_power_mw,
                **{trade: getattr(facility, trade) for trade in WORKFORCE_TRADES},
            }
            for facility in proposal.facilities.order_by("id")
        ],
        "current_annual_capacity_units": proposal.current_annual_capacity_units,
        "annual_capacity_units": proposal.annual_capacity_units,
        "capacity_ramp": proposal.capacity_ramp,
        "lead_time_weeks": proposal.lead_time_weeks,
        "domestic_content_pct": proposal.domestic_content_pct,
        "countries_of_origin": proposal.countries_of_origin,
        "site_power_mw": proposal.site_power_mw,
        "sub_suppliers": proposal.sub_suppliers,
        "workforce": {trade: getattr(proposal, trade) for trade in WORKFORCE_TRADES},
        "asks": {
            "offtake_units": proposal.asks_offtake_units,
            "co_investment_usd": proposal.asks_co_investment_usd,
            "prepayment_pct": proposal.asks_prepayment_pct,
            "notes": proposal.asks_notes,
        },
        "information_requests": [
            {"question": question, "requested_at": requested_at, "response": response, "responded_at": responded_at}
            for question, requested_at, response, responded_at in proposal.information_requests.order_by(
                "requested_at"
            ).values_list("question", "requested_at", "response", "responded_at")
        ],
        "sector_details": {name: getattr(details, name) for name in detail_fields if name not in ("id", "proposal")}
        if details
        else {},
        "commercial_terms": {name: getattr(terms, name) for name in term_fields if name not in ("id", "proposal")}
        if terms
        else {},
        "attachments": [
            {"name": name, "kind": kind, "size_bytes": size, "sha256": sha}
            for name, kind, size, sha in proposal.attachments.order_by("id").values_list(
                "original_name", "kind", "size_bytes", "sha256"
            )
        ],
    }
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _record_version(proposal: Proposal, *, actor, now) -> ProposalVersion:
    proposal.version += 1
    snapshot = proposal_snapshot(proposal=proposal)
    digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        snapshot=snapshot,
        sha256=digest,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
        submitted_at=now,
    )


# No 0/O or 1/I/L: references are read aloud and typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_CODE_LENGTH = 6


def _new_reference(rfp: Rfp, sector: Sector) -> str:
    """`<RFP>-<SECTOR>-<random code>`: a reference says nothing of who sent the proposal (blind rounds) nor of how
    many came before it. References made earlier, which ended in the supplier's number, stay valid."""
    for _attempt in range(20):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_CODE_LENGTH))
        reference = f"{rfp.reference}-{sector.abbreviation}-{code}"
        if not Proposal.objects.filter(reference=reference).exists():
            return reference
    raise DomainError("No free proposal reference was found; try again.", code="reference_exhausted")


@transaction.atomic
def proposal_create(*, rfp: Rfp, supplier: Supplier, sector: Sector, actor, title: str) -> Proposal:
    now = timezone.now()
    rfp_ensure_open(rfp, now=now, doing="start a proposal")
    if not rfp.sectors.filter(pk=sector.pk).exists():
        raise DomainError(f"{rfp.reference} does not ask for {sector.name} proposals.", code="sector_not_in_rfp")
    if Proposal.objects.filter(rfp=rfp, supplier=supplier, sector=sector).exists():
        raise DomainError(
            f"{supplier.legal_name} already has a {sector.name} proposal for {rfp.reference}; edit that one.",
            code="duplicate_proposal",
        )
    proposal = Proposal(
        rfp=rfp,
        supplier=supplier,
        sector=sector,
        title=title,
        reference=_new_reference(rfp, sector),
    )
    proposal.full_clean()
    proposal.save()
    SECTOR_DETAIL_MODELS[sector.code].objects.create(proposal=proposal)
    CommercialTerms.objects.create(proposal=proposal)
    audit_record(action="proposal.created", target=proposal, actor=actor, summary=f"{proposal.reference} drafted")
    return proposal


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    actor,
    fields: dict[str, Any] | None = None,
    sector_answers: dict[str, Any] | None = None,
    commercial_terms: dict[str, Any] | None = None,
    categories: list[Category] | None = None,
    facilities: list[Facility] | None = None,
) -> Proposal:
    """Edit a draft (before the deadline) or a proposal whose reviewers asked for more information."""
    proposal = _locked(proposal)
    if proposal.status not in EDITABLE_STATUSES:
        raise TransitionNotAllowed(
            f"Proposal {proposal.reference} is {proposal.get_status_display().lower()} and can no longer be edited.",
            code="not_editable",
        )
    if proposal.status == S.DRAFT:
        rfp_ensure_open(proposal.rfp, now=timezone.now(), doing="edit this proposal")
    for name, value in (fields or {}).items():
        setattr(proposal, name, value)
    proposal.full_clean()
    proposal.save()
    if sector_answers:
        details = proposal_sector_details(proposal=proposal) or SECTOR_DETAIL_MODELS[proposal.sector.code](
            proposal=proposal
        )
        for name, value in sector_answers.items():
            setattr(details, name, value)
        details.full_clean()
        details.save()
    if commercial_terms:
        terms, _ = CommercialTerms.objects.get_or_create(proposal=proposal)
        for name, value in commercial_terms.items():
            setattr(terms, name, value)
        terms.full_clean()
        terms.save()
    if categories is not None:
        foreign = [c.name for c in categories if c.sector_id != proposal.sector_id]
        if foreign:
            raise DomainError(
                f"These categories are not in the {proposal.sector.name} sector: {', '.join(foreign)}.",
                code="category_sector_mismatch",
            )
        proposal.categories.set(categories)
    if facilities is not None:
        foreign = [f.name for f in facilities if f.supplier_id != proposal.supplier_id]
        if foreign:
            raise DomainError(
                f"These facilities belong to another company: {', '.join(foreign)}.",
                code="facility_not_owned",
            )
        proposal.facilities.set(facilities)
    audit_record(
        action="proposal.edited",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference} edited",
        data={
            "fields": sorted(fields or {}),
            "sector_answers": sorted(sector_answers or {}),
            "commercial_terms": sorted(commercial_terms or {}),
            "categories": categories is not None,
            "facilities": facilities is not None,
        },
    )
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    proposal = _locked(proposal)
    transition = _check_transition(proposal, "submit")
    now = timezone.now()
    rfp_ensure_open(proposal.rfp, now=now, doing="submit proposals")
    _ensure_addenda_acknowledged(proposal, now=now)
    missing = proposal_missing_answers(proposal=proposal)
    if missing:
        raise ProposalIncomplete(
            f"Proposal {proposal.reference} cannot be submitted yet; it still needs: {', '.join(missing)}.",
            missing=missing,
        )
    version = _record_version(proposal, actor=actor, now=now)
    proposal.submitted_at = now
    proposal.queued_at = None
    proposal.withdrawn_at = None
    _move(
        proposal,
        transition,
        actor=actor,
        action="submitted",
        now=now,
        data={"version": version.number, "sha256": version.sha256},
        fields=("version", "submitted_at", "queued_at", "withdrawn_at"),
    )
    _enqueue_review_pipeline(proposal)
    return proposal


@transaction.atomic
def proposal_start_review(*, proposal: Proposal, actor=None) -> Proposal:
    proposal = _locked(proposal)
    transition = _check_transition(proposal, "start_review")
    _move(proposal, transition, actor=actor, action="review_started", now=timezone.now())
    return proposal


@transaction.atomic
def proposal_request_information(*, proposal: Proposal, actor, question: str) -> InformationRequest:
    if not question.strip():
        raise DomainError("Write the question the supplier should answer.", code="question_required")
    proposal = _locked(proposal)
    transition = _check_transition(proposal, "request_information")
    now = timezone.now()
    request = InformationRequest.objects.create(
        proposal=proposal, question=question.strip(), requested_by=actor, requested_at=now
    )
    _move(
        proposal,
        transition,
        actor=actor,
        action="information_requested",
        now=now,
        data={"information_request": request.pk},
    )
    job_enqueue(
        task_name=INFORMATION_REQUEST_NOTICE_TASK,
        arguments={"information_request_id": request.pk},
        dedupe_key=f"{INFORMATION_REQUEST_NOTICE_TASK}:{request.pk}",
    )
    return request


@transaction.atomic
def proposal_resubmit(*, proposal: Proposal, actor, response: str) -> Proposal:
    """The supplier answers a request for information; this works after `closes_at`, since the buyer asked."""
    if not response.strip():
        raise DomainError("Write your answer to the reviewers' question before resubmitting.", code="response_required")
    proposal = _locked(proposal)
    transition = _check_transition(proposal, "resubmit")
    now = timezone.now()
    request = proposal.information_requests.filter(responded_at__isnull=True).order_by("-requested_at").first()
    if request is not None:
        request.response = response.strip()
        request.responded_by = actor
        request.responded_at = now
        request.save(update_fields=["response", "responded_by", "responded_at"])
    version = _record_version(proposal, actor=actor, now=now)
    proposal.queued_at = None
    _move(
        proposal,
        transition,
        actor=actor,
        action="resubmitted",
        now=now,
        data={"version": version.number, "sha256": version.sha256},
        fields=("version", "queued_at"),
    )
    _enqueue_review_pipeline(proposal)
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: Proposal, actor, outcome: str, rationale: str, internal_note: str = "") -> Decision:
    """Shortlist or decline; `rationale` is the message the supplier receives, `internal_note` stays with the buyer."""
    if outcome not in DecisionOutcome.values:
        raise DomainError(f"{outcome!r} is not a decision; choose shortlisted or declined.", code="bad_outcome")
    if not rationale.strip():
        raise DomainError(
            "Give the reason for the decision; the supplier and the file will need it.",
            code="rationale_required",
        )
    proposal = _locked(proposal)
    action = "shortlist" if outcome == DecisionOutcome.SHORTLISTED else "decline"
    transition = _check_transition(proposal, action)
    now = timezone.now()
    decision = Decision.objects.create(
        proposal=proposal,
        outcome=outcome,
        rationale=rationale.strip(),
        internal_note=internal_note.strip(),
        decided_by=actor,
        decided_at=now,
    )
    proposal.decided_at = now
    _move(proposal, transition, actor=actor, action=outcome, now=now, fields=("decided_at",))
    summary_pdfs_enqueue(proposal=proposal, reason="decided", event=str(decision.pk))
    return decision


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    proposal = _locked(proposal)
    transition = _check_transition(proposal, "withdraw")
    now = timezone.now()
    proposal.withdrawn_at = now
    _move(
        proposal,
        transition,
        actor=actor,
        action="withdrawn",
        now=now,
        data={"reason": reason},
        fields=("withdrawn_at",),
    )
    return proposal


@transaction.atomic
def proposal_record_queue_entry(*, proposal_id: int, version: int) -> bool:
    """Worker side of a submit: the submitted version enters the rolling-review queue (once)."""
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None or proposal.version != version or proposal.queued_at is not None:
        return False
    proposal.queued_at = timezone.now()
    proposal.save(update_fields=["queued_at"])
    audit_record(
        action="proposal.queued",
        target=proposal,
        summary=f"{proposal.reference} v{version} entered the review queue",
        data={"version": version},
    )

    # The automated checks of this version run next, published once this transaction commits.
    job_enqueue(
        task_name=CHECKS_TASK,
        arguments={"proposal_id": proposal.pk, "version": version},
        dedupe_key=f"{CHECKS_TASK}:{proposal.pk}:v{version}",
    )
    # The buyer's PDF summaries of this version render alongside the checks (and again once they are stored).
    summary_pdfs_enqueue(proposal=proposal, reason="submitted")
    return True
