"""The buyer's side through the API: reviewers' assignments, conflict declaration and scoring; program leads'
queue (filters, cursor pages), decisions one by one or in bulk, sealed commercial terms and audit history, and
the workspace's overviews: the unassigned lane (and assigning now), service levels and the ranking per sector.

Reads come from rfp.selectors, scoped to who asks (a proposal a reviewer holds no assignment on is a 404, as is
anything here for supplier staff); every change is the service the review workspace calls, and its input is
checked by the workspace's forms. In a blind round a reviewer never sees who the supplier is.
"""

import django_filters
from django.core.exceptions import ValidationError as FormErrors
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.permissions import IsBuyer, IsProgramLead, IsReviewer, TokenScope
from api.validation import text_limits_from, validated_form
from api.views.attachments import AttachmentOutput
from api.views.proposals import CommercialTermsOutput, DecisionOutput, InformationRequestOutput
from audit.selectors import audit_events_for
from operations.rest import ApiView
from rfp import rules, services
from rfp.enums import (
    AssignmentStatus,
    CheckOutcome,
    ConflictDeclaration,
    DecisionOutcome,
    ProposalStatus,
    Recommendation,
)
from rfp.models import Proposal, ReviewAssignment, Rfp, Sector
from rfp.review_forms import BulkDecisionForm, ConflictForm, DecisionForm, ReviewForm
from rfp.selectors import (
    QUEUE_CHECK_FILTERS,
    QUEUE_ROW_FIELDS,
    ProposalQueueFilters,
    assignment_for_reviewer,
    days_since,
    proposal_answer_summary,
    proposal_assignment_list,
    proposal_attachments_shown,
    proposal_checks_shown,
    proposal_decision,
    proposal_for_review,
    proposal_information_requests_shown,
    proposal_list_unassigned,
    proposal_queue_for,
    proposal_ranking_for_sector,
    proposal_score_summary,
    proposal_status_history,
    proposal_title_shown,
    review_queue_for_reviewer,
    review_service_levels,
    rubric_for_proposal,
)
from suppliers.enums import UsState

TAGS = ("review",)
# The role first (anyone else gets a 404), then the token's scope: a read-only token changes nothing here either.
BUYERS = [IsBuyer, TokenScope]
REVIEWERS = [IsReviewer, TokenScope]
LEADS = [IsProgramLead, TokenScope]
QUEUE_STATUSES = [choice for choice in ProposalStatus.choices if choice[0] != ProposalStatus.DRAFT]


class ConflictUndeclared(APIException):
    status_code = 409
    default_code = "conflict_undeclared"
    default_detail = (
        "Declare whether you have a conflict of interest with this supplier before reading the proposal "
        "(POST its conflict/ endpoint)."
    )


