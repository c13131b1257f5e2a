"""The queues: a reviewer's own assignments; the program lead's filtered, searchable, paged queue with bulk
decisions; the unassigned lane, the service levels and the ranking."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from jobs.models import Job
from jobs.services import job_run
from notifications import tasks as notification_tasks
from review.pagination import decode_cursor, encode_cursor
from rfp import services
from rfp.enums import AssignmentStatus, CheckOutcome, ProposalStatus
from rfp.factories import RfpFactory
from rfp.models import Category, ProposalCheck, Review, ReviewAssignment, Rubric
from suppliers.factories import FacilityFactory
from tests.review.conftest import assign, in_review, make_reviewer
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")


def _check(proposal, outcome):
    ProposalCheck.objects.create(
        proposal=proposal, version=proposal.version, code="completeness", label="Complete", outcome=outcome
    )


def _submitted_review(assignment, score):
    rubric = Rubric.objects.filter(sector=assignment.proposal.sector).first()
    Review.objects.create(
        assignment=assignment,
        rubric=rubric,
        recommendation="shortlist",
        weighted_score=Decimal(score),
        submitted_at=timezone.now(),
    )
    ReviewAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.COMPLETED)


def _rows(response, table_id):
    page = response.content.decode()
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


# --- The reviewer's queue -----------------------------------------------------------------------------------------


def test_a_reviewer_sees_only_their_open_assignments_oldest_first_with_due_date_and_checks(client, reviewer):
    older = in_review(legal_name="Older Works Inc")
    newer = in_review(legal_name="Newer Works Inc")
    not_mine = in_review(legal_name="Someone Else LLC")
    assign(newer, reviewer)
    assign(older, reviewer, due_in_days=-1)
    assign(not_mine, make_reviewer())
    _check(older, CheckOutcome.FAIL)
    client.force_login(reviewer)
    rows = _rows(client.get(QUEUE), "review-queue")
    assert rows.index(older.reference) < rows.index(newer.reference)
    assert not_mine.reference not in rows
    assert "Overdue" in rows
    assert "1 failed" in rows
    assert "Declare conflicts first" in rows


def test_the_reviewer_queue_query_count_does_not_grow(client, reviewer, django_assert_max_num_queries):
    assign(in_review(), reviewer)
    client.force_login(reviewer)
    client.get(QUEUE)
    with django_assert_max_num_queries(8) as one:
        client.get(QUEUE)
    for _ in range(4):
        assign(in_review(), reviewer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE)
    assert response.content.decode().count("/review/proposals/") == 5


# --- The program lead's queue -------------------------------------------------------------------------------------


def test_the_lead_queue_query_count_does_not_grow(client, lead, django_assert_max_num_queries):
    in_review()
    client.force_login(lead)
    client.get(QUEUE)
    with django_assert_max_num_queries(15) as one:
        client.get(QUEUE)
    for _ in range(4):
        proposal = in_review()
        assign(proposal, make_reviewer())
        _check(proposal, CheckOutcome.PASS)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE, {"sector": "datacenter", "checks": "pass"})
    assert response.status_code == 200


@pytest.fixture
def mixed_queue():
    rfp = RfpFactory()
    robot = in_review(rfp=rfp, sector_code="robotics", legal_name="Gearbox Guild Inc")
    failing = in_review(rfp=rfp, legal_name="Failing Fab LLC")
    _check(failing, CheckOutcome.FAIL)
    warned = in_review(rfp=rfp, legal_name="Warned Works Inc")
    _check(warned, CheckOutcome.WARNING)
    clean = in_review(rfp=rfp, legal_name="Clean Cables Co")
    _check(clean, CheckOutcome.PASS)
    FacilityFactory(supplier=clean.supplier)
    clean.facilities.set([FacilityFactory(supplier=clean.supplier, state="OH", zip_code="43004")])
    late = assign(clean, make_reviewer(), due_in_days=-2)
    _submitted_review(assign(warned, make_reviewer()), "81.50")
    _submitted_review(assign(failing, make_reviewer()), "40.00")
    return {"robot": robot, "failing": failing, "warned": warned, "clean": clean, "late": late}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "robotics"}, {"robot"}),
        ({"checks": "fail"}, {"failing"}),
        ({"checks": "warning"}, {"warned"}),
        ({"checks": "pass"}, {"clean"}),
        ({"score_min": "50"}, {"warned"}),
        ({"score_min": "30", "score_max": "50"}, {"failing"}),
        ({"overdue": "on"}, {"clean"}),
        ({"q": "gearbox guild"}, {"robot"}),
        ({"state": "OH"}, {"clean"}),
        ({"status": "in_review"}, {"robot", "failing", "warned", "clean"}),
        ({"status": "declined"}, set()),
    ],
)
def test_the_lead_queue_filters_and_search(client, lead, mixed_queue, params, expected):
    client.force_login(lead)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    page = response.content.decode()
    shown = {name for name, proposal in mixed_queue.items() if name != "late" and proposal.reference in page}
    assert shown == expected


def test_the_category_filter(client, lead):
    proposal = in_review()
    other = in_review()
    category = Category.objects.filter(sector__code="datacenter").exclude(pk__in=proposal.categories.all()).first()
    other.categories.set([category])
    client.force_login(lead)
    page = client.get(QUEUE, {"category": category.code}).content.decode()
    assert other.reference in page
    assert proposal.reference not in page


def test_an_upside_down_score_range_is_explained(client, lead):
    client.force_login(lead)
    page = client.get(QUEUE, {"score_min": "80", "score_max": "20"}).content.decode()
    assert "The upper end of the score range must not be below its lower end." in page


def test_the_lead_queue_pages_with_a_cursor_and_keeps_the_filters(client, lead, monkeypatch):
    monkeypatch.setattr("review.pagination.PAGE_SIZE", 2)
    proposals = [in_review() for _ in range(3)]
    in_review(sector_code="robotics")
    client.force_login(lead)
    first = client.get(QUEUE, {"sector": "datacenter"})
    rows = _rows(first, "lead-queue")
    assert [p.reference in rows for p in proposals] == [True, True, False]
    page = first.content.decode()
    next_url = page[page.index('href="', page.index("Next page") - 200) + 6 : page.index('">Next page')]
    next_url = next_url.replace("&amp;", "&")
    assert "sector=datacenter" in next_url
    second = client.get(next_url)
    rows = _rows(second, "lead-queue")
    assert [p.reference in rows for p in proposals] == [False, False, True]
    assert "Next page" not in second.content.decode()


def test_a_cursor_round_trips_and_a_forged_one_starts_over():
    moment = timezone.now()
    assert decode_cursor(encode_cursor(moment, 42)) == (moment, 42)
    assert decode_cursor("not-a-cursor!") is None


def test_a_bulk_decline_decides_each_and_notifies_each_supplier_once(client, lead):
    proposals = [in_review() for _ in range(3)]
    client.force_login(lead)
    response = client.post(
        reverse("review:bulk_decide"),
        {
            "references": [p.reference for p in proposals[:2]],
            "outcome": "declined",
            "rationale": "Outside this round's scope.",
        },
    )
    assert response.status_code == 302
    for proposal in proposals:
        proposal.refresh_from_db()
    assert [p.status for p in proposals] == [ProposalStatus.DECLINED, ProposalStatus.DECLINED, ProposalStatus.IN_REVIEW]
    for job in Job.objects.filter(task_name=services.DECISION_NOTICE_TASK):
        send_notice = notification_tasks.send_decision_notice.handler
        job_run(job_id=job.pk, handler=send_notice)
        job_run(job_id=job.pk, handler=send_notice)  # a redelivery sends nothing more
    deliver_outbox()
    assert sorted(len(message.to) for message in mail.outbox) == [1, 1]
    assert len(mail.outbox) == 2


def test_a_bulk_decision_reports_what_it_could_not_decide(client, lead):
    decided = in_review()
    services.proposal_decide(proposal=decided, actor=lead, outcome="shortlisted", rationale="Good.")
    client.force_login(lead)
    response = client.post(
        reverse("review:bulk_decide"),
        {"references": [decided.reference, "NO-SUCH-REF"], "outcome": "declined", "rationale": "No."},
        follow=True,
    )
    page = response.content.decode()
    assert f"{decided.reference}: " in page
    assert "NO-SUCH-REF: no such proposal." in page
    decided.refresh_from_db()
    assert decided.status == ProposalStatus.SHORTLISTED


def test_a_bulk_decision_leaves_proposals_with_open_reviews_undecided_unless_confirmed(client, lead):
    waiting, ready = in_review(), in_review()
    assign(waiting, make_reviewer())
    client.force_login(lead)
    posted = {
        "references": [waiting.reference, ready.reference],
        "outcome": "declined",
        "rationale": "Outside this round's scope.",
        "internal_note": "Budget went to robotics.",
    }

    page = client.post(reverse("review:bulk_decide"), posted, follow=True).content.decode()

    assert f"{waiting.reference}: 1 review is still open. Decide anyway?" in page
    waiting.refresh_from_db()
    ready.refresh_from_db()
    assert (waiting.status, ready.status) == (ProposalStatus.IN_REVIEW, ProposalStatus.DECLINED)
    assert ready.decision.internal_note == "Budget went to robotics."
    client.post(
        reverse("review:bulk_decide"), {**posted, "references": [waiting.reference], "open_reviews_confirmed": "on"}
    )
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.DECLINED


def test_reviewers_and_suppliers_cannot_bulk_decide(client, reviewer):
    proposal = in_review()
    for person in (reviewer, UserFactory()):
        client.force_login(person)
        response = client.post(
            reverse("review:bulk_decide"),
            {"references": [proposal.reference], "outcome": "declined", "rationale": "No."},
        )
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW


# --- Unassigned lane, service levels, ranking ---------------------------------------------------------------------


def test_the_lead_assigns_a_waiting_proposal_once_reviewers_are_added(client, lead):
    proposal = in_review()
    client.force_login(lead)
    assert proposal.reference in _rows(client.get(reverse("review:unassigned")), "unassigned")
    response = client.post(reverse("review:assign_now", args=[proposal.reference]), follow=True)
    assert "has 0 of 2 reviewers" in response.content.decode()
    make_reviewer(), make_reviewer()
    response = client.post(reverse("review:assign_now", args=[proposal.reference]), follow=True)
    assert "has its 2 reviewers" in response.content.decode()
    assert ReviewAssignment.objects.filter(proposal=proposal, status=AssignmentStatus.ASSIGNED).count() == 2
    assert "Every proposal under review has its reviewers." in client.get(reverse("review:unassigned")).content.decode()


def test_the_scheduler_tops_up_the_unassigned_lane():
    waiting = in_review()
    assert services.proposals_assign_waiting() == 0
    make_reviewer()
    assert services.proposals_assign_waiting() == 1
    assert ReviewAssignment.objects.filter(proposal=waiting).count() == 1
    make_reviewer()
    assert services.proposals_assign_waiting() == 1
    assert services.proposals_assign_waiting() == 0
    assert ReviewAssignment.objects.filter(proposal=waiting).count() == 2


def test_the_service_levels_page_highlights_overdue_reviews(client, lead):
    late = assign(in_review(), make_reviewer(), due_in_days=-3)
    on_time = assign(in_review(), make_reviewer(), due_in_days=5)
    client.force_login(lead)
    response = client.get(reverse("review:sla"))
    page = response.content.decode()
    assert "1 review overdue" in page
    rows = _rows(response, "open-reviews")
    assert rows.index(late.proposal.reference) < rows.index(on_time.proposal.reference)
    late_row = rows[rows.rindex("<tr", 0, rows.index(late.proposal.reference)) : rows.index(on_time.proposal.reference)]
    assert 'class="overdue"' in late_row
    assert "3.0 days" in late_row


def test_the_ranking_orders_a_sector_by_mean_score(client, lead):
    rfp = RfpFactory()
    low, high, unscored = in_review(rfp=rfp), in_review(rfp=rfp), in_review(rfp=rfp)
    _submitted_review(assign(low, make_reviewer()), "55.00")
    _submitted_review(assign(high, make_reviewer()), "91.25")
    client.force_login(lead)
    page = client.get(reverse("review:ranking"), {"rfp": rfp.pk}).content.decode()
    assert page.index(high.reference) < page.index(low.reference) < page.index(unscored.reference)
    assert "91.25" in page


def test_the_lead_only_pages_are_404_for_reviewers(client, reviewer):
    client.force_login(reviewer)
    for name in ("review:unassigned", "review:sla", "review:ranking"):
        assert client.get(reverse(name)).status_code == 404
