"""A Pacific deadline on a daylight-saving change: compared in UTC, shown in Pacific time with the right offset.

On 1 November 2026 Pacific clocks go from 1:59:59 AM PDT back to 1:00 AM PST, so 1:30 AM happens twice; on
8 March 2026 they jump from 1:59:59 AM PST to 3:00 AM PDT, so 2:30 AM never happens.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from rfp.enums import ProposalStatus
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
# The second 1:30 AM of 1 November 2026, in standard time: 09:30 UTC.
FALL_BACK_DEADLINE = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=PACIFIC)
# 3:00 AM PDT on 8 March 2026, the first moment after the skipped hour: 10:00 UTC.
SPRING_FORWARD_DEADLINE = datetime(2026, 3, 8, 3, 0, tzinfo=PACIFIC)


def test_the_deadlines_are_the_utc_instants_expected():
    assert FALL_BACK_DEADLINE.astimezone(UTC) == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert SPRING_FORWARD_DEADLINE.astimezone(UTC) == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)


@pytest.fixture
def fall_back_draft(supplier, owner):
    rfp = RfpFactory(
        reference="DST-FALL-2026",
        opens_at=datetime(2026, 10, 1, tzinfo=UTC),
        closes_at=FALL_BACK_DEADLINE,
        display_time_zone="America/Los_Angeles",
    )
    with time_machine.travel(datetime(2026, 10, 15, tzinfo=UTC), tick=False):
        return draft_proposal(rfp=rfp, supplier=supplier, actor=owner)


def _submit(client, proposal):
    return client.post(reverse("portal:proposal_submit", args=[proposal.reference]), follow=True)


def test_after_the_first_1_30_am_the_round_is_still_open_until_the_second(client, owner, fall_back_draft):
    client.force_login(owner)
    # 08:45 UTC is 1:45 AM PDT: the wall clock is past 1:30 once already, but the deadline is 1:30 AM PST.
    with time_machine.travel(datetime(2026, 11, 1, 8, 45, tzinfo=UTC), tick=False):
        page = client.get(reverse("portal:rfp_detail", args=[fall_back_draft.rfp.reference])).content.decode()
        response = _submit(client, fall_back_draft)

    assert "Closes" in page
    assert "November 1, 2026, 1:30:00 AM PST" in page
    assert 'datetime="2026-11-01T09:30:00+00:00"' in page
    assert "(45\xa0minutes left)" in page
    assert response.status_code == 200
    proposal = Proposal.objects.get(pk=fall_back_draft.pk)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.submitted_at == datetime(2026, 11, 1, 8, 45, tzinfo=UTC)


def test_at_the_second_1_30_am_the_submit_is_refused_naming_the_deadline_in_pacific_time(
    client, owner, fall_back_draft
):
    client.force_login(owner)
    with time_machine.travel(FALL_BACK_DEADLINE, tick=False):
        response = _submit(client, fall_back_draft)
        page = client.get(reverse("portal:rfp_detail", args=[fall_back_draft.rfp.reference])).content.decode()

    assert "DST-FALL-2026 closed on November 1, 2026 at 1:30:00 AM PST; you can no longer submit proposals." in (
        response.content.decode()
    )
    assert Proposal.objects.get(pk=fall_back_draft.pk).status == ProposalStatus.DRAFT
    assert "Closed" in page and "November 1, 2026, 1:30:00 AM PST" in page


def test_a_deadline_after_the_spring_change_is_shown_in_daylight_time_while_now_is_standard_time(
    client, owner, supplier
):
    rfp = RfpFactory(
        reference="DST-SPRING-2026",
        opens_at=datetime(2026, 2, 1, tzinfo=UTC),
        closes_at=SPRING_FORWARD_DEADLINE,
        display_time_zone="America/Los_Angeles",
    )
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner)
    client.force_login(owner)

    # 09:59:59 UTC is 1:59:59 AM PST: one second before the clocks jump, and before the deadline. (Subtracting
    # the second from the Pacific time instead would give 2:59:59 AM, a time that never happens, read as PST.)
    with time_machine.travel(SPRING_FORWARD_DEADLINE.astimezone(UTC) - timedelta(seconds=1), tick=False):
        page = client.get(reverse("portal:rfp_detail", args=[rfp.reference])).content.decode()
        _submit(client, proposal)

    assert "March 8, 2026, 3:00:00 AM PDT" in page
    assert 'datetime="2026-03-08T10:00:00+00:00"' in page
    submitted = Proposal.objects.get(pk=proposal.pk)
    assert submitted.status == ProposalStatus.SUBMITTED
    assert submitted.submitted_at == datetime(2026, 3, 8, 9, 59, 59, tzinfo=UTC)


def test_a_proposal_submitted_in_the_repeated_hour_shows_which_1_45_am_it_was(client, owner, fall_back_draft):
    client.force_login(owner)
    with time_machine.travel(datetime(2026, 11, 1, 8, 45, tzinfo=UTC), tick=False):  # the first 1:45 AM, PDT
        _submit(client, fall_back_draft)
    with time_machine.travel(datetime(2026, 11, 2, tzinfo=UTC), tick=False):
        page = client.get(reverse("portal:proposal_detail", args=[fall_back_draft.reference])).content.decode()

    assert "November 1, 2026, 1:45:00 AM PDT" in page
    assert "2026-11-01 08:45:00 UTC" in page
