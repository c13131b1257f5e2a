"""The supplier's proposals in the portal: the round's page, the steps of a draft, submit and receipt, life after.

Views are thin: reads come from rfp.selectors, every change goes through rfp.services, and a DomainError's
message is shown to the person as it is. Another company's proposal is a 404; a viewer reads but cannot change.
"""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from portal.access import member_required
from rfp import rules, services
from rfp.enums import ProposalStatus
from rfp.exceptions import DomainError
from rfp.formatting import sentence
from rfp.forms import (
    DETAIL_FORMS,
    AsksForm,
    CapacityForm,
    ClarificationForm,
    CommercialTermsForm,
    InformationResponseForm,
    OverviewForm,
    ProposalStartForm,
    WithdrawForm,
)
from rfp.models import SECTOR_DETAIL_MODELS, CommercialTerms, Proposal, Sector
from rfp.selectors import (
    REQUIRED_PROPOSAL_FIELDS,
    REQUIRED_SECTOR_ANSWERS,
    addendum_list_published,
    addendum_published_for_rfp,
    clarification_list_awaiting_for_supplier,
    clarification_list_published,
    proposal_answer_summary,
    proposal_attachment_list,
    proposal_decision,
    proposal_for_supplier,
    proposal_information_requests,
    proposal_list_for_supplier,
    proposal_map_for_supplier,
    proposal_missing_answers,
    proposal_open_information_request,
    proposal_receipt,
    proposal_sector_details,
    proposal_unacknowledged_addenda,
    proposal_version_for_supplier,
    proposal_version_list,
    rfp_for_supplier,
    rfp_list_open,
)
from suppliers.selectors import facility_list_for_supplier

S = ProposalStatus
VIEWER_REFUSAL = "Your role is viewer: you can read your company's proposals but not change or submit them."

# What each status means to the supplier, in plain words.
STATUS_WORDS: dict[str, tuple[str, str]] = {
    S.DRAFT: ("Draft", "Not sent yet: answer every step and submit before the deadline."),
    S.SUBMITTED: ("Received", "Submitted and received; review has not started yet."),
    S.IN_REVIEW: ("In review", "Reviewers are reading your proposal."),
    S.INFO_REQUESTED: (
        "Information requested",
        "Reviewers asked you a question: answer it to continue the review.",
    ),
    S.SHORTLISTED: ("Shortlisted", "Your proposal is on the shortlist; the program lead will contact you."),
    S.DECLINED: ("Declined", "Your proposal was not selected in this round."),
    S.WITHDRAWN: ("Withdrawn", "You withdrew this proposal; it is not being reviewed."),
}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str


