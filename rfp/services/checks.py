"""Automated checks of a submitted version, run by the worker after each submit and resubmit.

`proposal_run_checks` stores one ProposalCheck row per check for (proposal, version): completeness, the supplier's
federal identifiers and NAICS codes, the facilities' US ZIP codes, certificates that expired or expire soon, and
restricted-party screening of the legal name, the DBA and every declared sub-supplier. A version is checked once:
running it again returns the rows already stored. Checks read the live records, which are the submitted ones
while the proposal waits for review; a version superseded by a newer submit is left to that submit's checks.
Reviewer assignment of the version comes next: its job is enqueued in the same transaction as the checks.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_enqueue
from rfp.enums import CheckOutcome
from rfp.job_names import ASSIGN_TASK
from rfp.models import Proposal, ProposalCheck
from rfp.selectors import proposal_missing_answers
from rfp.services.summaries import summary_pdfs_enqueue
from suppliers.enums import ScreeningOutcome, UsState
from suppliers.models import Certification, Supplier
from suppliers.naics import naics_title
from suppliers.screening import ScreeningResult, screen_names, screening_list_active
from suppliers.selectors import EXPIRY_WARNING_DAYS
from suppliers.validators import (
    validate_cage_us,
    validate_ein,
    validate_naics_2022_codes,
    validate_uei,
    validate_zip_in_state,
)

SCREENING_CHECK_OUTCOMES = {
    ScreeningOutcome.CLEAR: CheckOutcome.PASS,
    ScreeningOutcome.NEEDS_REVIEW: CheckOutcome.WARNING,
    ScreeningOutcome.HIT: CheckOutcome.FAIL,
}


@dataclass(frozen=True)
class CheckResult:
    code: str
    label: str
    outcome: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def _day(value) -> str:
    return f"{value:%B %-d, %Y}"


def _quoted(name: str) -> str:
    return f"“{name}”"


# --- Completeness -------------------------------------------------------------------------------------------------


def _completeness(proposal: Proposal) -> CheckResult:
    missing = proposal_missing_answers(proposal=proposal)
    label = f"Completeness against the {proposal.sector.name} sector's required answers"
    if missing:
        return CheckResult(
            "completeness",
            label,
            CheckOutcome.FAIL,
            f"Still missing: {', '.join(missing)}.",
            {"missing": missing},
        )
    return CheckResult("completeness", label, CheckOutcome.PASS, "Every required answer is given.", {"missing": []})


# --- Identifiers --------------------------------------------------------------------------------------------------


def _identifier(code: str, label: str, value: str, validator) -> CheckResult:
    try:
        validator(value)
    except ValidationError as error:
        return CheckResult(code, label, CheckOutcome.FAIL, " ".join(error.messages), {"value": value})
    return CheckResult(code, label, CheckOutcome.PASS, f"{value} has the right shape.", {"value": value})


def _identifiers(supplier: Supplier) -> list[CheckResult]:
    results = [
        _identifier("ein", "EIN shape and IRS prefix", supplier.ein, validate_ein),
        _identifier("uei", "SAM.gov UEI shape", supplier.uei, validate_uei),
    ]
    if supplier.cage:
        results.append(_identifier("cage", "CAGE code shape (US)", supplier.cage, validate_cage_us))
    else:
        results.append(
            CheckResult("cage", "CAGE code shape (US)", CheckOutcome.PASS, "No CAGE code declared; it is optional.")
        )
    codes = list(supplier.naics_codes or [])
    try:
        validate_naics_2022_codes(codes)
    except ValidationError as error:
        results.append(
            CheckResult("naics", "NAICS 2022 codes", CheckOutcome.FAIL, " ".join(error.messages), {"codes": codes})
        )
    else:
        described = "; ".join(f"{code} ({naics_title(code)})" for code in codes)
        results.append(
            CheckResult(
                "naics", "NAICS 2022 codes", CheckOutcome.PASS, f"All in NAICS 2022: {described}.", {"codes": codes}
            )
        )
    return results


# --- Facilities ---------------------------------------------------------------------------------------------------


def _facilities(proposal: Proposal) -> CheckResult:
    label = "Facilities in the US, each ZIP code in its state"
    facilities = list(proposal.facilities.order_by("name", "id"))
    if not facilities:
        return CheckResult(
            "facilities", label, CheckOutcome.FAIL, "The proposal names no US facility.", {"facilities": []}
        )
    rows, problems = [], []
    for facility in facilities:
        problem = ""
        if facility.state not in UsState.values:
            problem = f"{facility.state!r} is not a US state or territory."
        else:
            try:
                validate_zip_in_state(facility.zip_code, facility.state)
            except ValidationError as error:
                problem = " ".join(error.messages)
        rows.append(
            {
                "id": facility.pk,
                "name": facility.name,
                "state": facility.state,
                "zip_code": facility.zip_code,
                "problem": problem,
            }
        )
        if problem:
            problems.append(f"{facility.name}: {problem}")
    if problems:
        return CheckResult("facilities", label, CheckOutcome.FAIL, " ".join(problems), {"facilities": rows})
    names = ", ".join(f"{row['name']} ({row['state']} {row['zip_code']})" for row in rows)
    return CheckResult("facilities", label, CheckOutcome.PASS, f"All in the US: {names}.", {"facilities": rows})


# --- Certifications -----------------------------------------------------------------------------------------------


def _certificate_name(certification: Certification) -> str:
    return f"{certification} {certification.number}".strip() if certification.number else str(certification)


def _certifications(supplier: Supplier, *, today) -> CheckResult:
    label = f"Certificates expired or expiring within {EXPIRY_WARNING_DAYS} days"
    certificates = list(Certification.objects.filter(supplier=supplier).order_by("expires_on", "kind", "id"))
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    expired = [c for c in certificates if c.expires_on is not None and c.expires_on < today]
    expiring = [c for c in certificates if c.expires_on is not None and today <= c.expires_on <= horizon]
    data = {
        "expired": [
            {"id": c.pk, "name": _certificate_name(c), "expires_on": c.expires_on.isoformat()} for c in expired
        ],
        "expiring": [
            {"id": c.pk, "name": _certificate_name(c), "expires_on": c.expires_on.isoformat()} for c in expiring
        ],
    }
    if not (expired or expiring):
        detail = (
            f"{len(certificates)} certificate(s), none expired or expiring by {_day(horizon)}."
            if certificates
            else "No certificates declared."
        )
        return CheckResult("certifications", label, CheckOutcome.PASS, detail, data)
    parts = [f"{_certificate_name(c)} expired on {_day(c.expires_on)}" for c in expired]
    parts += [
        f"{_certificate_name(c)} expires on {_day(c.expires_on)} (in {(c.expires_on - today).days} days)"
        for c in expiring
    ]
    return CheckResult("certifications", label, CheckOutcome.WARNING, "; ".join(parts) + ".", data)


# --- Restricted-party screening -----------------------------------------------------------------------------------


def _screened_names(proposal: Proposal) -> list[tuple[str, str, str]]:
    """(code, what the name is, the name) of every name the proposal puts before the buyer."""
    supplier = proposal.supplier
    names = [("screening_legal_name", "legal name", supplier.legal_name)]
    if supplier.dba.strip():
        names.append(("screening_dba", "DBA", supplier.dba))
    for position, name in enumerate(proposal.sub_suppliers or [], start=1):
        if str(name).strip():
            names.append((f"screening_sub_supplier_{position}", "sub-supplier", str(name).strip()))
    return names


def _screening_detail(result: ScreeningResult, *, list_name: str) -> str:
    best = result.best
    if best is None:
        return (
            f"{_quoted(result.screened_name)} scores below {settings.SCREENING_REVIEW_SCORE} against every name "
            f"and alias on {_quoted(list_name)}."
        )
    alias = f", through its alias {_quoted(best.matched_name)}" if best.through_alias else ""
    number = f" (entry {best.entity_number})" if best.entity_number else ""
    if result.outcome == ScreeningOutcome.HIT:
        detail = (
            f"Hit: {_quoted(result.screened_name)} matches {_quoted(best.name)}{number} on {best.source}{alias}, "
            f"score {best.score:g} (a hit is {settings.SCREENING_HIT_SCORE} or more)."
        )
    else:
        detail = (
            f"Needs review: {_quoted(result.screened_name)} is close to {_quoted(best.name)}{number} on "
            f"{best.source}{alias}, score {best.score:g} ({settings.SCREENING_REVIEW_SCORE} to "
            f"{settings.SCREENING_HIT_SCORE} needs a person to compare addresses and identifiers)."
        )
    others = [f"{_quoted(match.name)} on {match.source}, score {match.score:g}" for match in result.matches[1:]]
    if others:
        detail += f" Also close: {'; '.join(others)}."
    return detail


def _screening(proposal: Proposal) -> list[CheckResult]:
    names = _screened_names(proposal)
    screening_list = screening_list_active()
    if screening_list is None:
        return [
            CheckResult(
                code,
                f"Restricted-party screening of the {what} {_quoted(name)}"[:300],
                CheckOutcome.WARNING,
                f"No restricted-party list is loaded, so {_quoted(name)} was not screened; an operator loads one "
                "with `manage.py load_screening_list FILE` and the checks of the next submit will use it.",
                {"screened_name": name, "list": None},
            )
            for code, what, name in names
        ]
    listed = {
        "id": screening_list.pk,
        "name": screening_list.name,
        "sha256": screening_list.sha256,
        "loaded_at": screening_list.loaded_at.isoformat(),
    }
    results = screen_names(names=[name for _, _, name in names], screening_list=screening_list)
    return [
        CheckResult(
            code,
            f"Restricted-party screening of the {what} {_quoted(name)}"[:300],
            SCREENING_CHECK_OUTCOMES[result.outcome],
            _screening_detail(result, list_name=screening_list.name),
            {
                "screened_name": name,
                "normalized_name": result.normalized_name,
                "screening_outcome": result.outcome,
                "score": result.score,
                "matches": [match.as_data() for match in result.matches],
                "list": listed,
                "thresholds": {"hit": settings.SCREENING_HIT_SCORE, "review": settings.SCREENING_REVIEW_SCORE},
            },
        )
        for (code, what, name), result in zip(names, results, strict=True)
    ]


# --- Running them -------------------------------------------------------------------------------------------------


def _summary(counts: Counter) -> str:
    return ", ".join(
        f"{counts[outcome]} {word}"
        for outcome, word in (
            (CheckOutcome.PASS, "passed"),
            (CheckOutcome.WARNING, "warned"),
            (CheckOutcome.FAIL, "failed"),
        )
    )


@transaction.atomic
def proposal_run_checks(*, proposal_id: int, version: int) -> list[ProposalCheck]:
    """Check a submitted version once and store the outcomes; running it again returns the stored rows."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("rfp", "sector", "supplier")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or version < 1:
        return []
    stored = list(ProposalCheck.objects.filter(proposal=proposal, version=version).order_by("id"))
    if proposal.version != version:
        return stored
    if stored:
        _enqueue_assignment(proposal, version=version)
        return stored
    results = [
        _completeness(proposal),
        *_identifiers(proposal.supplier),
        _facilities(proposal),
        _certifications(proposal.supplier, today=timezone.localdate()),
        *_screening(proposal),
    ]
    checks = [
        ProposalCheck(
            proposal=proposal,
            version=version,
            code=result.code,
            label=result.label,
            outcome=result.outcome,
            detail=result.detail,
            data=result.data,
        )
        for result in results
    ]
    for check in checks:
        check.full_clean(exclude=["proposal"])
    checks = ProposalCheck.objects.bulk_create(checks)
    counts = Counter(check.outcome for check in checks)
    audit_record(
        action="proposal.checked",
        target=proposal,
        summary=f"{proposal.reference} v{version} checked: {_summary(counts)}",
        data={
            "version": version,
            "outcomes": {outcome: counts[outcome] for outcome in CheckOutcome.values},
            "failed": [check.code for check in checks if check.outcome == CheckOutcome.FAIL],
            "warned": [check.code for check in checks if check.outcome == CheckOutcome.WARNING],
        },
    )
    _enqueue_assignment(proposal, version=version)
    summary_pdfs_enqueue(proposal=proposal, reason="checked")
    return checks


def _enqueue_assignment(proposal: Proposal, *, version: int) -> None:
    # Published once the checks commit; the dedupe key makes a second run of the checks enqueue nothing new.
    job_enqueue(
        task_name=ASSIGN_TASK,
        arguments={"proposal_id": proposal.pk, "version": version},
        dedupe_key=f"{ASSIGN_TASK}:{proposal.pk}:v{version}",
    )
