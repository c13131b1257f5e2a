"""What a proposal's checks and files look like to the person reading them: in full to program leads and the
supplier's members, and without anything that names the supplier to a reviewer of a blind round
(`rfp.rules.supplier_hidden_from`).

A check is stored once, in full, with its structured data; the reviewer's version of a blind round is rendered from
that data here, so checks stored before this existed are shown blind too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from rfp import rules
from rfp.enums import CheckOutcome
from rfp.models import Attachment, InformationRequest, Proposal, ProposalCheck
from rfp.selectors.identity import identity_redacted, supplier_identity_terms
from rfp.selectors.proposals import proposal_attachment_list, proposal_check_list, proposal_information_requests

IDENTIFIER_NAMES = {"ein": "EIN", "uei": "SAM.gov UEI", "cage": "CAGE code"}
SCREENED_IDENTITIES = {"screening_legal_name": "legal name", "screening_dba": "DBA"}
SCREENING_WORDS = {
    CheckOutcome.PASS: "clear.",
    CheckOutcome.WARNING: "needs review: the name is close to an entry on the list; a program lead compares them.",
    CheckOutcome.FAIL: "hit: the name matches an entry on the list; a program lead decides.",
}


@dataclass(frozen=True)
class CheckShown:
    code: str
    label: str
    outcome: str
    detail: str

    def get_outcome_display(self) -> str:
        return CheckOutcome(self.outcome).label


def _day(iso_date: str) -> str:
    from datetime import date

    return f"{date.fromisoformat(iso_date):%B %-d, %Y}"


def _identifier_blind(check: ProposalCheck, name: str) -> str:
    if "value" not in (check.data or {}):
        return f"{name}: none declared."
    return f"{name}: right shape." if check.outcome == CheckOutcome.PASS else f"{name}: wrong shape."


def _facilities_blind(check: ProposalCheck) -> str:
    rows = (check.data or {}).get("facilities", [])
    if not rows:
        return "The proposal names no US facility."
    problems = [
        f"Facility {number}: its state and ZIP code are not a US location that matches."
        for number, row in enumerate(rows, start=1)
        if row.get("problem")
    ]
    if problems:
        return " ".join(problems)
    return f"All {len(rows)} facilities are in the US, each ZIP code in its state."


def _certifications_blind(check: ProposalCheck) -> str:
    data = check.data or {}
    if check.outcome == CheckOutcome.PASS:
        return "None expired or expiring soon."
    parts = [f"A certificate expired on {_day(row['expires_on'])}" for row in data.get("expired", [])]
    parts += [f"A certificate expires on {_day(row['expires_on'])}" for row in data.get("expiring", [])]
    return "; ".join(parts) + "." if parts else "Some certificates need a look."


def _screening_blind(check: ProposalCheck, what: str) -> tuple[str, str]:
    label = f"Restricted-party screening of the {what}"
    if (check.data or {}).get("list", "") is None:
        return label, "not screened: no restricted-party list was loaded."
    return label, SCREENING_WORDS[check.outcome]


def check_shown(check: ProposalCheck, *, supplier_hidden: bool) -> CheckShown:
    """One check as its reader may see it: stored text in full, or a version that names nobody."""
    label, detail = check.label, check.detail
    if supplier_hidden:
        if check.code in IDENTIFIER_NAMES:
            detail = _identifier_blind(check, IDENTIFIER_NAMES[check.code])
        elif check.code == "facilities":
            detail = _facilities_blind(check)
        elif check.code == "certifications":
            detail = _certifications_blind(check)
        elif check.code in SCREENED_IDENTITIES:
            label, detail = _screening_blind(check, SCREENED_IDENTITIES[check.code])
    return CheckShown(code=check.code, label=label, outcome=check.outcome, detail=detail)


def proposal_checks_shown(*, proposal: Proposal, supplier_hidden: bool) -> list[CheckShown]:
    """The latest version's checks for an audience decided by the caller (the reviewer's PDF copy of a round)."""
    return [check_shown(check, supplier_hidden=supplier_hidden) for check in proposal_check_list(proposal=proposal)]


def proposal_checks_for(*, user, proposal: Proposal) -> list[CheckShown]:
    """The latest version's checks as this person may see them."""
    return proposal_checks_shown(proposal=proposal, supplier_hidden=rules.supplier_hidden_from(user, proposal))


# --- Files ----------------------------------------------------------------------------------------------------------


def attachment_blind_name(attachment: Attachment) -> str:
    """A name that says what the file is and nothing of who sent it; the extension is kept so it opens."""
    extension = PurePath(attachment.original_name).suffix.lower()
    if not (extension[1:].isalnum() and len(extension) <= 6):
        extension = ""
    return f"{attachment.proposal.reference}-{attachment.kind}-{attachment.pk}{extension}"


def attachment_name_shown(attachment: Attachment, *, supplier_hidden: bool) -> str:
    return attachment_blind_name(attachment) if supplier_hidden else attachment.original_name


def attachment_download_name(*, user, attachment: Attachment) -> str:
    """The name a downloaded file is saved under (Content-Disposition), for this person."""
    return attachment_name_shown(attachment, supplier_hidden=rules.supplier_hidden_from(user, attachment.proposal))


def proposal_attachments_shown(*, proposal: Proposal, supplier_hidden: bool) -> list[Attachment]:
    """The proposal's files, each with `shown_name` for this audience."""
    attachments = list(proposal_attachment_list(proposal=proposal).select_related("proposal"))
    for attachment in attachments:
        attachment.shown_name = attachment_name_shown(attachment, supplier_hidden=supplier_hidden)
    return attachments


def proposal_information_requests_shown(*, proposal: Proposal, supplier_hidden: bool) -> list[InformationRequest]:
    """The buyer's questions and the supplier's answers; in a blind round the answers with the supplier's names
    masked. The rows are read for display only, never saved."""
    requests = list(proposal_information_requests(proposal=proposal))
    if supplier_hidden and requests:
        terms = supplier_identity_terms(proposal.supplier, facilities=proposal.facilities.all())
        for request in requests:
            request.response = identity_redacted(request.response, terms)
    return requests
