"""Submit with a receipt: published addenda acknowledged first; the receipt is audited and emailed on commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, UserFactory
from audit.models import AuditEvent
from rfp import services
from rfp.exceptions import DomainError, TransitionNotAllowed
from rfp.factories import draft_proposal
from rfp.models import Addendum, ProposalVersion
from rfp.selectors import proposal_receipt, proposal_unacknowledged_addenda
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.support.outbox import deliver_receipts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Jobs are recorded, not published (see `jobs_unpublished`)."""


def _addendum(rfp, number, *, published_at=None):
    return Addendum.objects.create(
        rfp=rfp,
        number=number,
        title=f"Addendum {number}",
        body="…",
        published_at=published_at or timezone.now() - timedelta(hours=1),
    )


def test_unacknowledged_published_addenda_are_listed_by_number():
    proposal = draft_proposal()
    second, first = _addendum(proposal.rfp, 2), _addendum(proposal.rfp, 1)
    _addendum(proposal.rfp, 3, published_at=timezone.now() + timedelta(days=1))
    services.addendum_acknowledge(addendum=second, supplier=proposal.supplier, actor=UserFactory())

    assert proposal_unacknowledged_addenda(proposal=proposal) == [first]


def test_submit_is_refused_naming_the_unacknowledged_addenda_and_changes_nothing():
    proposal = draft_proposal()
    for number in (1, 2, 4):
        _addendum(proposal.rfp, number)

    with pytest.raises(DomainError) as refusal:
        services.proposal_submit_with_receipt(proposal=proposal, actor=UserFactory())

    assert refusal.value.code == "addenda_unacknowledged"
    assert "addenda 1, 2 and 4" in refusal.value.message
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert not ProposalVersion.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["proposal.submitted", "proposal.receipt_issued"]).exists()


def test_a_refused_transition_is_explained_by_the_state_machine_not_the_addenda():
    proposal = draft_proposal()
    services.proposal_submit(proposal=proposal, actor=UserFactory())
    _addendum(proposal.rfp, 1)

    with pytest.raises(TransitionNotAllowed, match="it is submitted"):
        services.proposal_submit_with_receipt(proposal=proposal, actor=UserFactory())


def test_submit_records_the_receipt_and_emails_it_once_the_transaction_commits(django_capture_on_commit_callbacks):
    proposal = draft_proposal()
    submitter = SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.EDITOR).user
    owners = sorted(
        SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.OWNER).user.email for _ in range(2)
    )
    SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.VIEWER)
    _addendum(proposal.rfp, 1)
    services.addendum_acknowledge(addendum=Addendum.objects.get(), supplier=proposal.supplier, actor=submitter)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = services.proposal_submit_with_receipt(proposal=proposal, actor=submitter)
    assert mail.outbox == [], "nothing is sent before the submit commits"
    for callback in callbacks:
        callback()
    deliver_receipts()

    assert version.number == 1
    event = AuditEvent.objects.get(action="proposal.receipt_issued")
    assert event.data == {"version": 1, "sha256": version.sha256, "to": [submitter.email], "cc": owners}
    (email,) = mail.outbox
    assert (email.to, email.cc) == ([submitter.email], owners)
    assert email.subject == f"Receipt: proposal {proposal.reference}, version 1, received"
    assert f"/portal/proposals/{proposal.reference}/versions/1/receipt/" in email.body
    assert [name for name, _, kind in email.attachments] == [f"{proposal.reference}-v1-summary.pdf"]


def test_the_receipt_comes_from_the_version_snapshot():
    proposal = draft_proposal()
    version = services.proposal_submit_with_receipt(proposal=proposal, actor=UserFactory())
    proposal.title = "Changed after the submit"
    proposal.save()

    receipt = proposal_receipt(version=ProposalVersion.objects.get(pk=version.pk))

    assert receipt.title == "US supply offer"
    assert receipt.sha256 == version.sha256
    assert receipt.submitted_at_utc_text.endswith(" UTC")
    assert receipt.submitted_at_local_text.endswith("(America/Los_Angeles)")


def test_answering_a_request_for_information_issues_a_new_receipt(django_capture_on_commit_callbacks):
    lead = ProgramLeadFactory()
    proposal = draft_proposal()
    services.proposal_submit(proposal=proposal, actor=lead)
    services.proposal_start_review(proposal=proposal, actor=lead)
    services.proposal_request_information(proposal=proposal, actor=lead, question="Which ZIP?")
    supplier_user = SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.OWNER).user

    with django_capture_on_commit_callbacks(execute=True):
        version = services.proposal_resubmit_with_receipt(proposal=proposal, actor=supplier_user, response="78744")
    deliver_receipts()

    assert version.number == 2
    assert mail.outbox[0].to == [supplier_user.email]
    assert mail.outbox[0].cc == []
    assert "version 2" in mail.outbox[0].subject
