"""The panel shows a supplier's prices only under the sealing rule (rfp.rules.may_see_commercial_terms): before the
close it says until when they are sealed and points to the review workspace's audited opening."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory
from audit.models import AuditEvent
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import CommercialTerms, Proposal, ProposalVersion
from rfp.services import proposal_submit

UNIT_PRICE = "48,317.25"


@pytest.fixture
def lead_client(client, db):
    client.force_login(ProgramLeadFactory(is_superuser=True))
    return client


def _submitted_with_prices(rfp) -> Proposal:
    proposal = draft_proposal(rfp=rfp)
    CommercialTerms.objects.update_or_create(
        proposal=proposal,
        defaults={
            "unit_price_usd": Decimal("48317.25"),
            "total_price_usd": Decimal("9663450.00"),
            "payment_terms": "Net 45",
            "incoterms": "FCA",
        },
    )
    return proposal_submit(proposal=proposal, actor=None)


@pytest.fixture
def open_round(db):
    return RfpFactory(closes_at=datetime(2099, 7, 1, 6, 59, 59, tzinfo=UTC))  # 30 June 2099 23:59:59 PDT


def _pages(proposal: Proposal) -> list[str]:
    terms = CommercialTerms.objects.get(proposal=proposal)
    version = ProposalVersion.objects.get(proposal=proposal)
    return [
        reverse("admin:rfp_commercialterms_changelist"),
        reverse("admin:rfp_commercialterms_change", args=[terms.pk]),
        reverse("admin:rfp_proposal_change", args=[proposal.pk]),
        reverse("admin:rfp_proposalversion_change", args=[version.pk]),
    ]


def _has_a_price(html: str) -> bool:
    return any(text in html for text in ("48317.25", UNIT_PRICE, "48317,25", "9663450", "Net 45"))


def test_before_the_close_no_page_of_the_panel_shows_a_price_nor_opens_them(lead_client, open_round):
    proposal = _submitted_with_prices(open_round)
    events = AuditEvent.objects.count()

    for url in _pages(proposal):
        response = lead_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not _has_a_price(html), url
        assert "Sealed until 2099-06-30 23:59:59 PDT (America/Los_Angeles)" in html, url

    assert AuditEvent.objects.count() == events, "looking at the panel opens nothing"


def test_before_the_close_the_terms_page_links_to_the_audited_opening(lead_client, open_round):
    proposal = _submitted_with_prices(open_round)
    terms = CommercialTerms.objects.get(proposal=proposal)

    html = lead_client.get(reverse("admin:rfp_commercialterms_change", args=[terms.pk])).content.decode()

    assert reverse("review:commercial_terms", args=[proposal.reference]) in html


def test_the_terms_list_has_no_price_column(lead_client, open_round):
    _submitted_with_prices(open_round)

    html = lead_client.get(reverse("admin:rfp_commercialterms_changelist")).content.decode()

    assert "unit price" not in html.lower()
    assert "total price" not in html.lower()


def test_after_the_close_a_program_lead_sees_the_prices(lead_client, open_round):
    proposal = _submitted_with_prices(open_round)
    open_round.opens_at = timezone.now() - timedelta(days=60)
    open_round.closes_at = timezone.now() - timedelta(days=1)
    open_round.save()

    for url in _pages(proposal):
        html = lead_client.get(url).content.decode()
        assert _has_a_price(html), url
        assert "Sealed until" not in html, url


def test_terms_cannot_be_changed_in_the_panel(lead_client, open_round):
    proposal = _submitted_with_prices(open_round)
    terms = CommercialTerms.objects.get(proposal=proposal)
    url = reverse("admin:rfp_commercialterms_change", args=[terms.pk])

    response = lead_client.post(url, {"unit_price_usd": "1.00", "total_price_usd": "2.00"})

    assert response.status_code == 403
    terms.refresh_from_db()
    assert terms.unit_price_usd == Decimal("48317.25")


def _terms_list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("admin:rfp_commercialterms_changelist")).status_code == 200
    return len(context.captured_queries)


def test_the_terms_list_asks_the_sealing_rule_without_a_query_per_row(lead_client, open_round):
    _submitted_with_prices(open_round)
    lead_client.get(reverse("admin:rfp_commercialterms_changelist"))
    one = _terms_list_queries(lead_client)

    closed_round = RfpFactory()
    _submitted_with_prices(open_round)
    _submitted_with_prices(closed_round)
    closed_round.closes_at = timezone.now() - timedelta(minutes=1)
    closed_round.save()

    assert _terms_list_queries(lead_client) == one


def test_after_the_close_the_panel_writes_prices_as_people_read_them(lead_client, open_round):
    proposal = _submitted_with_prices(open_round)
    open_round.opens_at = timezone.now() - timedelta(days=60)
    open_round.closes_at = timezone.now() - timedelta(days=1)
    open_round.save()

    for url in _pages(proposal)[:3]:  # the version page shows the submitted snapshot as recorded
        html = lead_client.get(url).content.decode()
        assert "$48,317.25" in html, url
        assert "48317.25" not in html, url
        assert "9663450" not in html, url
