"""A supplier's whole journey in a real browser (Debian's chromium via Playwright), as a person walks it.

Only the buyer's side is made with the ORM: an open round and a published addendum. Everything the supplier does,
from creating an account to reading the receipt, goes through the pages, finding controls by their labels and roles.
The whole journey is walked once (datacenter); every sector's proposal, from its start to the receipt, is walked
again by a company made with the ORM, since only the sector's own questions differ.
Screenshots of the key pages go to var/e2e-screenshots/ (git-ignored).
"""

import hashlib
import re
from datetime import UTC, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from rfp.enums import ProposalStatus
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Addendum, Attachment, Proposal, ProposalVersion, Rfp
from rfp.selectors import proposal_sector_details
from suppliers.enums import MemberRole
from suppliers.factories import FacilityFactory, SupplierMemberFactory
from suppliers.models import Facility, Supplier
from tests.support.browser import save_screenshot
from tests.support.outbox import deliver_outbox, deliver_receipts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "maria.lopez@lonestar-racks.example"
PASSWORD = "a-long-factory-floor-password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_NAME = "Rack datasheet.pdf"
ROUND_ZONE = "America/Chicago"


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """A submit enqueues review jobs; publishing them on commit must not reach the shared Redis."""


@pytest.fixture(autouse=True)
def _remove_stored_files():
    """The attachment rows go with the test's database; their files in private storage are removed here."""
    yield
    for attachment in Attachment.objects.all():
        attachment.file.storage.delete(attachment.file.name)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def main_text(page) -> str:
    """The page's content as a person reads it, white space collapsed."""
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


def snapshot(page, name: str) -> None:
    """A full-page screenshot, taken with nothing focused.

    A full-page capture resizes the viewport for a moment; Chromium then moves the scroll position back only at the
    next focus change, so a field still focused would make the page jump under the next click.
    """
    page.evaluate("document.activeElement && document.activeElement.blur()")
    save_screenshot(page, name)


