"""Every page is served with a Content-Security-Policy that allows no inline script, and no page needs one."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from accounts.factories import ProgramLeadFactory, UserFactory
from suppliers.factories import SupplierFactory, SupplierMemberFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in header.split(";"))
        if directive
    }


class _InlineScriptFinder(HTMLParser):
    """What the policy blocks: script and style elements with inline content, on* handlers, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
        if (tag == "script" and "src" not in names and names.get("type", "") != "application/json") or tag == "style":
            self._in_inline_script = True

    def handle_endtag(self, tag):
        self._in_inline_script = False if tag in ("script", "style") else self._in_inline_script

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…")


def _inline_scripts(html: str) -> list[str]:
    finder = _InlineScriptFinder()
    finder.feed(html)
    return finder.found


def _assert_strict(response) -> None:
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"], policy
    assert "style-src" in policy and "img-src" in policy
    assert "'unsafe-inline'" not in policy.get("script-src", []) + policy["default-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not _inline_scripts(response.content.decode()), _inline_scripts(response.content.decode())


def test_the_portal_pages_carry_the_policy_and_no_inline_script(client):
    assert _policy(client.get("/"))["style-src"] == ["'self'"]
    _assert_strict(client.get("/"))
    _assert_strict(client.get("/accounts/login/"))
    member = SupplierMemberFactory(supplier=SupplierFactory(), user=UserFactory())
    client.force_login(member.user)
    _assert_strict(client.get("/portal/"))


def test_the_panel_and_the_review_workspace_carry_the_policy_and_no_inline_script(client):
    client.force_login(ProgramLeadFactory(is_superuser=True))
    for path in ("/panel/", "/panel/rfp/proposal/", "/panel/rfp/rfp/add/", "/panel/jobs/job/", "/review/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_strict(response)


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/redoc/"])
def test_the_api_docs_carry_the_policy_and_load_everything_from_this_site(client, path):
    docs = client.get(path)
    assert docs.status_code == 200, path
    _assert_strict(docs)
    # Redoc writes <style> elements as it runs: that page alone allows inline styles, never inline scripts.
    styles = ["'self'", "'unsafe-inline'"] if path.endswith("redoc/") else ["'self'"]
    assert _policy(docs)["style-src"] == styles
    html = docs.content.decode()
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), f"{path} loads {url} from another site"
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        if "?script" in url:
            assert response["Content-Type"].startswith("application/javascript")


_SCRIPT_WITHOUT_SRC = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def _project_templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(settings.BASE_DIR)
        and not Path(app.path).is_relative_to(Path(settings.BASE_DIR) / ".venv")
    ]
    return [path for root in roots if root.is_dir() for path in root.rglob("*.html")]


def test_no_project_template_holds_an_inline_script_or_event_handler():
    templates = _project_templates()
    assert len(templates) > 20
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates
        for pattern in (_SCRIPT_WITHOUT_SRC, _EVENT_HANDLER)
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "move these to static JS:\n" + "\n".join(offenders)
