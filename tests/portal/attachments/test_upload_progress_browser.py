"""static/js/uploads.js in a real browser (Debian's chromium via Playwright): the progress bar, the panel swap."""

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect

from rfp.models import Attachment
from tests.portal.attachments.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Record every state of the progress text while the upload runs: the panel swap removes it when done.
RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver(function () {
  document.querySelectorAll(".upload-percent").forEach(function (el) {
    var bar = el.parentNode.querySelector("progress");
    window.__progress.push({
      text: el.textContent, value: bar ? bar.value : null, live: el.getAttribute("aria-live"),
      label: el.parentNode.querySelector("label").textContent,
    });
  });
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


@pytest.fixture
def signed_in_page(browser, live_server, client, owner):
    client.force_login(owner.user)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.add_init_script(RECORD_PROGRESS)
    yield page
    context.close()


def test_an_upload_shows_a_progress_bar_and_swaps_the_panel_in(signed_in_page, proposal, tmp_path):
    page = signed_in_page
    path = tmp_path / "Rack datasheet.pdf"
    path.write_bytes(pdf_bytes(padding=3 * 1024 * 1024))
    page.goto(f"/portal/proposals/{proposal.reference}/attachments/")

    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_label("What the file is").select_option("drawing")
    page.get_by_role("button", name="Upload file").click()

    message = page.get_by_text("Rack datasheet.pdf was added")
    message.wait_for()
    assert page.url.endswith(f"/portal/proposals/{proposal.reference}/attachments/"), "no page load: the panel swapped"
    assert page.evaluate("document.activeElement.textContent").startswith("Rack datasheet.pdf was added")
    progress = page.evaluate("window.__progress")
    assert progress, "a progress bar was shown"
    assert progress[0]["label"] == "Uploading Rack datasheet.pdf"
    assert progress[0]["live"] == "polite"
    assert any(state["text"].startswith("100%") and state["value"] == 100 for state in progress)
    assert page.get_by_role("rowheader", name="Rack datasheet.pdf").is_visible()
    attachment = Attachment.objects.get(proposal=proposal)
    assert (attachment.kind, attachment.content_type) == ("drawing", "application/pdf")
    # The swapped-in panel still works: its remove button posts through htmx.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Rack datasheet.pdf").click()
    page.get_by_text("Rack datasheet.pdf was removed.").wait_for()
    assert not Attachment.objects.exists()


def test_a_refused_file_shows_the_reason_in_the_swapped_panel(signed_in_page, proposal, tmp_path):
    page = signed_in_page
    path = tmp_path / "offer.pdf"
    path.write_bytes(b"<!doctype html><html><body>Not a PDF</body></html>")
    page.goto(f"/portal/proposals/{proposal.reference}/attachments/")

    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload file").click()

    page.locator(".errorlist").get_by_text("offer.pdf is not a file type we accept").wait_for()
    assert page.evaluate("document.activeElement.id") == "attachment-file"
    assert not Attachment.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_a_file_over_the_limit_is_stopped_in_the_browser_before_sending(signed_in_page, proposal, tmp_path):
    page = signed_in_page
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_bytes(padding=8 * 1024))
    page.goto(f"/portal/proposals/{proposal.reference}/attachments/")
    requests = []
    page.on("request", lambda request: requests.append(request.method))

    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload file").click()

    page.get_by_role("alert").get_by_text("files can be at most 2.0 KB").wait_for()
    assert "POST" not in requests
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("where", ["attachments", "steps/attachments"])
def test_the_upload_button_is_disabled_while_the_file_uploads(signed_in_page, proposal, tmp_path, where):
    page = signed_in_page
    path = tmp_path / "Rack datasheet.pdf"
    path.write_bytes(pdf_bytes())
    held = []
    page.route("**/attachments/upload/", lambda route: held.append(route))
    page.goto(f"/portal/proposals/{proposal.reference}/{where}/")
    button = page.get_by_role("button", name="Upload file")

    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_label("What the file is").select_option("drawing")
    button.click()

    busy = page.locator("form[data-upload-form] button[type=submit]")
    expect(busy).to_be_disabled()
    expect(busy).to_have_text("Uploading…")
    assert not Attachment.objects.exists()
    held[0].continue_()
    page.get_by_text("Rack datasheet.pdf was added").wait_for()
    expect(page.get_by_role("button", name="Upload file")).to_be_enabled()
