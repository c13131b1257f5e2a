from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.factories import UserFactory
from rfp.models import Category, Proposal, Rfp, Sector
from rfp.services import proposal_create, proposal_update
from suppliers.factories import FacilityFactory, SupplierFactory


class RfpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rfp
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TEST-RFP-{n}")
    title = "AI infrastructure supply, test round"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    display_time_zone = "America/Los_Angeles"

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create:
            obj.sectors.set(extracted if extracted is not None else Sector.objects.all())


SECTOR_ANSWERS = {
    "datacenter": {
        "rack_power_density_kw": Decimal("132.0"),
        "cooling_type": "dtc_single_phase",
        "annual_units": 4000,
    },
    "consumer-electronics": {"smt_lines": 6, "final_assembly_units_per_month": 50_000, "ipc_class": 2},
    "robotics": {
        "component_type": "motor",
        "power_device_technology": "sic_mosfet",
        "rated_torque_nm": Decimal("40"),
    },
}


def draft_proposal(*, rfp=None, supplier=None, sector_code="datacenter", actor=None, complete=True) -> Proposal:
    """A draft made through the services, as the portal would make it; complete enough to submit by default."""
    rfp = rfp or RfpFactory()
    supplier = supplier or SupplierFactory()
    actor = actor or UserFactory()
    sector = Sector.objects.get(code=sector_code)
    proposal = proposal_create(rfp=rfp, supplier=supplier, sector=sector, actor=actor, title="US supply offer")
    if complete:
        facility = FacilityFactory(supplier=supplier)
        proposal = proposal_update(
            proposal=proposal,
            actor=actor,
            fields={
                "technical_narrative": "We build it in Texas.",
                "annual_capacity_units": 10_000,
                "lead_time_weeks": 12,
                "domestic_content_pct": Decimal("72.5"),
                "site_power_mw": Decimal("8.5"),
                "technicians": 30,
            },
            sector_answers=SECTOR_ANSWERS[sector_code],
            categories=list(Category.objects.filter(sector=sector)[:1]),
            facilities=[facility],
        )
    return proposal
