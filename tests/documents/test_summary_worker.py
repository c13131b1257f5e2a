"""A submit ends with the buyer's PDF summaries stored, through a real Redis and a real Celery worker process."""

import pytest

from accounts.factories import UserFactory
from documents.models import Audience, SummaryPdf
from jobs.models import Job
from rfp.factories import draft_proposal
from rfp.job_names import SUMMARY_RENDER_TASK as RENDER_TASK
from rfp.services import CHECKS_TASK, proposal_submit
from tests.documents.conftest import stored_text
from tests.support.processes import celery_app_publishing_to, celery_worker, wait_until, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def _no_broker():
    """Here the jobs do reach a broker: this test's own Redis."""


def test_a_submit_ends_with_the_reviewer_and_lead_summaries_stored(redis_server):
    proposal = draft_proposal()

    with celery_app_publishing_to(redis_server.url), celery_worker(broker_url=redis_server.url) as worker:
        proposal_submit(proposal=proposal, actor=UserFactory())

        def finished() -> bool:
            statuses = set(Job.objects.values_list("status", flat=True))
            renders = Job.objects.filter(task_name=RENDER_TASK).count()
            return statuses == {Job.Status.DONE} and renders == 4

        try:
            wait_until(finished, timeout=120, message="every job done")
        except AssertionError:
            jobs = list(Job.objects.values_list("task_name", "status", "last_error"))
            pytest.fail(f"the worker did not finish every job: {jobs}; its log:\n{worker_log(worker)}")

    assert Job.objects.get(task_name=CHECKS_TASK).status == Job.Status.DONE
    for audience in (Audience.REVIEWER, Audience.PROGRAM_LEAD):
        latest = SummaryPdf.objects.filter(proposal=proposal, audience=audience).order_by("-rendered_at").first()
        assert latest is not None, f"no {audience} copy stored"
        assert latest.proposal_version == 1
        # The newest copy reflects the stored checks (rendered again once they were stored, or after them).
        assert "checks:0" not in latest.state
        text = stored_text(latest)
        assert proposal.reference in text
        assert "Automated checks" in text
        assert "The checks of version 1 have not run yet." not in text
    assert not SummaryPdf.objects.filter(proposal=proposal, audience=Audience.SUPPLIER).exists()
    for summary in SummaryPdf.objects.all():
        summary.file.storage.delete(summary.file.name)
