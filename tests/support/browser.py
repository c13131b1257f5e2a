"""Fixtures for tests in a real browser: Debian's chromium driven by Playwright, never a downloaded browser.

A browser per test: while Playwright's event loop runs, the ORM uses connections of its own (asgiref keys them by
context), so the browser starts after pytest-django has prepared the database and closes them before it stops.
Screenshots go to var/e2e-screenshots/ (git-ignored) so a person can look at what the test saw.
"""

import shutil
from pathlib import Path

import pytest
from django.db import connections

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's own ORM calls stay synchronous
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
