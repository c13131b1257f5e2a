"""In a real browser (Debian's chromium via Playwright), on a phone-sized screen: registering shows NAICS titles as
codes are typed (htmx), and the company's pages fit the screen. Screenshots go to var/e2e-screenshots/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from suppliers import services
from suppliers.factories import FacilityFactory, SupplierMemberFactory
from suppliers.models import Certification, Supplier

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e-screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}--{name}.png"), full_page=True)

    return take


def sign_in(page, client, live_server, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def test_registering_on_a_phone_shows_naics_titles_while_typing(page, client, live_server, screenshot):
    user = UserFactory(email="founder@gcps.example")
    sign_in(page, client, live_server, user)
    page.goto(reverse("portal:company_register"))
    page.get_by_label("Legal name").fill("Gulf Coast Power Systems Inc.")
    page.get_by_label("EIN").fill("12-3456789")
    page.get_by_label("SAM.gov UEI").fill("jf3kq7l2m8n4")
    page.get_by_label("CAGE code").fill("1a2b3")
    page.get_by_label("NAICS 2022 codes").fill("335311, 999999")
    titles = page.locator("#naics-titles")
    titles.get_by_text("Power, Distribution, and Specialty Transformer Manufacturing").wait_for()
    assert "999999 is not a six-digit NAICS 2022 industry code" in titles.inner_text()
    page.get_by_label("NAICS 2022 codes").fill("335311")
    page.get_by_label("Headquarters address").fill("2000 Factory Road")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State or territory").select_option("CA")
    page.get_by_label("ZIP code").fill("78744")
    page.get_by_role("button", name="Register the company").click()
    page.get_by_text("ZIP code 78744 is in Texas (TX), not in California").first.wait_for()
    screenshot("zip-refused")
    page.get_by_label("State or territory").select_option("TX")
    page.get_by_role("button", name="Register the company").click()
    page.get_by_role("heading", name="Gulf Coast Power Systems Inc.").wait_for()
    screenshot("profile")
    assert Supplier.objects.get().uei == "JF3KQ7L2M8N4"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_company_pages_fit_a_phone_screen(page, client, live_server, screenshot):
    member = SupplierMemberFactory(role="owner")
    FacilityFactory.create_batch(2, supplier=member.supplier)
    Certification.objects.create(
        supplier=member.supplier, kind="iso_9001", number="Q-1", expires_on=timezone.localdate() + timedelta(days=20)
    )
    Certification.objects.create(
        supplier=member.supplier, kind="ul", name="UL 508A panels", expires_on=timezone.localdate() - timedelta(days=2)
    )
    services.invitation_send(supplier=member.supplier, actor=member.user, email="new@example.com", role="viewer")
    sign_in(page, client, live_server, member.user)
    for name in ("team", "facilities", "certifications"):
        page.goto(reverse(f"portal:{name}"))
        screenshot(name)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


# Kept across the form's own page load (sessionStorage): the submit button's label whenever it is disabled.
RECORD_BUSY_BUTTON = """
new MutationObserver(function () {
  var button = document.querySelector("main form button[type=submit]");
  if (button && button.disabled) sessionStorage.setItem("busy-button", button.textContent);
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def test_the_certificate_form_cannot_be_sent_twice_while_it_uploads(page, client, live_server, owner):
    sign_in(page, client, live_server, owner)
    page.add_init_script(RECORD_BUSY_BUTTON)
    page.goto(reverse("portal:certification_create"))
    assert page.evaluate("sessionStorage.getItem('busy-button')") is None

    page.get_by_role("button", name="Add the certificate").click()

    page.get_by_role("heading", name="Please correct this problem").wait_for()
    assert page.evaluate("sessionStorage.getItem('busy-button')") == "Saving…"
    expect(page.get_by_role("button", name="Add the certificate")).to_be_enabled()