def labelled(page, label: str):
    """The control whose label is exactly `label`; Django and allauth end labels with a colon."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def sign_in(page, client, live_server, user) -> None:
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


# --- The whole journey ---------------------------------------------------------------------------------------------


def sign_up_and_confirm(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(EMAIL)
    labelled(page, "Password").fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    snapshot(page, "journey-01-sign-up")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    assert Supplier.objects.count() == 0

    deliver_outbox()
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/portal/")
    assert "To propose, register your company" in main_text(page)


def register_company(page) -> None:
    page.get_by_role("link", name="Register your company").click()
    page.get_by_label("Legal name").fill("Lone Star Racks Inc.")
    page.get_by_label("Employees in the US").fill("140")
    page.get_by_label("EIN").fill("12-3456789")
    page.get_by_label("SAM.gov UEI").fill("JF3KQ7L2M8N4")
    page.get_by_label("CAGE code").fill("1A2B3")
    page.get_by_label("NAICS 2022 codes").fill("334111")
    page.get_by_text("Electronic Computer Manufacturing").wait_for()
    page.get_by_label("Headquarters address").fill("100 Congress Avenue")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State or territory").select_option("TX")
    page.get_by_label("ZIP code").fill("78701")
    snapshot(page, "journey-02-company-registration")
    page.get_by_role("button", name="Register the company").click()
    page.get_by_text("Lone Star Racks Inc. is registered and you are its owner").wait_for()
    assert "Electronic Computer Manufacturing" in main_text(page)
    supplier = Supplier.objects.get()
    assert (supplier.ein, supplier.uei, supplier.cage, supplier.naics_codes) == (
        "12-3456789",
        "JF3KQ7L2M8N4",
        "1A2B3",
        ["334111"],
    )
    assert (supplier.hq_city, supplier.hq_state, supplier.hq_zip) == ("Austin", "TX", "78701")


def add_facility(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Facilities").click()
    page.get_by_role("link", name="Add a facility").click()
    page.get_by_label("Site name").fill("Austin assembly plant")
    labelled(page, "Address").fill("4800 Industrial Oaks Blvd")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State or territory").select_option("TX")
    page.get_by_label("ZIP code").fill("78744")
    page.get_by_label("Floor area (sq ft)").fill("180000")
    page.get_by_label("Site power (MW)").fill("12.5")
    page.get_by_label("Grid operator").fill("ERCOT")
    for trade, count in (("Electricians", 12), ("Machinists", 20), ("Technicians", 35), ("Assemblers", 60)):
        page.get_by_label(trade).fill(str(count))
    page.get_by_label("Engineers").fill("9")
    page.get_by_role("button", name="Add the facility").click()
    page.get_by_text("Austin assembly plant is added to your facilities.").wait_for()
    facility = Facility.objects.get()
    assert (facility.state, facility.zip_code, facility.workforce_total) == ("TX", "78744", 136)


def acknowledge_addendum(page, rfp: Rfp) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("region", name=re.compile(rfp.reference)).get_by_role(
        "link", name="Addenda, questions and answers"
    ).click()
    page.get_by_role("heading", name="Addendum 1: Liquid cooling interface").wait_for()
    page.get_by_role("button", name="Acknowledge addendum 1").click()
    page.get_by_text("Addendum 1 acknowledged for Lone Star Racks Inc.").wait_for()
    assert "Acknowledged by your company on" in main_text(page)


# --- Each sector's own questions -------------------------------------------------------------------------------------


def answer_datacenter(page) -> None:
    page.get_by_label("Rack power density (kW/rack)").fill("132")
    page.get_by_label("Cooling type").select_option(label="Direct-to-chip, single-phase")
    page.get_by_label("Heat rejection per rack (kW)").fill("120")
    page.get_by_label("Annual units").fill("4000")


def answer_consumer_electronics(page) -> None:
    page.get_by_label("SMT lines").fill("6")
    page.get_by_label("Placements per hour (CPH)").fill("84000")
    page.get_by_label("Final assembly (units per month)").fill("50000")
    page.get_by_label("IPC-A-610 class").select_option(label="IPC-A-610 Class 3 (high performance)")


def answer_robotics(page) -> None:
    page.get_by_label("Component type").select_option(label="Gearbox")
    page.get_by_label("Rated torque (N·m)").fill("40")
    page.get_by_label("Peak torque (N·m)").fill("120")
    page.get_by_label("Gear ratio (n:1)").fill("50.5")
    page.get_by_label("Power device technology").select_option(label="Gallium nitride")
    page.get_by_label("Country of origin of the magnets").fill("jp")


# sector code -> (sector name, title, categories ticked, the sector step, what it stores)
SECTORS = {
    "datacenter": (
        "Datacenter",
        "Liquid-cooled racks from Austin, TX",
        ["Racks", "Cooling"],
        answer_datacenter,
        {"rack_power_density_kw": Decimal("132"), "cooling_type": "dtc_single_phase", "annual_units": 4000},
    ),
    "consumer-electronics": (
        "Consumer electronics",
        "Handset final assembly in Austin, TX",
        ["Modules", "Final assembly"],
        answer_consumer_electronics,
        {"smt_lines": 6, "placements_per_hour": 84000, "final_assembly_units_per_month": 50000, "ipc_class": 3},
    ),
    "robotics": (
        "Robotics",
        "Strain-wave gearboxes from Austin, TX",
        ["Gearboxes", "Actuators"],
        answer_robotics,
        {
            "component_type": "gearbox",
            "rated_torque_nm": Decimal("40"),
            "peak_torque_nm": Decimal("120"),
            "gear_ratio": Decimal("50.5"),
            "power_device_technology": "gan",
            "magnet_country_of_origin": "JP",
        },
    ),
}


def start_proposal(page, sector: str = "datacenter") -> str:
    name, title, *_ = SECTORS[sector]
    page.get_by_role("link", name=f"Start a {name} proposal").click()
    assert page.get_by_label(name).is_checked()
    page.get_by_label("Title of your proposal").fill(title)
    page.get_by_role("button", name="Start the proposal").click()
    page.get_by_text(re.compile(r"Proposal \S+ started")).wait_for()
    return Proposal.objects.get(sector__code=sector).reference


def save_and_continue(page, next_step: str) -> None:
    """Save the step with its button (not the background autosave) and land on the next step."""
    page.get_by_role("button", name="Save & continue").click()
    current = page.get_by_role("navigation", name="Proposal steps").locator("[aria-current=step]")
    expect(current).to_have_text(next_step)
    expect(page.get_by_role("status").filter(has_text="Saved at").first).to_be_visible()


def fill_steps(page, sector: str = "datacenter") -> None:
    _name, _title, categories, answer_sector, _stored = SECTORS[sector]
    # Overview.
    for category in categories:
        page.get_by_label(category, exact=True).check()
    page.get_by_label("Technical narrative").fill(
        "We build 19-inch racks with direct-to-chip manifolds in Austin: welding, powder coat, leak test."
    )
    snapshot(page, f"journey-03-proposal-overview-{sector}")
    save_and_continue(page, "Sector questions")
    # The sector's own questions.
    answer_sector(page)
    snapshot(page, f"journey-03-sector-questions-{sector}")
    save_and_continue(page, "Capacity & facilities")
    # Capacity and facilities.
    page.get_by_label("Austin assembly plant, Austin TX").check()
    page.get_by_label("Current US capacity (units per year)").fill("1500")
    page.get_by_label("Proposed US capacity (units per year)").fill("4000")
    page.get_by_label("Lead time (weeks)").fill("14")
    page.get_by_label("Site power needed (MW)").fill("8.5")
    page.get_by_label("Domestic content (%)").fill("72.5")
    page.get_by_label("Countries of origin of critical inputs").fill("mx, jp")
    page.get_by_label("Technicians").fill("30")
    save_and_continue(page, "Asks & commercial terms")
    # Asks and commercial terms.
    page.get_by_label("Offtake commitment asked (units)").fill("2000")
    page.get_by_label("Prepayment asked (%)").fill("20")
    page.get_by_label("Unit price (USD)").fill("38500")
    page.get_by_label("Payment terms").fill("Net 30")
    page.get_by_label("Incoterms® rule").fill("FCA Austin, TX")
    save_and_continue(page, "Attachments")


def upload_attachment(page) -> str:
    page.get_by_label("File", exact=True).set_input_files(
        {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("What the file is").select_option(label="Drawing or datasheet")
    page.get_by_role("button", name="Upload file").click()
    page.get_by_text(f"{PDF_NAME} was added").wait_for()
    digest = hashlib.sha256(PDF).hexdigest()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=PDF_NAME))
    assert digest in row.inner_text()
    return digest


def test_a_supplier_goes_from_sign_up_to_a_submitted_receipted_datacenter_proposal(page):
    rfp = RfpFactory(
        reference="AI-INFRA-2026-Q3",
        title="AI infrastructure supply, third quarter",
        display_time_zone=ROUND_ZONE,
    )
    Addendum.objects.create(
        rfp=rfp,
        number=1,
        title="Liquid cooling interface",
        body="Racks must accept 1-inch quick disconnects on the secondary loop.",
        published_at=timezone.now() - timedelta(days=2),
    )

    sign_up_and_confirm(page)
    register_company(page)
    add_facility(page)
    acknowledge_addendum(page, rfp)
    reference = start_proposal(page)
    fill_steps(page)
    digest = upload_attachment(page)

    page.get_by_role("link", name="Continue to Review & submit").click()
    checklist = page.get_by_role("region", name="Checklist")
    checklist.get_by_text("Everything required is answered and every published addendum is acknowledged.").wait_for()
    snapshot(page, "journey-04-review-checklist")
    page.get_by_role("button", name="Submit proposal").click()

    page.get_by_role("heading", name=f"Receipt: proposal {reference}, version 1").wait_for()
    snapshot(page, "journey-05-receipt")
    version = ProposalVersion.objects.get()
    utc = version.submitted_at.astimezone(UTC)
    local = version.submitted_at.astimezone(ZoneInfo(ROUND_ZONE))
    expected = {
        "Proposal reference": reference,
        "Round": rfp.reference,
        "Version": "1",
        "Received (server time, UTC)": f"{utc:%Y-%m-%d %H:%M:%S} UTC",
        "Received (the round's time zone)": f"{local:%B %-d, %Y, %-I:%M:%S %p} {local.tzname()} ({ROUND_ZONE})",
        "SHA-256 of the submitted content": version.sha256,
        "Submitted by": EMAIL,
    }
    labels = page.get_by_role("term").all_inner_texts()
    shown = dict(zip(labels, page.get_by_role("definition").all_inner_texts(), strict=True))
    assert {label: shown.get(label) for label in expected} == expected
    assert re.fullmatch(r"[0-9a-f]{64}", shown["SHA-256 of the submitted content"])
    row = page.get_by_role("row").filter(has_text=PDF_NAME)
    assert digest in row.inner_text()
    assert digest == hashlib.sha256(PDF).hexdigest()

    proposal = Proposal.objects.get()
    assert (proposal.reference, proposal.status, proposal.version) == (reference, ProposalStatus.SUBMITTED, 1)
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    terms = proposal.commercial_terms
    assert_sector_answers(proposal)
    assert sorted(proposal.categories.values_list("name", flat=True)) == ["Cooling", "Racks"]
    assert list(proposal.facilities.values_list("name", flat=True)) == ["Austin assembly plant"]
    assert (proposal.lead_time_weeks, proposal.site_power_mw, proposal.domestic_content_pct) == (
        14,
        Decimal("8.5"),
        Decimal("72.5"),
    )
    assert proposal.countries_of_origin == ["MX", "JP"]
    assert (proposal.asks_offtake_units, terms.unit_price_usd, terms.payment_terms) == (2000, Decimal(38500), "Net 30")
    assert [a["sha256"] for a in version.snapshot["attachments"]] == [digest]
    deliver_receipts()
    receipts = [message for message in mail.outbox if reference in message.subject]
    assert len(receipts) == 1
    assert receipts[0].to == [EMAIL]
    assert version.sha256 in receipts[0].body


def submit_from_the_review_step(page, reference: str) -> None:
    page.get_by_role("link", name="Continue to Review & submit").click()
    checklist = page.get_by_role("region", name="Checklist")
    checklist.get_by_text("Everything required is answered and every published addendum is acknowledged.").wait_for()
    page.get_by_role("button", name="Submit proposal").click()
    page.get_by_role("heading", name=f"Receipt: proposal {reference}, version 1").wait_for()


def assert_sector_answers(proposal) -> None:
    *_, stored = SECTORS[proposal.sector.code]
    details = proposal_sector_details(proposal=proposal)
    assert {question: getattr(details, question) for question in stored} == stored


# The datacenter proposal is walked by the whole journey above.
@pytest.mark.parametrize("sector", [code for code in SECTORS if code != "datacenter"])
def test_a_supplier_answers_each_sectors_questions_in_the_browser_and_gets_a_receipt(page, client, live_server, sector):
    member = SupplierMemberFactory(role=MemberRole.OWNER, user__email=EMAIL)
    FacilityFactory(supplier=member.supplier, name="Austin assembly plant", city="Austin", state="TX")
    rfp = RfpFactory(reference="AI-INFRA-2026-Q3", display_time_zone=ROUND_ZONE)
    sign_in(page, client, live_server, member.user)
    page.goto("/portal/")
    page.get_by_role("region", name=re.compile(rfp.reference)).get_by_role(
        "link", name="Addenda, questions and answers"
    ).click()

    reference = start_proposal(page, sector)
    fill_steps(page, sector)
    digest = upload_attachment(page)
    submit_from_the_review_step(page, reference)
    snapshot(page, f"journey-05-receipt-{sector}")

    version = ProposalVersion.objects.get()
    labels = page.get_by_role("term").all_inner_texts()
    shown = dict(zip(labels, page.get_by_role("definition").all_inner_texts(), strict=True))
    assert (shown["Proposal reference"], shown["Round"], shown["Version"]) == (reference, rfp.reference, "1")
    assert shown["SHA-256 of the submitted content"] == version.sha256
    assert digest in page.get_by_role("row").filter(has_text=PDF_NAME).inner_text()
    proposal = Proposal.objects.get()
    assert (proposal.sector.code, proposal.status, proposal.version) == (sector, ProposalStatus.SUBMITTED, 1)
    assert proposal.title == SECTORS[sector][1]
    assert sorted(proposal.categories.values_list("name", flat=True)) == sorted(SECTORS[sector][2])
    assert_sector_answers(proposal)
    deliver_receipts()
    [receipt] = [message for message in mail.outbox if reference in message.subject]
    assert receipt.to == [EMAIL]


# --- A closed round ------------------------------------------------------------------------------------------------


def test_the_closed_round_refuses_a_submit(page, client, live_server):
    member = SupplierMemberFactory(role=MemberRole.OWNER)
    rfp = RfpFactory(reference="AI-INFRA-CLOSING", display_time_zone=ROUND_ZONE)
    proposal = draft_proposal(rfp=rfp, supplier=member.supplier, actor=member.user)
    Rfp.objects.filter(pk=rfp.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    sign_in(page, client, live_server, member.user)

    page.goto(f"/portal/proposals/{proposal.reference}/steps/review/")
    page.get_by_role("status").filter(has_text="CLOSED.").wait_for()
    assert f"{rfp.reference} closed on" in main_text(page)
    assert "The round is closed: this proposal can no longer be submitted." in main_text(page)
    assert page.get_by_role("button", name="Submit proposal").count() == 0
    snapshot(page, "journey-06-closed-review")

    page.goto(f"/portal/proposals/{proposal.reference}/steps/overview/")
    expect(page.get_by_label("Title")).to_be_disabled()
    assert page.get_by_role("button", name=re.compile("Save")).count() == 0

    page.goto(f"/portal/proposals/{proposal.reference}/")
    page.get_by_role("status").filter(has_text="CLOSED.").wait_for()
    assert page.get_by_role("button", name=re.compile("Submit")).count() == 0

    # Post the submit form anyway, as a page left open since before the deadline would.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"/portal/proposals/{proposal.reference}/submit/",
        form={"csrfmiddlewaretoken": token},
        max_redirects=0,
    )
    assert response.status == 302
    page.goto(response.headers["location"])
    refusal = page.get_by_role("alert").filter(has_text="you can no longer submit proposals")
    refusal.wait_for()
    assert f"{rfp.reference} closed on" in refusal.inner_text()
    snapshot(page, "journey-07-closed-refusal")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.submitted_at) == (ProposalStatus.DRAFT, 0, None)
    assert not ProposalVersion.objects.exists()
    assert not [message for message in mail.outbox if proposal.reference in message.subject]
