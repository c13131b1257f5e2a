"""Every table and chart of the PDFs fits its page: no box of WeasyPrint's layout runs past the page's content area,
and each chart's bars carry their value labels."""

import re
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from accounts.factories import UserFactory
from documents.models import Audience
from documents.pdf import STATIC_DIR, StaticOnlyURLFetcher
from documents.selectors import summary_pdf_context
from notifications.reports import program_report_context
from rfp import services
from rfp.factories import RfpFactory, draft_proposal
from suppliers.factories import FacilityFactory, SupplierFactory
from tests.documents.conftest import make_case

pytestmark = pytest.mark.django_db

TOLERANCE = 0.5  # CSS px: rounding in the layout


def _layout(html: str):
    return HTML(string=html, base_url=f"{STATIC_DIR.as_uri()}/", url_fetcher=StaticOnlyURLFetcher()).render()


def _overflowing(document) -> list[str]:
    """Boxes whose right edge lies past the page's content area (inside the right margin or off the page)."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.margin_width() - page_box.margin_right
        stack = list(page_box.children)
        while stack:
            box = stack.pop()
            edge = box.position_x + box.margin_width() - box.margin_right
            if edge > right + TOLERANCE:
                element = getattr(box, "element_tag", "?")
                text = getattr(box, "text", "") or ""
                found.append(
                    f"page {number}: <{element}> {type(box).__name__} ends at {edge:.0f} > {right:.0f} {text[:30]!r}"
                )
            stack.extend(getattr(box, "children", []))
    return found


def _pdf_text(document) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(document.write_pdf())).pages)


@pytest.mark.parametrize("audience", Audience.values)
def test_every_table_and_chart_of_the_summary_fits_the_page(audience):
    case = make_case()
    for name in ("Mid-Atlantic Advanced Manufacturing Campus", "Greater Rochester Precision Gear Works Annex"):
        case.proposal.facilities.add(
            FacilityFactory(
                supplier=case.proposal.supplier, name=name, electricians=1_250, machinists=3_400, technicians=12_000
            )
        )
    context = summary_pdf_context(proposal=case.proposal, audience=audience, now=timezone.now())

    document = _layout(render_to_string("documents/summary.html", context))

    assert _overflowing(document) == []
    text = _pdf_text(document)
    assert "Greater Rochester" in text and "12,000" in text


def _report_round():
    rfp = RfpFactory(reference="AI-INFRA-FIT")
    for sector in ("datacenter", "robotics", "consumer-electronics"):
        owner = UserFactory()
        proposal = draft_proposal(rfp=rfp, supplier=SupplierFactory(), sector_code=sector, actor=owner)
        services.proposal_submit(proposal=proposal, actor=owner)
    return rfp


def test_the_program_report_charts_fit_the_page_with_their_value_labels():
    rfp = _report_round()
    context = program_report_context(rfp=rfp, now=timezone.now())

    document = _layout(render_to_string("notifications/program_report_pdf.html", context))

    assert _overflowing(document) == []
    text = _pdf_text(document)
    weeks, sectors = text.split("New submissions by week", 1)[1].split("Submitted proposals by sector", 1)
    assert re.search(r"Week of \w{3} \d{1,2}, \d{4}\s+3\b", weeks), "the week's bar has its value label"
    for sector in ("Datacenter", "Robotics", "Consumer electronics"):
        assert re.search(rf"{sector}\s+1\b", sectors), f"the {sector} bar has its value label"
