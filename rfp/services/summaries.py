"""Asking for the buyer's PDF summaries of a proposal to be rendered again, after a change they show.

A render job is enqueued by name in the caller's transaction; documents.tasks registers its handler, which renders
only when no copy reflects the current state yet, so a redelivered job or two events close together render once.
"""

from jobs.services import job_enqueue
from rfp.job_names import SUMMARY_RENDER_TASK
from rfp.models import Proposal

# The copies re-rendered when the review changes (values of documents.models.Audience); the supplier's copy changes
# only with a new version.
BUYER_AUDIENCES = ("reviewer", "program_lead")


def summary_pdfs_enqueue(*, proposal: Proposal, reason: str, event: str = "", audiences=BUYER_AUDIENCES) -> list:
    """Enqueue a render of each audience's copy in the caller's transaction; `event` names what changed (a review's
    or decision's id) so the same event never enqueues twice."""
    jobs = []
    for audience in audiences:
        key = (
            f"{SUMMARY_RENDER_TASK}:{proposal.pk}:v{proposal.version}:{audience}:{reason}{f':{event}' if event else ''}"
        )
        jobs.append(
            job_enqueue(
                task_name=SUMMARY_RENDER_TASK,
                arguments={
                    "proposal_id": proposal.pk,
                    "audience": str(audience),
                    "reason": reason,
                    "version": proposal.version,
                },
                dedupe_key=key[:200],
            )
        )
    return jobs
