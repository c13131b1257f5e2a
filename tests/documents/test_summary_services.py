"""Rendering, keeping and re-rendering the summary: versions with their SHA-256, the jobs each change enqueues,
and a job that runs twice rendering once."""

import hashlib

import pytest

from documents import tasks
from documents.models import Audience, SummaryPdf
from documents.services import summary_pdf_ensure, summary_pdf_render, summary_pdf_render_job
from jobs.models import Job
from jobs.services import job_run
from rfp import services
from rfp.enums import DecisionOutcome
from rfp.factories import draft_proposal
from rfp.job_names import SUMMARY_RENDER_TASK as RENDER_TASK
from rfp.selectors import rubric_for_proposal
from rfp.services.summaries import summary_pdfs_enqueue

pytestmark = pytest.mark.django_db


def _render_jobs(**filters):
    return Job.objects.filter(task_name=RENDER_TASK, **filters).order_by("created_at")


def _run(job) -> bool:
    return job_run(job_id=job.pk, handler=tasks.render_summary.handler)


def _copies(proposal, audience=None):
    copies = SummaryPdf.objects.filter(proposal=proposal)
    return copies.filter(audience=audience) if audience else copies


def test_each_render_is_kept_as_a_version_with_its_sha256(case):
    first = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="test")
    second = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="test again")

    assert list(_copies(case.proposal).order_by("id")) == [first, second]
    for copy in (first, second):
        with copy.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == copy.sha256
        assert copy.file.name.startswith(f"summaries/{case.proposal.pk}/")
        assert copy.file.name.endswith(".pdf")
    assert first.file.name != second.file.name


def test_ensure_returns_the_copy_of_the_current_state_and_renders_when_the_state_changes(case):
    proposal = case.proposal
    supplier_copy = summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.SUPPLIER)
    lead_copy = summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.PROGRAM_LEAD)

    assert summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.SUPPLIER) == supplier_copy
    assert summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.PROGRAM_LEAD) == lead_copy
    assert _copies(proposal).count() == 2

    services.proposal_run_checks(proposal_id=proposal.pk, version=1)
    after_checks = summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.PROGRAM_LEAD)
    assert after_checks != lead_copy
    assert after_checks.reason == "requested"
    # The supplier's copy shows nothing of the checks: it stays the same.
    assert summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.SUPPLIER) == supplier_copy

    services.proposal_start_review(proposal=proposal)
    services.proposal_request_information(proposal=proposal, actor=case.lead, question="Which cooling loop?")
    services.proposal_resubmit(proposal=proposal, actor=case.owner, response="A closed loop.")
    second_version = summary_pdf_ensure(proposal_id=proposal.pk, audience=Audience.SUPPLIER)
    assert second_version != supplier_copy
    assert (supplier_copy.proposal_version, second_version.proposal_version) == (1, 2)


def test_a_draft_has_no_summary():
    proposal = draft_proposal()

    with pytest.raises(ValueError, match="never submitted"):
        summary_pdf_render(proposal_id=proposal.pk, audience=Audience.SUPPLIER, reason="test")
    assert summary_pdf_render_job(proposal_id=proposal.pk, audience=Audience.SUPPLIER, reason="test") is False
    assert not _copies(proposal).exists()


def test_a_submit_enqueues_the_buyer_copies_and_a_redelivered_job_renders_once(case):
    proposal = case.proposal
    assert services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1)

    jobs = list(_render_jobs())
    assert sorted(job.arguments["audience"] for job in jobs) == [Audience.PROGRAM_LEAD, Audience.REVIEWER]
    assert {job.arguments["reason"] for job in jobs} == {"submitted"}
    assert {job.dedupe_key for job in jobs} == {
        f"{RENDER_TASK}:{proposal.pk}:v1:reviewer:submitted",
        f"{RENDER_TASK}:{proposal.pk}:v1:program_lead:submitted",
    }
    for job in jobs:
        assert _run(job) is True
    for job in jobs:
        assert _run(job) is False, "a finished job does nothing when its message comes again"
    # Enqueueing the same event again returns the same jobs.
    assert {job.pk for job in summary_pdfs_enqueue(proposal=proposal, reason="submitted")} == {job.pk for job in jobs}

    assert _copies(proposal, Audience.REVIEWER).count() == 1
    assert _copies(proposal, Audience.PROGRAM_LEAD).count() == 1
    assert not _copies(proposal, Audience.SUPPLIER).exists()
    assert {copy.reason for copy in _copies(proposal)} == {"submitted"}


