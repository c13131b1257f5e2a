"""The company's proposals with their status in plain words, and starting one: one per sector and round."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import ProgramLeadFactory
from rfp import services
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_proposal_with_a_plain_status(client, viewer, rfp, supplier, owner):
    lead = ProgramLeadFactory()
    draft = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code="datacenter")
    asked = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code="robotics")
    services.proposal_submit(proposal=asked, actor=owner)
    services.proposal_start_review(proposal=asked, actor=lead)
    services.proposal_request_information(proposal=asked, actor=lead, question="Which magnets?")
    received = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code="consumer-electronics")
    services.proposal_submit(proposal=received, actor=owner)
    draft_proposal(rfp=rfp, sector_code="datacenter")  # another company's
    client.force_login(viewer)

    page = client.get(reverse("portal:proposals")).content.decode()

    assert draft.reference in page and asked.reference in page and received.reference in page
    assert page.count("<tr>") == 1 + 3
    assert ">Draft<" in page
    assert ">Received<" in page
    assert ">Information requested<" in page
    assert "Answer the question" in page
    assert "Start a proposal" not in page, "viewers do not start proposals"


def test_the_list_runs_the_same_number_of_queries_for_1_or_3_proposals(
    client, editor, rfp, supplier, owner, django_assert_max_num_queries
):
    client.force_login(editor)
    first = draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code="datacenter")
    services.proposal_submit(proposal=first, actor=owner)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("portal:proposals")).status_code == 200

    draft_proposal(rfp=rfp, supplier=supplier, actor=owner, sector_code="robotics")
    draft_proposal(rfp=RfpFactory(), supplier=supplier, actor=owner, sector_code="consumer-electronics")
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("portal:proposals")).content.decode()

    assert page.count("<tr>") == 1 + 3
    assert len(three) == len(one)
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("portal:proposals"))


def test_starting_a_proposal_creates_a_draft_and_opens_its_first_step(client, editor, rfp, supplier):
    client.force_login(editor)

    page = client.get(reverse("portal:proposal_start"), {"rfp": rfp.reference, "sector": "robotics"}).content.decode()
    assert f'value="{rfp.reference}|robotics" checked' in page

    response = client.post(
        reverse("portal:proposal_start"), {"choice": f"{rfp.reference}|robotics", "title": "Actuators from Ohio"}
    )

    proposal = Proposal.objects.get(supplier=supplier)
    assert (proposal.sector.code, proposal.title, proposal.status) == ("robotics", "Actuators from Ohio", "draft")
    assert response["Location"] == reverse("portal:proposal_step", args=[proposal.reference, "overview"])


def test_a_sector_that_already_has_a_proposal_links_to_it_instead(client, editor, rfp, supplier, draft):
    client.force_login(editor)

    page = client.get(reverse("portal:proposal_start")).content.decode()
    assert reverse("portal:proposal_detail", args=[draft.reference]) in page
    assert f'value="{rfp.reference}|datacenter"' not in page

    response = client.post(
        reverse("portal:proposal_start"), {"choice": f"{rfp.reference}|datacenter", "title": "Again"}
    )
    assert "Choose one of the open rounds" in response.content.decode()
    assert Proposal.objects.filter(supplier=supplier).count() == 1


def test_a_viewer_cannot_start_a_proposal(client, viewer, rfp):
    client.force_login(viewer)

    assert client.get(reverse("portal:proposal_start")).status_code == 403
    assert (
        client.post(reverse("portal:proposal_start"), {"choice": f"{rfp.reference}|robotics", "title": "X"}).status_code
        == 403
    )
    assert not Proposal.objects.exists()
