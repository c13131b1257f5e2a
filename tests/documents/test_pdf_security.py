"""The renderer is locked down: it reads the static folder and data: URLs, nothing else, whatever the HTML asks."""

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents.models import Audience
from documents.pdf import STATIC_DIR, ResourceRefused, StaticOnlyURLFetcher, pdf_render
from documents.services import summary_pdf_render
from suppliers.models import Facility
from tests.documents.conftest import make_case, pdf_text, stored_text

PASSWD_LINE = "root:x:0:0"


class CountingServer:
    """An HTTP server on a free loopback port that answers everything and counts the requests it got."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = b"body { background: red }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server():
    counting = CountingServer()
    counting.thread.start()
    try:
        yield counting
    finally:
        counting.httpd.shutdown()
        counting.httpd.server_close()


def test_the_counting_server_does_count(server):
    """The control: without the renderer in between, the server sees the request."""
    from urllib.request import urlopen

    with urlopen(server.url("/control"), timeout=5) as response:  # noqa: S310 - our own loopback server
        assert response.status == 200
    assert server.requests == ["/control"]


@pytest.mark.django_db
def test_a_proposal_full_of_url_payloads_renders_without_a_request_or_a_local_file(server):
    payload = (
        f'<img src="{server.url("/img")}"> file:///etc/passwd '
        f'<link rel="stylesheet" href="{server.url("/link")}"> <link rel="attachment" href="file:///etc/passwd"> '
        f"<style>@import url({server.url('/import')}); body {{ background: url(file:///etc/passwd) }}</style> "
        f'<div style="background-image: url({server.url("/inline")})">x</div> '
        f"url({server.url('/bare')}) url(file:///etc/passwd)"
    )
    case = make_case(narrative=payload)
    proposal = case.proposal
    # Supplier text in other places the summary prints: a facility's name, the ramp, the DBA.
    Facility.objects.filter(proposals=proposal, name="Temple Assembly").update(
        name=f'<img src="{server.url("/facility")}">'
    )
    proposal.capacity_ramp = f'<svg><image href="{server.url("/svg")}"/></svg> url(file:///etc/passwd)'
    proposal.save(update_fields=["capacity_ramp"])
    proposal.supplier.dba = '<iframe src="file:///etc/passwd"></iframe>'
    proposal.supplier.save(update_fields=["dba"])

    for audience in Audience.values:
        summary = summary_pdf_render(proposal_id=proposal.pk, audience=audience, reason="test")
        text = stored_text(summary)
        with summary.file.open("rb") as stored:
            reader = PdfReader(BytesIO(stored.read()))
        assert PASSWD_LINE not in text
        assert reader.attachments == {}, "no file was embedded"
        # The payloads are there, as the text the supplier typed.
        assert f'<img src="{server.url("/img")}">' in text

    assert server.requests == []


def _hostile_html(server, tmp_path) -> str:
    """Raw HTML asking for every kind of resource, on the network and on the local disk."""
    outside = tmp_path / "secret.txt"
    outside.write_text(f"{PASSWD_LINE}:root:/root:/bin/bash\n")
    html = f"""
    <html><head>
      <link rel="stylesheet" href="{server.url("/link.css")}">
      <link rel="stylesheet" href="https://127.0.0.1:{server.port}/tls.css">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="{outside.as_uri()}">
      <style>
        @import url("{server.url("/import.css")}");
        @font-face {{ font-family: Remote; src: url("{server.url("/font.woff")}"); }}
        body {{ background: url("{server.url("/background.png")}"); font-family: Remote; }}
        p::after {{ content: url("{outside.as_uri()}"); }}
      </style>
    </head><body>
      <p>Report</p>
      <img src="{server.url("/img.png")}">
      <img src="file:///etc/passwd">
      <img src="../../../../../../etc/passwd">
      <img src="documents/../../../etc/passwd">
      <object data="{server.url("/object")}"></object>
      <embed src="{outside.as_uri()}">
      <iframe src="{server.url("/iframe")}"></iframe>
      <svg width="10" height="10"><image href="{server.url("/svg-image.png")}" width="10" height="10"/></svg>
      <a href="{server.url("/link-only")}">a link is only written, never fetched</a>
    </body></html>
    """
    return html


def test_without_the_fetcher_weasyprint_would_fetch_them(server, tmp_path):
    """The control: WeasyPrint's own fetcher goes to the network for the same HTML."""
    from weasyprint import HTML

    pdf = HTML(string=_hostile_html(server, tmp_path), base_url=f"{STATIC_DIR.as_uri()}/").write_pdf()

    assert {"/link.css", "/import.css", "/img.png"} <= set(server.requests)
    assert "secret.txt" in PdfReader(BytesIO(pdf)).attachments, "a local file would have been embedded"


def test_the_renderer_itself_refuses_every_url_outside_the_static_folder(server, tmp_path):
    """Even raw HTML (never what the templates make) cannot reach the network or a local file."""
    html = _hostile_html(server, tmp_path)
    pdf = pdf_render(html=html)

    assert server.requests == []
    reader = PdfReader(BytesIO(pdf))
    assert reader.attachments == {}
    text = pdf_text(pdf)
    assert "Report" in text
    assert PASSWD_LINE not in text


def test_the_fetcher_serves_data_urls_and_static_files():
    fetcher = StaticOnlyURLFetcher()

    data = fetcher.fetch(f"data:text/plain;base64,{base64.b64encode(b'hello').decode()}")
    css = fetcher.fetch((STATIC_DIR / "documents" / "summary.css").as_uri())

    assert data.read() == b"hello"
    assert css.read() == (STATIC_DIR / "documents" / "summary.css").read_bytes()
    assert css.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x",
        "https://127.0.0.1:{port}/x",
        "HTTP://127.0.0.1:{port}/upper-case-scheme",
        "ftp://127.0.0.1:{port}/x",
        "//127.0.0.1:{port}/scheme-relative",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "{static}/../../../etc/passwd",
        "{static}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "{static}/documents/..%2f..%2f..%2fetc/passwd",
        "file://127.0.0.1:{port}{static_path}/favicon.svg",
        "{static}",
        "{static}/no-such-file.css",
        "{static}-elsewhere/x.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_everything_else(server, url):
    static = STATIC_DIR.as_uri()
    url = url.format(port=server.port, static=static, static_path=STATIC_DIR.as_posix())

    with pytest.raises(ResourceRefused):
        StaticOnlyURLFetcher().fetch(url)
    assert server.requests == []


def test_the_fetcher_refuses_a_symlink_out_of_the_static_folder(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "inside.css").write_text("p { color: red }")
    (static / "escape.css").symlink_to("/etc/passwd")
    (static / "alias.css").symlink_to(static / "inside.css")
    fetcher = StaticOnlyURLFetcher(static_dir=static)

    with pytest.raises(ResourceRefused):
        fetcher.fetch((static / "escape.css").as_uri())
    assert fetcher.fetch((static / "alias.css").as_uri()).read() == b"p { color: red }"


def test_pdf_render_needs_no_django_request_or_settings():
    """Scripts and benchmarks render in a plain Python process."""
    import subprocess
    import sys

    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None)\n"
        "from documents.pdf import pdf_page_count, pdf_render_document\n"
        "rendered = pdf_render_document(html='<p>one</p><p style=\"break-before: page\">two</p>')\n"
        "print(rendered.page_count, pdf_page_count(pdf=rendered.content))\n"
    )
    env = {key: value for key, value in __import__("os").environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["2", "2"]
