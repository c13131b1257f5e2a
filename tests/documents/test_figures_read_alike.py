"""Money, counts, weights and lists read as people read them, the same on the portal's review step, the review
workspace's proposal page and the PDF summary."""

from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Audience
from documents.services import summary_pdf_render
from rfp import services
from rfp.formatting import count, money, number, percent, quantity
from rfp.models import Proposal
from rfp.selectors import rubric_for_proposal
from tests.documents.conftest import make_case, stored_text

pytestmark = pytest.mark.django_db

SUB_SUPPLIERS = ["Timken Bearings, Canton OH", "Red Harbor Castings"]


@pytest.mark.parametrize(
    ("formatted", "expected"),
    [
        (money(Decimal("3500000.00")), "$3,500,000"),
        (money(Decimal("41000.50")), "$41,000.50"),
        (count(28800), "28,800"),
        (number(Decimal("30.00")), "30"),
        (number(Decimal("1234.50")), "1,234.5"),
        (percent(Decimal("72.50")), "72.5%"),
        (quantity(Decimal("9.50"), "MW"), "9.5 MW"),
        (quantity(1, "week|weeks"), "1 week"),
        (money(None), "—"),
    ],
)
def test_each_kind_of_figure_reads_as_people_read_it(formatted, expected):
    assert formatted == expected


@pytest.fixture
def case():
    case = make_case()
    # The figures of the example, as a submitted version holds them.
    Proposal.objects.filter(pk=case.proposal.pk).update(
        annual_capacity_units=28_800,
        site_power_mw=Decimal("9.50"),
        asks_co_investment_usd=Decimal("3500000.00"),
        sub_suppliers=SUB_SUPPLIERS,
    )
    case.proposal.refresh_from_db()
    return case


def _assert_figures_read_alike(text: str) -> None:
    assert "$3,500,000" in text
    assert "28,800 units" in text
    assert "9.5 MW" in text
    assert "3500000.00" not in text and "28800" not in text and "E+" not in text


def test_the_portal_review_step_shows_figures_and_one_sub_supplier_per_line(client, case):
    client.force_login(case.owner)
    page = client.get(reverse("portal:proposal_step", args=[case.proposal.reference, "review"])).content.decode()

    _assert_figures_read_alike(page)
    assert "Timken Bearings, Canton OH<br>Red Harbor Castings" in page


def test_the_review_page_shows_figures_weights_and_one_sub_supplier_per_line(client, case):
    services.assignment_declare_no_conflict(assignment=case.assignment, actor=case.reviewer)
    client.force_login(case.reviewer)
    page = client.get(reverse("review:proposal", args=[case.proposal.reference])).content.decode()

    _assert_figures_read_alike(page)
    assert "Timken Bearings, Canton OH<br>Red Harbor Castings" in page
    weights = [criterion.weight for criterion in rubric_for_proposal(proposal=case.proposal).criteria.all()]
    assert any(weight == weight.to_integral_value() and weight >= 10 for weight in weights)
    for weight in weights:
        assert f"(weight {number(weight)}, 0 to" in page


def test_the_pdf_summary_shows_figures_and_one_sub_supplier_per_line(case):
    text = stored_text(summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="test"))
    lines = [line.strip() for line in text.splitlines()]

    _assert_figures_read_alike(text)
    assert "Co-investment asked $3,500,000" in lines
    assert "Sub-suppliers Timken Bearings, Canton OH" in lines
    assert "Red Harbor Castings" in lines
