"""The review workspace: reviewers' queues, conflict declaration and scoring; program leads' queue, decisions,
unassigned lane, SLA and ranking.

Views are thin: reads come from rfp.selectors (scoped to the person asking: a proposal they may not see is a 404),
every change goes through rfp.services, and a DomainError's message is shown as it is.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import audit_events_for
from review.access import buyer_required
from review.forms import QueueFilterForm
from review.pagination import cursor_page
from rfp import rules, services
from rfp.enums import AssignmentStatus, DecisionOutcome
from rfp.exceptions import DomainError
from rfp.formatting import counted
from rfp.models import Proposal, Rfp, Sector
from rfp.review_forms import BulkDecisionForm, ConflictForm, DecisionForm, ReviewForm
from rfp.rules import supplier_hidden_from_reviewers
from rfp.selectors import (
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
    proposal_open_review_count,
    proposal_queue_for,
    proposal_ranking_for_sector,
    proposal_score_summary,
    proposal_status_history,
    proposal_title_shown,
    review_queue_for_reviewer,
    review_service_levels,
    rfp_list_newest_first,
    rubric_for_proposal,
)

# --- Queues -------------------------------------------------------------------------------------------------------


@require_GET
@buyer_required
def queue(request):
    now = timezone.now()
    if rules.is_program_lead(request.user):
        return _lead_queue(request, now=now)
    show_finished = request.GET.get("show") == "all"
    assignments = list(review_queue_for_reviewer(reviewer=request.user, now=now, include_finished=show_finished))
    rules.held_assignments_known(assignments)
    for assignment in assignments:
        assignment.age_days = days_since(assignment.proposal.submitted_at, now)
        assignment.blind = supplier_hidden_from_reviewers(assignment.proposal.rfp)
        assignment.shown_title = proposal_title_shown(assignment.proposal, supplier_hidden=assignment.blind)
    return render(
        request,
        "review/queue_reviewer.html",
        {"assignments": assignments, "show_finished": show_finished, "now": now},
    )


def _lead_queue(request, *, now):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else ProposalQueueFilters()
    proposals = proposal_queue_for(user=request.user, filters=filters, now=now).only(*QUEUE_ROW_FIELDS)
    page = cursor_page(proposals, cursor=request.GET.get("after", ""))
    for proposal in page.rows:
        proposal.age_days = days_since(proposal.submitted_at, now)
        proposal.days_in_status = days_since(proposal.status_changed_at, now)
    query = request.GET.copy()
    query.pop("after", None)
    next_url = None
    if page.next_cursor:
        query["after"] = page.next_cursor
        next_url = f"{reverse('review:queue')}?{query.urlencode()}"
    return render(
        request,
        "review/queue_lead.html",
        {
            "form": form,
            "proposals": page.rows,
            "next_url": next_url,
            "is_later_page": bool(request.GET.get("after")),
            "unassigned_count": proposal_list_unassigned(now=now).count(),
            # The round filtered on, else every round: its CSV and OCDS exports are linked under the queue.
            "export_rfps": [form.cleaned_data["rfp"]]
            if form.is_bound and form.is_valid() and form.cleaned_data.get("rfp")
            else list(rfp_list_newest_first()),
            "bulk_form": BulkDecisionForm(),
            "now": now,
        },
    )


@require_POST
@buyer_required(lead=True)
def bulk_decide(request):
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(request.POST.get("next") or "review:queue")
    proposals = list(
        Proposal.objects.filter(reference__in=form.cleaned_data["references"])
        .select_related("rfp", "sector", "supplier")
        .order_by("submitted_at", "pk")
    )
    result = services.proposal_decide_many(
        proposals=proposals,
        actor=request.user,
        outcome=form.cleaned_data["outcome"],
        rationale=form.cleaned_data["rationale"],
        internal_note=form.cleaned_data["internal_note"],
        open_reviews_confirmed=form.cleaned_data["open_reviews_confirmed"],
    )
    label = DecisionOutcome(form.cleaned_data["outcome"]).label.lower()
    if result.decided:
        references = ", ".join(decision.proposal.reference for decision in result.decided)
        messages.success(
            request, f"{counted(len(result.decided), 'proposal')} {label}: {references}. Each supplier is told."
        )
    for reference, error in result.errors.items():
        messages.error(request, f"{reference}: {error}")
    missing = set(form.cleaned_data["references"]) - {proposal.reference for proposal in proposals}
    for reference in sorted(missing):
        messages.error(request, f"{reference}: no such proposal.")
    return redirect(request.POST.get("next") or "review:queue")


# --- One proposal -------------------------------------------------------------------------------------------------


def _proposal_context(request, proposal: Proposal, *, now, assignment=None, **forms) -> dict:
    user = request.user
    blind = rules.supplier_hidden_from(user, proposal)
    rubric = rubric_for_proposal(proposal=proposal)
    context = {
        "proposal": proposal,
        "rfp": proposal.rfp,
        "assignment": assignment,
        "blind": blind,
        "proposal_title": proposal_title_shown(proposal, supplier_hidden=blind),
        "sections": proposal_answer_summary(proposal=proposal, with_commercial_terms=False, blind=blind),
        "checks": proposal_checks_shown(proposal=proposal, supplier_hidden=blind),
        "attachments": proposal_attachments_shown(proposal=proposal, supplier_hidden=blind),
        "information_requests": proposal_information_requests_shown(proposal=proposal, supplier_hidden=blind),
        "decision": proposal_decision(proposal=proposal),
        "terms_sealed": not (
            rules.may_see_commercial_terms(user, proposal, now=now)
            or rules.may_open_sealed_commercial_terms(user, proposal, now=now)
        ),
        "age_days": days_since(proposal.submitted_at, now),
        "days_in_status": days_since(proposal.status_changed_at, now),
        "now": now,
        "rubric": rubric,
    }
    if not blind:
        context["facilities"] = list(proposal.facilities.all())
    if assignment is not None and assignment.status == AssignmentStatus.ASSIGNED and rubric is not None:
        review = getattr(assignment, "review", None)
        context["review_form"] = forms.get("review_form") or ReviewForm(criteria=rubric.criteria.all(), review=review)
    if assignment is not None and assignment.status == AssignmentStatus.COMPLETED:
        context["own_review"] = assignment.review
    if rules.may_see_all_reviews(user, proposal):
        assignments = list(proposal_assignment_list(proposal=proposal))
        held = sum(1 for held_assignment in assignments if held_assignment.status != AssignmentStatus.RELEASED)
        context.update(
            {
                "assignments": assignments,
                "score_summary": proposal_score_summary(proposal=proposal),
                "status_history": proposal_status_history(proposal=proposal, now=now),
                "history": list(audit_events_for(target=proposal).order_by("-occurred_at", "-pk")[:200]),
                "decision_form": forms.get("decision_form") or DecisionForm(),
                "reviewers_short": max(proposal.rfp.reviewers_per_proposal - held, 0),
                "open_review_count": proposal_open_review_count(proposal=proposal),
            }
        )
    return context


@require_GET
@buyer_required
def proposal_detail(request, reference: str):
    proposal = proposal_for_review(user=request.user, reference=reference)
    now = timezone.now()
    assignment = assignment_for_reviewer(reviewer=request.user, proposal=proposal)
    if rules.must_declare_conflicts(request.user, proposal):
        return _conflict_gate(request, proposal, assignment, form=ConflictForm())
    if not rules.may_read_for_review(request.user, proposal):
        raise Http404("No such proposal.")
    context = _proposal_context(request, proposal, now=now, assignment=assignment)
    return render(request, "review/proposal.html", context)


def _conflict_gate(request, proposal, assignment, *, form, status=200):
    blind = rules.supplier_hidden_from(request.user, proposal)
    context = {
        "proposal": proposal,
        "proposal_title": proposal_title_shown(proposal, supplier_hidden=blind),
        "assignment": assignment,
        "blind": blind,
        "form": form,
    }
    return render(request, "review/conflict.html", context, status=status)


@require_POST
@buyer_required
def declare_conflict(request, reference: str):
    proposal = proposal_for_review(user=request.user, reference=reference)
    assignment = assignment_for_reviewer(reviewer=request.user, proposal=proposal)
    if assignment is None:
        raise Http404("You hold no assignment on this proposal.")
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _conflict_gate(request, proposal, assignment, form=form, status=400)
    try:
        if form.cleaned_data["declaration"] == "conflict":
            release = services.assignment_release_for_conflict(
                assignment=assignment, actor=request.user, note=form.cleaned_data["note"]
            )
        else:
            services.assignment_declare_no_conflict(assignment=assignment, actor=request.user)
    except DomainError as error:
        form.add_error(None, error.message)
        return _conflict_gate(request, proposal, assignment, form=form, status=400)
    if form.cleaned_data["declaration"] == "conflict":
        replaced = "another reviewer takes it" if release.replacement.created else "the program lead assigns it"
        messages.success(request, f"Your conflict is on record and {proposal.reference} left your queue; {replaced}.")
        return redirect("review:queue")
    messages.success(request, "Thank you. You can read and score the proposal now.")
    return redirect("review:proposal", reference=proposal.reference)


@require_POST
@buyer_required
def save_review(request, reference: str):
    proposal = proposal_for_review(user=request.user, reference=reference)
    assignment = assignment_for_reviewer(reviewer=request.user, proposal=proposal)
    if rules.must_declare_conflicts(request.user, proposal):
        return _conflict_gate(request, proposal, assignment, form=ConflictForm(), status=409)
    rubric = rubric_for_proposal(proposal=proposal)
    if assignment is None or rubric is None or not rules.may_read_for_review(request.user, proposal):
        raise Http404("You hold no assignment on this proposal.")
    form = ReviewForm(request.POST, criteria=rubric.criteria.all(), review=getattr(assignment, "review", None))
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            review = services.review_save(
                assignment=assignment,
                actor=request.user,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                recommendation=form.cleaned_data["recommendation"],
                submit=submit,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if submit:
                score = review.weighted_score
                messages.success(request, f"Your review of {proposal.reference} is submitted (weighted score {score}).")
                return redirect("review:queue")
            messages.success(request, "Draft saved. You can come back to it until you submit.")
            return redirect("review:proposal", reference=proposal.reference)
    context = _proposal_context(request, proposal, now=timezone.now(), assignment=assignment, review_form=form)
    return render(request, "review/proposal.html", context, status=400)


@require_POST
@buyer_required
def open_commercial_terms(request, reference: str):
    """Opening sealed terms is an audited act, hence a POST; refused (404) to whoever may not see them yet."""
    proposal = proposal_for_review(user=request.user, reference=reference)
    terms = services.commercial_terms_open(user=request.user, proposal=proposal)
    if terms is None:
        raise Http404("The commercial terms are sealed until the round closes.")
    return render(request, "review/commercial_terms.html", {"proposal": proposal, "terms": terms})


@require_POST
@buyer_required(lead=True)
def decide(request, reference: str):
    proposal = proposal_for_review(user=request.user, reference=reference)
    form = DecisionForm(request.POST)
    if form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            services.proposal_decide_or_request(
                proposal=proposal,
                actor=request.user,
                outcome=outcome,
                message=form.cleaned_data["rationale"],
                internal_note=form.cleaned_data["internal_note"],
                open_reviews_confirmed=form.cleaned_data["open_reviews_confirmed"],
            )
            if outcome == "request_info":
                done = "The supplier is asked for more information and answers in the portal."
            else:
                done = f"{proposal.reference} is {DecisionOutcome(outcome).label.lower()}; the supplier is told."
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("review:proposal", reference=proposal.reference)
    context = _proposal_context(request, proposal, now=timezone.now(), decision_form=form)
    return render(request, "review/proposal.html", context, status=400)


@require_POST
@buyer_required(lead=True)
def assign_now(request, reference: str):
    proposal = proposal_for_review(user=request.user, reference=reference)
    try:
        result = services.proposal_assign_now(proposal=proposal, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.held >= result.required:
            messages.success(request, f"{proposal.reference} has its {counted(result.required, 'reviewer')}.")
        else:
            messages.warning(
                request,
                f"{proposal.reference} has {result.held} of {counted(result.required, 'reviewer')}: "
                f"no other reviewer of {proposal.sector.name} is free of conflicts and below their load. "
                "Add reviewers in the panel.",
            )
    return redirect(request.POST.get("next") or reverse("review:proposal", args=[proposal.reference]))


# --- Program leads' overviews -------------------------------------------------------------------------------------


@require_GET
@buyer_required(lead=True)
def unassigned(request):
    now = timezone.now()
    proposals = list(proposal_list_unassigned(now=now))
    for proposal in proposals:
        proposal.age_days = days_since(proposal.submitted_at, now)
    return render(request, "review/unassigned.html", {"proposals": proposals})


@require_GET
@buyer_required(lead=True)
def sla(request):
    """Rolling-review service levels: overdue reviews first, then how long each proposal has waited."""
    now = timezone.now()
    return render(request, "review/sla.html", {"levels": review_service_levels(now=now), "now": now})


@require_GET
@buyer_required(lead=True)
def ranking(request):
    rfps = list(rfp_list_newest_first())
    rfp = get_object_or_404(Rfp, pk=request.GET["rfp"]) if request.GET.get("rfp", "").isdigit() else None
    rfp = rfp or (rfps[0] if rfps else None)
    sectors = []
    if rfp is not None:
        for sector in Sector.objects.filter(rfps=rfp).order_by("position", "name"):
            sectors.append((sector, list(proposal_ranking_for_sector(rfp=rfp, sector=sector))))
    context = {"rfps": rfps, "rfp": rfp, "sectors": sectors, "export_rfps": [rfp] if rfp else []}
    return render(request, "review/ranking.html", context)