class SupplierOutput(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    dba = serializers.CharField()
    hq_city = serializers.CharField()
    hq_state = serializers.ChoiceField(choices=UsState.choices)
    website = serializers.CharField()


def _supplier(user, proposal: Proposal):
    """The supplier as the caller may see it: None for a reviewer of a blind round."""
    return None if rules.supplier_hidden_from(user, proposal) else proposal.supplier


# --- Queues --------------------------------------------------------------------------------------------------------


class QueueCursorPagination(CursorPagination):
    """Stable pages while proposals keep arriving: the cursor holds the position, not a page number."""

    ordering = ("submitted_at", "pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AssignmentCursorPagination(QueueCursorPagination):
    ordering = ("assigned_at", "pk")


class AssignmentFilter(django_filters.FilterSet):
    include_finished = django_filters.BooleanFilter(
        method="keep", help_text="Also list assignments whose review is submitted (released ones never are)."
    )

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        # The queue's rules live in the selector; the filter set parses and documents the query.
        reviewer, now = self.request.user, timezone.now()
        finished = bool(self.form.cleaned_data.get("include_finished"))
        return review_queue_for_reviewer(reviewer=reviewer, now=now, include_finished=finished)


class AssignmentQueueApi(ApiView):
    """The reviewer's assignments, oldest first; each says whether it is overdue and what the checks found."""

    permission_classes = REVIEWERS
    tags = TAGS
    output_many = True
    queryset = ReviewAssignment.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssignmentFilter
    pagination_class = AssignmentCursorPagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        reference = serializers.CharField(source="proposal.reference")
        rfp = serializers.CharField(source="proposal.rfp.reference")
        sector = serializers.CharField(source="proposal.sector.code")
        title = serializers.SerializerMethodField(help_text="In a blind round, with names of the supplier masked.")
        supplier = serializers.SerializerMethodField(help_text="Null in a blind round.")
        status = serializers.ChoiceField(choices=AssignmentStatus.choices)
        conflict_declaration = serializers.ChoiceField(choices=ConflictDeclaration.choices)
        assigned_at = serializers.DateTimeField()
        due_at = serializers.DateTimeField()
        is_overdue = serializers.BooleanField()
        submitted_at = serializers.DateTimeField(source="proposal.submitted_at")
        checks_failed = serializers.IntegerField()
        checks_warned = serializers.IntegerField()
        checks_total = serializers.IntegerField()

        def get_title(self, assignment) -> str:
            hidden = _supplier(self.context["request"].user, assignment.proposal) is None
            return proposal_title_shown(assignment.proposal, supplier_hidden=hidden)

        def get_supplier(self, assignment) -> str | None:
            supplier = _supplier(self.context["request"].user, assignment.proposal)
            return supplier.legal_name if supplier else None

    def get(self, request):
        filterset = self.filterset_class(request.query_params, queryset=self.queryset, request=request)
        if not filterset.is_valid():
            raise FormErrors(filterset.form.errors.as_data())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(filterset.qs, request, view=self)
        rules.held_assignments_known(page)
        return paginator.get_paginated_response(
            self.OutputSerializer(page, many=True, context={"request": request}).data
        )


@extend_schema_field(OpenApiTypes.STR)
class ReferenceFilter(django_filters.ModelChoiceFilter):
    """A round or sector named by its reference or code (documented as a string, not a list of database rows)."""


class ProposalQueueFilter(django_filters.FilterSet):
    rfp = ReferenceFilter(queryset=Rfp.objects.all(), to_field_name="reference", help_text="A round's reference.")
    sector = ReferenceFilter(queryset=Sector.objects.all(), to_field_name="code", help_text="A sector's code.")
    category = django_filters.CharFilter(method="keep", help_text="A category's code.")
    state = django_filters.ChoiceFilter(
        choices=UsState.choices, method="keep_text", help_text="A facility's state, or the headquarters'."
    )
    status = django_filters.ChoiceFilter(choices=QUEUE_STATUSES, method="keep_text")
    checks = django_filters.ChoiceFilter(
        choices=[(value, value) for value in QUEUE_CHECK_FILTERS],
        method="keep_text",
        help_text="fail: any check failed; warning: warnings but no failure; pass: every check passed.",
    )
    score_min = django_filters.NumberFilter(method="keep", min_value=0, max_value=100)
    score_max = django_filters.NumberFilter(method="keep", min_value=0, max_value=100)
    overdue = django_filters.BooleanFilter(method="keep", help_text="Only proposals with an overdue review.")
    q = django_filters.CharFilter(method="keep", help_text="Supplier name, reference, title or narrative.")

    def keep(self, queryset, name, value):
        return queryset

    def keep_text(self, queryset, name, value: str):
        return queryset

    def filter_queryset(self, queryset):
        # The queue's rules live in the selector; the filter set parses, validates and documents the query.
        data = self.form.cleaned_data
        filters = ProposalQueueFilters(
            rfp_id=data["rfp"].pk if data.get("rfp") else None,
            sector=data["sector"].code if data.get("sector") else "",
            category=data.get("category") or "",
            state=data.get("state") or "",
            status=data.get("status") or "",
            checks=data.get("checks") or "",
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            overdue=bool(data.get("overdue")),
            search=(data.get("q") or "").strip(),
        )
        return proposal_queue_for(user=self.request.user, filters=filters, now=timezone.now()).only(*QUEUE_ROW_FIELDS)


class ProposalRowOutput(serializers.Serializer):
    """What a row of the program lead's lists says about a proposal."""

    reference = serializers.CharField()
    rfp = serializers.CharField(source="rfp.reference")
    sector = serializers.CharField(source="sector.code")
    title = serializers.CharField()
    supplier = serializers.CharField(source="supplier.legal_name")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    submitted_at = serializers.DateTimeField()


class ProposalQueueApi(ApiView):
    """Every submitted proposal, the longest waiting first, with its checks, scores and open reviews (program
    leads)."""

    permission_classes = LEADS
    tags = TAGS
    output_many = True
    queryset = Proposal.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProposalQueueFilter
    pagination_class = QueueCursorPagination

    class OutputSerializer(ProposalRowOutput):
        checks_failed = serializers.IntegerField()
        checks_warned = serializers.IntegerField()
        checks_total = serializers.IntegerField()
        score_mean = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        review_count = serializers.IntegerField()
        open_review_count = serializers.IntegerField()
        overdue_review_count = serializers.IntegerField()
        next_due_at = serializers.DateTimeField(allow_null=True)

    def get(self, request):
        filterset = self.filterset_class(request.query_params, queryset=self.queryset, request=request)
        if not filterset.is_valid():
            raise FormErrors(filterset.form.errors.as_data())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(filterset.qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


# --- One proposal --------------------------------------------------------------------------------------------------


class AnswerRowOutput(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class AnswerSectionOutput(serializers.Serializer):
    title = serializers.CharField()
    rows = AnswerRowOutput(many=True)


class CheckOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    detail = serializers.CharField()


class ReviewAttachmentOutput(AttachmentOutput):
    original_name = serializers.CharField(
        source="shown_name", help_text="In a blind round, a name made of the reference, the kind and the id."
    )


class CriterionOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    guidance = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    max_score = serializers.IntegerField()


class RubricOutput(serializers.Serializer):
    name = serializers.CharField()
    criteria = CriterionOutput(many=True, source="criteria.all")


class AssignmentOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    conflict_declaration = serializers.ChoiceField(choices=ConflictDeclaration.choices)
    conflict_declared_at = serializers.DateTimeField(allow_null=True)


class ReviewerAssignmentOutput(AssignmentOutput):
    """An assignment as a program lead sees it: who reviews, and what they gave."""

    reviewer = serializers.EmailField(source="reviewer.email")
    conflict_note = serializers.CharField()
    recommendation = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()

    def _review(self, assignment):
        return getattr(assignment, "review", None)

    def get_recommendation(self, assignment) -> str | None:
        review = self._review(assignment)
        return review.recommendation if review and review.recommendation else None

    def get_weighted_score(self, assignment) -> str | None:
        review = self._review(assignment)
        return None if review is None or review.weighted_score is None else str(review.weighted_score)


class ScoreSummaryOutput(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    disagreement = serializers.BooleanField()


def _assignment_or_404(user, proposal: Proposal) -> ReviewAssignment:
    assignment = assignment_for_reviewer(reviewer=user, proposal=proposal)
    if assignment is None:
        raise Http404("You hold no assignment on this proposal.")
    return assignment


class ReviewProposalDetailApi(ApiView):
    """A proposal as its reviewer (after declaring no conflict) or a program lead reads it: the answers without
    the sealed commercial terms, the checks, files and questions; in a blind round, without the supplier's name.
    Program leads also get the assignments and the score summary."""

    permission_classes = BUYERS
    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        rfp = serializers.CharField(source="rfp.reference")
        sector = serializers.CharField(source="sector.code")
        title = serializers.CharField()
        status = serializers.ChoiceField(choices=ProposalStatus.choices)
        version = serializers.IntegerField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        blind = serializers.BooleanField(help_text="True when the supplier is hidden from the caller.")
        supplier = SupplierOutput(allow_null=True)
        answers = AnswerSectionOutput(many=True)
        checks = CheckOutput(many=True)
        attachments = ReviewAttachmentOutput(many=True)
        information_requests = InformationRequestOutput(many=True)
        decision = DecisionOutput(allow_null=True)
        rubric = RubricOutput(allow_null=True)
        assignment = AssignmentOutput(allow_null=True, help_text="The caller's own assignment (reviewers).")
        assignments = ReviewerAssignmentOutput(many=True, allow_null=True, help_text="Program leads only.")
        score_summary = ScoreSummaryOutput(allow_null=True, help_text="Program leads only.")

    def get(self, request, reference: str):
        user = request.user
        proposal = proposal_for_review(user=user, reference=reference)
        assignment = assignment_for_reviewer(reviewer=user, proposal=proposal)
        if rules.must_declare_conflicts(user, proposal):
            raise ConflictUndeclared()
        if not rules.may_read_for_review(user, proposal):
            raise Http404("No such proposal.")
        blind = rules.supplier_hidden_from(user, proposal)
        all_reviews = rules.may_see_all_reviews(user, proposal)
        answers = proposal_answer_summary(proposal=proposal, with_commercial_terms=False, blind=blind)
        data = {
            "reference": proposal.reference,
            "rfp": proposal.rfp,
            "sector": proposal.sector,
            "title": proposal_title_shown(proposal, supplier_hidden=blind),
            "status": proposal.status,
            "version": proposal.version,
            "submitted_at": proposal.submitted_at,
            "blind": blind,
            "supplier": _supplier(user, proposal),
            "answers": [
                {"title": title, "rows": [{"label": label, "value": str(value)} for label, value in rows]}
                for title, rows in answers
            ],
            "checks": proposal_checks_shown(proposal=proposal, supplier_hidden=blind),
            "attachments": proposal_attachments_shown(proposal=proposal, supplier_hidden=blind),
            "information_requests": proposal_information_requests_shown(proposal=proposal, supplier_hidden=blind),
            "decision": proposal_decision(proposal=proposal),
            "rubric": rubric_for_proposal(proposal=proposal),
            "assignment": assignment,
            "assignments": list(proposal_assignment_list(proposal=proposal)) if all_reviews else None,
            "score_summary": proposal_score_summary(proposal=proposal) if all_reviews else None,
        }
        return Response(self.OutputSerializer(data, context={"request": request}).data)


class ConflictDeclareApi(ApiView):
    """The assigned reviewer declares no conflict (which unlocks reading and scoring), or a conflict (the
    assignment is released and the proposal goes to another reviewer)."""

    permission_classes = REVIEWERS
    tags = TAGS

    @text_limits_from(ConflictForm)
    class InputSerializer(serializers.Serializer):
        declaration = serializers.ChoiceField(choices=[ConflictDeclaration.NO_CONFLICT, ConflictDeclaration.CONFLICT])
        note = serializers.CharField(
            required=False, allow_blank=True, help_text="What the conflict is; required with a conflict."
        )

    class OutputSerializer(AssignmentOutput):
        replacement_assigned = serializers.BooleanField(
            help_text="With a conflict: whether another reviewer took the proposal at once."
        )

    def post(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        assignment = _assignment_or_404(request.user, proposal)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(ConflictForm, changes=serializer.validated_data)
        replacement = False
        if form.cleaned_data["declaration"] == ConflictDeclaration.CONFLICT:
            release = services.assignment_release_for_conflict(
                assignment=assignment, actor=request.user, note=form.cleaned_data["note"]
            )
            assignment, replacement = release.assignment, bool(release.replacement.created)
        else:
            assignment = services.assignment_declare_no_conflict(assignment=assignment, actor=request.user)
        return Response({**AssignmentOutput(assignment).data, "replacement_assigned": replacement})


# --- Reviews and scores --------------------------------------------------------------------------------------------


class ReviewOutput(serializers.Serializer):
    submitted = serializers.BooleanField(help_text="False while it is a draft.")
    saved_at = serializers.DateTimeField(source="submitted_at", help_text="When it was last saved or submitted.")
    recommendation = serializers.CharField(help_text="Empty while a draft has none.")
    comments = serializers.CharField()
    weighted_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="0 to 100, once every criterion is scored."
    )
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="Score by criterion code.")


def _review_data(review, assignment) -> dict:
    return {
        "submitted": assignment.status == AssignmentStatus.COMPLETED,
        "submitted_at": review.submitted_at,
        "recommendation": review.recommendation,
        "comments": review.comments,
        "weighted_score": review.weighted_score,
        "scores": {score.criterion.code: score.value for score in review.scores.select_related("criterion")},
    }


@text_limits_from(ReviewForm)
class ReviewInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        help_text="Score by criterion code, each from 0 to the criterion's max_score; a draft may hold some only.",
    )
    comments = serializers.CharField(required=False, allow_blank=True)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False, allow_blank=True)


class ReviewDetailApi(ApiView):
    """The caller's own review of the proposal, draft or submitted."""

    permission_classes = REVIEWERS
    tags = TAGS
    OutputSerializer = ReviewOutput

    def get(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        assignment = _assignment_or_404(request.user, proposal)
        review = getattr(assignment, "review", None)
        if review is None:
            raise Http404("You have not saved a review of this proposal yet.")
        return Response(self.OutputSerializer(_review_data(review, assignment)).data)


def _save_review(request, reference: str, *, submit: bool):
    proposal = proposal_for_review(user=request.user, reference=reference)
    assignment = _assignment_or_404(request.user, proposal)
    rubric = rubric_for_proposal(proposal=proposal)
    if rubric is None:
        raise Http404("No rubric is set up for this proposal's sector.")
    serializer = ReviewInput(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    scores = {code: value for code, value in data.get("scores", {}).items() if value is not None}
    changes = {f"score_{code}": value for code, value in scores.items()}
    changes.update({name: data[name] for name in ("comments", "recommendation") if name in data})
    form = validated_form(
        ReviewForm,
        changes=changes,
        rename={f"score_{criterion.code}": f"scores.{criterion.code}" for criterion in rubric.criteria.all()},
        criteria=rubric.criteria.all(),
        review=getattr(assignment, "review", None),
    )
    known = form.scores()
    # Codes the rubric lacks go on to the service, which names them in its refusal.
    unknown = {code: value for code, value in scores.items() if f"score_{code}" not in form.fields}
    review = services.review_save(
        assignment=assignment,
        actor=request.user,
        scores={**known, **unknown},
        comments=form.cleaned_data["comments"],
        recommendation=form.cleaned_data["recommendation"],
        submit=submit,
    )
    assignment.refresh_from_db()
    return Response(ReviewOutput(_review_data(review, assignment)).data)


class ReviewSaveApi(ApiView):
    """Save a draft of the review: any subset of the criteria, as often as needed. Send the whole draft: scores
    left out are cleared."""

    permission_classes = REVIEWERS
    tags = TAGS
    InputSerializer = ReviewInput
    OutputSerializer = ReviewOutput

    def put(self, request, reference: str):
        return _save_review(request, reference, submit=False)


class ReviewSubmitApi(ApiView):
    """Submit the review: every criterion scored and a recommendation; the assignment is then complete."""

    permission_classes = REVIEWERS
    tags = TAGS
    InputSerializer = ReviewInput
    OutputSerializer = ReviewOutput

    def post(self, request, reference: str):
        return _save_review(request, reference, submit=True)


# --- Sealed commercial terms, decisions, history -------------------------------------------------------------------


class CommercialTermsOpenApi(ApiView):
    """Open the commercial terms (`rfp.rules`): before the close a program lead, through this audited opening
    alone; after it program leads and the reviewers who may read the proposal. Each opening is audited; anyone
    else gets a 404."""

    permission_classes = BUYERS
    tags = TAGS
    OutputSerializer = CommercialTermsOutput

    @extend_schema(request=None, responses={200: CommercialTermsOutput})
    def post(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        terms = services.commercial_terms_open(user=request.user, proposal=proposal)
        if terms is None:
            raise Http404("The commercial terms are sealed until the round closes.")
        return Response(self.OutputSerializer(terms).data)


class LeadDecisionOutput(DecisionOutput):
    internal_note = serializers.CharField(help_text="The buyer's own note: never emailed or shown to the supplier.")


class ProposalDecisionApi(ApiView):
    """A program lead decides one proposal (shortlisted or declined, the supplier is told), or asks the supplier
    for more information (the rationale is then the question). `rationale` is the message the supplier receives,
    word for word; `internal_note` stays with the buyer. While reviews are still open, a decision needs
    `open_reviews_confirmed`."""

    permission_classes = LEADS
    tags = TAGS

    @text_limits_from(DecisionForm)
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=["request_info", *DecisionOutcome.values])
        rationale = serializers.CharField(
            allow_blank=True, help_text="The message to the supplier, emailed word for word and shown in the portal."
        )
        internal_note = serializers.CharField(
            required=False, allow_blank=True, help_text="Never emailed, never shown to the supplier."
        )
        open_reviews_confirmed = serializers.BooleanField(
            required=False, default=False, help_text="Decide even though reviews are still open."
        )

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        status = serializers.ChoiceField(choices=ProposalStatus.choices)
        decision = LeadDecisionOutput(allow_null=True)

    def post(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(DecisionForm, changes=serializer.validated_data)
        services.proposal_decide_or_request(
            proposal=proposal,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            message=form.cleaned_data["rationale"],
            internal_note=form.cleaned_data["internal_note"],
            open_reviews_confirmed=form.cleaned_data["open_reviews_confirmed"],
        )
        proposal.refresh_from_db()
        data = {
            "reference": proposal.reference,
            "status": proposal.status,
            "decision": proposal_decision(proposal=proposal),
        }
        return Response(self.OutputSerializer(data).data)


class BulkDecisionApi(ApiView):
    """Shortlist or decline several proposals at once; each is decided (or refused) on its own, and each
    supplier told."""

    permission_classes = LEADS
    tags = TAGS

    @text_limits_from(BulkDecisionForm)
    class InputSerializer(serializers.Serializer):
        references = serializers.ListField(child=serializers.CharField(), max_length=500)
        outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
        rationale = serializers.CharField(allow_blank=True, help_text="The message each supplier receives.")
        internal_note = serializers.CharField(
            required=False, allow_blank=True, help_text="Never emailed, never shown to the suppliers."
        )
        open_reviews_confirmed = serializers.BooleanField(
            required=False, default=False, help_text="Decide even proposals whose reviews are still open."
        )

    class OutputSerializer(serializers.Serializer):
        decided = serializers.ListField(child=serializers.CharField(), help_text="References decided now.")
        errors = serializers.DictField(
            child=serializers.CharField(), help_text="Why each other reference was not decided."
        )

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(BulkDecisionForm, changes=serializer.validated_data)
        references = form.cleaned_data["references"]
        everything = ProposalQueueFilters()
        proposals = list(
            proposal_queue_for(user=request.user, filters=everything, now=timezone.now()).filter(
                reference__in=references
            )
        )
        result = services.proposal_decide_many(
            proposals=proposals,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            rationale=form.cleaned_data["rationale"],
            internal_note=form.cleaned_data["internal_note"],
            open_reviews_confirmed=form.cleaned_data["open_reviews_confirmed"],
        )
        errors = dict(result.errors)
        found = {proposal.reference for proposal in proposals}
        errors.update({reference: "No such proposal." for reference in references if reference not in found})
        decided = [decision.proposal.reference for decision in result.decided]
        return Response(self.OutputSerializer({"decided": decided, "errors": errors}).data)


class HistoryEventOutput(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    summary = serializers.CharField()
    data = serializers.JSONField()
    hash = serializers.CharField(help_text="SHA-256 chaining the event to the one before it.")

    def get_actor(self, event) -> str | None:
        return event.actor.email if event.actor else None


class StatusPeriodOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    label = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    days = serializers.FloatField()


class HistoryApi(ApiView):
    """The proposal's audit trail, newest first, and how long it spent in each status (program leads)."""

    permission_classes = LEADS
    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        status_periods = StatusPeriodOutput(many=True)
        events = HistoryEventOutput(many=True)

    def get(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        data = {
            "reference": proposal.reference,
            "status_periods": proposal_status_history(proposal=proposal, now=timezone.now()),
            "events": audit_events_for(target=proposal).order_by("-occurred_at", "-pk")[:500],
        }
        return Response(self.OutputSerializer(data).data)


# --- Program leads' overviews: the unassigned lane, service levels, the ranking ------------------------------------


class UnassignedListApi(ApiView):
    """The unassigned lane: proposals under review that hold fewer reviewers than their round asks for, the
    longest waiting first. `assign/` on one tries again, say after adding reviewers."""

    permission_classes = LEADS
    tags = TAGS
    output_many = True

    class OutputSerializer(ProposalRowOutput):
        days_waiting = serializers.FloatField(help_text="Days since the proposal was submitted.")
        assigned_count = serializers.IntegerField(help_text="Reviewers it holds (open or completed assignments).")
        required_count = serializers.IntegerField(help_text="Reviewers its round asks for.")
        missing_count = serializers.IntegerField()

    def get(self, request):
        now = timezone.now()
        proposals = list(proposal_list_unassigned(now=now))
        for proposal in proposals:
            proposal.days_waiting = days_since(proposal.submitted_at, now)
        return Response(self.OutputSerializer(proposals, many=True).data)


class AssignNowApi(ApiView):
    """Try the assignment again for one proposal under review: reviewers of its sector, free of conflicts and
    below their load, take it until it holds as many as its round asks for. `missing` says how many are still
    lacking (add reviewers in the panel, then try again)."""

    permission_classes = LEADS
    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        status = serializers.ChoiceField(choices=ProposalStatus.choices)
        assigned = serializers.ListField(child=serializers.EmailField(), help_text="Reviewers assigned now.")
        held = serializers.IntegerField(help_text="Reviewers the proposal holds now (open or completed).")
        required = serializers.IntegerField(help_text="Reviewers its round asks for.")
        missing = serializers.IntegerField()

    @extend_schema(request=None)
    def post(self, request, reference: str):
        proposal = proposal_for_review(user=request.user, reference=reference)
        result = services.proposal_assign_now(proposal=proposal, actor=request.user)
        data = {
            "reference": proposal.reference,
            "status": result.proposal.status,
            "assigned": [assignment.reviewer.email for assignment in result.created],
            "held": result.held,
            "required": result.required,
            "missing": result.missing,
        }
        return Response(self.OutputSerializer(data).data)


class OpenReviewOutput(serializers.Serializer):
    reference = serializers.CharField(source="proposal.reference")
    rfp = serializers.CharField(source="proposal.rfp.reference")
    sector = serializers.CharField(source="proposal.sector.code")
    title = serializers.CharField(source="proposal.title")
    supplier = serializers.CharField(source="proposal.supplier.legal_name")
    reviewer = serializers.EmailField(source="reviewer.email")
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    days_open = serializers.FloatField(help_text="Days since it was assigned.")
    days_overdue = serializers.FloatField(allow_null=True, help_text="Days past its due date; null until then.")


class WaitingProposalOutput(ProposalRowOutput):
    days_waiting = serializers.FloatField(help_text="Days since it was submitted.")
    days_in_status = serializers.FloatField(allow_null=True)
    review_count = serializers.IntegerField(help_text="Submitted reviews.")
    open_review_count = serializers.IntegerField()
    overdue_review_count = serializers.IntegerField()
    next_due_at = serializers.DateTimeField(allow_null=True)


class ServiceLevelsApi(ApiView):
    """Rolling-review service levels: every open review, the earliest due first (an overdue one says by how many
    days), and every proposal under review with how long it has waited, the longest first."""

    permission_classes = LEADS
    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        overdue_count = serializers.IntegerField(help_text="Open reviews past their due date.")
        open_reviews = OpenReviewOutput(many=True)
        waiting = WaitingProposalOutput(many=True)

    def get(self, request):
        levels = review_service_levels(now=timezone.now())
        data = {"overdue_count": levels.overdue_count, "open_reviews": levels.open_reviews, "waiting": levels.waiting}
        return Response(self.OutputSerializer(data).data)


class RankedProposalOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    supplier = serializers.CharField(source="supplier.legal_name")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    score_mean = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Mean weighted score of the submitted reviews."
    )
    review_count = serializers.IntegerField(help_text="Submitted reviews.")


class SectorRankingOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    proposals = RankedProposalOutput(many=True)


class RankingApi(ApiView):
    """A round's proposals in review or decided, per sector, the best mean of submitted reviews first; proposals
    without a submitted review come last, and ties go to the proposal submitted first."""

    permission_classes = LEADS
    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        rfp = serializers.CharField(source="reference")
        title = serializers.CharField()
        sectors = SectorRankingOutput(many=True)

    def get(self, request, reference: str):
        rfp = get_object_or_404(Rfp, reference=reference)  # program leads see every round
        sectors = []
        for sector in rfp.sectors.order_by("position", "name"):
            ranked = list(proposal_ranking_for_sector(rfp=rfp, sector=sector))
            for rank, proposal in enumerate(ranked, start=1):
                proposal.rank = rank
            sectors.append({"code": sector.code, "name": sector.name, "proposals": ranked})
        return Response(
            self.OutputSerializer({"reference": rfp.reference, "title": rfp.title, "sectors": sectors}).data
        )
