"""The round's page: sectors, addenda to acknowledge, published answers for everyone, own questions kept private."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from rfp.models import Addendum, AddendumAcknowledgement, Clarification
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory

pytestmark = pytest.mark.django_db


def rfp_url(rfp):
    return reverse("portal:rfp_detail", args=[rfp.reference])


def publish_addendum(rfp, number, *, hours_ago=1):
    return Addendum.objects.create(
        rfp=rfp,
        number=number,
        title=f"Change number {number}",
        body=f"Body of addendum {number}.",
        published_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_the_round_page_shows_sectors_categories_deadline_and_published_addenda(client, editor, rfp):
    publish_addendum(rfp, 1)
    Addendum.objects.create(
        rfp=rfp, number=2, title="Scheduled", body="…", published_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(editor)

    page = client.get(rfp_url(rfp)).content.decode()

    assert "Datacenter" in page and "Robotics" in page
    assert 'data-countdown="' in page
    assert "Addendum 1: Change number 1" in page
    assert "Acknowledge addendum 1" in page
    assert "Scheduled" not in page
    assert 'class="closed-banner"' not in page
    assert f"{reverse('portal:proposal_start')}?rfp={rfp.reference}&amp;sector=datacenter" in page


def test_acknowledging_an_addendum_is_recorded_once(client, editor, owner, rfp, supplier):
    addendum = publish_addendum(rfp, 1)
    client.force_login(editor)
    url = reverse("portal:addendum_acknowledge", args=[rfp.reference, 1])

    acknowledged = client.post(url, follow=True).content.decode()
    client.post(url)
    client.force_login(owner)
    client.post(url)

    acknowledgement = AddendumAcknowledgement.objects.get(addendum=addendum, supplier=supplier)
    assert acknowledgement.acknowledged_by == editor
    assert AuditEvent.objects.filter(action="addendum.acknowledged").count() == 1
    page = client.get(rfp_url(rfp)).content.decode()
    assert "Acknowledged by your company on" in page
    assert "Acknowledge addendum 1</button>" not in page
    # The company's name ends with its own full stop: the message adds none.
    assert "Addendum 1 acknowledged for Lone Star Racks Inc." in acknowledged
    assert "Inc.." not in acknowledged


def test_a_viewer_sees_addenda_but_cannot_acknowledge_or_ask(client, viewer, rfp):
    publish_addendum(rfp, 1)
    client.force_login(viewer)

    page = client.get(rfp_url(rfp)).content.decode()
    assert "Acknowledge addendum 1</button>" not in page
    assert "Ask a question" not in page
    assert client.post(reverse("portal:addendum_acknowledge", args=[rfp.reference, 1])).status_code == 403
    assert client.post(reverse("portal:clarification_ask", args=[rfp.reference]), {"question": "Q?"}).status_code == 403
    assert not AddendumAcknowledgement.objects.exists()
    assert not Clarification.objects.exists()


def test_an_unpublished_addendum_cannot_be_acknowledged(client, editor, rfp):
    Addendum.objects.create(rfp=rfp, number=1, title="Later", body="…", published_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)

    assert client.post(reverse("portal:addendum_acknowledge", args=[rfp.reference, 1])).status_code == 404


def test_a_question_is_seen_by_the_asker_only_until_its_answer_is_published_without_the_askers_name(
    client, editor, rfp, supplier
):
    other_member = SupplierMemberFactory(role=MemberRole.EDITOR)
    client.force_login(editor)
    question = "Does the domestic content threshold include packaging?"

    response = client.post(reverse("portal:clarification_ask", args=[rfp.reference]), {"question": question})
    assert response.status_code == 302
    own_page = client.get(rfp_url(rfp)).content.decode()
    assert question in own_page
    assert "Awaiting answer" in own_page

    client.force_login(other_member.user)
    assert question not in client.get(rfp_url(rfp)).content.decode()

    clarification = Clarification.objects.get()
    assert (clarification.supplier, clarification.asked_by) == (supplier, editor)
    clarification.answer = "No: packaging is excluded from the calculation."
    clarification.answered_at = timezone.now()
    clarification.is_published = True
    clarification.save()

    for person in (other_member.user, editor):
        client.force_login(person)
        page = client.get(rfp_url(rfp)).content.decode()
        assert question in page
        assert "No: packaging is excluded from the calculation." in page
        assert supplier.legal_name not in page
        assert "Awaiting answer" not in page
    assert editor.email not in page.split("</header>")[1], "the answer does not name who asked"


def test_an_empty_question_is_refused_with_what_to_write(client, editor, rfp):
    client.force_login(editor)

    response = client.post(reverse("portal:clarification_ask", args=[rfp.reference]), {"question": "   "})

    assert "This field is required." in response.content.decode()
    assert not Clarification.objects.exists()


def test_a_round_that_has_not_opened_is_not_found(client, editor):
    from rfp.factories import RfpFactory

    future = RfpFactory(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9))
    client.force_login(editor)

    assert client.get(rfp_url(future)).status_code == 404


def _make_rows(rfp, supplier, editor, start, count):
    for number in range(start, start + count):
        publish_addendum(rfp, number)
        Clarification.objects.create(rfp=rfp, supplier=supplier, asked_by=editor, question=f"Own question {number}?")
        Clarification.objects.create(
            rfp=rfp, question=f"Published question {number}?", answer="Yes.", is_published=True
        )


def test_the_round_page_runs_the_same_number_of_queries_for_1_or_3_addenda_and_questions(
    client, editor, rfp, supplier, django_assert_max_num_queries
):
    client.force_login(editor)
    _make_rows(rfp, supplier, editor, 1, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(rfp_url(rfp)).status_code == 200

    _make_rows(rfp, supplier, editor, 2, 2)
    with CaptureQueriesContext(connection) as three:
        page = client.get(rfp_url(rfp)).content.decode()

    assert "Addendum 3: Change number 3" in page and "Published question 3?" in page and "Own question 3?" in page
    assert len(three) == len(one)
    with django_assert_max_num_queries(len(one)):
        client.get(rfp_url(rfp))
