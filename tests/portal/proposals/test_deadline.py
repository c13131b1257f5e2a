"""After closes_at the round shows as closed, nothing is saved or submitted, and what was submitted stays readable."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory
from rfp import services
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Clarification, ProposalVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing_rfp(db):
    now = timezone.now()
    return RfpFactory(
        reference="AI-INFRA-CLOSING", opens_at=now - timedelta(days=10), closes_at=now + timedelta(hours=2)
    )


@pytest.fixture
def after_close(closing_rfp):
    with time_machine.travel(closing_rfp.closes_at + timedelta(minutes=1), tick=False):
        yield


def test_after_the_deadline_the_steps_show_the_closed_banner_and_no_controls(
    client, editor, closing_rfp, supplier, after_close
):
    with time_machine.travel(closing_rfp.closes_at - timedelta(hours=1), tick=False):
        draft = draft_proposal(rfp=closing_rfp, supplier=supplier, actor=editor)
    client.force_login(editor)

    for step in ("overview", "sector", "review"):
        page = client.get(reverse("portal:proposal_step", args=[draft.reference, step])).content.decode()
        assert 'class="closed-banner"' in page
        assert "CLOSED" in page
        assert "Save &amp; continue" not in page
        assert "Submit proposal" not in page


def test_after_the_deadline_a_save_is_refused_with_the_deadline_message_and_changes_nothing(
    client, editor, closing_rfp, supplier
):
    with time_machine.travel(closing_rfp.closes_at - timedelta(hours=1), tick=False):
        draft = draft_proposal(rfp=closing_rfp, supplier=supplier, actor=editor)
    with time_machine.travel(closing_rfp.closes_at + timedelta(minutes=1), tick=False):
        client.force_login(editor)
        response = client.post(
            reverse("portal:proposal_step", args=[draft.reference, "overview"]),
            {"title": "Too late", "categories": [draft.categories.get().pk]},
        )
        autosave = client.post(
            reverse("portal:proposal_step", args=[draft.reference, "overview"]),
            {"title": "Too late", "categories": [draft.categories.get().pk]},
            headers={"HX-Request": "true"},
        )

    assert "AI-INFRA-CLOSING closed on" in response.content.decode()
    assert "you can no longer edit this proposal" in response.content.decode()
    assert "you can no longer edit this proposal" in autosave.content.decode()
    draft.refresh_from_db()
    assert draft.title == "US supply offer"


def test_after_the_deadline_a_submit_is_refused_with_the_deadline_message(client, editor, closing_rfp, supplier):
    with time_machine.travel(closing_rfp.closes_at - timedelta(hours=1), tick=False):
        draft = draft_proposal(rfp=closing_rfp, supplier=supplier, actor=editor)
    with time_machine.travel(closing_rfp.closes_at + timedelta(minutes=1), tick=False):
        client.force_login(editor)
        response = client.post(reverse("portal:proposal_submit", args=[draft.reference]), follow=True)

    assert "closed on" in response.content.decode()
    assert "you can no longer submit proposals" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ProposalVersion.objects.exists()


def test_submitted_proposals_stay_readable_after_the_deadline_and_a_withdrawn_one_cannot_come_back(
    client, editor, closing_rfp, supplier
):
    with time_machine.travel(closing_rfp.closes_at - timedelta(hours=1), tick=False):
        draft = draft_proposal(rfp=closing_rfp, supplier=supplier, actor=editor)
        services.proposal_submit_with_receipt(proposal=draft, actor=editor)
    with time_machine.travel(closing_rfp.closes_at + timedelta(minutes=1), tick=False):
        client.force_login(editor)
        detail = client.get(reverse("portal:proposal_detail", args=[draft.reference]))
        receipt = client.get(reverse("portal:proposal_receipt", args=[draft.reference, 1]))
        client.post(reverse("portal:proposal_withdraw", args=[draft.reference]), {"confirm": "yes"})
        withdrawn = client.get(reverse("portal:proposal_detail", args=[draft.reference])).content.decode()
        again = client.post(reverse("portal:proposal_submit", args=[draft.reference]), follow=True).content.decode()

    assert detail.status_code == 200 and 'class="closed-banner"' in detail.content.decode()
    assert receipt.status_code == 200
    assert "Submit again" not in withdrawn
    assert "cannot be submitted again" in withdrawn
    assert "you can no longer submit proposals" in again
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("withdrawn", 1)


def test_a_request_for_information_can_still_be_answered_after_the_deadline(client, editor, closing_rfp, supplier):
    lead = ProgramLeadFactory()
    with time_machine.travel(closing_rfp.closes_at - timedelta(hours=1), tick=False):
        draft = draft_proposal(rfp=closing_rfp, supplier=supplier, actor=editor)
        services.proposal_submit(proposal=draft, actor=editor)
        services.proposal_start_review(proposal=draft, actor=lead)
    with time_machine.travel(closing_rfp.closes_at + timedelta(days=1), tick=False):
        services.proposal_request_information(proposal=draft, actor=lead, question="Which ZIP is plant 2 in?")
        client.force_login(editor)
        page = client.get(reverse("portal:proposal_detail", args=[draft.reference])).content.decode()
        client.post(reverse("portal:proposal_answer", args=[draft.reference]), {"response": "78744."})

    assert 'class="closed-banner"' in page
    assert "Send the answer" in page
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("in_review", 2)


def test_after_the_deadline_the_round_shows_closed_and_refuses_questions(client, editor, closing_rfp, after_close):
    client.force_login(editor)
    url = reverse("portal:rfp_detail", args=[closing_rfp.reference])

    page = client.get(url).content.decode()
    assert 'class="closed-banner"' in page
    assert "Ask a question" not in page

    response = client.post(reverse("portal:clarification_ask", args=[closing_rfp.reference]), {"question": "Late?"})
    assert "you can no longer ask clarification questions" in response.content.decode()
    assert not Clarification.objects.exists()
