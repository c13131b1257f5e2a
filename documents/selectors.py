"""Reads behind the proposal's PDF summary: who gets which copy, what each copy shows, and the stored copies.

Three copies of one summary: the supplier's (its own proposal, commercial terms included, nothing of the review),
the reviewer's (checks and scores; commercial terms only once the round has closed, supplier hidden in a blind
round) and the program lead's (everything, the prices too once the round has closed). Who gets which copy and
what it shows are the predicates of `rfp.rules`; nothing is decided here.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, QuerySet
from django.http import Http404

from documents.charts import Bar, bar_chart_svg
from documents.models import Audience, SummaryPdf
from jobs.models import Job
from rfp import rules
from rfp.enums import AssignmentStatus, CheckOutcome, ProposalStatus
from rfp.job_names import SUMMARY_RENDER_TASK
from rfp.models import Proposal, ProposalVersion, ReviewAssignment, Score
from rfp.rules import supplier_hidden_from_reviewers
from rfp.selectors import (
    proposal_answer_summary,
    proposal_attachments_shown,
    proposal_check_list,
    proposal_checks_shown,
    proposal_decision,
    proposal_receipt,
    proposal_score_summary,
    proposal_title_shown,
)
from suppliers.models import WORKFORCE_TRADES
from suppliers.naics import naics_describe
from suppliers.selectors import certification_list_for_supplier

# The answer section proposal_answer_summary ends with; its title depends on whether the terms are in it.
ASKS_SECTION = "Asks & commercial terms"


# --- Who gets which copy ------------------------------------------------------------------------------------------


def summary_pdf_audience_for(*, user, proposal: Proposal) -> str | None:
    """The copy this person may read (`rfp.rules`), or None: program leads get the lead's copy; a reviewer who may
    read the proposal for review (holds it, declared no conflict) the reviewer's; a member of the supplier the
    supplier's. A reviewer who has not declared conflicts yet gets none."""
    if rules.is_program_lead(user):
        return Audience.PROGRAM_LEAD if rules.may_read_for_review(user, proposal) else None
    if rules.may_read_for_review(user, proposal):
        return Audience.REVIEWER
    if rules.may_read_as_supplier(user, proposal):
        return Audience.SUPPLIER
    return None


def proposal_for_summary_download(*, user, proposal_id: int) -> tuple[Proposal, str]:
    """A submitted proposal and the copy of its summary this person may read; anyone else gets a 404, never a 403."""
    proposal = (
        Proposal.objects.select_related("rfp", "sector", "supplier").filter(pk=proposal_id, version__gte=1).first()
    )
    audience = summary_pdf_audience_for(user=user, proposal=proposal) if proposal is not None else None
    if audience is None:
        raise Http404("No such summary.")
    return proposal, audience


# --- The stored copies --------------------------------------------------------------------------------------------


# "render_" names are routed to the "pdf" queue (CELERY_TASK_ROUTES).
# How a render given up for good (documents.services.SummaryPdfFailed) begins its message.
RENDER_FAILURE_OPENING = "The summary of "


def summary_pdf_failure(*, proposal: Proposal, audience: str) -> str:
    """Why the copy of the proposal's current version cannot be made (too long, too slow), or "" when it can."""
    failure = (
        Job.objects.filter(
            task_name=SUMMARY_RENDER_TASK,
            status=Job.Status.DEAD,
            arguments__proposal_id=proposal.pk,
            arguments__audience=audience,
            arguments__version=proposal.version,
            last_error__startswith=RENDER_FAILURE_OPENING,
        )
        .order_by("-finished_at")
        .values_list("last_error", flat=True)
        .first()
    )
    return failure or ""


def summary_pdf_latest(*, proposal: Proposal, audience: str, state: str | None = None) -> SummaryPdf | None:
    """The newest copy for the proposal's current version (and, given one, for exactly that state)."""
    copies = SummaryPdf.objects.filter(proposal=proposal, audience=audience, proposal_version=proposal.version)
    if state is not None:
        copies = copies.filter(state=state)
    return copies.order_by("-rendered_at", "-id").first()


