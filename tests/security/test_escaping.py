"""Text a supplier types is shown as text everywhere it appears: portal pages, the panel, the emails, the PDFs.

Each field carries markup that would run if it were pasted into a page unescaped.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from documents.models import Audience
from documents.services import summary_pdf_render
from notifications.notices import review_assignment_email_send
from rfp.enums import AssignmentStatus
from rfp.factories import draft_proposal
from rfp.models import ReviewAssignment
from rfp.services import proposal_update
from rfp.services.receipts import proposal_submit_with_receipt
from suppliers.enums import MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_outbox, deliver_receipts

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'
PAYLOADS = (SCRIPT, IMAGE)
# What the payloads must never appear as: live markup.
LIVE = ("<script>alert(1)", "<img src=x onerror", 'onerror="alert(2)">')


@pytest.fixture
def hostile():
    owner = UserFactory(email="owner@hostile-text.example", full_name=f"Mallory {IMAGE}")
    supplier = SupplierFactory(legal_name=f"Acme {SCRIPT} Works LLC", dba=f"Acme {IMAGE}")
    SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
    FacilityFactory(supplier=supplier, name=f"Plant {SCRIPT}", grid_operator=IMAGE)
    proposal = draft_proposal(supplier=supplier, actor=owner)
    proposal = proposal_update(
        proposal=proposal,
        actor=owner,
        fields={"title": f"Racks {SCRIPT}", "technical_narrative": f"We weld. {IMAGE} {SCRIPT}"},
    )
    return owner, supplier, proposal


def _assert_escaped(text: str, where: str) -> None:
    for live in LIVE:
        assert live not in text, f"{where} shows {live!r} unescaped"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, f"{where} does not show the typed text"


def test_the_portal_shows_the_suppliers_text_escaped(client, hostile):
    owner, _supplier, proposal = hostile
    client.force_login(owner)
    pages = [
        "/portal/",
        "/portal/company/",
        "/portal/company/facilities/",
        "/portal/proposals/",
        f"/portal/proposals/{proposal.reference}/",
        f"/portal/proposals/{proposal.reference}/steps/overview/",
        f"/portal/proposals/{proposal.reference}/steps/review/",
    ]
    for path in pages:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode(), path)


def test_the_panel_shows_the_suppliers_text_escaped(client, hostile):
    _owner, supplier, proposal = hostile
    client.force_login(ProgramLeadFactory(is_superuser=True))
    pages = [
        "/panel/suppliers/supplier/",
        f"/panel/suppliers/supplier/{supplier.pk}/change/",
        "/panel/rfp/proposal/",
        f"/panel/rfp/proposal/{proposal.pk}/change/",
        "/panel/suppliers/facility/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode(), path)


def test_the_review_workspace_shows_the_suppliers_text_escaped(client, hostile):
    owner, _supplier, proposal = hostile
    proposal_submit_with_receipt(proposal=proposal, actor=owner)
    client.force_login(ProgramLeadFactory())
    for path in ("/review/", "/review/unassigned/", f"/review/proposals/{proposal.reference}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode(), path)


def _html_part(message) -> str:
    [(html, mime)] = message.alternatives
    assert mime == "text/html"
    return html


def test_the_receipt_and_the_reviewers_email_show_the_suppliers_text_escaped(hostile):
    owner, supplier, proposal = hostile
    proposal_submit_with_receipt(proposal=proposal, actor=owner)
    reviewer = ReviewerUserFactory()
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer,
        status=AssignmentStatus.ASSIGNED,
        assigned_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=10),
    )
    assert review_assignment_email_send(assignment_id=assignment.pk)

    deliver_receipts()  # the worker's part: render the supplier's PDF, queue and send the receipt
    deliver_outbox()

    receipt = next(m for m in mail.outbox if m.subject.startswith("Receipt:"))
    assignment_email = next(m for m in mail.outbox if m.subject.startswith("Review assigned:"))
    assert receipt.to == [owner.email]
    assert assignment_email.to == [reviewer.email]
    for message in (receipt, assignment_email):
        html = _html_part(message)
        for live in LIVE:
            assert live not in html, f"{message.subject}: {live!r} unescaped in the HTML part"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "\n" not in message.subject
    assert supplier.legal_name in assignment_email.body, "the plain-text part shows the name as typed"


@pytest.mark.parametrize("audience", [Audience.SUPPLIER, Audience.REVIEWER, Audience.PROGRAM_LEAD])
def test_the_pdf_summaries_print_the_suppliers_text_as_text(hostile, audience):
    owner, _supplier, proposal = hostile
    proposal_submit_with_receipt(proposal=proposal, actor=owner)

    summary = summary_pdf_render(proposal_id=proposal.pk, audience=audience, reason="test")

    with summary.file.open("rb") as stored:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(stored.read())).pages).split())
    # Escaped markup is printed as the characters the supplier typed; unescaped, it would vanish into the layout.
    assert f"Racks {SCRIPT}" in text
    assert f"We weld. {IMAGE} {SCRIPT}" in text
