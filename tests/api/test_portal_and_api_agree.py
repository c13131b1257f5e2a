"""One proposal, two faces: what the API saves the portal shows, and what the portal saves the API returns."""

import pytest
from django.urls import reverse

from rfp.models import Category

pytestmark = pytest.mark.django_db


def test_a_draft_edited_through_the_api_shows_in_the_portal(client, api, owner, draft, facility):
    response = api.patch(
        f"/api/v1/proposals/{draft.reference}/",
        {
            "title": "Immersion-cooled racks from Round Rock",
            "lead_time_weeks": 17,
            "countries_of_origin": ["de", "jp"],
            "facilities": [facility.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    api.patch(
        f"/api/v1/proposals/{draft.reference}/sector-details/",
        {"sector": "datacenter", "cooling_type": "immersion"},
        format="json",
    )
    client.force_login(owner)

    overview = client.get(reverse("portal:proposal_step", args=[draft.reference, "overview"])).content.decode()
    capacity = client.get(reverse("portal:proposal_step", args=[draft.reference, "capacity"])).content.decode()
    review = client.get(reverse("portal:proposal_step", args=[draft.reference, "review"])).content.decode()

    assert 'value="Immersion-cooled racks from Round Rock"' in overview
    assert 'value="17"' in capacity
    assert 'value="DE, JP"' in capacity
    assert f'value="{facility.pk}"' in capacity and "checked" in capacity.split(f'value="{facility.pk}"')[1][:40]
    assert "Immersion" in review


def test_a_draft_saved_in_the_portal_is_what_the_api_returns(client, api, owner, draft):
    client.force_login(owner)
    categories = list(Category.objects.filter(sector__code="datacenter").order_by("position")[:2])

    response = client.post(
        reverse("portal:proposal_step", args=[draft.reference, "overview"]),
        {
            "title": "Racks and cooling from Austin",
            "technical_narrative": "Two lines.",
            "categories": [category.pk for category in categories],
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("portal:proposal_step", args=[draft.reference, "asks"]),
        {"asks-asks_notes": "Land near the substation.", "terms-incoterms": "FCA Austin", "terms-payment_terms": ""},
    )

    proposal = api.get(f"/api/v1/proposals/{draft.reference}/").json()
    terms = api.get(f"/api/v1/proposals/{draft.reference}/commercial-terms/").json()

    assert proposal["title"] == "Racks and cooling from Austin"
    assert proposal["categories"] == [category.code for category in categories]
    assert proposal["asks_notes"] == "Land near the substation."
    assert terms["incoterms"] == "FCA Austin"


def test_the_api_and_the_portal_refuse_the_same_input_with_the_same_words(client, api, owner, draft):
    client.force_login(owner)
    page = client.post(
        reverse("portal:proposal_step", args=[draft.reference, "capacity"]),
        {"lead_time_weeks": "300", "countries_of_origin": "XX", "site_power_mw": "8.5", "domestic_content_pct": "150"},
    ).content.decode()

    errors = api.patch(
        f"/api/v1/proposals/{draft.reference}/",
        {"lead_time_weeks": 300, "countries_of_origin": ["XX"], "domestic_content_pct": "150"},
        format="json",
    ).json()["errors"]

    for messages in errors.values():
        for message in messages:
            assert message.replace("'", "&#x27;") in page, message
    assert set(errors) == {"lead_time_weeks", "countries_of_origin", "domestic_content_pct"}
