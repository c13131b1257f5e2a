"""HTML to PDF with WeasyPrint, locked down: the renderer reads only the project's static folder and `data:` URLs.

Everything here works without Django (no settings, no request), so workers, scripts and benchmarks can call
`pdf_render`. Each process keeps one FontConfiguration: building it again for every render costs time and memory.
"""

import functools
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


class ResourceRefused(ValueError):
    """The renderer asked for something outside what a document may read (WeasyPrint logs it and goes on)."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and files under one folder; every other URL (http, https, ftp, file elsewhere) is refused
    before anything is opened, so no request leaves the process and no redirect can be followed."""

    def __init__(self, *, static_dir: Path = STATIC_DIR) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise ResourceRefused(f"documents may not load {scheme or 'relative'} URLs: {url[:200]}")

    def _data(self, url: str) -> URLFetcherResponse:
        response = DataHandler().data_open(Request(url))  # noqa: S310 - only ever a data: URL, decoded in memory
        return URLFetcherResponse(url, body=response.read(), headers={"Content-Type": response.headers["Content-Type"]})

    def static_path(self, url: str) -> Path:
        """The file a `file:` URL names, if it lies under the static folder once every symlink is resolved."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"documents may not load files from another host: {url[:200]}")
        path_text = unquote(parts.path)
        if "\x00" in path_text or ".." in Path(path_text).parts:
            raise ResourceRefused(f"documents may not climb out of the static folder: {url[:200]}")
        path = Path(path_text).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise ResourceRefused(f"documents may only load files of the static folder: {url[:200]}")
        return path

    def _file(self, url: str) -> URLFetcherResponse:
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


@functools.cache
def _font_configuration() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _url_fetcher() -> StaticOnlyURLFetcher:
    return StaticOnlyURLFetcher()


class PageLimitExceeded(ValueError):
    """The laid-out document has more pages than the caller allows; nothing was written."""

    def __init__(self, *, page_count: int, max_pages: int):
        super().__init__(f"the document has {page_count} pages, more than the {max_pages} allowed")
        self.page_count, self.max_pages = page_count, max_pages


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def pdf_render_document(*, html: str, max_pages: int | None = None) -> RenderedPdf:
    """Render HTML (relative URLs resolve against the static folder) to PDF bytes, with the number of pages;
    PageLimitExceeded once laid out past `max_pages`, before the PDF is written."""
    document = HTML(string=html, base_url=f"{STATIC_DIR.as_uri()}/", url_fetcher=_url_fetcher()).render(
        font_config=_font_configuration()
    )
    if max_pages is not None and len(document.pages) > max_pages:
        raise PageLimitExceeded(page_count=len(document.pages), max_pages=max_pages)
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))


def pdf_render(*, html: str) -> bytes:
    """Render HTML to PDF bytes; see `pdf_render_document`."""
    return pdf_render_document(html=html).content


def pdf_page_count(*, pdf: bytes) -> int:
    """The number of pages of a PDF (WeasyPrint packs objects in compressed streams, so it takes a real reader)."""
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)
