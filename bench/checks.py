"""What the benchmark reads from the database it runs against (Django set up on config.settings.bench)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from bench.seeding import LEAD_EMAIL, RUSH_REFERENCE, SCALE_PREFIX

# The queue filtered as a program lead would narrow it: one sector, one status, checks all passed.
QUEUE_FILTERS = "sector=datacenter&status=in_review&checks=pass"


@dataclass(frozen=True)
class RushOutcome:
    submitted: int
    without_pdf: int
    without_receipt: int
    pending_jobs: int
    dead_jobs: int


def rush_outcome() -> RushOutcome:
    """The rush's proposals after the submits: how many lack their PDF summary or their receipt, and the jobs left."""
    from audit.models import AuditEvent
    from documents.models import SummaryPdf
    from jobs.models import Job
    from rfp.enums import ProposalStatus
    from rfp.models import Proposal, ProposalVersion

    submitted = Proposal.objects.filter(rfp__reference=RUSH_REFERENCE).exclude(status=ProposalStatus.DRAFT)
    pdf = SummaryPdf.objects.filter(proposal=OuterRef("pk"), proposal_version=OuterRef("version"))
    version = ProposalVersion.objects.filter(proposal=OuterRef("pk"), number=OuterRef("version"))
    # The receipt is the version record plus its audit event (the email goes out once that commits).
    receipt_event = AuditEvent.objects.filter(
        action="proposal.receipt_issued", object_type="rfp.proposal", object_id=OuterRef("pk_text")
    )
    from django.db.models import CharField
    from django.db.models.functions import Cast

    annotated = submitted.annotate(pk_text=Cast("pk", CharField()))
    receipted = annotated.filter(Exists(version), Exists(receipt_event))
    busy = (Job.Status.PENDING, Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.RETRYING)
    return RushOutcome(
        submitted=submitted.count(),
        without_pdf=submitted.exclude(Exists(pdf)).count(),
        without_receipt=submitted.count() - receipted.count(),
        pending_jobs=Job.objects.filter(status__in=busy).count(),
        dead_jobs=Job.objects.filter(status=Job.Status.DEAD).count(),
    )


def api_queue_path() -> str | None:
    """The program lead's queue in the REST API (api.urls names it "review-queue"); None while there is none."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("api:review-queue")
    except NoReverseMatch:
        return None


def lead_api_token() -> str:
    """A fresh read token of the bench's program lead, through the API's own service."""
    from accounts.models import User
    from tokens.services import api_token_create

    lead = User.objects.get(email=LEAD_EMAIL)
    return api_token_create(user=lead, name="make bench", scope="read", lifetime_days=7).plaintext


def queue_filters() -> str:
    return QUEUE_FILTERS


def pdf_sample(*, count: int) -> list[int]:
    """Submitted proposals in review, with their reviews: what a summary usually shows."""
    from rfp.enums import ProposalStatus
    from rfp.models import Proposal

    return list(
        Proposal.objects.filter(rfp__reference__startswith=f"{SCALE_PREFIX}R", status=ProposalStatus.IN_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