def summary_pdf_newest_per_audience(*, queryset: QuerySet[SummaryPdf] | None = None) -> QuerySet[SummaryPdf]:
    """Of each proposal, the newest copy of each audience for its current version (the panel's inline)."""
    newer = SummaryPdf.objects.filter(
        proposal=OuterRef("proposal"),
        audience=OuterRef("audience"),
        proposal_version=OuterRef("proposal_version"),
        id__gt=OuterRef("id"),
    )
    queryset = SummaryPdf.objects.all() if queryset is None else queryset
    return (
        queryset.filter(proposal_version=F("proposal__version"))
        .exclude(Exists(newer))
        .select_related("proposal")
        .order_by("audience")
    )


# --- What a copy shows --------------------------------------------------------------------------------------------


def summary_pdf_shows_commercial_terms(*, proposal: Proposal, audience: str, now) -> bool:
    """The supplier's copy shows its own terms; the buyer's copies only once the round has closed (`rfp.rules`):
    a stored copy is never the audited opening of sealed terms."""
    if audience == Audience.SUPPLIER:
        return True
    return not rules.commercial_terms_sealed(proposal.rfp, now=now)


def summary_pdf_blind(*, proposal: Proposal, audience: str) -> bool:
    """Blind review: the reviewer's copy of a blind round leaves out who the supplier is."""
    return audience == Audience.REVIEWER and supplier_hidden_from_reviewers(proposal.rfp)


def summary_pdf_state(*, proposal: Proposal, audience: str, now) -> str:
    """What a copy reflects, as a key: a stored copy with the current key needs no new render. The supplier's copy
    changes only with a new version; the buyer's copies also with checks, submitted reviews, a decision, a
    withdrawal and the opening of the sealed prices."""
    parts = [
        f"v{proposal.version}",
        f"terms:{int(summary_pdf_shows_commercial_terms(proposal=proposal, audience=audience, now=now))}",
    ]
    if audience != Audience.SUPPLIER:
        reviews = ReviewAssignment.objects.filter(proposal=proposal, status=AssignmentStatus.COMPLETED).aggregate(
            count=Count("review"), last=Max("review__id")
        )
        decision = proposal_decision(proposal=proposal)
        parts += [
            f"checks:{proposal_check_list(proposal=proposal).count()}",
            f"reviews:{reviews['count']}:{reviews['last'] or 0}",
            f"decision:{decision.outcome if decision else '-'}",
            f"withdrawn:{int(proposal.status == ProposalStatus.WITHDRAWN)}",
            f"blind:{int(summary_pdf_blind(proposal=proposal, audience=audience))}",
        ]
    return "|".join(parts)


@dataclass(frozen=True)
class FacilityRow:
    label: str
    city: str
    state: str
    zip_code: str
    status: str
    site_power_mw: Decimal
    workforce: list[int]
    workforce_total: int


@dataclass(frozen=True)
class CriterionScore:
    name: str
    weight: Decimal
    max_score: int
    mean: Decimal
    count: int


def _local_text(moment, rfp) -> str:
    local = moment.astimezone(rfp.tz)
    return f"{local:%B %-d, %Y, %-I:%M %p} {local.tzname()}"


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return f"{country.name} ({code})" if country else code


def _facility_rows(proposal: Proposal, *, blind: bool) -> list[FacilityRow]:
    rows = []
    for number, facility in enumerate(proposal.facilities.order_by("name", "id"), start=1):
        rows.append(
            FacilityRow(
                label=f"Facility {number}" if blind else facility.name,
                city="" if blind else facility.city,
                state=facility.state,
                zip_code="" if blind else facility.zip_code,
                status=facility.get_status_display(),
                site_power_mw=facility.site_power_mw,
                workforce=[getattr(facility, trade) for trade in WORKFORCE_TRADES],
                workforce_total=facility.workforce_total,
            )
        )
    return rows


