"""Reads of RFPs and proposals: every queryset a face shows is built here, scoped to who asks."""

from django.db.models import Prefetch, QuerySet

from rfp.models import SECTOR_DETAIL_MODELS, Proposal, Rfp, Sector

# The sector's own questions a proposal must answer before it can be submitted.
REQUIRED_SECTOR_ANSWERS: dict[str, tuple[str, ...]] = {
    "datacenter": ("rack_power_density_kw", "cooling_type", "annual_units"),
    "consumer-electronics": ("smt_lines", "final_assembly_units_per_month", "ipc_class"),
    "robotics": ("component_type", "power_device_technology"),
}
REQUIRED_PROPOSAL_FIELDS: tuple[str, ...] = (
    "title",
    "technical_narrative",
    "annual_capacity_units",
    "lead_time_weeks",
    "domestic_content_pct",
    "site_power_mw",
)


def rfp_list_open(*, now) -> QuerySet[Rfp]:
    sectors = Prefetch("sectors", queryset=Sector.objects.order_by("position"))
    return Rfp.objects.filter(opens_at__lte=now, closes_at__gt=now).prefetch_related(sectors).order_by("closes_at")


def proposal_sector_details(*, proposal: Proposal):
    """The proposal's typed answers for its sector, or None when it has none yet."""
    model = SECTOR_DETAIL_MODELS[proposal.sector.code]
    return model.objects.filter(proposal=proposal).first()


def proposal_missing_answers(*, proposal: Proposal) -> list[str]:
    """Human labels of what the proposal still lacks before it can be submitted; empty when complete."""
    missing = [
        str(Proposal._meta.get_field(name).verbose_name)
        for name in REQUIRED_PROPOSAL_FIELDS
        if getattr(proposal, name) in (None, "")
    ]
    if not proposal.categories.exists():
        missing.append("at least one category")
    if not proposal.facilities.exists():
        missing.append("at least one US facility")
    details = proposal_sector_details(proposal=proposal)
    model = SECTOR_DETAIL_MODELS[proposal.sector.code]
    for name in REQUIRED_SECTOR_ANSWERS[proposal.sector.code]:
        if details is None or getattr(details, name) in (None, ""):
            missing.append(str(model._meta.get_field(name).verbose_name))
    return missing


def proposal_list_for_supplier(*, supplier) -> QuerySet[Proposal]:
    return Proposal.objects.filter(supplier=supplier).select_related("rfp", "sector").order_by("-created_at")


def proposal_for_supplier(*, supplier, reference: str) -> Proposal:
    """One of the supplier's own proposals; anyone else's is a 404, never a hint that it exists."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Proposal.objects.select_related("rfp", "sector", "supplier"), supplier=supplier, reference=reference
    )
