"""A supplier's proposal through the API, from start to receipt: the same services and checks as the portal."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from rfp import services
from rfp.enums import ProposalStatus
from rfp.models import Addendum, AddendumAcknowledgement, Clarification, CommercialTerms, DatacenterDetails, Proposal
from tests.api.conftest import client_for
from tests.portal.attachments.files import HTML, pdf_bytes, upload
from tests.support.outbox import deliver_receipts

pytestmark = pytest.mark.django_db


def test_a_draft_is_started_filled_in_and_submitted_through_the_api(
    api, rfp, supplier, owner, facility, django_capture_on_commit_callbacks
):
    started = api.post("/api/v1/proposals/", {"rfp": rfp.reference, "sector": "datacenter", "title": "Racks"})
    assert started.status_code == 201, started.json()
    reference = started.json()["reference"]
    assert started.json()["status"] == "draft"

    status = api.get(f"/api/v1/proposals/{reference}/status/").json()
    assert "technical narrative" in status["missing_answers"]

    answers = {
        "technical_narrative": "Two lines in Austin, TX.",
        "categories": ["racks"],
        "facilities": [facility.pk],
        "annual_capacity_units": 6000,
        "lead_time_weeks": 14,
        "site_power_mw": "9.5",
        "domestic_content_pct": "71.5",
        "countries_of_origin": ["mx", "JP"],
        "technicians": 12,
    }
    edited = api.patch(f"/api/v1/proposals/{reference}/", answers, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["countries_of_origin"] == ["MX", "JP"]
    assert edited.json()["categories"] == ["racks"]

    details = api.patch(
        f"/api/v1/proposals/{reference}/sector-details/",
        {"sector": "datacenter", "rack_power_density_kw": "132.5", "cooling_type": "immersion", "annual_units": 4000},
        format="json",
    )
    assert details.status_code == 200, details.json()
    assert details.json()["cooling_type"] == "immersion"
    terms = api.patch(f"/api/v1/proposals/{reference}/commercial-terms/", {"unit_price_usd": "41000.00"}, format="json")
    assert terms.status_code == 200, terms.json()

    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/proposals/{reference}/submit/")

    assert submitted.status_code == 200, submitted.json()
    receipt = submitted.json()
    assert receipt["version"] == 1 and len(receipt["sha256"]) == 64
    proposal = Proposal.objects.get(reference=reference)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.countries_of_origin == ["MX", "JP"]
    assert DatacenterDetails.objects.get(proposal=proposal).rack_power_density_kw == Decimal("132.5")
    assert CommercialTerms.objects.get(proposal=proposal).unit_price_usd == Decimal("41000.00")
    deliver_receipts()
    assert mail.outbox[-1].subject == f"Receipt: proposal {reference}, version 1, received"
    assert api.get(f"/api/v1/proposals/{reference}/versions/1/").json()["sha256"] == receipt["sha256"]


def test_a_refused_edit_names_each_field_with_the_portal_s_message_and_changes_nothing(api, draft):
    response = api.patch(
        f"/api/v1/proposals/{draft.reference}/",
        {"lead_time_weeks": 300, "countries_of_origin": ["XX"], "title": "", "categories": ["no-such-category"]},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["lead_time_weeks"] == ["Lead time must be from 1 to 260 weeks; you entered 300."]
    assert errors["countries_of_origin"] == [
        "'XX' is not an ISO 3166 country code; use two letters such as US, MX, JP or DE."
    ]
    assert errors["title"] == ["This field is required."]
    assert errors["categories"][0].startswith("Choose only categories of the Datacenter sector:")
    draft.refresh_from_db()
    assert draft.lead_time_weeks == 12 and draft.title == "US supply offer"


def test_sector_answers_must_be_the_proposal_s_sector(api, draft):
    response = api.patch(
        f"/api/v1/proposals/{draft.reference}/sector-details/",
        {"sector": "robotics", "component_type": "motor"},
        format="json",
    )

    assert response.status_code == 400
    assert "is a Datacenter proposal" in response.json()["errors"]["sector"][0]


def test_an_incomplete_draft_is_refused_with_what_it_lacks(api, rfp, supplier):
    from rfp.factories import draft_proposal

    empty = draft_proposal(rfp=rfp, supplier=supplier, sector_code="robotics", complete=False)

    response = api.post(f"/api/v1/proposals/{empty.reference}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete"
    assert "technical narrative" in body["missing"]
    assert body["detail"].startswith(f"Proposal {empty.reference} cannot be submitted yet")


def test_after_the_deadline_a_draft_can_no_longer_be_edited_or_submitted(api, draft, rfp):
    with time_machine.travel(rfp.closes_at + timedelta(seconds=1)):
        edited = api.patch(f"/api/v1/proposals/{draft.reference}/", {"title": "Late"}, format="json")
        submitted = api.post(f"/api/v1/proposals/{draft.reference}/submit/")

    assert edited.status_code == 409
    assert edited.json()["code"] == "deadline_passed"
    assert submitted.status_code == 409
    assert "you can no longer submit proposals" in submitted.json()["detail"]


def test_withdraw_and_submit_again(api, draft, owner):
    services.proposal_submit(proposal=draft, actor=owner)

    withdrawn = api.post(f"/api/v1/proposals/{draft.reference}/withdraw/", {"reason": "Pricing changed"})
    assert withdrawn.status_code == 200, withdrawn.json()
    assert withdrawn.json()["status"] == "withdrawn"
    again = api.post(f"/api/v1/proposals/{draft.reference}/submit/")

    assert again.status_code == 200
    assert again.json()["version"] == 2
    assert AuditEvent.objects.filter(action="proposal.withdrawn", data__reason="Pricing changed").exists()


def test_answering_a_request_for_information_resubmits(api, draft, owner, reviewer):
    services.proposal_submit(proposal=draft, actor=owner)
    services.proposal_start_review(proposal=draft)
    services.proposal_request_information(proposal=draft, actor=reviewer, question="Which cooling vendor?")

    question = api.get(f"/api/v1/proposals/{draft.reference}/status/").json()["open_information_request"]
    assert question["question"] == "Which cooling vendor?"
    empty = api.post(f"/api/v1/proposals/{draft.reference}/resubmit/", {"response": ""})
    answered = api.post(f"/api/v1/proposals/{draft.reference}/resubmit/", {"response": "CoolCo, Texas."})

    assert empty.status_code == 400 and "response" in empty.json()["errors"]
    assert answered.status_code == 200, answered.json()
    assert answered.json()["version"] == 2
    assert api.get(f"/api/v1/proposals/{draft.reference}/information-requests/").json()[0]["response"] == (
        "CoolCo, Texas."
    )
    assert Proposal.objects.get(pk=draft.pk).status == ProposalStatus.IN_REVIEW


def test_a_submitted_proposal_cannot_be_edited(api, draft, owner):
    services.proposal_submit(proposal=draft, actor=owner)

    response = api.patch(f"/api/v1/proposals/{draft.reference}/", {"title": "Changed"}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == (f"Proposal {draft.reference} is submitted and can no longer be edited.")


def test_files_are_uploaded_checked_by_content_listed_downloaded_and_removed(api, draft):
    url = f"/api/v1/proposals/{draft.reference}/attachments/"

    added = api.post(url, {"file": upload("offer.pdf", pdf_bytes()), "kind": "technical"}, format="multipart")
    disguised = api.post(url, {"file": upload("offer.pdf", HTML), "kind": "technical"}, format="multipart")

    assert added.status_code == 201, added.json()
    assert added.json()["content_type"] == "application/pdf"
    assert disguised.status_code == 400
    assert "offer.pdf is not a file type we accept" in disguised.json()["errors"]["file"][0]
    listed = api.get(url).json()
    assert [item["original_name"] for item in listed] == ["offer.pdf"]
    download = api.get(listed[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Disposition"].startswith("attachment")
    assert api.delete(f"{url}{listed[0]['id']}/").status_code == 204
    assert api.get(url).json() == []


def test_addenda_are_listed_and_acknowledged_once(api, rfp, supplier, owner):
    Addendum.objects.create(
        rfp=rfp, number=1, title="New date", body="…", published_at=timezone.now() - timedelta(hours=1)
    )
    url = f"/api/v1/rfps/{rfp.reference}/addenda/"
    assert api.get(url).json()[0]["acknowledged_at"] is None

    first = api.post(f"{url}1/acknowledge/")
    second = api.post(f"{url}1/acknowledge/")

    assert first.status_code == second.status_code == 200
    assert first.json()["acknowledged_at"] == second.json()["acknowledged_at"]
    assert AddendumAcknowledgement.objects.get(supplier=supplier).acknowledged_by == owner
    assert api.get(url).json()[0]["acknowledged_at"] is not None
    assert api.post(f"{url}2/acknowledge/").status_code == 404


def test_clarification_questions_stay_private_until_published(api, rfp, other_owner, other_supplier):
    asked = api.post(f"/api/v1/rfps/{rfp.reference}/clarifications/", {"question": "Does packaging count?"})
    assert asked.status_code == 201, asked.json()
    assert asked.json()["published"] is False

    others = client_for(other_owner).get(f"/api/v1/rfps/{rfp.reference}/clarifications/").json()
    assert others == []
    Clarification.objects.update(answer="It does.", is_published=True, answered_at=timezone.now())
    published = client_for(other_owner).get(f"/api/v1/rfps/{rfp.reference}/clarifications/").json()
    assert [(item["question"], item["answer"]) for item in published] == [("Does packaging count?", "It does.")]


def test_an_empty_question_gets_the_portal_s_message(api, rfp):
    response = api.post(f"/api/v1/rfps/{rfp.reference}/clarifications/", {"question": " "})

    assert response.status_code == 400
    assert response.json()["errors"] == {"question": ["This field is required."]}
