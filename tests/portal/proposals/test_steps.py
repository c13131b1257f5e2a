"""The proposal's steps: each saves through proposal_update, reloads as saved, and refuses bad input unchanged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rfp import services
from rfp.factories import draft_proposal
from rfp.models import Category, CommercialTerms, DatacenterDetails, Proposal, RoboticsDetails
from suppliers.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def step_url(proposal, step):
    return reverse("portal:proposal_step", args=[proposal.reference, step])


def overview_data(**changes):
    data = {"title": "Liquid-cooled racks from Austin", "technical_narrative": "Two lines in Austin, TX."}
    data.update(changes)
    return data


def test_each_step_saves_and_shows_the_saved_answers_when_the_supplier_comes_back(client, editor, empty_draft):
    client.force_login(editor)
    proposal = empty_draft
    categories = list(Category.objects.filter(sector__code="datacenter").order_by("position")[:2])
    facility = FacilityFactory(supplier=proposal.supplier, name="Austin Plant 2")

    response = client.post(
        step_url(proposal, "overview"),
        overview_data(categories=[c.pk for c in categories], go="next"),
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(proposal, "sector")

    client.post(
        step_url(proposal, "sector"),
        {
            "rack_power_density_kw": "132.5",
            "cooling_type": "dtc_single_phase",
            "cooling_capacity_kw": "140",
            "power_per_unit_kw": "120.25",
            "annual_units": "4000",
            "go": "next",
        },
    )
    client.post(
        step_url(proposal, "capacity"),
        {
            "facilities": [facility.pk],
            "current_annual_capacity_units": "2000",
            "annual_capacity_units": "6000",
            "capacity_ramp": "Q1 2027: 500",
            "lead_time_weeks": "14",
            "site_power_mw": "9.5",
            "domestic_content_pct": "71.5",
            "countries_of_origin": "mx, jp",
            "sub_suppliers": "Gulf Sheet Metal LLC\n\nAlamo Copper Works\n",
            "electricians": "4",
            "machinists": "6",
            "technicians": "12",
            "assemblers": "30",
            "engineers": "5",
            "go": "next",
        },
    )
    client.post(
        step_url(proposal, "asks"),
        {
            "asks-asks_offtake_units": "3000",
            "asks-asks_co_investment_usd": "2500000",
            "asks-asks_prepayment_pct": "20",
            "asks-asks_notes": "Transformer lead time support.",
            "terms-unit_price_usd": "41000",
            "terms-total_price_usd": "246000000",
            "terms-price_validity_days": "90",
            "terms-payment_terms": "Net 30",
            "terms-incoterms": "FCA Austin",
            "terms-notes": "",
            "go": "next",
        },
    )

    proposal.refresh_from_db()
    assert proposal.title == "Liquid-cooled racks from Austin"
    assert set(proposal.categories.all()) == set(categories)
    assert list(proposal.facilities.all()) == [facility]
    assert proposal.countries_of_origin == ["MX", "JP"]
    assert proposal.sub_suppliers == ["Gulf Sheet Metal LLC", "Alamo Copper Works"]
    assert (proposal.annual_capacity_units, proposal.technicians) == (6000, 12)
    assert proposal.asks_prepayment_pct == Decimal("20")
    details = DatacenterDetails.objects.get(proposal=proposal)
    assert details.rack_power_density_kw == Decimal("132.5")
    assert CommercialTerms.objects.get(proposal=proposal).incoterms == "FCA Austin"

    # Coming back later: every step shows what was saved.
    assert 'value="Liquid-cooled racks from Austin"' in client.get(step_url(proposal, "overview")).content.decode()
    assert 'value="132.5"' in client.get(step_url(proposal, "sector")).content.decode()
    capacity = client.get(step_url(proposal, "capacity")).content.decode()
    assert 'value="MX, JP"' in capacity
    assert "Gulf Sheet Metal LLC\nAlamo Copper Works" in capacity
    assert 'value="FCA Austin"' in client.get(step_url(proposal, "asks")).content.decode()
    review = client.get(step_url(proposal, "review")).content.decode()
    assert "Everything required is answered" in review


def test_the_detail_page_of_a_draft_resumes_at_the_first_step_with_a_missing_answer(client, editor, empty_draft):
    client.force_login(editor)
    client.post(
        step_url(empty_draft, "overview"),
        overview_data(categories=[Category.objects.filter(sector__code="datacenter").first().pk]),
    )

    page = client.get(reverse("portal:proposal_detail", args=[empty_draft.reference])).content.decode()

    assert "Continue: Sector questions" in page
    assert step_url(empty_draft, "sector") in page


@pytest.mark.parametrize("value", ["0", "5000"])
def test_an_out_of_range_answer_is_refused_with_the_allowed_range_and_changes_nothing(client, editor, draft, value):
    client.force_login(editor)

    response = client.post(
        step_url(draft, "sector"),
        {"rack_power_density_kw": value, "cooling_type": "air", "annual_units": "10"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Rack power density must be from 0.5 to 1000 kW/rack; you entered {value}." in page
    details = DatacenterDetails.objects.get(proposal=draft)
    assert details.rack_power_density_kw == Decimal("132.0")
    assert details.cooling_type == "dtc_single_phase"


def test_the_sector_step_shows_units_and_ranges_before_anyone_types(client, editor, draft):
    client.force_login(editor)

    page = client.get(step_url(draft, "sector")).content.decode()

    assert "Rack power density (kW/rack)" in page
    assert "Allowed: from 0.5 to 1000 kW/rack." in page
    assert 'min="0.5"' in page and 'max="1000"' in page
    assert "Heat rejection per rack (kW)" in page


def test_categories_outside_the_proposals_sector_are_refused(client, editor, draft):
    client.force_login(editor)
    before = set(draft.categories.all())
    robotics = Category.objects.filter(sector__code="robotics").first()

    response = client.post(step_url(draft, "overview"), overview_data(categories=[robotics.pk]))

    page = response.content.decode()
    assert "Choose only categories of the Datacenter sector" in page
    assert set(draft.categories.all()) == before


def test_a_magnet_country_must_be_an_iso_code(client, rfp, supplier, editor):
    proposal = draft_proposal(rfp=rfp, supplier=supplier, sector_code="robotics", actor=editor)
    client.force_login(editor)
    data = {"component_type": "motor", "power_device_technology": "sic_mosfet", "rated_torque_nm": "40"}

    refused = client.post(step_url(proposal, "sector"), {**data, "magnet_country_of_origin": "XX"})
    assert "&#x27;XX&#x27; is not an ISO 3166 country code; use two letters such as US, MX, JP or DE." in (
        refused.content.decode()
    )
    assert RoboticsDetails.objects.get(proposal=proposal).magnet_country_of_origin == ""

    client.post(step_url(proposal, "sector"), {**data, "magnet_country_of_origin": "de"})
    assert RoboticsDetails.objects.get(proposal=proposal).magnet_country_of_origin == "DE"


def test_peak_torque_below_rated_torque_is_refused_by_the_models_rule(client, rfp, supplier, editor):
    proposal = draft_proposal(rfp=rfp, supplier=supplier, sector_code="robotics", actor=editor)
    client.force_login(editor)

    response = client.post(
        step_url(proposal, "sector"),
        {"component_type": "motor", "power_device_technology": "gan", "rated_torque_nm": "40", "peak_torque_nm": "30"},
    )

    assert "Peak torque cannot be below rated torque." in response.content.decode()
    assert RoboticsDetails.objects.get(proposal=proposal).power_device_technology == "sic_mosfet"


def test_unknown_countries_of_origin_are_named_and_nothing_is_saved(client, editor, draft):
    client.force_login(editor)

    response = client.post(
        step_url(draft, "capacity"),
        {
            "countries_of_origin": "MX, ZZ",
            "lead_time_weeks": "3",
            **dict.fromkeys(["electricians", "machinists", "technicians", "assemblers", "engineers"], "0"),
        },
    )

    assert "&#x27;ZZ&#x27; is not an ISO 3166 country code" in response.content.decode()
    draft.refresh_from_db()
    assert draft.countries_of_origin == []
    assert draft.lead_time_weeks == 12


def test_only_the_companys_own_facilities_can_be_chosen(client, editor, draft):
    client.force_login(editor)
    foreign = FacilityFactory(name="Someone Else's Plant")

    page = client.get(step_url(draft, "capacity")).content.decode()
    assert "Someone Else&#x27;s Plant" not in page

    response = client.post(
        step_url(draft, "capacity"),
        {
            "facilities": [foreign.pk],
            **dict.fromkeys(["electricians", "machinists", "technicians", "assemblers", "engineers"], "0"),
        },
    )
    assert "Choose only your company&#x27;s own facilities from the list." in response.content.decode()
    assert foreign not in draft.facilities.all()


def test_autosave_with_htmx_answers_with_a_small_saved_at_fragment(client, editor, draft):
    client.force_login(editor)

    response = client.post(
        step_url(draft, "overview"),
        overview_data(title="Autosaved title", categories=[draft.categories.first().pk]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Saved at ")
    assert "<html" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Autosaved title"


def test_autosave_of_a_wrong_value_says_what_is_wrong(client, editor, draft):
    client.force_login(editor)

    response = client.post(step_url(draft, "sector"), {"rack_power_density_kw": "5000"}, headers={"HX-Request": "true"})

    text = response.content.decode()
    assert "Not saved" in text
    assert "from 0.5 to 1000 kW/rack" in text


def test_a_step_form_autosaves_with_htmx_and_works_without_it(client, editor, draft):
    client.force_login(editor)

    page = client.get(step_url(draft, "overview")).content.decode()

    assert f'hx-post="{step_url(draft, "overview")}"' in page
    assert 'method="post"' in page
    assert "Save &amp; continue" in page
    assert 'aria-current="step"' in page
    assert "Step 1 of 6" in page


def test_a_viewer_reads_the_steps_but_cannot_save_or_submit(client, viewer, draft):
    client.force_login(viewer)

    page = client.get(step_url(draft, "overview")).content.decode()
    assert "disabled" in page
    assert "Save &amp; continue" not in page
    assert "hx-post" not in page

    refused = client.post(step_url(draft, "overview"), overview_data(title="Changed by a viewer"))
    assert refused.status_code == 403
    assert "Your role is viewer" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.title == "US supply offer"

    review = client.get(step_url(draft, "review")).content.decode()
    assert "Submit proposal" not in review
    assert client.post(reverse("portal:proposal_submit", args=[draft.reference])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_submitted_proposal_is_shown_read_only_and_a_save_is_refused(client, editor, draft):
    services.proposal_submit(proposal=draft, actor=editor)
    client.force_login(editor)

    page = client.get(step_url(draft, "overview")).content.decode()
    assert "Save &amp; continue" not in page

    response = client.post(step_url(draft, "overview"), overview_data(title="Late change"))
    assert "can no longer be edited" in response.content.decode()
    assert Proposal.objects.get(pk=draft.pk).title == "US supply offer"


def test_another_companys_proposal_is_not_found_at_any_address(client, editor, other_supplier_draft):
    reference = services.proposal_submit(proposal=other_supplier_draft, actor=editor).reference
    client.force_login(editor)

    for step in ("overview", "sector", "capacity", "asks", "attachments", "review"):
        assert client.get(reverse("portal:proposal_step", args=[reference, step])).status_code == 404
        assert client.post(reverse("portal:proposal_step", args=[reference, step]), {"title": "x"}).status_code == 404
    gets = [
        reverse("portal:proposal_detail", args=[reference]),
        reverse("portal:proposal_receipt", args=[reference, 1]),
        reverse("portal:proposal_withdraw", args=[reference]),
    ]
    posts = [
        reverse("portal:proposal_submit", args=[reference]),
        reverse("portal:proposal_answer", args=[reference]),
        reverse("portal:proposal_withdraw", args=[reference]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"response": "x", "confirm": "yes"}).status_code == 404, url
    other_supplier_draft.refresh_from_db()
    assert other_supplier_draft.status == "submitted"
