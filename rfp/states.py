"""The proposal's state table: which move is allowed from which status. Services move along it; rules read it."""

from dataclasses import dataclass

from rfp.enums import ProposalStatus

S = ProposalStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    verb: str  # how the refusal reads: "submit", "withdraw", ...


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT, S.WITHDRAWN}), S.SUBMITTED, "submit"),
    "start_review": Transition(frozenset({S.SUBMITTED}), S.IN_REVIEW, "start reviewing"),
    "request_information": Transition(frozenset({S.IN_REVIEW}), S.INFO_REQUESTED, "request information on"),
    "resubmit": Transition(frozenset({S.INFO_REQUESTED}), S.IN_REVIEW, "resubmit"),
    "shortlist": Transition(frozenset({S.IN_REVIEW}), S.SHORTLISTED, "shortlist"),
    "decline": Transition(frozenset({S.IN_REVIEW}), S.DECLINED, "decline"),
    "withdraw": Transition(frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED}), S.WITHDRAWN, "withdraw"),
}
# The statuses in which the supplier changes its answers (a draft before the close; answers to the buyer's request).
EDITABLE_STATUSES = frozenset({S.DRAFT, S.INFO_REQUESTED})
# Sent to the buyer and not yet decided: what a withdrawal takes back.
SENT_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED})
