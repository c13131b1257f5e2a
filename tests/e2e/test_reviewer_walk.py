"""A reviewer's walk in a real browser: sign in, find the proposal in the queue, declare no conflict, save a draft
review, then complete and submit it. Screenshots go to var/e2e-screenshots/."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from rfp.enums import AssignmentStatus, ConflictDeclaration
from rfp.models import ReviewAssignment
from rfp.selectors import rubric_for_proposal
from tests.review.conftest import assign, in_review, make_reviewer
from tests.support.browser import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Jobs are recorded, not published (see `jobs_unpublished`)."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


def test_a_reviewer_declares_no_conflict_saves_a_draft_and_submits_the_review(page):
    reviewer = make_reviewer(email="dana.reviewer@buyer.example")
    EmailAddress.objects.create(user=reviewer, email=reviewer.email, verified=True, primary=True)
    proposal = in_review(legal_name="Great Lakes Cooling Inc")
    assign(proposal, reviewer)
    criteria = list(rubric_for_proposal(proposal=proposal).criteria.all())

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(reviewer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Your review queue")).to_be_visible()
    queue = page.locator("#review-queue")
    expect(queue).to_contain_text("Great Lakes Cooling Inc")
    expect(queue).to_contain_text("Declare conflicts first")
    save_screenshot(page, "review-01-queue")

    page.get_by_role("link", name=proposal.reference).click()
    expect(page.get_by_role("heading", name=f"Before you read {proposal.reference}")).to_be_visible()
    assert "We build it in Texas." not in main_text(page)
    page.get_by_label("I have no conflict of interest with this supplier").check()
    save_screenshot(page, "review-02-conflict")
    page.get_by_role("button", name="Record my declaration").click()
    expect(page.get_by_text("You can read and score the proposal now.")).to_be_visible(timeout=20_000)
    assert "We build it in Texas." in main_text(page)

    first = criteria[0]
    page.get_by_label(re.compile(rf"^{re.escape(first.name)} \(weight")).fill(str(first.max_score))
    page.get_by_label("Comments").fill("Liquid cooling capacity is proven at two sites.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible(timeout=20_000)
    assignment = ReviewAssignment.objects.get(proposal=proposal, reviewer=reviewer)
    assert assignment.conflict_declaration == ConflictDeclaration.NO_CONFLICT
    assert assignment.status == AssignmentStatus.ASSIGNED
    expect(page.get_by_label(re.compile(rf"^{re.escape(first.name)} \(weight"))).to_have_value(str(first.max_score))

    page.get_by_role("button", name="Submit review").click()
    expect(page.locator("form .errorlist[role=alert]")).to_contain_text("Choose a recommendation")
    for criterion in criteria:
        page.get_by_label(re.compile(rf"^{re.escape(criterion.name)} \(weight")).fill(str(criterion.max_score))
    page.get_by_label("Recommendation").select_option(label="Shortlist")
    # A full-page capture resizes the viewport for a moment; with a field still focused the page then jumps
    # under the next click (see tests/e2e/test_supplier_journey.py, `snapshot`).
    page.evaluate("document.activeElement && document.activeElement.blur()")
    save_screenshot(page, "review-03-scored")
    page.get_by_role("button", name="Submit review").click()

    submitted = f"Your review of {proposal.reference} is submitted (weighted score 100.00)."
    expect(page.get_by_text(submitted)).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", name="Your review queue")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing is waiting for you.")
    save_screenshot(page, "review-04-submitted")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert assignment.review.recommendation == "shortlist"
    assert assignment.review.comments == "Liquid cooling capacity is proven at two sites."
