"""Double clicks, client retries and the last-second rush, with real concurrent PostgreSQL connections.

Each thread is a request of its own with its own database connection; nothing is mocked but the broker publish.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.factories import UserFactory
from audit.models import AuditEvent
from documents.models import SummaryPdf
from jobs.models import Job
from rfp.enums import ProposalStatus
from rfp.exceptions import DeadlinePassed, TransitionNotAllowed
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal, ProposalVersion, Rfp
from rfp.services import QUEUE_TASK, RECEIPT_TASK, proposal_update
from rfp.services.receipts import proposal_submit_with_receipt
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_receipts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RUSH_THREADS = 16


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """The jobs are recorded (and counted) but not published: these tests are about the database."""


@dataclass
class Attempt:
    index: int
    started: datetime | None = None
    ended: datetime | None = None
    outcome: str = ""
    error: BaseException | None = None


def _run_at_once(count: int, work, *, start_at=None) -> list[Attempt]:
    """Run `work(attempt)` in `count` threads released together (or each at `start_at(index)`)."""
    attempts = [Attempt(index) for index in range(count)]
    barrier = threading.Barrier(count)

    def run(attempt: Attempt) -> None:
        try:
            barrier.wait(timeout=30)
            if start_at is not None:
                time.sleep(max(0.0, (start_at(attempt.index) - timezone.now()).total_seconds()))
            attempt.started = timezone.now()
            attempt.outcome = work(attempt)
        except BaseException as error:  # reported by the test
            attempt.error = error
        finally:
            attempt.ended = timezone.now()
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return attempts


def test_the_same_submit_sent_eight_times_at_once_makes_one_version_and_one_receipt():
    owner = UserFactory(email="owner@double-click.example")
    supplier = SupplierFactory(legal_name="Double Click Racks Inc.")
    SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
    proposal = draft_proposal(supplier=supplier, actor=owner)
    url = f"/portal/proposals/{proposal.reference}/submit/"
    receipt_url = f"/portal/proposals/{proposal.reference}/versions/1/receipt/"
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(owner)
        clients.append(client)

    attempts = _run_at_once(8, lambda attempt: clients[attempt.index].post(url)["Location"])

    assert [a.error for a in attempts if a.error] == []
    locations = sorted(attempt.outcome for attempt in attempts)
    assert locations.count(receipt_url) == 1, locations
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    assert AuditEvent.objects.filter(action="proposal.submitted").count() == 1
    assert AuditEvent.objects.filter(action="proposal.receipt_issued").count() == 1
    assert Job.objects.filter(task_name=QUEUE_TASK).count() == 1
    assert Job.objects.filter(task_name=RECEIPT_TASK).count() == 1
    deliver_receipts()  # what the worker would do with the receipt job: render the PDF, send the email
    assert [m.subject for m in mail.outbox if m.subject.startswith("Receipt:")] == [
        f"Receipt: proposal {proposal.reference}, version 1, received"
    ]
    for summary in SummaryPdf.objects.all():
        summary.file.storage.delete(summary.file.name)
    refused = next(attempt for attempt in attempts if attempt.outcome != receipt_url)
    page = clients[refused.index].get(refused.outcome, follow=True).content.decode()
    assert f"You cannot submit proposal {proposal.reference}: it is submitted." in page


def _rfp_closing_in(seconds: float, drafts: int) -> tuple[Rfp, list[tuple[Proposal, object]]]:
    rfp = RfpFactory(reference="RUSH-2026")
    made = []
    for index in range(drafts):
        owner = UserFactory(email=f"owner{index}@rush.example")
        supplier = SupplierFactory(legal_name=f"Rush Manufacturing {index} Inc.")
        SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
        made.append((draft_proposal(rfp=rfp, supplier=supplier, actor=owner), owner))
    Rfp.objects.filter(pk=rfp.pk).update(closes_at=timezone.now() + timedelta(seconds=seconds))
    rfp.refresh_from_db()
    return rfp, made


def _spread(closes_at: datetime, count: int, *, width: float = 0.6):
    """Start times spread evenly over closes_at ± width/2."""
    return lambda index: closes_at + timedelta(seconds=-width / 2 + width * index / (count - 1))


def test_submits_straddling_the_deadline_are_accepted_before_it_or_refused_never_late(record_property):
    rfp, drafts = _rfp_closing_in(2.0, RUSH_THREADS)
    closes_at = rfp.closes_at

    def submit(attempt: Attempt) -> str:
        proposal, owner = drafts[attempt.index]
        try:
            proposal_submit_with_receipt(proposal=proposal, actor=owner)
        except DeadlinePassed:
            return "refused"
        return "accepted"

    attempts = _run_at_once(RUSH_THREADS, submit, start_at=_spread(closes_at, RUSH_THREADS))

    assert [a.error for a in attempts if a.error] == []
    accepted = [a for a in attempts if a.outcome == "accepted"]
    refused = [a for a in attempts if a.outcome == "refused"]
    assert accepted and refused, "the rush did straddle the deadline"
    lags = []
    for attempt in accepted:
        proposal = Proposal.objects.get(pk=drafts[attempt.index][0].pk)
        assert proposal.status == ProposalStatus.SUBMITTED
        assert proposal.submitted_at < closes_at, "accepted with a timestamp at or after the deadline"
        assert attempt.started < closes_at, "a request that arrived after the deadline was accepted"
        assert ProposalVersion.objects.get(proposal=proposal).submitted_at == proposal.submitted_at
        lags.append((attempt.ended - proposal.submitted_at).total_seconds())
    for attempt in refused:
        proposal = Proposal.objects.get(pk=drafts[attempt.index][0].pk)
        assert proposal.status == ProposalStatus.DRAFT and proposal.submitted_at is None
        assert not ProposalVersion.objects.filter(proposal=proposal).exists()
        assert attempt.ended >= closes_at, "refused although the request ended before the deadline"
    assert ProposalVersion.objects.count() == len(accepted)
    assert Job.objects.filter(task_name=QUEUE_TASK).count() == len(accepted)
    record_property("submit_race", f"{len(accepted)} accepted, {len(refused)} refused, max lag {max(lags):.3f}s")
    print(f"\nsubmit race: {len(accepted)} accepted, {len(refused)} refused; commit at most {max(lags):.3f}s after")


def test_edits_racing_the_deadline_are_saved_before_it_or_refused_never_late():
    rfp, [(proposal, owner)] = _rfp_closing_in(2.0, 1)
    closes_at = rfp.closes_at

    def edit(attempt: Attempt) -> str:
        try:
            proposal_update(proposal=proposal, actor=owner, fields={"title": f"Edit number {attempt.index}"})
        except (DeadlinePassed, TransitionNotAllowed):
            return "refused"
        return "accepted"

    attempts = _run_at_once(RUSH_THREADS, edit, start_at=_spread(closes_at, RUSH_THREADS))

    assert [a.error for a in attempts if a.error] == []
    accepted = [a for a in attempts if a.outcome == "accepted"]
    refused = [a for a in attempts if a.outcome == "refused"]
    assert accepted and refused, "the edits did straddle the deadline"
    assert all(attempt.started < closes_at for attempt in accepted), "an edit that arrived late was saved"
    assert all(attempt.ended >= closes_at for attempt in refused)
    edits = AuditEvent.objects.filter(action="proposal.edited", object_id=str(proposal.pk)).order_by("id")
    # One event from the draft's making, then one per accepted edit; the title is the last accepted one's.
    saved_titles = {f"Edit number {attempt.index}" for attempt in accepted}
    assert edits.count() == 1 + len(accepted)
    assert Proposal.objects.get(pk=proposal.pk).title in saved_titles
    print(f"\nedit race: {len(accepted)} saved, {len(refused)} refused")
