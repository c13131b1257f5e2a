"""What a program lead exports: the RFP asked for, its submitted proposals and their submitted reviews.

Everyone else gets a 404 for every export, so nobody learns which rounds exist or what they hold.
"""

from django.db.models import CharField, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from rfp import rules
from rfp.enums import AssignmentStatus
from rfp.models import Category, Criterion, Proposal, ProposalVersion, Review, Rfp, Score, Sector
from rfp.selectors import ProposalQueueFilters, proposal_queue_for_lead


def rfp_for_export(*, user, reference: str) -> Rfp:
    """The round, for an active program lead; a 404 for anyone else."""
    if not rules.is_program_lead(user):
        raise Http404("No such RFP.")
    return get_object_or_404(Rfp, reference=reference)


def sector_list_for_rfp(*, rfp: Rfp) -> list[Sector]:
    """The round's sectors in their order, each with its categories in theirs."""
    categories = Prefetch("categories", queryset=Category.objects.order_by("position", "name"))
    return list(rfp.sectors.order_by("position", "name").prefetch_related(categories))


def commercial_terms_exported(*, user, rfp: Rfp, now) -> bool:
    """Prices go into an export only for a program lead, and only once the round has closed: an export is never
    the audited opening of sealed terms (`rfp.rules`); each row still asks `commercial_terms_visible_to`."""
    return rules.is_program_lead(user) and not rules.commercial_terms_sealed(rfp, now=now)


def _as_submitted(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`submitted_legal_name` and `submitted_title`: the company's name and the proposal's title as the latest
    submitted version recorded them, so a company renamed or a proposal retitled since keeps what was submitted."""
    submitted_version = ProposalVersion.objects.filter(proposal=OuterRef("pk"), number=OuterRef("version"))

    def recorded(path: str) -> Coalesce:
        """The snapshot's value at `path`, which names the live field too (a version from before it: the live one)."""
        return Coalesce(
            Subquery(submitted_version.values(value=KT(f"snapshot__{path}"))[:1]),
            F(path),
            output_field=CharField(),
        )

    return proposals.annotate(
        submitted_legal_name=recorded("supplier__legal_name"),
        submitted_title=recorded("title"),
    )


def proposal_list_for_export(*, rfp: Rfp, now, with_commercial_terms: bool) -> QuerySet[Proposal]:
    """The round's submitted proposals as the lead's queue has them (check counts annotated), with what an export
    row shows loaded up front: the query count does not grow with the rows. Names and titles are as submitted
    (`_as_submitted`)."""
    related = ["decision", "commercial_terms"] if with_commercial_terms else ["decision"]
    return _as_submitted(
        proposal_queue_for_lead(filters=ProposalQueueFilters(rfp_id=rfp.pk), now=now).select_related(*related)
    ).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "name")),
        "facilities",
    )


def bid_list_for_ocds(*, rfp: Rfp, now) -> list[Proposal]:
    """The round's bids (submitted proposals) for the OCDS release, with names and titles as submitted."""
    return list(_as_submitted(proposal_queue_for_lead(filters=ProposalQueueFilters(rfp_id=rfp.pk), now=now)))


def review_list_for_export(*, rfp: Rfp) -> QuerySet[Review]:
    """Submitted reviews of the round's proposals (drafts are the reviewer's own), by proposal, oldest first."""
    return (
        Review.objects.filter(assignment__proposal__rfp=rfp, assignment__status=AssignmentStatus.COMPLETED)
        .select_related("assignment__proposal__sector", "assignment__reviewer", "rubric")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.only("id", "review_id", "criterion_id", "value")))
        .order_by("assignment__proposal__reference", "submitted_at", "pk")
    )


def criterion_list_for_reviews(*, reviews: QuerySet[Review]) -> list[Criterion]:
    """The criteria of every rubric the reviews were scored on, rubric by rubric, in the rubric's order."""
    return list(
        Criterion.objects.filter(rubric__in=reviews.values("rubric"))
        .select_related("rubric")
        .order_by("rubric__sector__position", "rubric_id", "position", "pk")
    )