STEPS: tuple[Step, ...] = (
    Step("overview", "Overview"),
    Step("sector", "Sector questions"),
    Step("capacity", "Capacity & facilities"),
    Step("asks", "Asks & commercial terms"),
    Step("attachments", "Attachments"),
    Step("review", "Review & submit"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _neighbour(step: Step, offset: int) -> Step | None:
    index = STEPS.index(step) + offset
    return STEPS[index] if 0 <= index < len(STEPS) else None


@dataclass(frozen=True)
class Permissions:
    """What the signed-in person may do with one proposal right now; the services decide in the end."""

    closed: bool
    can_change: bool
    can_submit: bool
    can_withdraw: bool
    can_answer: bool


def _permissions(request, proposal: Proposal, now) -> Permissions:
    user = request.user
    return Permissions(
        closed=now >= proposal.rfp.closes_at,
        can_change=rules.may_edit_proposal(user, proposal, now=now),
        can_submit=rules.may_submit_proposal(user, proposal, now=now),
        can_withdraw=rules.may_withdraw_proposal(user, proposal),
        can_answer=rules.may_answer_information_request(user, proposal),
    )


def _status(proposal: Proposal) -> dict[str, str]:
    label, explanation = STATUS_WORDS[proposal.status]
    return {"code": proposal.status, "label": label, "explanation": explanation}


def _require_editor(request) -> None:
    if not request.access.can_edit:
        raise PermissionDenied(VIEWER_REFUSAL)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


# --- The round's page: addenda, clarifications ---------------------------------------------------------------


def _rfp_context(request, rfp, *, now, question_form=None) -> dict:
    supplier = request.access.supplier
    proposals = proposal_map_for_supplier(supplier=supplier, rfps=[rfp])
    sectors = [
        {"sector": sector, "categories": list(sector.categories.all()), "proposal": proposals.get((rfp.pk, sector.pk))}
        for sector in rfp.sectors.all()
    ]
    return {
        "rfp": rfp,
        "now": now,
        "access": request.access,
        "closed": now >= rfp.closes_at,
        "is_open": rfp.accepts_submissions_at(now),
        "sectors": sectors,
        "addenda": list(addendum_list_published(rfp=rfp, supplier=supplier, now=now)),
        "clarifications": list(clarification_list_published(rfp=rfp)),
        "awaiting": list(clarification_list_awaiting_for_supplier(rfp=rfp, supplier=supplier)),
        "question_form": question_form or ClarificationForm(),
    }


@member_required
def rfp_detail(request, reference: str):
    now = timezone.now()
    rfp = rfp_for_supplier(reference=reference, now=now)
    return render(request, "portal/proposals/rfp_detail.html", _rfp_context(request, rfp, now=now))


@require_POST
@member_required(editor=True)
def addendum_acknowledge(request, reference: str, number: int):
    now = timezone.now()
    rfp = rfp_for_supplier(reference=reference, now=now)
    addendum = addendum_published_for_rfp(rfp=rfp, number=number, now=now)
    try:
        services.addendum_acknowledge(addendum=addendum, supplier=request.access.supplier, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, sentence(f"Addendum {addendum.number} acknowledged for {request.access.supplier.legal_name}")
        )
    default = reverse("portal:rfp_detail", args=[rfp.reference]) + f"#addendum-{addendum.number}"
    return redirect(_safe_next(request, default))


@require_POST
@member_required(editor=True)
def clarification_ask(request, reference: str):
    now = timezone.now()
    rfp = rfp_for_supplier(reference=reference, now=now)
    form = ClarificationForm(request.POST)
    if form.is_valid():
        try:
            services.clarification_ask(
                rfp=rfp, supplier=request.access.supplier, actor=request.user, question=form.cleaned_data["question"]
            )
        except DomainError as error:
            form.add_error("question", error.message)
        else:
            messages.success(
                request,
                "Your question was sent. Only your company sees it until the program lead publishes an answer, "
                "which everyone will see without your company's name.",
            )
            return redirect(reverse("portal:rfp_detail", args=[rfp.reference]) + "#questions")
    context = _rfp_context(request, rfp, now=now, question_form=form)
    return render(request, "portal/proposals/rfp_detail.html", context)


# --- The company's proposals and starting one ----------------------------------------------------------------


@member_required
def proposal_list(request):
    now = timezone.now()
    rows = [
        {"proposal": proposal, "status": _status(proposal), "closed": now >= proposal.rfp.closes_at}
        for proposal in proposal_list_for_supplier(supplier=request.access.supplier)
    ]
    return render(request, "portal/proposals/list.html", {"rows": rows, "access": request.access, "now": now})


def _start_rounds(supplier, now) -> list[dict]:
    rfps = list(rfp_list_open(now=now))
    existing = proposal_map_for_supplier(supplier=supplier, rfps=rfps)
    return [
        {
            "rfp": rfp,
            "sectors": [
                {
                    "sector": sector,
                    "value": f"{rfp.reference}|{sector.code}",
                    "proposal": existing.get((rfp.pk, sector.pk)),
                }
                for sector in rfp.sectors.all()
            ],
        }
        for rfp in rfps
    ]


@require_http_methods(["GET", "POST"])
@member_required(editor=True)
def proposal_start(request):
    now = timezone.now()
    supplier = request.access.supplier
    rounds = _start_rounds(supplier, now)
    choices = [
        (item["value"], f"{round_['rfp'].reference}: {item['sector'].name}")
        for round_ in rounds
        for item in round_["sectors"]
        if item["proposal"] is None
    ]
    if request.method == "POST":
        form = ProposalStartForm(request.POST, choices=choices)
        if form.is_valid():
            rfp_reference, sector_code = form.cleaned_data["choice"].split("|", 1)
            rfp = next(round_["rfp"] for round_ in rounds if round_["rfp"].reference == rfp_reference)
            sector = Sector.objects.get(code=sector_code)
            try:
                proposal = services.proposal_create(
                    rfp=rfp, supplier=supplier, sector=sector, actor=request.user, title=form.cleaned_data["title"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Proposal {proposal.reference} started. It saves as you go.")
                return redirect("portal:proposal_step", reference=proposal.reference, step="overview")
    else:
        wanted = f"{request.GET.get('rfp', '')}|{request.GET.get('sector', '')}"
        form = ProposalStartForm(choices=choices, initial={"choice": wanted})
    return render(
        request,
        "portal/proposals/start.html",
        {"form": form, "rounds": rounds, "now": now, "selected": form["choice"].value() or ""},
    )


# --- The steps of a proposal ---------------------------------------------------------------------------------


def _field_steps(sector_code: str) -> dict[str, str]:
    """Which step answers each label proposal_missing_answers can return."""
    steps = {"at least one category": "overview", "at least one US facility": "capacity"}
    overview_fields = set(OverviewForm._meta.fields)
    for name in REQUIRED_PROPOSAL_FIELDS:
        label = str(Proposal._meta.get_field(name).verbose_name)
        steps[label] = "overview" if name in overview_fields else "capacity"
    model = SECTOR_DETAIL_MODELS[sector_code]
    for name in REQUIRED_SECTOR_ANSWERS[sector_code]:
        steps[str(model._meta.get_field(name).verbose_name)] = "sector"
    return steps


def _checklist(proposal: Proposal, now) -> dict:
    steps = _field_steps(proposal.sector.code)
    missing = [
        {"label": label, "step": STEP_BY_SLUG[steps.get(label, "overview")]}
        for label in proposal_missing_answers(proposal=proposal)
    ]
    addenda = proposal_unacknowledged_addenda(proposal=proposal, now=now)
    return {"missing": missing, "addenda": addenda, "complete": not missing and not addenda}


def _resume_step(proposal: Proposal) -> Step:
    """Where a supplier coming back to a draft picks up: the first step still missing an answer."""
    steps = _field_steps(proposal.sector.code)
    slugs = {steps.get(label, "overview") for label in proposal_missing_answers(proposal=proposal)}
    return next((step for step in STEPS if step.slug in slugs), STEP_BY_SLUG["review"])


class StepForms:
    """The forms of one step and how their answers go to proposal_update."""

    def __init__(self, step: Step, proposal: Proposal, supplier, data=None, *, read_only: bool):
        self.step = step
        self.proposal = proposal
        # Forms validate a copy, so a refused save leaves the proposal shown on the page as stored.
        instance = copy.copy(proposal)
        options = {"read_only": read_only}
        if step.slug == "overview":
            self.forms = [OverviewForm(data, instance=instance, sector=proposal.sector, **options)]
        elif step.slug == "sector":
            model = SECTOR_DETAIL_MODELS[proposal.sector.code]
            details = proposal_sector_details(proposal=proposal) or model(proposal=proposal)
            self.forms = [DETAIL_FORMS[model](data, instance=details, **options)]
        elif step.slug == "capacity":
            facilities = facility_list_for_supplier(supplier=supplier)
            self.forms = [CapacityForm(data, instance=instance, facilities=facilities, **options)]
        elif step.slug == "asks":
            terms = CommercialTerms.objects.filter(proposal=proposal).first() or CommercialTerms(proposal=proposal)
            self.forms = [
                AsksForm(data, instance=instance, prefix="asks", **options),
                CommercialTermsForm(data, instance=terms, prefix="terms", **options),
            ]
        else:
            self.forms = []

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    def save(self, *, actor) -> Proposal:
        form = self.forms[0]
        if self.step.slug == "overview":
            return services.proposal_update(
                proposal=self.proposal,
                actor=actor,
                fields=form.changes(),
                categories=list(form.cleaned_data["categories"]),
            )
        if self.step.slug == "sector":
            return services.proposal_update(proposal=self.proposal, actor=actor, sector_answers=form.cleaned_data)
        if self.step.slug == "capacity":
            return services.proposal_update(
                proposal=self.proposal,
                actor=actor,
                fields=form.changes(),
                facilities=list(form.cleaned_data["facilities"]),
            )
        asks, terms = self.forms
        return services.proposal_update(
            proposal=self.proposal, actor=actor, fields=asks.changes(), commercial_terms=terms.cleaned_data
        )

    def refuse(self, message: str) -> None:
        self.forms[0].add_error(None, message)

    @property
    def errors(self) -> list[str]:
        found = []
        for form in self.forms:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else None
                found.extend(f"{label}: {error}" if label else error for error in errors)
        return found


def _step_context(request, proposal: Proposal, step: Step, *, now, permissions: Permissions, **extra) -> dict:
    index = STEPS.index(step)
    return {
        "proposal": proposal,
        "rfp": proposal.rfp,
        "now": now,
        "access": request.access,
        "permissions": permissions,
        "status": _status(proposal),
        "steps": STEPS,
        "step": step,
        "step_number": index + 1,
        "previous_step": _neighbour(step, -1),
        "next_step": _neighbour(step, 1),
        **extra,
    }


def _saved_at(proposal: Proposal) -> str:
    local = timezone.localtime(proposal.updated_at, proposal.rfp.tz)
    return f"{local:%H:%M:%S} {local.tzname()}"


@require_http_methods(["GET", "POST"])
@member_required
def proposal_step(request, reference: str, step: str):
    if step not in STEP_BY_SLUG:
        raise Http404("No such step.")
    step_ = STEP_BY_SLUG[step]
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    now = timezone.now()
    if request.method == "POST":
        _require_editor(request)
    permissions = _permissions(request, proposal, now)

    if step_.slug == "attachments":
        if request.method == "POST":
            return redirect("portal:proposal_step", reference=proposal.reference, step="review")
        return render(
            request,
            "portal/proposals/step_attachments.html",
            _step_context(
                request,
                proposal,
                step_,
                now=now,
                permissions=permissions,
                attachments=list(proposal_attachment_list(proposal=proposal)),
                information_request=proposal_open_information_request(proposal=proposal),
            ),
        )
    if step_.slug == "review":
        if request.method == "POST":
            return redirect("portal:proposal_step", reference=proposal.reference, step="review")
        return render(
            request,
            "portal/proposals/step_review.html",
            _step_context(
                request,
                proposal,
                step_,
                now=now,
                permissions=permissions,
                checklist=_checklist(proposal, now),
                attachments=list(proposal_attachment_list(proposal=proposal)),
                answers=proposal_answer_summary(proposal=proposal),
            ),
        )

    if request.method == "GET":
        forms = StepForms(step_, proposal, request.access.supplier, read_only=not permissions.can_change)
        return render(
            request,
            "portal/proposals/step_form.html",
            _step_context(request, proposal, step_, now=now, permissions=permissions, forms=forms.forms),
        )

    forms = StepForms(step_, proposal, request.access.supplier, request.POST, read_only=False)
    saved = None
    if forms.is_valid():
        try:
            saved = forms.save(actor=request.user)
        except DomainError as error:
            forms.refuse(error.message)
        except ValidationError as error:
            for message in error.messages:
                forms.refuse(message)
    if request.htmx:
        context = {"saved_at": _saved_at(saved) if saved else None, "errors": forms.errors}
        return render(request, "portal/proposals/_save_status.html", context)
    if saved is not None:
        messages.success(request, f"Saved at {_saved_at(saved)}.")
        going = request.POST.get("go")
        target = {"back": _neighbour(step_, -1), "next": _neighbour(step_, 1)}.get(going)
        return redirect("portal:proposal_step", reference=saved.reference, step=(target or step_).slug)
    return render(
        request,
        "portal/proposals/step_form.html",
        _step_context(request, proposal, step_, now=now, permissions=permissions, forms=forms.forms),
    )


# --- Submit, receipt, status, withdraw, answer -----------------------------------------------------------------


@require_POST
@member_required(editor=True)
def proposal_submit(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    try:
        version = services.proposal_submit_with_receipt(proposal=proposal, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        if proposal.status == S.DRAFT:
            return redirect("portal:proposal_step", reference=proposal.reference, step="review")
        return redirect("portal:proposal_detail", reference=proposal.reference)
    messages.success(
        request, f"Proposal {proposal.reference} submitted as version {version.number}. Your receipt is below."
    )
    return redirect("portal:proposal_receipt", reference=proposal.reference, number=version.number)


@member_required
def proposal_receipt_view(request, reference: str, number: int):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    version = proposal_version_for_supplier(proposal=proposal, number=number)
    return render(
        request,
        "portal/proposals/receipt.html",
        {"proposal": proposal, "receipt": proposal_receipt(version=version), "access": request.access},
    )


def _detail_context(request, proposal: Proposal, *, now, answer_form=None) -> dict:
    permissions = _permissions(request, proposal, now)
    open_request = proposal_open_information_request(proposal=proposal)
    return {
        "proposal": proposal,
        "rfp": proposal.rfp,
        "now": now,
        "access": request.access,
        "permissions": permissions,
        "status": _status(proposal),
        "versions": list(proposal_version_list(proposal=proposal)),
        "information_requests": list(proposal_information_requests(proposal=proposal)),
        "information_request": open_request,
        "answer_form": answer_form or InformationResponseForm(),
        "attachments": list(proposal_attachment_list(proposal=proposal)),
        "decision": proposal_decision(proposal=proposal),
        "resume_step": _resume_step(proposal) if proposal.status == S.DRAFT else None,
    }


@member_required
def proposal_detail(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    now = timezone.now()
    return render(request, "portal/proposals/detail.html", _detail_context(request, proposal, now=now))


@require_POST
@member_required(editor=True)
def proposal_answer(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    form = InformationResponseForm(request.POST)
    if form.is_valid():
        try:
            version = services.proposal_resubmit_with_receipt(
                proposal=proposal, actor=request.user, response=form.cleaned_data["response"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Your answer was sent as version {version.number} of {proposal.reference}. Your receipt:"
            )
            return redirect("portal:proposal_receipt", reference=proposal.reference, number=version.number)
    context = _detail_context(request, proposal, now=timezone.now(), answer_form=form)
    return render(request, "portal/proposals/detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required(editor=True)
def proposal_withdraw(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    now = timezone.now()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Proposal {proposal.reference} is withdrawn; reviewers no longer see it.")
        return redirect("portal:proposal_detail", reference=proposal.reference)
    return render(
        request,
        "portal/proposals/withdraw.html",
        {
            "proposal": proposal,
            "rfp": proposal.rfp,
            "now": now,
            "form": form,
            "status": _status(proposal),
            "permissions": _permissions(request, proposal, now),
        },
    )
