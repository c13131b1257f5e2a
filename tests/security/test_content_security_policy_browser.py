"""In a real browser (Debian's chromium), the pages work under their Content-Security-Policy and break none of it."""

import pytest
from django.conf import settings

from accounts.factories import ProgramLeadFactory, UserFactory
from rfp.factories import RfpFactory, draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Every violation the browser reports, whatever the page does afterwards.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


def _page_as(browser, live_server, client, user):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    if user is not None:
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return context, page, errors


# Redoc's bundle fetches its logo from its makers' CDN and starts its search index in a blob: worker: the policy
# refuses both (nothing leaves this site, no script from a blob), and Redoc carries on without them.
REDOC_REFUSED = {"img-src blocked https://cdn.redoc.ly/redoc/logo-mini.svg", "worker-src blocked blob"}


def _assert_clean(page, errors, where: str, *, refused_on_purpose: frozenset = frozenset()) -> None:
    violations = set(page.evaluate("window.__violations"))
    assert violations <= refused_on_purpose, f"{where}: {sorted(violations - refused_on_purpose)}"
    if not refused_on_purpose:
        assert not [e for e in errors if "Content Security Policy" in e], f"{where}: {errors}"


def test_the_portal_pages_run_their_scripts_within_the_policy(browser, live_server, client):
    owner = UserFactory(email="owner@csp.example")
    supplier = SupplierFactory(legal_name="Policy Plant Inc.")
    SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
    rfp = RfpFactory(reference="CSP-2026")
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=owner)
    context, page, errors = _page_as(browser, live_server, client, owner)
    try:
        page.goto(f"/portal/rfps/{rfp.reference}/")
        # static/js/portal.js ran: it fills in the deadline in the browser's own time zone.
        page.locator(".deadline .local-time").filter(has_text="in your time zone").first.wait_for()
        _assert_clean(page, errors, "the RFP page")

        page.goto(f"/portal/proposals/{proposal.reference}/attachments/")
        page.wait_for_function("window.htmx !== undefined && window.rfpUploads === true")
        _assert_clean(page, errors, "the attachments page (htmx, uploads.js)")
    finally:
        context.close()


def test_the_panel_and_the_api_docs_work_within_the_policy(browser, live_server, client):
    context, page, errors = _page_as(browser, live_server, client, ProgramLeadFactory(is_superuser=True))
    try:
        page.goto("/panel/rfp/rfp/add/")
        page.get_by_role("button", name="Save", exact=True).wait_for()
        _assert_clean(page, errors, "the panel's add form")

        page.goto("/api/v1/docs/")
        page.locator(".swagger-ui .info .title").filter(has_text="RFP Intake API").wait_for()
        page.locator(".opblock").first.wait_for()  # the operations, read from the schema by Swagger UI's script
        _assert_clean(page, errors, "the API docs (Swagger UI)")

        page.goto("/api/v1/docs/redoc/")
        page.get_by_text("RFP Intake API").first.wait_for()
        _assert_clean(page, errors, "the API docs (Redoc)", refused_on_purpose=frozenset(REDOC_REFUSED))
    finally:
        context.close()
