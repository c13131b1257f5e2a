"""The deadline is data, compared with the server clock inside the submit's transaction."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine

from accounts.factories import ProgramLeadFactory, UserFactory
from rfp import services
from rfp.enums import ProposalStatus
from rfp.exceptions import DeadlinePassed
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import ProposalVersion

pytestmark = pytest.mark.django_db

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
CLOSES_AT = datetime(2026, 6, 30, 23, 59, 59, tzinfo=PACIFIC)
OPENS_AT = datetime(2026, 1, 15, 9, 0, tzinfo=PACIFIC)


@pytest.fixture
def rfp():
    return RfpFactory(reference="AI-INFRA-2026", opens_at=OPENS_AT, closes_at=CLOSES_AT)


@pytest.fixture
def draft(rfp):
    with time_machine.travel(datetime(2026, 5, 1, 12, tzinfo=PACIFIC), tick=False):
        return draft_proposal(rfp=rfp)


def test_the_deadline_is_compared_in_utc():
    assert CLOSES_AT.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat() == "2026-07-01T06:59:59+00:00"


def test_submit_a_second_before_closing_is_accepted(draft):
    with time_machine.travel(CLOSES_AT - timedelta(seconds=1), tick=False):
        services.proposal_submit(proposal=draft, actor=UserFactory())

    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    assert draft.submitted_at == CLOSES_AT - timedelta(seconds=1)
    assert draft.submitted_at < draft.rfp.closes_at


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1), timedelta(days=30)])
def test_submit_at_or_after_closing_is_refused_and_changes_nothing(draft, after):
    with time_machine.travel(CLOSES_AT + after, tick=False), pytest.raises(DeadlinePassed) as refusal:
        services.proposal_submit(proposal=draft, actor=UserFactory())

    assert "closed on June 30, 2026 at 11:59:59 PM PDT" in refusal.value.message
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT
    assert draft.submitted_at is None
    assert not ProposalVersion.objects.filter(proposal=draft).exists()


def test_editing_a_draft_after_closing_is_refused(draft):
    with time_machine.travel(CLOSES_AT + timedelta(seconds=1), tick=False), pytest.raises(DeadlinePassed):
        services.proposal_update(proposal=draft, actor=UserFactory(), fields={"title": "Too late"})

    draft.refresh_from_db()
    assert draft.title != "Too late"


def test_nothing_is_started_before_the_rfp_opens(rfp):
    with (
        time_machine.travel(OPENS_AT - timedelta(seconds=1), tick=False),
        pytest.raises(DeadlinePassed) as refusal,
    ):
        draft_proposal(rfp=rfp)

    assert "opens on January 15, 2026 at 9:00 AM PST" in refusal.value.message


def test_withdrawn_proposal_cannot_be_submitted_again_after_closing(draft):
    actor = UserFactory()
    with time_machine.travel(datetime(2026, 5, 2, tzinfo=PACIFIC), tick=False):
        services.proposal_submit(proposal=draft, actor=actor)
        services.proposal_withdraw(proposal=draft, actor=actor)

    with time_machine.travel(CLOSES_AT + timedelta(seconds=1), tick=False), pytest.raises(DeadlinePassed):
        services.proposal_submit(proposal=draft, actor=actor)

    draft.refresh_from_db()
    assert draft.status == ProposalStatus.WITHDRAWN


def test_answers_to_a_request_for_information_are_taken_after_closing(draft):
    actor, lead = UserFactory(), ProgramLeadFactory()
    with time_machine.travel(datetime(2026, 5, 2, tzinfo=PACIFIC), tick=False):
        services.proposal_submit(proposal=draft, actor=actor)
        services.proposal_start_review(proposal=draft, actor=lead)
        services.proposal_request_information(proposal=draft, actor=lead, question="Grid interconnect date?")

    with time_machine.travel(CLOSES_AT + timedelta(days=3), tick=False):
        services.proposal_resubmit(proposal=draft, actor=actor, response="Energised in Q3 2026.")

    draft.refresh_from_db()
    assert draft.status == ProposalStatus.IN_REVIEW
    assert draft.version == 2