def test_stored_checks_re_render_the_buyer_copies_but_a_second_job_for_the_same_state_does_not(case):
    proposal = case.proposal
    services.proposal_run_checks(proposal_id=proposal.pk, version=1)

    checked = list(_render_jobs(arguments__reason="checked"))
    assert len(checked) == 2
    for job in checked:
        assert _run(job)
    # Another job for what is already rendered (say a second event at the same moment) renders nothing.
    extra = summary_pdfs_enqueue(proposal=proposal, reason="requested", event="same-state")
    for job in extra:
        assert _run(job)

    assert _copies(proposal, Audience.PROGRAM_LEAD).count() == 1
    assert _copies(proposal, Audience.PROGRAM_LEAD).get().reason == "checked"


def test_a_submitted_review_and_a_decision_each_enqueue_a_render(case):
    proposal = services.proposal_start_review(proposal=case.proposal)
    criteria = rubric_for_proposal(proposal=proposal).criteria.all()
    assignment = services.assignment_declare_no_conflict(assignment=case.assignment, actor=case.reviewer)
    services.review_save(
        assignment=assignment,
        actor=case.reviewer,
        scores={criterion.code: 1 for criterion in criteria},
        comments="",
        recommendation="",
        submit=False,
    )
    assert not _render_jobs(arguments__reason="reviewed").exists(), "a draft review changes nothing shown"

    review = services.review_save(
        assignment=assignment,
        actor=case.reviewer,
        scores={criterion.code: 2 for criterion in criteria},
        comments="",
        recommendation="shortlist",
        submit=True,
    )
    decision = services.proposal_decide(
        proposal=proposal, actor=case.lead, outcome=DecisionOutcome.DECLINED, rationale="Lead time too long."
    )

    reviewed = _render_jobs(arguments__reason="reviewed")
    decided = _render_jobs(arguments__reason="decided")
    assert {job.dedupe_key for job in reviewed} == {
        f"{RENDER_TASK}:{proposal.pk}:v1:{audience}:reviewed:{review.pk}" for audience in ("reviewer", "program_lead")
    }
    assert {job.dedupe_key for job in decided} == {
        f"{RENDER_TASK}:{proposal.pk}:v1:{audience}:decided:{decision.pk}" for audience in ("reviewer", "program_lead")
    }
    for job in decided:
        assert _run(job)
    lead_copy = _copies(proposal, Audience.PROGRAM_LEAD).get()
    assert lead_copy.reason == "decided"
    assert "decision:declined" in lead_copy.state


def test_a_job_for_a_superseded_version_renders_nothing(case):
    proposal = case.proposal
    services.proposal_start_review(proposal=proposal)
    services.proposal_request_information(proposal=proposal, actor=case.lead, question="Which cooling loop?")
    services.proposal_resubmit(proposal=proposal, actor=case.owner, response="A closed loop.")

    assert summary_pdf_render_job(proposal_id=proposal.pk, audience="reviewer", reason="submitted", version=1) is False
    assert not _copies(proposal).exists()


def test_render_jobs_go_to_the_pdf_queue():
    from config.celery_app import app

    assert tasks.render_summary.name == RENDER_TASK
    assert RENDER_TASK in app.tasks
    assert app.amqp.router.route({}, RENDER_TASK, (), {})["queue"].name == "pdf"
