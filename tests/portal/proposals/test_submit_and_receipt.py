"""Submitting: addenda first, then a receipt (page and email) built from the immutable version; life after submit."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory
from rfp import services
from rfp.models import Addendum, Attachment, ProposalVersion
from tests.support.outbox import deliver_receipts

pytestmark = pytest.mark.django_db


def submit(client, proposal, **kwargs):
    return client.post(reverse("portal:proposal_submit", args=[proposal.reference]), **kwargs)


def add_attachment(proposal, *, name="rack-datasheet.pdf", sha="a" * 64, size=48_213):
    return Attachment.objects.create(
        proposal=proposal,
        original_name=name,
        content_type="application/pdf",
        size_bytes=size,
        sha256=sha,
        file=f"attachments/{proposal.pk}/ab/{sha[:32]}",
    )


def publish_addendum(rfp, number, title):
    return Addendum.objects.create(
        rfp=rfp, number=number, title=title, body="Read this.", published_at=timezone.now() - timedelta(hours=1)
    )


def test_unacknowledged_addenda_block_the_submit_until_acknowledged(client, editor, draft, rfp):
    publish_addendum(rfp, 1, "Cooling requirements revised")
    publish_addendum(rfp, 2, "Deadline clarified")
    Addendum.objects.create(
        rfp=rfp, number=3, title="Not yet out", body="…", published_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(editor)

    review = client.get(reverse("portal:proposal_step", args=[draft.reference, "review"])).content.decode()
    assert "Acknowledge addendum 1: Cooling requirements revised" in review
    assert "Not yet out" not in review

    refused = submit(client, draft, follow=True).content.decode()
    assert "Acknowledge addenda 1 and 2 of AI-INFRA-TEST before submitting proposal" in refused
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ProposalVersion.objects.exists()

    for number in (1, 2):
        response = client.post(
            reverse("portal:addendum_acknowledge", args=[rfp.reference, number]),
            {"next": reverse("portal:proposal_step", args=[draft.reference, "review"])},
        )
        assert response["Location"] == reverse("portal:proposal_step", args=[draft.reference, "review"])
    assert "Everything required is answered" in client.get(response["Location"]).content.decode()

    accepted = submit(client, draft)
    assert accepted["Location"] == reverse("portal:proposal_receipt", args=[draft.reference, 1])
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_checklist_names_each_missing_answer_with_a_link_to_its_step(client, editor, empty_draft):
    client.force_login(editor)

    page = client.get(reverse("portal:proposal_step", args=[empty_draft.reference, "review"])).content.decode()

    capacity = reverse("portal:proposal_step", args=[empty_draft.reference, "capacity"])
    sector = reverse("portal:proposal_step", args=[empty_draft.reference, "sector"])
    assert f'<a href="{capacity}">Lead time (weeks)</a>' in page
    assert f'<a href="{sector}">Rack power density (kW/rack)</a>' in page
    assert "At least one category" in page

    refused = submit(client, empty_draft, follow=True).content.decode()
    assert "cannot be submitted yet; it still needs" in refused


def test_submit_shows_the_receipt_and_emails_it_to_the_submitter_and_the_owners(
    client, editor, owner, draft, django_capture_on_commit_callbacks
):
    add_attachment(draft, name="rack-datasheet.pdf", sha="a" * 64)
    add_attachment(draft, name="ul-listing.pdf", sha="b" * 64, size=1024)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, draft, follow=True)

    version = ProposalVersion.objects.get(proposal=draft)
    page = response.content.decode()
    assert f"Receipt: proposal {draft.reference}, version 1" in page
    utc = version.submitted_at.astimezone(UTC)
    assert f"{utc:%Y-%m-%d %H:%M:%S} UTC" in page
    local = timezone.localtime(version.submitted_at, draft.rfp.tz)
    assert f"{local:%-I:%M:%S %p} {local.tzname()} (America/Los_Angeles)" in page
    assert version.sha256 in page
    assert "a" * 64 in page and "b" * 64 in page
    assert "rack-datasheet.pdf" in page and "ul-listing.pdf" in page
    assert "(48,213 bytes)" in page and "48213" not in page

    deliver_receipts()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["editor@lonestar.example"]
    assert email.cc == ["owner@lonestar.example"]
    assert draft.reference in email.subject
    assert version.sha256 in email.body
    assert "b" * 64 in email.body
    assert f"{utc:%Y-%m-%d %H:%M:%S} UTC" in email.body
    assert "- rack-datasheet.pdf (Technical document, 48,213 bytes)" in email.body
    assert "48213" not in email.body and "48213" not in email.alternatives[0][0]
    assert version.sha256 in email.alternatives[0][0]


def test_the_receipt_is_rendered_from_the_snapshot_not_from_live_data(client, editor, draft):
    add_attachment(draft, name="original.pdf", sha="c" * 64)
    services.proposal_submit_with_receipt(proposal=draft, actor=editor)
    Attachment.objects.filter(proposal=draft).update(original_name="renamed-later.pdf", sha256="d" * 64)
    client.force_login(editor)

    page = client.get(reverse("portal:proposal_receipt", args=[draft.reference, 1])).content.decode()

    assert "original.pdf" in page and "c" * 64 in page
    assert "renamed-later.pdf" not in page
    assert client.get(reverse("portal:proposal_receipt", args=[draft.reference, 2])).status_code == 404


def test_answering_a_request_for_information_makes_version_2_and_keeps_version_1_readable(
    client, editor, owner, draft, django_capture_on_commit_callbacks
):
    lead = ProgramLeadFactory()
    services.proposal_submit_with_receipt(proposal=draft, actor=editor)
    services.proposal_start_review(proposal=draft, actor=lead)
    services.proposal_request_information(proposal=draft, actor=lead, question="Which grid operator serves plant 2?")
    client.force_login(editor)

    detail = client.get(reverse("portal:proposal_detail", args=[draft.reference])).content.decode()
    assert "Information requested" in detail
    assert "Which grid operator serves plant 2?" in detail
    assert 'action="' + reverse("portal:proposal_answer", args=[draft.reference]) in detail
    # While reviewers wait for the answer, the steps can change again (here: the title).
    client.post(
        reverse("portal:proposal_step", args=[draft.reference, "overview"]),
        {"title": "Racks, with plant 2 on ERCOT", "categories": [draft.categories.get().pk]},
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:proposal_answer", args=[draft.reference]), {"response": "ERCOT, through Austin Energy."}
        )

    assert response["Location"] == reverse("portal:proposal_receipt", args=[draft.reference, 2])
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("in_review", 2)
    assert draft.information_requests.get().response == "ERCOT, through Austin Energy."
    first, second = ProposalVersion.objects.filter(proposal=draft).order_by("number")
    deliver_receipts()
    assert "version 2" in mail.outbox[-1].subject
    page_one = client.get(reverse("portal:proposal_receipt", args=[draft.reference, 1])).content.decode()
    page_two = client.get(reverse("portal:proposal_receipt", args=[draft.reference, 2])).content.decode()
    assert first.sha256 in page_one and second.sha256 not in page_one
    assert "US supply offer" in page_one and "Racks, with plant 2 on ERCOT" not in page_one
    assert second.sha256 in page_two and "Racks, with plant 2 on ERCOT" in page_two
    detail = client.get(reverse("portal:proposal_detail", args=[draft.reference])).content.decode()
    assert reverse("portal:proposal_receipt", args=[draft.reference, 1]) in detail
    assert reverse("portal:proposal_receipt", args=[draft.reference, 2]) in detail


def test_an_empty_answer_is_refused(client, editor, draft):
    lead = ProgramLeadFactory()
    services.proposal_submit(proposal=draft, actor=editor)
    services.proposal_start_review(proposal=draft, actor=lead)
    services.proposal_request_information(proposal=draft, actor=lead, question="Which ZIP?")
    client.force_login(editor)

    response = client.post(reverse("portal:proposal_answer", args=[draft.reference]), {"response": "  "})

    assert "This field is required." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("info_requested", 1)


def test_withdraw_asks_for_confirmation_then_the_proposal_can_be_submitted_again(client, editor, draft):
    services.proposal_submit_with_receipt(proposal=draft, actor=editor)
    client.force_login(editor)
    detail_url = reverse("portal:proposal_detail", args=[draft.reference])
    withdraw_url = reverse("portal:proposal_withdraw", args=[draft.reference])

    assert withdraw_url in client.get(detail_url).content.decode()
    confirmation = client.get(withdraw_url).content.decode()
    assert f"Withdraw proposal {draft.reference}?" in confirmation
    draft.refresh_from_db()
    assert draft.status == "submitted", "opening the confirmation page changes nothing"

    response = client.post(withdraw_url, {"reason": "Capacity committed elsewhere.", "confirm": "yes"}, follow=True)
    page = response.content.decode()
    assert "Withdrawn" in page
    assert "Submit again" in page
    draft.refresh_from_db()
    assert draft.status == "withdrawn"

    again = submit(client, draft)
    assert again["Location"] == reverse("portal:proposal_receipt", args=[draft.reference, 2])
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("submitted", 2)
    assert client.get(reverse("portal:proposal_receipt", args=[draft.reference, 1])).status_code == 200


def test_a_viewer_cannot_withdraw_or_answer(client, viewer, editor, draft):
    services.proposal_submit(proposal=draft, actor=editor)
    client.force_login(viewer)

    detail = client.get(reverse("portal:proposal_detail", args=[draft.reference])).content.decode()
    assert "Withdraw this proposal" not in detail
    assert (
        client.post(reverse("portal:proposal_withdraw", args=[draft.reference]), {"confirm": "yes"}).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_withdraw_button_follows_the_state_table_a_draft_included_and_a_decision_excluded(client, editor, draft):
    # rfp.states.TRANSITIONS["withdraw"]: any status before a decision, a draft included (the service took it).
    client.force_login(editor)
    detail_url = reverse("portal:proposal_detail", args=[draft.reference])
    assert "Withdraw this proposal" in client.get(detail_url).content.decode()

    services.proposal_submit(proposal=draft, actor=editor)
    services.proposal_start_review(proposal=draft)
    services.proposal_decide_many(proposals=[draft], actor=ProgramLeadFactory(), outcome="declined", rationale="No.")
    draft.refresh_from_db()
    assert draft.status == "declined"
    assert "Withdraw this proposal" not in client.get(detail_url).content.decode()
    withdraw_page = client.get(reverse("portal:proposal_withdraw", args=[draft.reference])).content.decode()
    assert "cannot be withdrawn" in withdraw_page


def test_the_status_page_says_each_status_in_plain_words(client, editor, draft):
    lead = ProgramLeadFactory()
    client.force_login(editor)
    url = reverse("portal:proposal_detail", args=[draft.reference])

    assert "Draft" in client.get(url).content.decode()
    services.proposal_submit(proposal=draft, actor=editor)
    assert "Received" in client.get(url).content.decode()
    services.proposal_start_review(proposal=draft, actor=lead)
    assert "In review" in client.get(url).content.decode()
    services.proposal_decide(proposal=draft, actor=lead, outcome="shortlisted", rationale="Strong US capacity.")
    page = client.get(url).content.decode()
    assert "Shortlisted" in page
    assert "Strong US capacity." in page
    assert "Withdraw this proposal" not in page