def proposal_criterion_scores(*, proposal: Proposal) -> list[CriterionScore]:
    """Mean score of each criterion over the submitted reviews, in the rubric's order."""
    rows = (
        Score.objects.filter(
            review__assignment__proposal=proposal, review__assignment__status=AssignmentStatus.COMPLETED
        )
        .values("criterion__name", "criterion__weight", "criterion__max_score", "criterion__position", "criterion_id")
        .annotate(mean=Avg("value"), count=Count("id"))
        .order_by("criterion__position", "criterion_id")
    )
    return [
        CriterionScore(
            name=row["criterion__name"],
            weight=row["criterion__weight"],
            max_score=row["criterion__max_score"],
            mean=Decimal(str(row["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            count=row["count"],
        )
        for row in rows
    ]


def _answer_sections(proposal: Proposal, *, shows_terms: bool, blind: bool, closes_at_text: str):
    sections = []
    for title, rows in proposal_answer_summary(proposal=proposal, with_commercial_terms=shows_terms, blind=blind):
        note = ""
        if title == ASKS_SECTION and not shows_terms:
            title, note = (
                "Asks of the buyer",
                f"Commercial terms stay sealed in this copy until the round closes on {closes_at_text}.",
            )
        sections.append({"title": title, "rows": rows, "note": note})
    return sections


def summary_pdf_context(*, proposal: Proposal, audience: str, now) -> dict:
    """Everything the summary template shows to one audience; supplier text stays plain text (autoescaped)."""
    rfp = proposal.rfp
    buyer = audience != Audience.SUPPLIER
    blind = summary_pdf_blind(proposal=proposal, audience=audience)
    shows_terms = summary_pdf_shows_commercial_terms(proposal=proposal, audience=audience, now=now)
    version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(
        proposal=proposal, number=proposal.version
    )
    receipt = proposal_receipt(version=version)
    closes_at_text = _local_text(rfp.closes_at, rfp)
    facilities = _facility_rows(proposal, blind=blind)
    context = {
        "proposal": proposal,
        "rfp": rfp,
        "supplier": proposal.supplier,
        "audience": audience,
        "audience_label": Audience(audience).label,
        "blind": blind,
        "proposal_title": proposal_title_shown(proposal, supplier_hidden=blind),
        "receipt": receipt,
        "rendered_at_text": _local_text(now, rfp),
        "closes_at_text": closes_at_text,
        "withdrawn": proposal.status == ProposalStatus.WITHDRAWN,
        "naics": naics_describe(proposal.supplier.naics_codes or []),
        "certifications": list(certification_list_for_supplier(supplier=proposal.supplier)),
        "facilities": facilities,
        "workforce_trades": [trade.capitalize() for trade in WORKFORCE_TRADES],
        "facility_totals": {
            "site_power_mw": sum((row.site_power_mw or 0 for row in facilities), Decimal(0)),
            "workforce": [sum(row.workforce[index] for row in facilities) for index in range(len(WORKFORCE_TRADES))],
            "workforce_total": sum(row.workforce_total for row in facilities),
        },
        "sections": _answer_sections(proposal, shows_terms=shows_terms, blind=blind, closes_at_text=closes_at_text),
        "shows_commercial_terms": shows_terms,
        "countries_of_origin": [_country_name(code) for code in proposal.countries_of_origin or []],
        "attachments": proposal_attachments_shown(proposal=proposal, supplier_hidden=blind),
        "charts": {
            "site_power": bar_chart_svg(
                title="Site power by facility (MW)",
                bars=[Bar(row.label, row.site_power_mw) for row in facilities],
                unit="MW",
            ),
            "workforce": bar_chart_svg(
                title="Workforce by facility (people)",
                bars=[Bar(row.label, row.workforce_total) for row in facilities],
            ),
            "capacity": bar_chart_svg(
                title="US capacity (units per year)",
                bars=[
                    Bar("Current", proposal.current_annual_capacity_units),
                    Bar("Proposed", proposal.annual_capacity_units),
                ],
                unit="units",
            ),
        },
    }
    if buyer:
        checks = proposal_checks_shown(proposal=proposal, supplier_hidden=blind)
        decision = proposal_decision(proposal=proposal)
        criteria = proposal_criterion_scores(proposal=proposal)
        context.update(
            {
                "checks": checks,
                "check_counts": {
                    outcome.label: sum(1 for check in checks if check.outcome == outcome) for outcome in CheckOutcome
                },
                "score_summary": proposal_score_summary(proposal=proposal),
                "criteria": criteria,
                "decision": decision,
                "decision_at_text": _local_text(decision.decided_at, rfp) if decision else "",
            }
        )
        if criteria:
            context["charts"]["scores"] = bar_chart_svg(
                title="Mean score by criterion",
                bars=[Bar(row.name, row.mean, note=f"of {row.max_score}", maximum=row.max_score) for row in criteria],
            )
    return context


def summary_pdf_file_name(*, proposal: Proposal, audience: str) -> str:
    """The name a downloaded copy is saved under (the stored file has a random name)."""
    suffix = {Audience.SUPPLIER: "supplier", Audience.REVIEWER: "reviewer", Audience.PROGRAM_LEAD: "lead"}[audience]
    return f"{proposal.reference}-v{proposal.version}-summary-{suffix}.pdf"
