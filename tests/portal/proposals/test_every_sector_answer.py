"""Every answer of every sector, given as a supplier gives it: typed into the portal's sector step and sent to the API.

Each question is saved alone (so one broken question cannot hide behind another), read back as stored, and then
changed again, which is what failed for consumer electronics: the IPC class answered 500 on both faces.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from rfp.factories import draft_proposal
from rfp.selectors import proposal_sector_details
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# question -> (what the portal posts, what the API sends, what is stored), then a second, different answer.
ANSWERS = {
    "datacenter": {
        "rack_power_density_kw": [("132.5", "132.5", Decimal("132.5")), ("40", "40.0", Decimal("40"))],
        "cooling_type": [("immersion", "immersion", "immersion"), ("air", "air", "air")],
        "cooling_capacity_kw": [("140", "140", Decimal("140")), ("95.5", "95.5", Decimal("95.5"))],
        "power_per_unit_kw": [("120.25", "120.25", Decimal("120.25")), ("8", "8", Decimal("8"))],
        "annual_units": [("4000", 4000, 4000), ("12", 12, 12)],
    },
    "consumer-electronics": {
        "smt_lines": [("6", 6, 6), ("2", 2, 2)],
        "placements_per_hour": [("84000", 84000, 84000), ("1500", 1500, 1500)],
        "final_assembly_units_per_month": [("50000", 50000, 50000), ("800", 800, 800)],
        "ipc_class": [("2", 2, 2), ("3", 3, 3)],
    },
    "robotics": {
        "component_type": [("gearbox", "gearbox", "gearbox"), ("motor", "motor", "motor")],
        "rated_torque_nm": [("40", "40", Decimal("40")), ("12.5", "12.5", Decimal("12.5"))],
        "peak_torque_nm": [("120", "120", Decimal("120")), ("60", "60", Decimal("60"))],
        "gear_ratio": [("50", "50", Decimal("50")), ("7.5", "7.5", Decimal("7.5"))],
        "power_device_technology": [("gan", "gan", "gan"), ("sic_mosfet", "sic_mosfet", "sic_mosfet")],
        "magnet_country_of_origin": [("jp", "jp", "JP"), ("US", "US", "US")],
    },
}
CASES = [(sector, question) for sector, questions in ANSWERS.items() for question in questions]


def _stored(proposal, question):
    return getattr(proposal_sector_details(proposal=proposal), question)


@pytest.mark.parametrize(("sector", "question"), CASES)
def test_the_portal_saves_every_answer_of_every_sector(client, rfp, supplier, owner, editor, sector, question):
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code=sector)
    client.force_login(editor)
    url = reverse("portal:proposal_step", args=[proposal.reference, "sector"])
    for posted, _sent, stored in ANSWERS[sector][question]:
        response = client.post(url, {question: posted, "go": "stay"})
        assert response.status_code in (200, 302), response.content[:500]
        assert _stored(proposal, question) == stored
    page = client.get(url)
    assert page.status_code == 200


@pytest.mark.parametrize(("sector", "question"), CASES)
def test_the_api_saves_every_answer_of_every_sector(rfp, supplier, owner, editor, sector, question):
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code=sector)
    api = client_for(editor)
    url = reverse("api:sector-details", args=[proposal.reference])
    for _posted, sent, stored in ANSWERS[sector][question]:
        response = api.patch(url, {"sector": sector, question: sent}, format="json")
        assert response.status_code == 200, response.content[:500]
        assert _stored(proposal, question) == stored
        read = api.get(url).json()
        assert read["sector"] == sector
        assert (Decimal(read[question]) if isinstance(stored, Decimal) else read[question]) == stored
