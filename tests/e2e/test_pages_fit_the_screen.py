"""Every main page, for each role, on the demo data, fits a 1,280 px desktop and a 390 px phone: nothing scrolls the
page sideways, and a table wider than its column scrolls inside its own container instead of being clipped.

Debian's chromium via Playwright (tests/support/browser.py); screenshots go to var/e2e-screenshots/.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from rfp.enums import AssignmentStatus, ProposalStatus
from rfp.models import Proposal, ReviewAssignment
from tests.support.browser import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# What overflows sideways: the page itself, or a table wider than the first ancestor that cuts it off.
OVERFLOW = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    // Name the innermost elements that stick out, so the message says where to look.
    const wide = [...document.querySelectorAll("body *")].filter(
      (el) => el.getBoundingClientRect().right > window.innerWidth + 1 &&
        ![...el.children].some((child) => child.getBoundingClientRect().right > window.innerWidth + 1)
    ).slice(0, 4).map((el) => `<${el.tagName.toLowerCase()}> ${el.textContent.trim().slice(0, 30)}`);
    problems.push(`page is ${root.scrollWidth}px wide in ${window.innerWidth}px: ${wide.join("; ")}`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const right = table.getBoundingClientRect().right;
    let box = table.parentElement, scrolls = false;
    while (box && box !== document.body) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") { scrolls = true; break; }
      if (overflow !== "visible") break;
      box = box.parentElement;
    }
    if (scrolls) continue;
    const limit = Math.min(window.innerWidth, (box || document.body).getBoundingClientRect().right);
    if (right > limit + 1) {
      const name = table.id || table.className || table.querySelector("caption, th")?.textContent.trim();
      problems.push(`table ${name} ends at ${Math.round(right)}px, past ${Math.round(limit)}px, unscrolled`);
    }
  }
  return problems;
}"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--no-logins", stdout=StringIO())


def _pages_of(email: str) -> list[str]:
    user = User.objects.get(email=email)
    if user.is_program_lead:
        decided = Proposal.objects.filter(status=ProposalStatus.SHORTLISTED).first()
        overdue = ReviewAssignment.objects.filter(status=AssignmentStatus.ASSIGNED).first().proposal
        return [
            "/review/",
            f"/review/proposals/{decided.reference}/",
            f"/review/proposals/{overdue.reference}/",
            "/review/sla/",
            "/review/ranking/",
            "/review/unassigned/",
        ]
    if user.is_reviewer:
        open_assignment = ReviewAssignment.objects.filter(reviewer=user, status=AssignmentStatus.ASSIGNED).first()
        return ["/review/", "/review/?show=all", f"/review/proposals/{open_assignment.proposal.reference}/"]
    submitted = Proposal.objects.filter(supplier__members__user=user, version__gte=1).order_by("-version").first()
    draft = Proposal.objects.filter(supplier__members__user=user, status=ProposalStatus.DRAFT).first()
    return [
        "/portal/",
        "/portal/proposals/",
        f"/portal/proposals/{submitted.reference}/",
        f"/portal/proposals/{submitted.reference}/versions/1/receipt/",
        f"/portal/proposals/{draft.reference}/steps/overview/",
        f"/portal/proposals/{draft.reference}/steps/review/",
        f"/portal/proposals/{draft.reference}/attachments/",
        "/portal/company/",
        "/portal/company/facilities/",
        "/portal/company/certifications/",
    ]


@pytest.mark.parametrize(
    "email",
    ["lead@buyer.example", "priya.natarajan@buyer.example", "owner@lonestarrack.example"],
    ids=["program-lead", "reviewer", "supplier"],
)
@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_every_main_page_fits_the_screen(browser, live_server, client, demo, email, width):
    client.force_login(User.objects.get(email=email))
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[width])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    problems = {}
    for path in _pages_of(email):
        response = page.goto(path)
        assert response.status == 200, path
        found = page.evaluate(OVERFLOW)
        if found:
            problems[path] = found
            save_screenshot(page, f"overflow-{width}-{path.strip('/').replace('/', '-') or 'home'}")
    context.close()

    assert problems == {}
