"""The review panel shows a proposal's newest PDF summaries read-only, with where to open one's own copy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Audience, SummaryPdf
from documents.services import summary_pdf_render
from rfp import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(client, case):
    case.lead.is_superuser = True
    case.lead.save(update_fields=["is_superuser"])
    client.force_login(case.lead)
    return client


def test_the_proposal_page_lists_the_newest_copy_of_each_audience(panel, case):
    old = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="submitted")
    services.proposal_run_checks(proposal_id=case.proposal.pk, version=1)  # what the copy shows changes
    new = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="checked")
    reviewer = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.REVIEWER, reason="submitted")

    page = panel.get(reverse("admin:rfp_proposal_change", args=[case.proposal.pk])).content.decode()

    assert "PDF summaries (newest of each copy, current version)" in page
    assert new.sha256 in page and reviewer.sha256 in page
    assert old.sha256 not in page
    assert reverse("documents:proposal_summary_pdf", args=[case.proposal.pk]) in page


def test_every_render_is_listed_and_read_only(panel, case):
    summary = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.SUPPLIER, reason="requested")

    listing = panel.get(reverse("admin:documents_summarypdf_changelist"))
    detail = panel.get(reverse("admin:documents_summarypdf_change", args=[summary.pk]))

    assert listing.status_code == detail.status_code == 200
    assert summary.sha256 in listing.content.decode()
    assert (
        panel.post(reverse("admin:documents_summarypdf_delete", args=[summary.pk]), {"post": "yes"}).status_code == 403
    )
    assert SummaryPdf.objects.filter(pk=summary.pk).exists()


def test_the_proposal_pages_query_count_does_not_grow_with_renders(panel, case):
    url = reverse("admin:rfp_proposal_change", args=[case.proposal.pk])
    summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.SUPPLIER, reason="requested")
    panel.get(url)
    with CaptureQueriesContext(connection) as one:
        assert panel.get(url).status_code == 200
    for audience in (Audience.REVIEWER, Audience.PROGRAM_LEAD, Audience.PROGRAM_LEAD):
        summary_pdf_render(proposal_id=case.proposal.pk, audience=audience, reason="requested")
    with CaptureQueriesContext(connection) as more:
        assert panel.get(url).status_code == 200
    assert len(more.captured_queries) == len(one.captured_queries)
