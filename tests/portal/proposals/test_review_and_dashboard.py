"""The last look before submit, and the dashboard's way into a round."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_review_step_shows_the_answers_about_to_be_submitted(client, owner, draft):
    client.force_login(owner)

    page = client.get(f"/portal/proposals/{draft.reference}/steps/review/").content.decode()

    assert "Your answers" in page
    assert "<dt>Rack power density</dt>" in page
    assert "Direct-to-chip, single-phase" in page
    assert "<dt>Lead time</dt><dd>12 weeks</dd>" in page


def test_the_dashboard_offers_to_start_a_proposal_and_uses_the_plain_status_words(client, owner, draft):
    from rfp import services

    services.proposal_submit(proposal=draft, actor=owner)
    client.force_login(owner)

    page = client.get("/portal/").content.decode()

    assert f'href="/portal/proposals/new/?rfp={draft.rfp.reference}"' in page
    assert ">Received</span>" in page


def test_a_refusal_is_announced_as_an_alert(client, owner, empty_draft):
    client.force_login(owner)

    response = client.post(f"/portal/proposals/{empty_draft.reference}/submit/", follow=True)

    assert 'role="alert"' in response.content.decode()
